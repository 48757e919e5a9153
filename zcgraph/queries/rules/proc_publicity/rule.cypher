MATCH (m:Meeting {listed: true})
WITH m, EXISTS { MATCH (o:Meeting) WHERE o.publicity_start IS NOT NULL } AS others
WITH m, others, CASE WHEN m.publicity_start IS NULL OR m.publicity_end IS NULL THEN NULL ELSE
     size([i IN range(0, duration.inDays(m.publicity_start, m.publicity_end).days) WHERE
             ((m.publicity_start + duration({days: i})).dayOfWeek < 6 AND NOT (m.publicity_start + duration({days: i})) IN $holidays)
             OR (m.publicity_start + duration({days: i})) IN $makeup_workdays]) END AS workdays
WHERE ((m.publicity_start IS NULL OR m.publicity_end IS NULL) AND others) OR workdays < $publicity_workdays
RETURN m.meeting_id AS meeting_id, m.committee_id AS committee_id, m.year AS year,
       m.publicity_start AS publicity_start, m.publicity_end AS publicity_end, workdays,
       m.source_file AS meeting_file, m.source_row AS meeting_row;
