CALL () {
  MATCH (s:Person)-[:APPLIED]->(a:Application)-[t:SUBMITTED_VIA]->(i:Intermediary)
  OPTIONAL MATCH (a)-[:DECIDED_IN]->(m:Meeting)
  WITH s, i, t, a, min(m.held_on) AS held
  RETURN s, i, coalesce(held, date({year: a.year, month: 1, day: 1})) AS since, 'agent' AS via,
         t.source_file AS tie_file, t.source_row AS tie_row
  UNION ALL
  MATCH (s:Person)-[t:LINKED]-(i:Intermediary)
  RETURN s, i, t.on AS since, 'link' AS via, t.source_file AS tie_file, t.source_row AS tie_row
  UNION ALL
  MATCH (s:Person)-[t:LEGAL_REP_OF]->(i:Intermediary)
  RETURN s, i, NULL AS since, 'legal_rep' AS via, t.source_file AS tie_file, t.source_row AS tie_row
  UNION ALL
  CALL () {
    MATCH (s:Person)-[:APPLIED]->(a:Application)-[c:HAS_CONTACT]->(d:Identifier)
    OPTIONAL MATCH (a)-[:DECIDED_IN]->(m:Meeting)
    WITH s, d, c, a, min(m.held_on) AS held
    RETURN s, d, coalesce(held, date({year: a.year, month: 1, day: 1})) AS since, c.source_file AS f, c.source_row AS r
    UNION ALL
    MATCH (s:Person)-[c:HAS_CONTACT]->(d:Identifier)
    RETURN s, d, c.since AS since, c.source_file AS f, c.source_row AS r
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
  RETURN s, i, since, 'contact' AS via, f AS tie_file, r AS tie_row
}
WITH s AS e, i, since, via, tie_file, tie_row
MATCH (e)-[pl:IN_POOL]->(:Committee)
RETURN DISTINCT pl.expert_id AS expert_id, e.person_key AS expert_key, e.name AS expert_name,
       e.id_number AS expert_id_number, i.intermediary_id AS intermediary_id, i.kind AS intermediary_kind, since, via, tie_file, tie_row;
