MATCH (e:Person)-[r:REVIEWED]->(a:Application)
WHERE (r.stage = '投票' OR r.vote IS NOT NULL OR r.score IS NOT NULL) AND r.meeting_id IS NOT NULL
MATCH (m:Meeting {meeting_id: r.meeting_id})
WHERE EXISTS { MATCH (:Person)-[:ATTENDED]->(m) } AND NOT EXISTS { MATCH (e)-[:ATTENDED]->(m) }
RETURN a.application_key AS application_key, a.application_id AS application_id, a.year AS year,
       r.expert_id AS expert_id, e.person_key AS expert_key, e.name AS expert_name, e.id_number AS expert_id_number,
       m.meeting_id AS meeting_id, r.stage AS stage, r.vote AS vote, r.score AS score, r.source_file AS act_file,
       r.source_row AS act_row;
