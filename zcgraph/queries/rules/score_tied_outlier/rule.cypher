// Every scored act of a tied pair ($tied: "application_key|expert_id") or a tied expert ($tied_experts), with its
// z: its distance above the mean of the ≥2 other reviewers in pooled within-application standard deviations (of
// that meeting and stage). The ties come from the AVOID and BROKER rules' own facts on the same backend (spec.toml
// `uses`, rule.py `from_uses`); the shared assess tests every such act and keeps the significant outliers.
MATCH (x:Person)-[r:REVIEWED]->(a:Application)
WHERE r.stage IN ['审阅', '答辩'] AND r.score IS NOT NULL
WITH a, r.stage AS stage, r.meeting_id AS meeting_id, collect({e: x, r: r}) AS sc, sum(r.score) AS total,
     count(*) AS n, avg(r.score) AS mean
WITH a, stage, meeting_id, sc, total, n, reduce(ss = 0.0, y IN sc | ss + (y.r.score - mean) ^ 2) AS ssd
WITH meeting_id, stage, collect({a: a, sc: sc, total: total, n: n}) AS apps, sum(ssd) AS ss, sum(n - 1) AS dof
WHERE dof > 0 AND ss > 1e-9
WITH meeting_id, stage, apps, sqrt(ss / dof) AS sd
UNWIND apps AS ap
WITH meeting_id, stage, sd, ap
WHERE ap.n >= 3
UNWIND ap.sc AS y
WITH meeting_id, stage, sd, ap.a AS a, y.e AS e, y.r AS r, ap.n - 1 AS others,
     toFloat(ap.total - y.r.score) / (ap.n - 1) AS others_mean
WHERE (a.application_key + '|' + r.expert_id) IN $tied OR r.expert_id IN $tied_experts
MATCH (p:Person)-[:APPLIED]->(a)
OPTIONAL MATCH (m:Meeting {meeting_id: meeting_id})
RETURN a.application_key AS application_key, a.application_id AS application_id, a.year AS year,
       p.person_key AS applicant_key, p.name AS applicant_name, p.id_number AS applicant_id_number,
       e.person_key AS expert_key, r.expert_id AS expert_id, e.name AS expert_name, e.id_number AS expert_id_number,
       meeting_id, stage, r.score AS score, others, round(others_mean, 4) AS others_mean, round(sd, 4) AS sd,
       round((r.score - others_mean) / sd, 3) AS z, coalesce(r.reviewed_on, m.held_on) AS on,
       r.source_file AS act_file, r.source_row AS act_row;
