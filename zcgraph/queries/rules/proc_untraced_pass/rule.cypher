MATCH (p:Person)-[:APPLIED]->(a:Application {result: '通过'})-[:DECIDED_IN]->(m:Meeting)
WHERE NOT EXISTS { MATCH (:Person)-[:REVIEWED]->(a) }
  AND NOT (m.has_votes = false AND EXISTS { MATCH (:Person)-[:ATTENDED]->(m) })
  AND EXISTS { MATCH (o:Application)-[:DECIDED_IN]->(m) WHERE o <> a AND EXISTS { MATCH (:Person)-[:REVIEWED]->(o) } }
RETURN a.application_key AS application_key, a.application_id AS application_id, a.year AS year,
       p.person_key AS applicant_key, p.name AS applicant_name, p.id_number AS applicant_id_number,
       m.meeting_id AS meeting_id, a.source_file AS application_file, a.source_row AS application_row;
