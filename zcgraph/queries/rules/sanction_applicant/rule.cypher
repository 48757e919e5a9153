MATCH (p:Person)-[:APPLIED]->(a:Application)
MATCH (s:Sanction)-[g:AGAINST]->(p)
WHERE s.kind = '申报人失信'
WITH p, a, s, g, a.publicity_start IS NOT NULL AS dated,
     coalesce(a.publicity_start, date({year: a.year, month: 1, day: 1})) AS from_day,
     coalesce(a.publicity_start, date({year: a.year, month: 12, day: 31})) AS to_day
WHERE (s.start IS NULL OR s.start <= from_day) AND (s.end IS NULL OR to_day <= s.end)
RETURN a.application_key AS application_key, a.application_id AS application_id, a.year AS year,
       p.person_key AS applicant_key, p.name AS applicant_name, p.id_number AS applicant_id_number,
       s.start AS sanction_start, s.end AS sanction_end, dated, s.source_file AS sanction_file,
       s.source_row AS sanction_row;
