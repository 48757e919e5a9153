// Meetings whose seats are drawn each time; for every pool member over the meeting's date (or its
// undated window): the drawn seats (appointed 主任委员/副主任委员 excluded), the pool size, and whether
// they held one of those seats.
MATCH (m:Meeting)
WHERE m.year IS NOT NULL AND EXISTS { MATCH (:Person)-[t:ATTENDED]->(m) WHERE t.draw_scope = '每次抽取' }
MATCH (c:Committee {committee_id: m.committee_id})
WITH m, c, coalesce(m.held_on, date({year: m.year, month: 1, day: 1})) AS win_start,
     coalesce(m.held_on, date({year: m.year + 1, month: 6, day: 30})) AS win_end
CALL (m) {
  MATCH (x:Person)-[t:ATTENDED]->(m) WHERE NOT coalesce(t.role, '') IN ['主任委员', '副主任委员']
  RETURN count(DISTINCT x) AS seats
}
MATCH (e:Person)-[ip:IN_POOL]->(c)
WHERE (ip.pool_from IS NULL OR ip.pool_from <= win_start) AND (ip.pool_to IS NULL OR win_end <= ip.pool_to)
WITH m, c, seats, collect(DISTINCT e) AS pool
UNWIND pool AS e
RETURN e.person_key AS expert_key, e.expert_ids[0] AS expert_id, e.name AS expert_name,
       e.id_number AS expert_id_number, c.committee_id AS committee_id, m.meeting_id AS meeting_id, m.year AS year,
       seats, size(pool) AS pool_size,
       [(e)-[t:ATTENDED]->(m) WHERE NOT coalesce(t.role, '') IN ['主任委员', '副主任委员'] |
        m.meeting_id + '@' + t.source_file + '#' + toString(t.source_row)] AS seat;
