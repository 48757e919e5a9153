// acts_of: every act of the expert e on the application a (both already bound): a REVIEWED row (审阅, 答辩,
// 投票), or sitting in a meeting with attendance acts (no votes, but review rows and recorded recusals) where a was
// decided and e did not recuse.
// Rules start from their tie (a relation, a recusal, a shared contact) and ask for the acts it touches,
// so the query grows with the ties, not with every review row.
CALL (e, a) {
  MATCH (e)-[r:REVIEWED]->(a)
  OPTIONAL MATCH (m:Meeting {meeting_id: r.meeting_id})
  RETURN m, r.expert_id AS expert_id, CASE r.stage WHEN '投票' THEN 'vote' ELSE 'direct' END AS act,
         r.stage AS stage, coalesce(r.reviewed_on, m.held_on) AS on, r.source_file AS act_file, r.source_row AS act_row
  UNION ALL
  MATCH (e)-[t:ATTENDED]->(m:Meeting {attendance_acts: true})<-[:DECIDED_IN]-(a)
  WHERE NOT EXISTS { MATCH (e)-[rc:RECUSED]->(m) WHERE rc.application_key IS NULL OR rc.application_key = a.application_key }
  RETURN m, t.expert_id AS expert_id, 'attendance' AS act, '出席' AS stage, m.held_on AS on,
         t.source_file AS act_file, t.source_row AS act_row
}
