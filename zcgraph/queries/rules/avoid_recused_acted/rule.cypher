MATCH (e:Person)-[rc:RECUSED]->(rm:Meeting)
CALL (e, rc, rm) {
  MATCH (a:Application {application_key: rc.application_key})
  RETURN a
  UNION
  MATCH (e)-[r:REVIEWED]->(a:Application)
  WHERE rc.application_key IS NULL AND r.meeting_id = rm.meeting_id
  RETURN a
}
MATCH (p:Person)-[:APPLIED]->(a)
WITH * WHERE e <> p
// include: acts_of
WITH * WHERE m = rm
// include: window
OPTIONAL MATCH (e)-[rel:RELATED]-(p)
RETURN a.application_key AS application_key, a.application_id AS application_id, a.year AS year,
       p.person_key AS applicant_key, p.name AS applicant_name, p.id_number AS applicant_id_number,
       e.person_key AS expert_key, expert_id, e.name AS expert_name, e.id_number AS expert_id_number,
       act, stage, on, win_start, win_end, m.meeting_id AS meeting_id, act_file, act_row,
       rc.initiated_by AS initiated_by, rc.reason AS recusal_reason, rc.source_file AS recusal_file,
       rc.source_row AS recusal_row, rel.relation AS relation;
