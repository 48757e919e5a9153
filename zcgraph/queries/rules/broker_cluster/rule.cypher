MATCH (d:Identifier)
WHERE d.kind IN ['mobile', 'email']
  AND NOT EXISTS { MATCH (:Unit)-[:HAS_CONTACT]->(d) } AND NOT EXISTS { MATCH (:Intermediary)-[:HAS_CONTACT]->(d) }
  AND NOT EXISTS { MATCH (x:Person)-[:HAS_CONTACT]->(d)
                   WHERE EXISTS { MATCH (x)-[:IN_POOL]->(:Committee) } OR EXISTS { MATCH (x)-[:HANDLED]->(:Application) } }
  AND NOT EXISTS { MATCH (x:Person)-[:APPLIED]->(:Application)-[:HAS_CONTACT]->(d)
                   WHERE EXISTS { MATCH (x)-[:IN_POOL]->(:Committee) } OR EXISTS { MATCH (x)-[:HANDLED]->(:Application) } }
MATCH (p:Person)-[:APPLIED]->(a:Application)-[:HAS_CONTACT]->(d)
WITH d, p, a, date({year: a.year, month: 1, day: 1}) AS ws, date({year: a.year + 1, month: 6, day: 30}) AS we
OPTIONAL MATCH (p)-[w:WORKS_AT {effective: true}]->(u:Unit)
WHERE (w.valid_from IS NULL OR w.valid_from <= we) AND (w.valid_to IS NULL OR ws <= w.valid_to)
OPTIONAL MATCH (:Unit {unit_key: u.rollup_key})-[:PART_OF]->(sup:Unit {kind: '主管部门'})
WITH d, p, a, u.rollup_key AS unit, sup.unit_key AS supervisor
WITH d, collect(DISTINCT p) AS persons, collect(DISTINCT unit) AS units, collect(DISTINCT supervisor) AS sups,
     sum(CASE WHEN unit IS NOT NULL AND supervisor IS NULL THEN 1 ELSE 0 END) AS unsupervised,
     collect({p: p, a: a, unit: unit, supervisor: supervisor}) AS rows
WHERE size(persons) >= $cluster_min AND size(units) >= $cluster_min AND NOT (unsupervised = 0 AND size(sups) = 1)
UNWIND rows AS r
WITH d, r.p AS p, r.a AS a, r.unit AS unit, r.supervisor AS supervisor
MATCH (a)-[:EVALUATED_BY]->(c:Committee)
CALL (c) {
  MATCH (o:Application)-[:EVALUATED_BY]->(c)
  WHERE o.result IS NOT NULL
  RETURN count(o) AS committee_decided, sum(CASE o.result WHEN '通过' THEN 1 ELSE 0 END) AS committee_passed
}
RETURN d.value AS identifier, d.kind AS identifier_kind, a.application_key AS application_key,
       a.application_id AS application_id, a.year AS year, p.person_key AS applicant_key, p.name AS applicant_name,
       p.id_number AS applicant_id_number, unit, supervisor, a.result AS result, c.committee_id AS committee_id,
       committee_decided, committee_passed;
