MATCH (s:Person)
WHERE EXISTS { MATCH (s)-[:HANDLED]->(:Application) }
// include: broker_ties
WITH s AS st, i, since, via, tie_file, tie_row
MATCH (st)-[h:HANDLED]->(:Application)
RETURN DISTINCT h.staff_id AS staff_id, st.person_key AS staff_key, i.intermediary_id AS intermediary_id, i.kind AS intermediary_kind, since, via, tie_file, tie_row;
