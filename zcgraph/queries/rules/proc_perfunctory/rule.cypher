CALL () {
  MATCH (st:Person)-[h:HANDLED {action: '审核'}]->(:Application)
  WHERE h.on IS NOT NULL
  WITH h.staff_id AS staff_id, st, h.on AS date, count(*) AS checks
  WHERE checks > $review_per_day
  RETURN staff_id, st.person_key AS staff_key, date, checks, NULL AS application_id, NULL AS held_on, 'many' AS why,
         NULL AS act_file, NULL AS act_row
  UNION ALL
  MATCH (st:Person)-[h:HANDLED {action: '审核'}]->(a:Application)-[:DECIDED_IN]->(m:Meeting)
  WHERE h.on IS NOT NULL AND m.held_on IS NOT NULL
  WITH st, h, a, max(m.held_on) AS held
  WHERE h.on > held
  RETURN h.staff_id AS staff_id, st.person_key AS staff_key, h.on AS date, NULL AS checks,
         a.application_id AS application_id, held AS held_on, 'late' AS why, h.source_file AS act_file,
         h.source_row AS act_row
}
RETURN staff_id, staff_key, date, checks, application_id, held_on, why, act_file, act_row;
