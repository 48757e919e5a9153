MATCH (e:Person)-[rel:RELATED]-(p:Person)
WHERE rel.relation IN ['导师', '学生', '师生', '合著'] AND e <> p
MATCH (p)-[:APPLIED]->(a:Application)
// include: acts_of
// include: window
WITH * WHERE rel.relation IN ['导师', '学生', '师生']
   OR (rel.relation = '合著' AND rel.start IS NOT NULL AND rel.start <= win_start
       AND rel.start.year >= win_end.year - $coauthor_years)
// include: not_recused
RETURN a.application_key AS application_key, a.application_id AS application_id, a.year AS year,
       p.person_key AS applicant_key, p.name AS applicant_name, p.id_number AS applicant_id_number,
       e.person_key AS expert_key, expert_id, e.name AS expert_name, e.id_number AS expert_id_number,
       act, stage, on, win_start, win_end, m.meeting_id AS meeting_id, act_file, act_row,
       rel.relation AS relation, rel.start AS relation_start, rel.end AS relation_end,
       rel.source_file AS relation_file, rel.source_row AS relation_row;
