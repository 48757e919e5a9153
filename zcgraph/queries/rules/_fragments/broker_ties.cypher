// broker_ties: every tie of the person s (already bound) to an intermediary: applied through it (agent),
// a recorded link, its legal representative, or a phone/e-mail shared with it or its legal representative.
// Yields i, since (when the tie is first known), via, tie_file, tie_row. Correlated on s, so a rule that asks
// about experts or staff walks their ties only, not every applicant's contacts.
CALL (s) {
  MATCH (s)-[:APPLIED]->(a:Application)-[t:SUBMITTED_VIA]->(i:Intermediary)
  OPTIONAL MATCH (a)-[:DECIDED_IN]->(m:Meeting)
  WITH s, i, t, a, min(m.held_on) AS held
  RETURN i, coalesce(held, date({year: a.year, month: 1, day: 1})) AS since, 'agent' AS via,
         t.source_file AS tie_file, t.source_row AS tie_row
  UNION ALL
  MATCH (s)-[t:LINKED]-(i:Intermediary)
  RETURN i, t.on AS since, 'link' AS via, t.source_file AS tie_file, t.source_row AS tie_row
  UNION ALL
  MATCH (s)-[t:LEGAL_REP_OF]->(i:Intermediary)
  RETURN i, NULL AS since, 'legal_rep' AS via, t.source_file AS tie_file, t.source_row AS tie_row
  UNION ALL
  CALL (s) {
    MATCH (s)-[:APPLIED]->(a:Application)-[c:HAS_CONTACT]->(d:Identifier)
    OPTIONAL MATCH (a)-[:DECIDED_IN]->(m:Meeting)
    WITH s, d, c, a, min(m.held_on) AS held
    RETURN d, coalesce(held, date({year: a.year, month: 1, day: 1})) AS since, c.source_file AS f, c.source_row AS r
    UNION ALL
    MATCH (s)-[c:HAS_CONTACT]->(d:Identifier)
    RETURN d, c.since AS since, c.source_file AS f, c.source_row AS r
  }
  WITH s, d, since, f, r
  WHERE d.kind IN ['mobile', 'phone', 'email']
  CALL (s, d) {
    MATCH (i:Intermediary)-[:HAS_CONTACT]->(d)
    RETURN i
    UNION
    MATCH (i:Intermediary)<-[:LEGAL_REP_OF]-(rep:Person)
    WHERE rep <> s AND (EXISTS { MATCH (rep)-[:HAS_CONTACT]->(d) }
                        OR EXISTS { MATCH (rep)-[:APPLIED]->(:Application)-[:HAS_CONTACT]->(d) })
    RETURN i
  }
  RETURN i, since, 'contact' AS via, f AS tie_file, r AS tie_row
}
