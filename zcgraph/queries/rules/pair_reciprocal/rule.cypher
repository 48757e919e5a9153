CALL () {
  MATCH (owner:Person)-[rel1:RELATED]-(dep:Person)
  WHERE rel1.category = 'kin' OR rel1.relation = '师生'
     OR (rel1.relation = '学生' AND startNode(rel1) = owner) OR (rel1.relation = '导师' AND endNode(rel1) = owner)
  RETURN owner, dep, rel1
}
MATCH (ea:Person)-[r1:REVIEWED]->(a1:Application)<-[:APPLIED]-(dep)
WHERE r1.stage IN ['审阅', '答辩'] AND ea <> owner AND ea <> dep
WITH owner AS eb, ea, r1, a1, rel1
CALL (ea) {
  MATCH (ea)-[rel2:RELATED]-(y:Person)
  WHERE rel2.category = 'kin' OR rel2.relation = '师生'
     OR (rel2.relation = '学生' AND startNode(rel2) = ea) OR (rel2.relation = '导师' AND endNode(rel2) = ea)
  RETURN y, rel2
}
MATCH (eb)-[r2:REVIEWED]->(a2:Application)<-[:APPLIED]-(y)
WHERE r2.stage IN ['审阅', '答辩'] AND eb <> y AND abs(a1.year - a2.year) < $reciprocal_years
RETURN CASE WHEN r1.expert_id < r2.expert_id THEN r1.expert_id ELSE r2.expert_id END AS expert_a,
       CASE WHEN r1.expert_id < r2.expert_id THEN r2.expert_id ELSE r1.expert_id END AS expert_b,
       r1.expert_id AS expert_1, r2.expert_id AS expert_2, a1.application_key AS application_1,
       a1.application_id AS application_id_1, a1.year AS year_1, a2.application_key AS application_2,
       a2.application_id AS application_id_2, a2.year AS year_2, rel1.relation AS relation_1,
       rel2.relation AS relation_2, r1.source_file AS act_file_1, r1.source_row AS act_row_1,
       r2.source_file AS act_file_2, r2.source_row AS act_row_2, rel1.source_file AS relation_file_1,
       rel1.source_row AS relation_row_1, rel2.source_file AS relation_file_2, rel2.source_row AS relation_row_2,
       ea.person_key AS expert_key_1, eb.person_key AS expert_key_2;
