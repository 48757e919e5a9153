MATCH (s:Person)
WHERE EXISTS { MATCH (s)-[:APPLIED]->(:Application) }
// include: broker_ties
WITH s AS p, i, since, via, tie_file, tie_row
MATCH (p)-[:APPLIED]->(a:Application)
OPTIONAL MATCH (a)-[:DECIDED_IN]->(m:Meeting)
WITH p, i, since, via, tie_file, tie_row, a, coalesce(min(m.held_on), date({year: a.year, month: 1, day: 1})) AS on
WHERE since IS NULL OR since <= on
RETURN a.application_key AS application_key, a.application_id AS application_id, a.year AS year,
       p.person_key AS applicant_key, p.name AS applicant_name, p.id_number AS applicant_id_number, on,
       i.intermediary_id AS intermediary_id, i.kind AS intermediary_kind, since, via, tie_file, tie_row;
