MATCH (e:Person)-[pl:IN_POOL]->(:Committee)
WHERE pl.title_level IS NOT NULL
MATCH (e)-[:APPLIED]->(a:Application {level: pl.title_level})
WITH e, pl, a, EXISTS { MATCH (e)-[:APPLIED]->(b:Application {level: pl.title_level, result: '通过'}) } AS passed
WITH e, pl, a, passed, pl.pool_from IS NOT NULL AND a.year >= pl.pool_from.year AS later
WHERE later OR NOT passed
RETURN pl.expert_id AS expert_id, e.person_key AS expert_key, e.name AS expert_name, e.id_number AS expert_id_number,
       pl.title_level AS title_level, pl.pool_from AS pool_from, a.application_id AS application_id, a.year AS year,
       a.result AS result, later, passed, pl.source_file AS pool_file, pl.source_row AS pool_row;
