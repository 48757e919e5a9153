MATCH (p:Person)-[:APPLIED]->(a:Application)-[:EVALUATED_BY]->(c:Committee)
WHERE coalesce(a.entrusted, false) = false AND (c.region IS NOT NULL OR c.self_evaluating = true)
WITH p, a, c, date({year: a.year, month: 1, day: 1}) AS ws, date({year: a.year + 1, month: 6, day: 30}) AS we
WITH p, a, c, [(p)-[w:WORKS_AT {effective: true}]->(u:Unit) WHERE (w.valid_from IS NULL OR w.valid_from <= we) AND (w.valid_to IS NULL OR ws <= w.valid_to) | u.rollup_key] AS keys
WHERE size(keys) > 0
CALL (keys) {
  UNWIND keys AS k
  MATCH (ru:Unit {unit_key: k})
  RETURN collect(DISTINCT ru.unit_key) AS units, collect(DISTINCT ru.region) AS regions,
         any(x IN collect(ru) WHERE x.region IS NULL) AS missing, collect(DISTINCT ru) AS nodes
}
OPTIONAL MATCH (c)-[:ORGANIZED_BY]->(o:Unit)
WITH p, a, c, units, regions, missing, nodes, o.rollup_key AS organizer
WITH p, a, c, units, regions, organizer,
     c.region IS NOT NULL AND NOT missing
       AND none(x IN nodes WHERE x.region = c.region OR x.region STARTS WITH c.region) AS outside_region,
     coalesce(c.self_evaluating, false) AND organizer IS NOT NULL AND NOT organizer IN units AS outside_org
WHERE outside_region OR outside_org
RETURN a.application_key AS application_key, a.application_id AS application_id, a.year AS year,
       p.person_key AS applicant_key, p.name AS applicant_name, p.id_number AS applicant_id_number,
       c.committee_id AS committee_id, c.region AS committee_region, units, regions, organizer, outside_region,
       outside_org, a.source_file AS application_file, a.source_row AS application_row;
