MATCH (m:Meeting {listed: true})
WITH m, EXISTS { MATCH (o:Meeting) WHERE o.filed_on IS NOT NULL } AS others_filed
WHERE (m.filed_on IS NULL AND others_filed)
   OR (m.filed_on IS NOT NULL AND m.publicity_end IS NOT NULL
       AND m.filed_on > m.publicity_end + duration({days: $filing_days}))
RETURN m.meeting_id AS meeting_id, m.committee_id AS committee_id, m.year AS year, m.filed_on AS filed_on,
       m.publicity_end AS publicity_end,
       CASE WHEN m.filed_on IS NULL THEN NULL ELSE duration.inDays(m.publicity_end, m.filed_on).days END AS days,
       m.source_file AS meeting_file, m.source_row AS meeting_row;
