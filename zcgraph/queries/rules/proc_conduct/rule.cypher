MATCH (m:Meeting)
WHERE m.training_held = false OR m.closed_management = false
RETURN m.meeting_id AS meeting_id, m.committee_id AS committee_id, m.year AS year,
       coalesce(m.training_held = false, false) AS no_training,
       coalesce(m.closed_management = false, false) AS not_closed,
       m.source_file AS meeting_file, m.source_row AS meeting_row;
