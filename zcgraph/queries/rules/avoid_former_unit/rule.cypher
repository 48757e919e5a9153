// include: acts
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
// include: not_recused
MATCH (ru:Unit {unit_key: unit})
RETURN a.application_key AS application_key, a.application_id AS application_id, a.year AS year,
       p.person_key AS applicant_key, p.name AS applicant_name, p.id_number AS applicant_id_number,
       e.person_key AS expert_key, expert_id, e.name AS expert_name, e.id_number AS expert_id_number,
       act, stage, on, win_start, win_end, m.meeting_id AS meeting_id, act_file, act_row,
       unit, ru.name AS unit_name, who, left_on, emp_file, emp_row;
