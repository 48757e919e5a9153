MATCH (p:Person)-[:APPLIED]->(a:Application)
WHERE a.eligible = false
OPTIONAL MATCH (e:Person)-[r:REVIEWED]->(a)
WITH p, a, count(r) AS acts
WHERE acts > 0 OR a.result IS NOT NULL
RETURN a.application_key AS application_key, a.application_id AS application_id, a.year AS year,
       p.person_key AS applicant_key, p.name AS applicant_name, p.id_number AS applicant_id_number,
       acts, a.result AS result, a.source_file AS application_file, a.source_row AS application_row;
