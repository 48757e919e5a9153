// Votes per application, then per meeting once: who attended and who recused from the whole meeting;
// a recusal for one application is looked up by its key (index zc_RECUSED_application_key, created by the
// writer), not found by walking every recusal of the meeting for every application.
MATCH (a:Application)<-[v:REVIEWED {stage: '投票'}]-(:Person)
WHERE a.result IN ['通过', '未通过']
WITH a, v.meeting_id AS meeting_id, sum(CASE WHEN v.vote = '同意' THEN 1 ELSE 0 END) AS agree,
     sum(CASE WHEN v.vote IS NOT NULL THEN 1 ELSE 0 END) AS cast
MATCH (p:Person)-[:APPLIED]->(a)
WITH meeting_id, collect({p: p, a: a, agree: agree, cast: cast}) AS apps
OPTIONAL MATCH (m:Meeting {meeting_id: meeting_id})
CALL (m) {
  OPTIONAL MATCH (x:Person)-[:ATTENDED]->(m)
  RETURN count(DISTINCT x) AS present
}
CALL (m) {
  OPTIONAL MATCH (y:Person)-[rc:RECUSED]->(m)
  WHERE rc.application_key IS NULL AND EXISTS { MATCH (y)-[:ATTENDED]->(m) }
  RETURN collect(DISTINCT y) AS whole
}
UNWIND apps AS row
WITH row.p AS p, row.a AS a, meeting_id, row.agree AS agree, row.cast AS cast, m, present, whole
CALL (a, m, whole) {
  OPTIONAL MATCH (y:Person)-[rc:RECUSED {application_key: a.application_key}]->(m)
  USING INDEX rc:RECUSED(application_key)
  WHERE NOT y IN whole AND EXISTS { MATCH (y)-[:ATTENDED]->(m) }
  RETURN count(DISTINCT y) AS keyed
}
WITH *, size(whole) + keyed AS recused
WITH p, a, meeting_id, agree, cast, present, recused,
     CASE WHEN present > 0 THEN present - recused ELSE cast END AS counted
WHERE (a.result = '通过' AND 3 * agree < 2 * counted) OR (a.result = '未通过' AND 3 * agree >= 2 * counted)
RETURN a.application_key AS application_key, a.application_id AS application_id, a.year AS year,
       p.person_key AS applicant_key, p.name AS applicant_name, p.id_number AS applicant_id_number,
       meeting_id, agree, cast, present, recused, counted, a.result AS result, a.source_file AS application_file,
       a.source_row AS application_row;
