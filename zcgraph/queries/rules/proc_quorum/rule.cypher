MATCH (m:Meeting)-[:OF_COMMITTEE]->(c:Committee)
WHERE m.kind IS NULL OR m.kind = '全体会议'
MATCH (e:Person)-[:ATTENDED]->(m)
WITH m, c, count(DISTINCT e) AS present
WITH m, c, present, coalesce(m.expected_count, c.member_count) AS expected
WHERE expected IS NOT NULL AND 3 * present < 2 * expected
RETURN m.meeting_id AS meeting_id, c.committee_id AS committee_id, m.year AS year, present, expected,
       m.source_file AS meeting_file, m.source_row AS meeting_row;
