// Votes and scores per expert and meeting first; whether the expert sat is asked once per pair.
MATCH (e:Person)-[r:REVIEWED]->(a:Application)
WHERE (r.stage = '投票' OR r.vote IS NOT NULL OR r.score IS NOT NULL) AND r.meeting_id IS NOT NULL
WITH e, r.meeting_id AS meeting_id, collect({r: r, a: a}) AS acts
MATCH (m:Meeting {meeting_id: meeting_id})
WHERE EXISTS { MATCH (:Person)-[:ATTENDED]->(m) } AND NOT EXISTS { MATCH (e)-[:ATTENDED]->(m) }
UNWIND acts AS x
WITH e, m, x.r AS r, x.a AS a
RETURN a.application_key AS application_key, a.application_id AS application_id, a.year AS year,
       r.expert_id AS expert_id, e.person_key AS expert_key, e.name AS expert_name, e.id_number AS expert_id_number,
       m.meeting_id AS meeting_id, r.stage AS stage, r.vote AS vote, r.score AS score, r.source_file AS act_file,
       r.source_row AS act_row;
