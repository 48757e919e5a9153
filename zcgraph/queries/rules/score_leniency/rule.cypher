// Residual of every scored direct act (own score minus the co-reviewers' mean on that application and
// stage), summed per expert and applicant unit (rolled up, as of the act's date or undated window).
MATCH (x:Person)-[r:REVIEWED]->(a:Application)
WHERE r.stage IN ['审阅', '答辩'] AND r.score IS NOT NULL
WITH a, r.stage AS stage, collect({e: x, r: r}) AS sc, sum(r.score) AS total, count(*) AS n
WHERE n >= 2
UNWIND sc AS y
WITH a, y.e AS e, y.r AS r, round(y.r.score - toFloat(total - y.r.score) / (n - 1), 6) AS resid
MATCH (p:Person)-[:APPLIED]->(a)
OPTIONAL MATCH (m:Meeting {meeting_id: r.meeting_id})
WITH a, e, r, p, resid, coalesce(r.reviewed_on, m.held_on) AS on
WITH a, e, r, p, resid, coalesce(on, date({year: a.year, month: 1, day: 1})) AS win_start,
     coalesce(on, date({year: a.year + 1, month: 6, day: 30})) AS win_end
MATCH (p)-[w:WORKS_AT {effective: true}]->(u:Unit)
WHERE (w.valid_from IS NULL OR w.valid_from <= win_start) AND (w.valid_to IS NULL OR win_end <= w.valid_to)
WITH DISTINCT e, r, resid, u.rollup_key AS unit, a.application_id AS application_id
WITH e, unit, count(*) AS n, sum(resid) AS s1, sum(resid * resid) AS s2,
     collect(application_id + '@' + r.source_file + '#' + toString(r.source_row)) AS acts
MATCH (ru:Unit {unit_key: unit})
RETURN e.person_key AS expert_key, e.expert_ids[0] AS expert_id, e.name AS expert_name,
       e.id_number AS expert_id_number, unit, ru.name AS unit_name, n, s1, s2, acts;
