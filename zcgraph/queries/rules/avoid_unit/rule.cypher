// include: acts
MATCH (e)-[we:WORKS_AT {effective: true}]->(ue:Unit)
WHERE (we.valid_from IS NULL OR we.valid_from <= win_start) AND (we.valid_to IS NULL OR win_end <= we.valid_to)
MATCH (p)-[wp:WORKS_AT {effective: true}]->(up:Unit)
WHERE up.rollup_key = ue.rollup_key AND (wp.valid_from IS NULL OR wp.valid_from <= win_start) AND (wp.valid_to IS NULL OR win_end <= wp.valid_to)
// include: not_recused
MATCH (ru:Unit {unit_key: ue.rollup_key})
RETURN a.application_key AS application_key, a.application_id AS application_id, a.year AS year,
       p.person_key AS applicant_key, p.name AS applicant_name, p.id_number AS applicant_id_number,
       e.person_key AS expert_key, expert_id, e.name AS expert_name, e.id_number AS expert_id_number,
       act, stage, on, win_start, win_end, m.meeting_id AS meeting_id, act_file, act_row,
       ue.rollup_key AS unit, ru.name AS unit_name, we.source_file AS expert_emp_file, we.source_row AS expert_emp_row,
       wp.source_file AS applicant_emp_file, wp.source_row AS applicant_emp_row;
