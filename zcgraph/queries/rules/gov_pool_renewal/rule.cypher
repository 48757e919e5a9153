MATCH (m:Meeting)-[:OF_COMMITTEE]->(c:Committee)
WHERE m.held_on IS NOT NULL
MATCH (:Person)-[p:IN_POOL]->(c)
WHERE p.pool_from IS NOT NULL AND p.pool_from <= m.held_on
WITH m, c, max(p.pool_from) AS last_join
WHERE last_join < m.held_on - duration({years: $expert_term_years})
RETURN c.committee_id AS committee_id, m.meeting_id AS meeting_id, m.year AS year, m.held_on AS held_on, last_join,
       $expert_term_years AS expert_term_years, m.source_file AS meeting_file, m.source_row AS meeting_row;
