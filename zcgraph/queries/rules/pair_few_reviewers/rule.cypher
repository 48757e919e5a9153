MATCH (p:Person)-[:APPLIED]->(a:Application)
OPTIONAL MATCH (e:Person)-[r:REVIEWED {stage: '审阅'}]->(a)
WITH p, a, count(DISTINCT e) AS reviewers, collect(DISTINCT r.expert_id) AS experts
WHERE reviewers < 3
OPTIONAL MATCH (a)-[:DECIDED_IN]->(m:Meeting)
WITH p, a, reviewers, experts, m
WHERE reviewers > 0 OR EXISTS {
  MATCH (o:Application)-[:DECIDED_IN]->(m) WHERE o <> a AND EXISTS { MATCH (:Person)-[:REVIEWED {stage: '审阅'}]->(o) } }
RETURN a.application_key AS application_key, a.application_id AS application_id, a.year AS year,
       p.person_key AS applicant_key, p.name AS applicant_name, p.id_number AS applicant_id_number,
       reviewers, experts, m.meeting_id AS meeting_id, a.source_file AS application_file,
       a.source_row AS application_row;
