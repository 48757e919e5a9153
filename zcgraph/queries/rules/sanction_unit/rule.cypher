MATCH (m:Meeting)-[:OF_COMMITTEE]->(c:Committee)
WITH m, c, coalesce(m.held_on, CASE WHEN m.year IS NULL THEN NULL ELSE date({year: m.year, month: 1, day: 1}) END) AS win_start,
     coalesce(m.held_on, CASE WHEN m.year IS NULL THEN NULL ELSE date({year: m.year + 1, month: 6, day: 30}) END) AS win_end
WHERE win_start IS NOT NULL
CALL (c) {
  MATCH (s:Sanction)-[:AGAINST]->(c)
  RETURN s, '评委会' AS target
  UNION ALL
  MATCH (c)-[:ORGANIZED_BY]->(u:Unit)<-[:AGAINST]-(s:Sanction)
  RETURN s, '组建单位' AS target
}
WITH m, c, win_start, win_end, s, target
WHERE s.kind IN ['暂停评审', '收回评审权'] AND (s.start IS NULL OR s.start <= win_start)
  AND (s.end IS NULL OR win_end <= s.end)
RETURN m.meeting_id AS meeting_id, c.committee_id AS committee_id, m.year AS year, m.held_on AS held_on, win_start,
       win_end, s.kind AS kind, target, s.start AS sanction_start, s.end AS sanction_end,
       s.source_file AS sanction_file, s.source_row AS sanction_row, m.source_file AS meeting_file,
       m.source_row AS meeting_row;
