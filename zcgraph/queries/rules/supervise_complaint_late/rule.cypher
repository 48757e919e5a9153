MATCH (c:Complaint)
WHERE coalesce(c.accepted_on, c.received_on) IS NOT NULL
WITH c, coalesce(c.accepted_on, c.received_on) + duration({days: $complaint_days +
       CASE WHEN c.extended = true THEN $extension_days ELSE 0 END}) AS deadline
WHERE ((c.responded_on IS NULL AND $as_of > deadline) OR (c.responded_on IS NOT NULL AND c.responded_on > deadline))
RETURN c.complaint_id AS complaint_id, coalesce(c.accepted_on, c.received_on) AS start, deadline,
       c.responded_on AS responded_on, c.extended AS extended, $as_of AS as_of, c.committee_id AS committee_id,
       c.source_file AS complaint_file, c.source_row AS complaint_row;
