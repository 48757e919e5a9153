MATCH (s:Person)
// include: broker_ties
WITH collect({s: s, i: i, since: since, via: via, f: tie_file, r: tie_row}) AS all_ties
UNWIND all_ties AS et
WITH all_ties, et.s AS e, et.i AS i, et.since AS e_since, et.via AS e_via, et.f AS e_file, et.r AS e_row
MATCH (e)-[r:REVIEWED]->(a:Application)<-[:APPLIED]-(p:Person)
WHERE e <> p
OPTIONAL MATCH (m:Meeting {meeting_id: r.meeting_id})
WITH all_ties, e, i, e_since, e_via, e_file, e_row, r, a, p, m, coalesce(r.reviewed_on, m.held_on) AS on
OPTIONAL MATCH (a)-[:DECIDED_IN]->(dm:Meeting)
WITH all_ties, e, i, e_since, e_via, e_file, e_row, r, a, p, m, on,
     coalesce(min(dm.held_on), date({year: a.year, month: 1, day: 1})) AS app_on
WITH e, i, e_since, e_via, e_file, e_row, r, a, p, m, on, app_on,
     [x IN all_ties WHERE x.s = p AND x.i = i AND (x.since IS NULL OR x.since <= app_on)] AS app_ties
WHERE size(app_ties) > 0 AND (e_since IS NULL OR e_since <= coalesce(on, date({year: a.year, month: 1, day: 1})))
UNWIND app_ties AS at
RETURN a.application_key AS application_key, a.application_id AS application_id, a.year AS year,
       p.person_key AS applicant_key, p.name AS applicant_name, p.id_number AS applicant_id_number,
       r.expert_id AS expert_id, e.person_key AS expert_key, e.name AS expert_name, e.id_number AS expert_id_number,
       CASE r.stage WHEN '投票' THEN 'vote' ELSE 'direct' END AS act, r.stage AS stage, on, m.meeting_id AS meeting_id,
       r.source_file AS act_file, r.source_row AS act_row, i.intermediary_id AS intermediary_id,
       i.kind AS intermediary_kind, e_since, e_via, e_file, e_row, at.since AS a_since, at.via AS a_via,
       at.f AS a_file, at.r AS a_row;
