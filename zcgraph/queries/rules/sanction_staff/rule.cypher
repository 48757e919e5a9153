MATCH (st:Person)-[h:HANDLED]->(a:Application)
MATCH (s:Sanction {kind: '禁止从事职称工作'})-[:AGAINST]->(st)
WITH st, h, a, s, coalesce(h.on, date({year: a.year, month: 1, day: 1})) AS win_start,
     coalesce(h.on, date({year: a.year, month: 12, day: 31})) AS win_end
WHERE (s.start IS NULL OR s.start <= win_start) AND (s.end IS NULL OR win_end <= s.end)
RETURN a.application_key AS application_key, a.application_id AS application_id, a.year AS year,
       h.staff_id AS staff_id, st.person_key AS staff_key, h.action AS action, h.on AS on, win_start, win_end,
       h.source_file AS act_file, h.source_row AS act_row, s.start AS sanction_start, s.end AS sanction_end,
       s.source_file AS sanction_file, s.source_row AS sanction_row;
