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
WITH e, a, m, p, expert_id, act, stage, on, act_file, act_row, win_start, win_end,
     [(e)-[w:WORKS_AT {effective: true}]->(u:Unit) WHERE (w.valid_from IS NULL OR w.valid_from <= win_start) AND (w.valid_to IS NULL OR win_end <= w.valid_to) | u.rollup_key] AS e_now,
     [(p)-[w:WORKS_AT {effective: true}]->(u:Unit) WHERE (w.valid_from IS NULL OR w.valid_from <= win_start) AND (w.valid_to IS NULL OR win_end <= w.valid_to) | u.rollup_key] AS p_now
WHERE none(x IN e_now WHERE x IN p_now)
CALL (e, p, e_now, p_now, win_start, win_end) {
  MATCH (e)-[w:WORKS_AT {effective: true}]->(u:Unit)
  WHERE u.rollup_key IN p_now AND w.valid_to IS NOT NULL AND w.valid_to < win_start
    AND w.valid_to >= win_end - duration({years: $former_unit_years})
  RETURN u.rollup_key AS unit, 'expert' AS who, w.valid_to AS left_on, w.source_file AS emp_file, w.source_row AS emp_row
  UNION ALL
  MATCH (p)-[w:WORKS_AT {effective: true}]->(u:Unit)
  WHERE u.rollup_key IN e_now AND w.valid_to IS NOT NULL AND w.valid_to < win_start
    AND w.valid_to >= win_end - duration({years: $former_unit_years})
  RETURN u.rollup_key AS unit, 'applicant' AS who, w.valid_to AS left_on, w.source_file AS emp_file,
         w.source_row AS emp_row
}
MATCH (ru:Unit {unit_key: unit})
RETURN a.application_key AS application_key, a.application_id AS application_id, a.year AS year,
       p.person_key AS applicant_key, p.name AS applicant_name, p.id_number AS applicant_id_number,
       e.person_key AS expert_key, expert_id, e.name AS expert_name, e.id_number AS expert_id_number,
       act, stage, on, win_start, win_end, m.meeting_id AS meeting_id, act_file, act_row,
       unit, ru.name AS unit_name, who, left_on, emp_file, emp_row;
