// include: draws
WITH a, p, e, act, k, c
WHERE EXISTS { MATCH (p)-[:APPLIED]->(o:Application) WHERE o.year <> a.year }
RETURN e.person_key AS expert_key, e.expert_ids[0] AS expert_id, e.name AS expert_name,
       e.id_number AS expert_id_number, p.person_key AS applicant_key, p.name AS applicant_name,
       p.id_number AS applicant_id_number, a.year AS year, k, c, count(*) AS n, count(act) AS observed,
       collect(act) AS acts;
