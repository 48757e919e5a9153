MATCH (p:Person)-[:APPLIED]->(a:Application)<-[v:REVIEWED {stage: '投票'}]-(:Person)
WHERE a.result IN ['通过', '未通过']
WITH p, a, v.meeting_id AS meeting_id, sum(CASE WHEN v.vote = '同意' THEN 1 ELSE 0 END) AS agree,
     sum(CASE WHEN v.vote IS NOT NULL THEN 1 ELSE 0 END) AS cast
OPTIONAL MATCH (m:Meeting {meeting_id: meeting_id})
OPTIONAL MATCH (x:Person)-[:ATTENDED]->(m)
WITH p, a, meeting_id, agree, cast, m, count(DISTINCT x) AS present
OPTIONAL MATCH (y:Person)-[rc:RECUSED]->(m)
WHERE (rc.application_key IS NULL OR rc.application_key = a.application_key) AND EXISTS { MATCH (y)-[:ATTENDED]->(m) }
WITH p, a, meeting_id, agree, cast, present, count(DISTINCT y) AS recused
WITH p, a, meeting_id, agree, cast, present, recused,
     CASE WHEN present > 0 THEN present - recused ELSE cast END AS counted
WHERE (a.result = '通过' AND 3 * agree < 2 * counted) OR (a.result = '未通过' AND 3 * agree >= 2 * counted)
RETURN a.application_key AS application_key, a.application_id AS application_id, a.year AS year,
       p.person_key AS applicant_key, p.name AS applicant_name, p.id_number AS applicant_id_number,
       meeting_id, agree, cast, present, recused, counted, a.result AS result, a.source_file AS application_file,
       a.source_row AS application_row;
