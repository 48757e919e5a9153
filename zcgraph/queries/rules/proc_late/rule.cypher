MATCH (m:Meeting)
WHERE m.year IS NOT NULL
WITH m, date({year: m.year + $annual_deadline_years, month: 12, day: 31}) AS deadline
WHERE (m.held_on IS NOT NULL AND m.held_on > deadline) OR (m.filed_on IS NOT NULL AND m.filed_on > deadline)
RETURN m.meeting_id AS meeting_id, m.committee_id AS committee_id, m.year AS year, m.held_on AS held_on,
       m.filed_on AS filed_on, deadline, m.source_file AS meeting_file, m.source_row AS meeting_row;
