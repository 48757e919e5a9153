MATCH (p:Person)-[:APPLIED]->(a:Application)
WITH p, a, EXISTS { MATCH (o:Application) WHERE o.publicity_start IS NOT NULL } AS others
WITH p, a, others, CASE WHEN a.publicity_start IS NULL OR a.publicity_end IS NULL THEN NULL ELSE
     size([i IN range(0, duration.inDays(a.publicity_start, a.publicity_end).days) WHERE
             ((a.publicity_start + duration({days: i})).dayOfWeek < 6 AND NOT (a.publicity_start + duration({days: i})) IN $holidays)
             OR (a.publicity_start + duration({days: i})) IN $makeup_workdays]) END AS workdays
WHERE ((a.publicity_start IS NULL OR a.publicity_end IS NULL) AND others) OR workdays < $publicity_workdays
RETURN a.application_key AS application_key, a.application_id AS application_id, a.year AS year,
       p.person_key AS applicant_key, p.name AS applicant_name, p.id_number AS applicant_id_number,
       a.publicity_start AS publicity_start, a.publicity_end AS publicity_end, workdays,
       a.source_file AS application_file, a.source_row AS application_row;
