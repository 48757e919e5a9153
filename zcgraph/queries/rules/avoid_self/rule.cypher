MATCH (e:Person)-[:APPLIED]->(a:Application)
WITH e, a, e AS p
// include: acts_of
// include: window
RETURN a.application_key AS application_key, a.application_id AS application_id, a.year AS year,
       p.person_key AS applicant_key, p.name AS applicant_name, p.id_number AS applicant_id_number,
       e.person_key AS expert_key, expert_id, e.name AS expert_name, e.id_number AS expert_id_number,
       act, stage, on, win_start, win_end, m.meeting_id AS meeting_id, act_file, act_row;
