CALL () {
  MATCH (e:Person)-[r:REVIEWED]->(a:Application)
  OPTIONAL MATCH (m:Meeting {meeting_id: r.meeting_id})
  RETURN e, a, m, r.expert_id AS expert_id, CASE r.stage WHEN '投票' THEN 'vote' ELSE 'direct' END AS act,
         r.stage AS stage, coalesce(r.reviewed_on, m.held_on) AS on, r.source_file AS act_file, r.source_row AS act_row
  UNION ALL
  MATCH (e:Person)-[t:ATTENDED]->(m:Meeting {has_votes: false})<-[:DECIDED_IN]-(a:Application)
  WHERE NOT EXISTS { MATCH (e)-[rc:RECUSED]->(m) WHERE rc.application_key IS NULL OR rc.application_key = a.application_key }
  RETURN e, a, m, t.expert_id AS expert_id, 'attendance' AS act, '出席' AS stage, m.held_on AS on,
         t.source_file AS act_file, t.source_row AS act_row
}
MATCH (p:Person)-[:APPLIED]->(a)
WITH e, a, m, p, expert_id, act, stage, on, act_file, act_row,
     coalesce(on, date({year: a.year, month: 1, day: 1})) AS win_start,
     coalesce(on, date({year: a.year + 1, month: 6, day: 30})) AS win_end
WHERE e <> p
  AND NOT EXISTS { MATCH (e)-[rc:RECUSED]->(m) WHERE rc.application_key IS NULL OR rc.application_key = a.application_key }
MATCH (e)-[we:WORKS_AT {effective: true}]->(ue:Unit)
WHERE (we.valid_from IS NULL OR we.valid_from <= win_start) AND (we.valid_to IS NULL OR win_end <= we.valid_to)
MATCH (p)-[wp:WORKS_AT {effective: true}]->(up:Unit)
WHERE up.rollup_key = ue.rollup_key AND (wp.valid_from IS NULL OR wp.valid_from <= win_start) AND (wp.valid_to IS NULL OR win_end <= wp.valid_to)
MATCH (ru:Unit {unit_key: ue.rollup_key})
RETURN a.application_key AS application_key, a.application_id AS application_id, a.year AS year,
       p.person_key AS applicant_key, p.name AS applicant_name, p.id_number AS applicant_id_number,
       e.person_key AS expert_key, expert_id, e.name AS expert_name, e.id_number AS expert_id_number,
       act, stage, on, win_start, win_end, m.meeting_id AS meeting_id, act_file, act_row,
       ue.rollup_key AS unit, ru.name AS unit_name, we.source_file AS expert_emp_file, we.source_row AS expert_emp_row,
       wp.source_file AS applicant_emp_file, wp.source_row AS applicant_emp_row;
