// draws: one row per candidate of each direct-act draw (rules.md "Random-draw baselines").
// A draw is one stage (审阅/答辩) of one application in one meeting; its candidates are who sat in
// the meeting (else the committee's pool over the act's date or window), restricted to the
// application's specialty where both record one, without those who had to recuse (self, same unit,
// kin, academic ties, as of the act) unless they acted anyway. k acted; |C| = c.
MATCH (x:Person)-[r:REVIEWED]->(a:Application)
WHERE r.stage IN ['审阅', '答辩']
WITH a, r.stage AS stage, r.meeting_id AS meeting_id, x, r
ORDER BY r.source_file, r.source_row
WITH a, stage, meeting_id, x, min(r.reviewed_on) AS x_on, collect(r)[0] AS r1
WITH a, stage, meeting_id, min(x_on) AS first_on,
     collect({e: x, act: a.application_id + '@' + r1.source_file + '#' + toString(r1.source_row)}) AS actors
MATCH (p:Person)-[:APPLIED]->(a)
OPTIONAL MATCH (m:Meeting {meeting_id: meeting_id})
WITH a, p, stage, meeting_id, m, actors, coalesce(m.committee_id, a.committee_id) AS committee_id,
     coalesce(first_on, m.held_on) AS on
WITH a, p, stage, meeting_id, m, actors, committee_id,
     coalesce(on, date({year: a.year, month: 1, day: 1})) AS win_start,
     coalesce(on, date({year: a.year + 1, month: 6, day: 30})) AS win_end
// The candidates and what recusal needs of them (specialties in the pool, units on the date) are looked up
// once per meeting and window, not once per draw: a meeting has hundreds of draws over the same sitting.
WITH m, meeting_id, committee_id, win_start, win_end,
     collect({a: a, p: p, stage: stage, actors: actors}) AS group_draws
OPTIONAL CALL (m, committee_id, win_start, win_end) {
  MATCH (e:Person)-[:ATTENDED]->(m)
  RETURN DISTINCT e
  UNION
  WITH m, committee_id, win_start, win_end
  WHERE m IS NULL OR NOT EXISTS { MATCH (:Person)-[:ATTENDED]->(m) }
  MATCH (e:Person)-[ip:IN_POOL]->(:Committee {committee_id: committee_id})
  WHERE (ip.pool_from IS NULL OR ip.pool_from <= win_start) AND (ip.pool_to IS NULL OR win_end <= ip.pool_to)
  RETURN DISTINCT e
}
WITH meeting_id, committee_id, win_start, win_end, group_draws, collect(e) AS base
WITH meeting_id, committee_id, win_start, win_end, group_draws,
     [e IN base | {e: e,
        specs: [(e)-[ip:IN_POOL]->(:Committee {committee_id: committee_id}) WHERE ip.specialty IS NOT NULL | ip.specialty],
        units: [(e)-[we:WORKS_AT {effective: true}]->(ue:Unit)
                WHERE ue.rollup_key IS NOT NULL
                  AND (we.valid_from IS NULL OR we.valid_from <= win_start) AND (we.valid_to IS NULL OR win_end <= we.valid_to)
                | ue.rollup_key]}] AS info
UNWIND group_draws AS d
WITH d.a AS a, d.p AS p, d.stage AS stage, meeting_id, committee_id, win_start, win_end, d.actors AS actors, info
WITH a, p, stage, meeting_id, committee_id, win_start, win_end, actors, info,
     [(p)-[wp:WORKS_AT {effective: true}]->(up:Unit)
      WHERE up.rollup_key IS NOT NULL
        AND (wp.valid_from IS NULL OR wp.valid_from <= win_start) AND (wp.valid_to IS NULL OR win_end <= wp.valid_to)
      | up.rollup_key] AS p_units
WITH a, p, stage, meeting_id, committee_id, win_start, win_end, actors,
     [x IN info WHERE NOT x.e IN [y IN actors | y.e] AND x.e <> p
        AND (a.specialty IS NULL OR size(x.specs) = 0 OR a.specialty IN x.specs)
        AND none(u IN x.units WHERE u IN p_units)
        AND NOT EXISTS {
          MATCH (e)-[rel:RELATED]-(p)
          WHERE e = x.e
            AND ((rel.category = 'kin' AND (rel.start IS NULL OR rel.start <= win_start) AND (rel.end IS NULL OR win_end <= rel.end))
             OR rel.relation IN ['导师', '学生', '师生']
             OR (rel.relation = '合著' AND rel.start IS NOT NULL AND rel.start <= win_start
                 AND rel.start.year >= win_end.year - $coauthor_years)) } | x.e] AS others
WITH a, p, stage, meeting_id, committee_id, win_start, win_end, size(actors) AS k,
     actors + [e IN others | {e: e, act: null}] AS cands
WITH a, p, stage, meeting_id, committee_id, win_start, win_end, k, cands, size(cands) AS c
UNWIND cands AS cd
WITH a, p, stage, meeting_id, committee_id, win_start, win_end, k, c, cd.e AS e, cd.act AS act
