MATCH (p:Person)-[:APPLIED]->(a:Application)-[ev:EVALUATED_BY]->(c:Committee)
WITH p, a, c, ev,
     (a.series IS NOT NULL AND c.series IS NOT NULL AND a.series <> c.series) AS bad_series,
     (a.level IS NOT NULL AND c.levels IS NOT NULL AND NOT a.level IN c.levels) AS bad_level
WHERE bad_series OR bad_level
RETURN a.application_key AS application_key, a.application_id AS application_id, a.year AS year,
       p.person_key AS applicant_key, p.name AS applicant_name, p.id_number AS applicant_id_number,
       c.committee_id AS committee_id, a.series AS series, c.series AS committee_series, a.level AS level,
       c.levels AS committee_levels, bad_series, bad_level, a.source_file AS application_file,
       a.source_row AS application_row;
