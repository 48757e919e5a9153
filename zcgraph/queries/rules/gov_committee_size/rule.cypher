MATCH (c:Committee)
WHERE c.member_count IS NOT NULL
WITH c, CASE c.formed_by WHEN '按系列' THEN $min_members_series ELSE $min_members_specialty END AS minimum
WITH c, minimum, c.member_count % 2 = 0 AS even, c.member_count < minimum AS small
WHERE even OR small
RETURN c.committee_id AS committee_id, c.member_count AS member_count, c.formed_by AS formed_by, minimum, even, small,
       c.source_file AS committee_file, c.source_row AS committee_row;
