MATCH (m:Meeting {listed: true})
WITH m, EXISTS { MATCH (o:Meeting) WHERE o.notice_published_on IS NOT NULL } AS others
WHERE (m.notice_published_on IS NULL AND others)
   OR (m.notice_published_on IS NOT NULL AND m.held_on IS NOT NULL AND m.notice_published_on > m.held_on)
RETURN m.meeting_id AS meeting_id, m.committee_id AS committee_id, m.year AS year,
       m.notice_published_on AS notice_published_on, m.held_on AS held_on,
       m.source_file AS meeting_file, m.source_row AS meeting_row;
