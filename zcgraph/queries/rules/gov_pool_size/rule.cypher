MATCH (m:Meeting)-[:OF_COMMITTEE]->(c:Committee)
WHERE m.held_on IS NOT NULL AND c.member_count IS NOT NULL
OPTIONAL MATCH (e:Person)-[p:IN_POOL]->(c)
WHERE (p.pool_from IS NULL OR p.pool_from <= m.held_on) AND (p.pool_to IS NULL OR m.held_on <= p.pool_to)
WITH m, c, count(DISTINCT e) AS pool
WHERE pool < $pool_multiple * c.member_count
RETURN m.meeting_id AS meeting_id, c.committee_id AS committee_id, m.year AS year, m.held_on AS held_on, pool,
       c.member_count AS member_count, $pool_multiple AS pool_multiple, m.source_file AS meeting_file,
       m.source_row AS meeting_row;
