// acts: every act of every expert (see acts_of), with the applicant p and the act's window
// (the act's date, else the evaluation year to 30 June of the next). For rules whose tie cannot be
// found before the act (a shared unit on the act's date); rules with a sparse tie use acts_of.
CALL () {
  MATCH (p:Person)-[:APPLIED]->(a:Application)<-[r:REVIEWED]-(e:Person)
  OPTIONAL MATCH (m:Meeting {meeting_id: r.meeting_id})
  RETURN e, p, a, m, r.expert_id AS expert_id, CASE r.stage WHEN '投票' THEN 'vote' ELSE 'direct' END AS act,
         r.stage AS stage, coalesce(r.reviewed_on, m.held_on) AS on, r.source_file AS act_file, r.source_row AS act_row
  UNION ALL
  MATCH (e:Person)-[t:ATTENDED]->(m:Meeting {attendance_acts: true})<-[:DECIDED_IN]-(a:Application)<-[:APPLIED]-(p:Person)
  WHERE NOT EXISTS { MATCH (e)-[rc:RECUSED]->(m) WHERE rc.application_key IS NULL OR rc.application_key = a.application_key }
  RETURN e, p, a, m, t.expert_id AS expert_id, 'attendance' AS act, '出席' AS stage, m.held_on AS on,
         t.source_file AS act_file, t.source_row AS act_row
}
// include: window
WHERE e <> p
