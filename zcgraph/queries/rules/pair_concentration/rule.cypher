// include: draws
MATCH (p)-[w:WORKS_AT {effective: true}]->(u:Unit)
WHERE (w.valid_from IS NULL OR w.valid_from <= win_start) AND (w.valid_to IS NULL OR win_end <= w.valid_to)
WITH DISTINCT a, stage, meeting_id, e, act, k, c, u.rollup_key AS unit
WITH e, unit, meeting_id, stage, k, c, count(*) AS n, count(act) AS observed, collect(act) AS acts
MATCH (ru:Unit {unit_key: unit})
RETURN e.person_key AS expert_key, e.expert_ids[0] AS expert_id, e.name AS expert_name,
       e.id_number AS expert_id_number, unit, ru.name AS unit_name, meeting_id, stage, k, c, n, observed, acts;
