MATCH (c:Committee)-[:ORGANIZED_BY]->(u:Unit)-[l:LINKED]-(i:Intermediary)
RETURN c.committee_id AS committee_id, u.unit_key AS unit, u.name AS unit_name, i.intermediary_id AS intermediary_id,
       i.kind AS intermediary_kind, l.link AS link, l.amount AS amount, l.on AS on, l.source_file AS link_file,
       l.source_row AS link_row;
