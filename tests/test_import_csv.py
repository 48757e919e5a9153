"""The neo4j-admin import road: the CSVs carry the graph the Bolt writer writes, and rules on an imported
database give the same leads as embedded."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import replace

import pandas as pd
import pytest
from conftest import wipe
from rule_fixtures import EXPECTED, build

from zcgraph.graph.build import build_store
from zcgraph.graph.import_csv import ImportCsvError, write_import_csv
from zcgraph.graph.local_neo4j import Neo4jUnavailable, admin_import
from zcgraph.graph.neo4j_writer import count_graph, write_store
from zcgraph.loaders.load import load_folder
from zcgraph.queries.backends import EmbeddedBackend, Neo4jBackend
from zcgraph.queries.catalog import load_catalog
from zcgraph.queries.runner import resolve_params, rule_leads


@pytest.fixture(scope="module")
def edge_store(tmp_path_factory):
    return build_store(load_folder(build(tmp_path_factory.mktemp("edge"))))


def _rows(path):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_csv_headers_are_typed_as_the_bolt_writer_stores_values(edge_store, tmp_path):
    files = write_import_csv(edge_store, tmp_path)
    person = _rows(files.nodes["Person"][0])
    header = person[0]
    assert header[0] == "person_key:ID(Person)"
    assert "birth_date:date" in header and "expert_ids:string[]" in header and "source_row:long" in header
    reviewed = _rows(next(f for f, _ in files.relationships["REVIEWED"]))
    assert reviewed[0][:3] == [":START_ID(Person)", ":END_ID(Application)", "_rid:string"]
    assert "score:double" in reviewed[0] and "reviewed_on:date" in reviewed[0]
    assert len(reviewed) - 1 == len(edge_store.rels["REVIEWED"].dropna(subset=["src", "dst"]))
    # the command takes every file, the database name before the many-valued options
    cmd = files.command("zc")
    assert cmd[:5] == ["neo4j-admin", "database", "import", "full", "zc"]
    assert sum(a.startswith("--relationships=") for a in cmd) == sum(len(v) for v in files.relationships.values())
    assert (tmp_path / "schema.cypher").read_text().count("CREATE CONSTRAINT") == 9


def test_awkward_text_survives_quoting_and_a_bad_column_is_named(edge_store, tmp_path):
    nodes = dict(edge_store.nodes)
    units = nodes["Unit"].copy()
    units.loc[units.index[0], "name"] = '云南"第一",医院\n住院部'
    nodes["Unit"] = units
    files = write_import_csv(replace(edge_store, nodes=nodes), tmp_path / "ok")
    rows = _rows(files.nodes["Unit"][0])
    col = rows[0].index("name:string")
    assert rows[1][col] == '云南"第一",医院\n住院部'

    people = nodes["Person"].copy()
    people["expert_ids"] = people["expert_ids"].astype(object)
    people.at[people.index[0], "expert_ids"] = ["E1;E2"]
    bad = replace(edge_store, nodes={**nodes, "Person": people})
    with pytest.raises(ImportCsvError, match=r"nodes-Person\.csv, column expert_ids.*array delimiter"):
        write_import_csv(bad, tmp_path / "bad")

    mixed = nodes["Meeting"].copy()
    mixed["expected_count"] = pd.Series([3, "三"] + [None] * (len(mixed) - 2), index=mixed.index, dtype=object)
    bad = replace(edge_store, nodes={**nodes, "Meeting": mixed})
    with pytest.raises(ImportCsvError, match=r"nodes-Meeting\.csv, column expected_count: mixed value types"):
        write_import_csv(bad, tmp_path / "mixed")


def _graph(driver):
    nodes = sorted((tuple(sorted(r["l"])), sorted(r["p"].items()))
                   for r in driver.execute_query("MATCH (n) RETURN labels(n) AS l, properties(n) AS p").records)
    rels = sorted((r["t"], r["s"], r["e"], sorted(r["p"].items())) for r in driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN type(r) AS t, elementId(a) IS NOT NULL AS s, elementId(b) IS NOT NULL AS e, "
        "properties(r) AS p").records)
    return nodes, rels


@pytest.mark.neo4j
def test_an_imported_database_is_the_bolt_loaded_graph_and_gives_the_same_leads(edge_store, neo4j_driver, tmp_path):
    from neo4j import GraphDatabase
    from neo4j_server import Server, _unavailable

    wipe(neo4j_driver)
    write_store(edge_store, neo4j_driver)
    files = write_import_csv(edge_store, tmp_path / "csv")
    try:
        admin_import(tmp_path / "home", tmp_path / "csv", files.command()[1:])
    except Neo4jUnavailable as e:
        _unavailable(str(e))
    server = Server(heap="1g", home=tmp_path / "home").start()
    try:
        with GraphDatabase.driver(server.uri, auth=server.auth) as drv:
            write_store(edge_store, drv)  # a later Bolt load MERGEs into the import and adds nothing
            assert count_graph(drv) == count_graph(neo4j_driver)
            assert _graph(drv) == _graph(neo4j_driver)  # every property, with its type (dates stay dates)
            props = drv.execute_query("MATCH ()-[r:REVIEWED]->() WHERE r.reviewed_on IS NOT NULL "
                                      "RETURN r.reviewed_on AS d LIMIT 1").records
            assert props and type(props[0]["d"]).__name__ == "Date"
            emb, neo = EmbeddedBackend(edge_store), Neo4jBackend(drv, edge_store.meta["present"])
            for rule in load_catalog():
                if rule.id not in EXPECTED:
                    continue
                params = resolve_params(rule, {}, edge_store.meta.get("latest_date"))
                a = sorted((x.model_dump() for x in rule_leads(emb, rule, params)), key=lambda x: x["lead_id"])
                b = sorted((x.model_dump() for x in rule_leads(neo, rule, params)), key=lambda x: x["lead_id"])
                assert a == b, rule.id
                assert a, f"{rule.id} raises nothing on the edge data, so the comparison proves nothing"
    finally:
        server.stop()


def test_a_datetime_column_is_written_as_a_local_datetime(edge_store, tmp_path):
    nodes = dict(edge_store.nodes)
    comp = nodes["Complaint"].copy()
    comp["received_at"] = pd.Timestamp("2024-03-01 09:30")
    bad = replace(edge_store, nodes={**nodes, "Complaint": comp})
    files = write_import_csv(bad, tmp_path)
    rows = _rows(files.nodes["Complaint"][0])
    col = rows[0].index("received_at:localdatetime")
    assert rows[1][col] == dt.datetime(2024, 3, 1, 9, 30).isoformat()
