MATCH (st:Person)-[h:HANDLED]->(a:Application)<-[:APPLIED]-(p:Person)
WITH st, h, a, p, coalesce(h.on, date({year: a.year, month: 1, day: 1})) AS win_start,
     coalesce(h.on, date({year: a.year, month: 12, day: 31})) AS win_end
OPTIONAL MATCH (st)-[rel:RELATED]-(p)
WHERE st <> p AND rel.category = 'kin' AND (rel.start IS NULL OR rel.start <= win_start)
  AND (rel.end IS NULL OR win_end <= rel.end)
WITH st, h, a, p, win_start, win_end, rel
WHERE st = p OR rel IS NOT NULL
RETURN a.application_key AS application_key, a.application_id AS application_id, a.year AS year,
       p.person_key AS applicant_key, p.name AS applicant_name, p.id_number AS applicant_id_number,
       h.staff_id AS staff_id, st.person_key AS staff_key, h.action AS action, h.on AS on, st = p AS own,
       rel.relation AS relation, rel.source_file AS relation_file, rel.source_row AS relation_row,
       h.source_file AS act_file, h.source_row AS act_row;
