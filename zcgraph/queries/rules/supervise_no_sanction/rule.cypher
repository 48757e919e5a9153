MATCH (c:Complaint)-[:ABOUT]->(x)
WHERE c.finding IN ['属实', '部分属实']
OPTIONAL MATCH (x)<-[:APPLIED]-(ap:Person)
WITH c, coalesce(ap, x) AS s
WHERE s:Person OR s:Committee
WITH c, collect(DISTINCT s) AS subjects
WHERE none(s IN subjects WHERE EXISTS {
  MATCH (s)<-[:AGAINST]-(sn:Sanction)
  WHERE sn.start IS NULL OR coalesce(c.accepted_on, c.received_on) IS NULL OR sn.start >= coalesce(c.accepted_on, c.received_on) })
UNWIND subjects AS s
RETURN c.complaint_id AS complaint_id, c.finding AS finding, CASE WHEN s:Person THEN 'Person' ELSE 'Committee' END AS subject_label,
       coalesce(s.person_key, s.committee_id) AS subject_key, c.source_file AS complaint_file, c.source_row AS complaint_row;
