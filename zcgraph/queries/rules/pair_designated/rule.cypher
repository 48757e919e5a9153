CALL () {
  MATCH (e:Person)-[r:REVIEWED {assignment: '指定'}]->(a:Application)
  RETURN a.application_key AS key_application, NULL AS key_meeting, a.application_id AS application_id, a.year AS year,
         r.expert_id AS expert_id, e.person_key AS expert_key, e.name AS expert_name, e.id_number AS expert_id_number,
         r.stage AS stage, r.meeting_id AS meeting_id, NULL AS role, r.source_file AS record_file,
         r.source_row AS record_row
  UNION ALL
  MATCH (e:Person)-[t:ATTENDED {selection: '指定'}]->(m:Meeting)
  WHERE t.role IS NULL OR NOT t.role IN ['主任委员', '副主任委员']
  RETURN NULL AS key_application, m.meeting_id AS key_meeting, NULL AS application_id, m.year AS year,
         t.expert_id AS expert_id, e.person_key AS expert_key, e.name AS expert_name, e.id_number AS expert_id_number,
         NULL AS stage, m.meeting_id AS meeting_id, t.role AS role, t.source_file AS record_file,
         t.source_row AS record_row
}
RETURN key_application, key_meeting, application_id, year, expert_id, expert_key, expert_name, expert_id_number,
       stage, meeting_id, role, record_file, record_row;
