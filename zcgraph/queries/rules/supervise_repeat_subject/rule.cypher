MATCH (c:Complaint)-[:ABOUT]->(x)
OPTIONAL MATCH (x)<-[:APPLIED]-(ap:Person)
WITH c, coalesce(ap, x) AS s
WHERE s:Person
WITH c, s, coalesce(c.received_on, c.accepted_on) AS dated,
     CASE WHEN coalesce(c.accepted_on, c.received_on) IS NULL THEN NULL ELSE coalesce(c.accepted_on, c.received_on) + duration({days: $complaint_days +
       CASE WHEN c.extended = true THEN $extension_days ELSE 0 END}) END AS deadline
WHERE dated IS NOT NULL AND (c.finding IN ['属实', '部分属实'] OR (deadline IS NOT NULL AND ((c.responded_on IS NULL AND $as_of > deadline) OR (c.responded_on IS NOT NULL AND c.responded_on > deadline))))
WITH s, c.complaint_id AS cid, dated
ORDER BY dated, cid
WITH s, collect(cid) AS complaint_ids, collect(dated) AS dates
WHERE size(complaint_ids) >= 2
WITH s, complaint_ids, dates[1] AS second
CALL (s, second) {
  MATCH (s)-[r:REVIEWED]->(a:Application)
  OPTIONAL MATCH (m:Meeting {meeting_id: r.meeting_id})
  WITH r, a, coalesce(r.reviewed_on, m.held_on) AS on
  WHERE on > second
  RETURN r.expert_id AS key_expert, NULL AS key_application, a.application_key AS act_application, on,
         r.source_file AS act_file, r.source_row AS act_row
  UNION ALL
  MATCH (s)-[:APPLIED]->(a:Application)
  WITH a, coalesce(a.publicity_start, date({year: a.year, month: 1, day: 1})) AS on
  WHERE on > second
  RETURN NULL AS key_expert, a.application_key AS key_application, a.application_key AS act_application, on,
         a.source_file AS act_file,
         a.source_row AS act_row
}
RETURN s.person_key AS person_key, s.name AS expert_name, s.id_number AS expert_id_number, complaint_ids, second,
       key_expert, key_application, act_application, on, act_file, act_row;
