// not_recused: keeps rows whose expert e did not recuse from the meeting m (wholly, or for a). A CALL, not a
// WHERE NOT EXISTS: the planner would test a predicate on every act before the (rarer) tie; a subquery
// runs where it is written, after the tie has narrowed the rows.
CALL (e, m, a) {
  OPTIONAL MATCH (e)-[rc:RECUSED]->(m)
  WHERE rc.application_key IS NULL OR rc.application_key = a.application_key
  RETURN count(rc) AS recusals
}
WITH * WHERE recusals = 0
