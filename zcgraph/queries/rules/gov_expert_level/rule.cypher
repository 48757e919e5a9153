MATCH (e:Person)-[r:REVIEWED]->(a:Application)
WHERE r.meeting_id IS NOT NULL AND a.level IS NOT NULL
CALL (e) {
  MATCH (e)-[pl:IN_POOL]->(:Committee)
  WHERE pl.title_level IS NOT NULL
  RETURN max({`初级`: 1, `中级`: 2, `副高级`: 3, `正高级`: 4}[pl.title_level]) AS rank
}
WITH e, r, a, rank
WHERE rank IS NOT NULL AND rank < {`初级`: 1, `中级`: 2, `副高级`: 3, `正高级`: 4}[a.level]
RETURN r.expert_id AS expert_id, e.person_key AS expert_key, e.name AS expert_name, e.id_number AS expert_id_number,
       r.meeting_id AS meeting_id, a.year AS year, a.application_id AS application_id, a.level AS level, rank,
       r.stage AS stage, r.source_file AS act_file, r.source_row AS act_row;
