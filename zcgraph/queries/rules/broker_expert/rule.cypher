MATCH (s:Person)
WHERE EXISTS { MATCH (s)-[:IN_POOL]->(:Committee) }
// include: broker_ties
WITH s AS e, i, since, via, tie_file, tie_row
MATCH (e)-[pl:IN_POOL]->(:Committee)
RETURN DISTINCT pl.expert_id AS expert_id, e.person_key AS expert_key, e.name AS expert_name,
       e.id_number AS expert_id_number, i.intermediary_id AS intermediary_id, i.kind AS intermediary_kind, since, via, tie_file, tie_row;
