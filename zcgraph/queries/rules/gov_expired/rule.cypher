MATCH (m:Meeting)-[o:OF_COMMITTEE]->(c:Committee)
WITH m, c, o, coalesce(m.held_on, CASE WHEN m.year IS NULL THEN NULL ELSE date({year: m.year, month: 1, day: 1}) END) AS d
WITH m, c, o, d, coalesce(c.valid_until, c.approved_on + duration({years: $committee_valid_years})) AS until
WHERE d IS NOT NULL AND until IS NOT NULL AND d > until
RETURN m.meeting_id AS meeting_id, c.committee_id AS committee_id, m.year AS year, m.held_on AS held_on, d AS judged_on,
       c.valid_until AS valid_until, c.approved_on AS approved_on, until, m.source_file AS meeting_file,
       m.source_row AS meeting_row, c.source_file AS committee_file, c.source_row AS committee_row;
