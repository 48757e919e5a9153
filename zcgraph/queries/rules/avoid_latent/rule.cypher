CALL () {
  MATCH (d:Identifier)
  WHERE d.kind IN ['mobile', 'email', 'address']
    AND NOT EXISTS { MATCH (:Unit)-[:HAS_CONTACT]->(d) } AND NOT EXISTS { MATCH (:Intermediary)-[:HAS_CONTACT]->(d) }
  CALL (d) {
    MATCH (s:Person)-[:HAS_CONTACT]->(d)
    RETURN s
    UNION
    MATCH (s:Person)-[:APPLIED]->(:Application)-[:HAS_CONTACT]->(d)
    RETURN s
  }
  WITH d, collect(s) AS holders
  WHERE size(holders) >= 2 AND size(holders) <= $latent_max_holders
  UNWIND holders AS x
  UNWIND holders AS y
  WITH d, x, y
  WHERE x <> y
  RETURN collect({x: x.person_key, y: y.person_key, d: d.identifier_key, kind: d.kind}) AS links
}
UNWIND links AS l1
CALL (links, l1) {
  RETURN l1.x AS ek, l1.y AS pk, NULL AS via, l1.d AS first, l1.kind AS first_kind, NULL AS second,
         NULL AS second_kind
  UNION ALL
  UNWIND links AS l2
  WITH l1, l2
  WHERE l2.x = l1.y AND l2.y <> l1.x
  RETURN l1.x AS ek, l2.y AS pk, l1.y AS via, l1.d AS first, l1.kind AS first_kind, l2.d AS second,
         l2.kind AS second_kind
}
MATCH (e:Person {person_key: ek}), (p:Person {person_key: pk})
WHERE NOT EXISTS { MATCH (e)-[:RELATED]-(p) }
CALL (e, p) {
  MATCH (e)-[r:REVIEWED]->(a:Application)<-[:APPLIED]-(p)
  OPTIONAL MATCH (m:Meeting {meeting_id: r.meeting_id})
  RETURN a, m, r.expert_id AS expert_id, CASE r.stage WHEN '投票' THEN 'vote' ELSE 'direct' END AS act,
         r.stage AS stage, coalesce(r.reviewed_on, m.held_on) AS on, r.source_file AS act_file, r.source_row AS act_row
  UNION ALL
  MATCH (e)-[t:ATTENDED]->(m:Meeting {attendance_acts: true})<-[:DECIDED_IN]-(a:Application)<-[:APPLIED]-(p)
  WHERE NOT EXISTS { MATCH (e)-[rc:RECUSED]->(m) WHERE rc.application_key IS NULL OR rc.application_key = a.application_key }
  RETURN a, m, t.expert_id AS expert_id, 'attendance' AS act, '出席' AS stage, m.held_on AS on,
         t.source_file AS act_file, t.source_row AS act_row
}
WITH e, p, via, first, first_kind, second, second_kind, a, m, expert_id, act, stage, on, act_file, act_row,
     coalesce(on, date({year: a.year, month: 1, day: 1})) AS win_start,
     coalesce(on, date({year: a.year + 1, month: 6, day: 30})) AS win_end
WHERE e <> p
  AND NOT EXISTS { MATCH (e)-[rc:RECUSED]->(m) WHERE rc.application_key IS NULL OR rc.application_key = a.application_key }
RETURN a.application_key AS application_key, a.application_id AS application_id, a.year AS year,
       p.person_key AS applicant_key, p.name AS applicant_name, p.id_number AS applicant_id_number,
       e.person_key AS expert_key, expert_id, e.name AS expert_name, e.id_number AS expert_id_number,
       act, stage, on, win_start, win_end, m.meeting_id AS meeting_id, act_file, act_row,
       via, first, first_kind, second, second_kind;
