// From the (few) disqualifications to the acts of the disqualified, not from every act to a sanction.
MATCH (s:Sanction {kind: '取消专家资格'})-[:AGAINST]->(e:Person)
CALL (e) {
  MATCH (e)-[t:ATTENDED]->(m:Meeting)
  RETURN m, t.expert_id AS expert_id, '出席' AS how, m.held_on AS on, t.source_file AS act_file,
         t.source_row AS act_row
  UNION ALL
  MATCH (e)-[r:REVIEWED]->(:Application)
  WHERE r.meeting_id IS NOT NULL
  MATCH (m:Meeting {meeting_id: r.meeting_id})
  RETURN m, r.expert_id AS expert_id, coalesce(r.stage, '评审') AS how, coalesce(r.reviewed_on, m.held_on) AS on,
         r.source_file AS act_file, r.source_row AS act_row
}
WITH s, e, m, expert_id, how, on, act_file, act_row,
     coalesce(on, CASE WHEN m.year IS NULL THEN NULL ELSE date({year: m.year, month: 1, day: 1}) END) AS win_start,
     coalesce(on, CASE WHEN m.year IS NULL THEN NULL ELSE date({year: m.year + 1, month: 6, day: 30}) END) AS win_end
WHERE win_start IS NOT NULL AND (s.start IS NULL OR s.start <= win_start) AND (s.end IS NULL OR win_end <= s.end)
RETURN expert_id, e.person_key AS expert_key, e.name AS expert_name, e.id_number AS expert_id_number,
       m.meeting_id AS meeting_id, m.committee_id AS committee_id, m.year AS year, how, on, win_start, win_end,
       act_file, act_row, s.start AS sanction_start, s.end AS sanction_end, s.source_file AS sanction_file,
       s.source_row AS sanction_row;
