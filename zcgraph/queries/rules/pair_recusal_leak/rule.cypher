MATCH (e:Person)-[rc:RECUSED {initiated_by: '申报人申请'}]->(m:Meeting)
WHERE rc.application_key IS NOT NULL
MATCH (p:Person)-[:APPLIED]->(a:Application {application_key: rc.application_key})
WITH e, rc, m, p, a, coalesce(m.held_on, date({year: a.year, month: 1, day: 1})) AS ws,
     coalesce(m.held_on, date({year: a.year + 1, month: 6, day: 30})) AS we
WHERE e <> p AND NOT EXISTS { MATCH (e)-[:RELATED]-(p) }
  AND NOT EXISTS {
    MATCH (e)-[w1:WORKS_AT {effective: true}]->(u1:Unit), (p)-[w2:WORKS_AT {effective: true}]->(u2:Unit)
    WHERE u1.rollup_key = u2.rollup_key AND (w1.valid_from IS NULL OR w1.valid_from <= we) AND (w1.valid_to IS NULL OR ws <= w1.valid_to) AND (w2.valid_from IS NULL OR w2.valid_from <= we) AND (w2.valid_to IS NULL OR ws <= w2.valid_to) }
WITH e, rc, m, p, a,
     coalesce(rc.requested_on IS NOT NULL AND m.drawn_on IS NOT NULL AND rc.requested_on > m.drawn_on, false) AS late,
     rc.reason IS NULL AS no_reason
WHERE late OR no_reason
RETURN a.application_key AS application_key, a.application_id AS application_id, a.year AS year,
       p.person_key AS applicant_key, p.name AS applicant_name, p.id_number AS applicant_id_number,
       rc.expert_id AS expert_id, e.person_key AS expert_key, e.name AS expert_name, e.id_number AS expert_id_number,
       m.meeting_id AS meeting_id, rc.requested_on AS requested_on, m.drawn_on AS drawn_on, rc.reason AS reason,
       late, no_reason, rc.source_file AS recusal_file, rc.source_row AS recusal_row;
