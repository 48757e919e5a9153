"""Integration with a real Neo4j (the in-process 5.26 server; never a mocked driver)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ID_A, ID_B, write_csv

from zcgraph.graph.build import build_store
from zcgraph.graph.neo4j_writer import count_graph, write_store
from zcgraph.loaders.load import load_folder
from zcgraph.synth.generator import generate

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    d = tmp_path_factory.mktemp("neo4j-demo")
    generate(d, scale="demo", seed=3)
    return build_store(load_folder(d))


def test_counts_equal_the_embedded_store_and_a_second_load_changes_nothing(neo4j_driver, demo_store):
    first = write_store(demo_store, neo4j_driver)
    nodes, rels = count_graph(neo4j_driver)
    assert nodes == demo_store.node_counts()
    assert rels == demo_store.rel_counts()
    assert first.rows_per_second > 0
    write_store(demo_store, neo4j_driver)
    assert count_graph(neo4j_driver) == (nodes, rels)


def test_concurrent_writers_for_large_relationship_sets_give_the_same_graph(neo4j_driver, demo_store, monkeypatch):
    from zcgraph.graph import neo4j_writer

    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    monkeypatch.setattr(neo4j_writer, "PARALLEL_FROM", 100)  # the demo's review rows take the concurrent path
    monkeypatch.setattr(neo4j_writer, "WRITERS", 3)
    monkeypatch.setattr(neo4j_writer, "CHUNK", 777)  # and in slices, as a province's millions are
    seen: dict[str, list[tuple[int, int]]] = {}
    write_store(demo_store, neo4j_driver, progress=lambda name, done, total: seen.setdefault(name, []).append((done, total)))
    expected = (demo_store.node_counts(), demo_store.rel_counts())
    assert count_graph(neo4j_driver) == expected
    # the progress an investigator watches counts every writer's rows, only goes up, and ends at the total
    for name, count in {**expected[0], **expected[1]}.items():
        if count:
            done = [d for d, _ in seen[name]]
            assert done == sorted(done) and done[-1] == count == seen[name][-1][1], name
    # a slice's content ids are the whole set's: the MERGE below and a later year's load depend on it
    reviewed = demo_store.rels["REVIEWED"]
    rids = {r["rid"] for r in neo4j_driver.execute_query("MATCH ()-[r:REVIEWED]->() RETURN r._rid AS rid").records}
    assert rids == set(neo4j_writer.rel_ids("REVIEWED", reviewed))
    write_store(demo_store, neo4j_driver)  # the MERGE path, concurrently: still nothing new
    assert count_graph(neo4j_driver) == expected
    recs, _, _ = neo4j_driver.execute_query("MATCH ()-[r:REVIEWED]->() WHERE r.source_file IS NULL RETURN count(r) AS c")
    assert recs[0]["c"] == 0


def test_every_node_and_relationship_has_its_source_row(neo4j_driver, demo_store):
    write_store(demo_store, neo4j_driver)
    recs, _, _ = neo4j_driver.execute_query(
        "MATCH (p:Person)-[r:REVIEWED]->(a:Application) WHERE r.source_file IS NULL OR r.source_row IS NULL "
        "RETURN count(r) AS c")
    assert recs[0]["c"] == 0
    recs, _, _ = neo4j_driver.execute_query(
        "MATCH (a:Application) WHERE a.source_file IS NULL RETURN count(a) AS c")
    assert recs[0]["c"] == 0


def test_a_hostile_name_is_stored_verbatim_and_touches_nothing_else(neo4j_driver, tmp_path):
    hostile = "王'}) DETACH DELETE n //`\"; MATCH (x) SET x.pwned=1 RETURN `x"
    write_csv(tmp_path / "applications.csv", ["申报编号", "评审年度", "姓名", "身份证号", "评委会编号", "备注"],
              [["A1", "2024", hostile, ID_A, "PW01", hostile], ["A2", "2024", "李四", ID_B, "PW01", ""]])
    write_csv(tmp_path / "experts.csv", ["专家编号", "评委会编号", "姓名"], [["E1", "PW01", "赵六"]])
    write_csv(tmp_path / "reviews.csv", ["申报编号", "专家编号", "环节"], [["A1", "E1", "审阅"]])
    store = build_store(load_folder(tmp_path))
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    write_store(store, neo4j_driver)
    recs, _, _ = neo4j_driver.execute_query(
        "MATCH (p:Person {person_key: $k})-[:APPLIED]->(a:Application) RETURN p.name AS name, a.`备注` AS note",
        k="id:" + ID_A)
    # The note column is kept as written; the name is the normalised name (spaces inside Chinese names go).
    assert recs[0]["note"] == hostile
    assert recs[0]["name"] == hostile.replace(" ", "")
    recs, _, _ = neo4j_driver.execute_query("MATCH (x) WHERE x.pwned IS NOT NULL RETURN count(x) AS c")
    assert recs[0]["c"] == 0
    nodes, rels = count_graph(neo4j_driver)
    assert nodes == store.node_counts() and rels == store.rel_counts()


def test_loading_another_year_adds_to_what_is_there(neo4j_driver, tmp_path):
    base = tmp_path / "y2023"
    write_csv(base / "applications.csv", ["申报编号", "评审年度", "姓名", "身份证号", "评委会编号"],
              [["A1", "2023", "张三", ID_A, "PW01"]])
    write_csv(base / "experts.csv", ["专家编号", "评委会编号", "姓名", "身份证号"], [["E1", "PW01", "李四", ID_B]])
    write_csv(base / "reviews.csv", ["申报编号", "专家编号", "环节"], [["A1", "E1", "审阅"]])
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    write_store(build_store(load_folder(base)), neo4j_driver)
    write_csv(base / "applications-2024.csv", ["申报编号", "评审年度", "姓名", "身份证号", "评委会编号"],
              [["A7", "2024", "张三", ID_A, "PW01"]])
    write_csv(base / "reviews-2024.csv", ["申报编号", "专家编号", "环节"], [["A7", "E1", "审阅"]])
    write_store(build_store(load_folder(base)), neo4j_driver)
    nodes, rels = count_graph(neo4j_driver)
    assert nodes["Application"] == 2 and nodes["Person"] == 2 and rels["REVIEWED"] == 2
    recs, _, _ = neo4j_driver.execute_query(
        "MATCH (p:Person {person_key: $k})-[:APPLIED]->(a) RETURN collect(a.application_id) AS apps", k="id:" + ID_A)
    assert sorted(recs[0]["apps"]) == ["A1", "A7"]


def test_browser_queries_run_with_parameters_and_find_the_planted_ties(neo4j_driver, demo_store, tmp_path):
    """Every shipped Browser query runs on a real Neo4j with its parameters, and the tie query
    shows a planted kinship between an expert and an applicant he reviewed."""
    import json

    from zcgraph.graph.browser import ENTRY_POINTS, write_assets

    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    write_store(demo_store, neo4j_driver)
    files = write_assets(tmp_path / "assets")
    assert (tmp_path / "assets" / "zcgraph.grass").read_text(encoding="utf-8").count("node.") == 9
    from zcgraph.queries.catalog import load_catalog

    assert len([f for f in files if f.suffix == ".cypher"]) == len(ENTRY_POINTS) + len(load_catalog())
    assert (tmp_path / "assets" / "cypher" / "rules" / "AVOID-KIN.cypher").read_text(encoding="utf-8").count("MATCH") >= 2
    truth = json.loads((Path(demo_store.meta["data_dir"]) / "truth.json").read_text(encoding="utf-8"))
    kin = truth["leads"]["AVOID-KIN"][0]
    for stem, _family, _title, _what, params, cypher in ENTRY_POINTS:
        if "expert" in params:
            params = {**params, "expert": kin["expert"]}
        if "application" in params:
            params = {**params, "application": kin["application"]}
        recs, _, _ = neo4j_driver.execute_query(cypher, params)
        if stem == "01-avoid-ties":
            assert any(r["a"]["application_id"] == kin["application"] and r["kin"] is not None for r in recs)


def test_each_guide_slide_runs_as_browser_runs_it(neo4j_driver, demo_store, tmp_path):
    """The guide as an investigator clicks through it: each runnable block is one command; a :param block sets
    one parameter (its value evaluated by the server, as Browser does); the query block then runs with them.
    A slide that says to set parameters has them, and the numbers and dates are typed, not strings."""
    import html as h
    import re

    from zcgraph.graph.browser import ENTRY_POINTS, write_assets

    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    write_store(demo_store, neo4j_driver)
    write_assets(tmp_path / "assets")
    guide = (tmp_path / "assets" / "guide.html").read_text(encoding="utf-8")
    slides = re.findall(r"<slide.*?</slide>", guide, flags=re.S)[1:]  # the first is the title page
    assert len(slides) == len(ENTRY_POINTS)
    for slide, (stem, *_rest, params, _cypher) in zip(slides, ENTRY_POINTS):
        blocks = [h.unescape(b) for b in re.findall(r'<pre class="code runnable">(.*?)</pre>', slide, flags=re.S)]
        sets, queries = [b for b in blocks if b.startswith(":param")], [b for b in blocks if not b.startswith(":")]
        assert len(queries) == 1 and all("\n" not in b for b in sets), stem  # one command a block
        assert ("参数" in slide) == bool(params) == bool(sets), stem  # no "set the parameters" without any
        values = {}
        for line in sets:
            name, expr = re.fullmatch(r":param (\w+) => (.+)", line).groups()
            values[name] = neo4j_driver.execute_query(f"RETURN {expr} AS v").records[0]["v"]
        assert set(values) == set(params), stem
        if "min_years" in values:
            assert values["min_years"] == 2  # a number, as the query compares it
        if "on" in values:
            assert str(values["on"]) == "2024-11-10" and not isinstance(values["on"], str)
        recs = neo4j_driver.execute_query(queries[0], values).records
        if stem in ("02-pair-repeat", "05-committee-pool", "06-meeting", "08-complaints"):
            assert recs, f"{stem}: the guide's own example finds nothing on the demo"


def test_load_cli_writes_to_neo4j_and_refuses_without_credentials(neo4j_server, neo4j_driver, tmp_path):
    from typer.testing import CliRunner

    from zcgraph.cli.app import app

    d = tmp_path / "data"
    generate(d, scale="demo", seed=5)
    runner = CliRunner()
    r = runner.invoke(app, ["load", str(d), "-w", str(tmp_path / "ws"), "--neo4j", neo4j_server.uri],
                      env={"NEO4J_USER": "", "NEO4J_PASSWORD": ""})
    assert r.exit_code == 2 and "NEO4J_PASSWORD" in r.output
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    args = ["load", str(d), "-w", str(tmp_path / "ws"), "--neo4j", neo4j_server.uri]
    args += ["--neo4j-user", neo4j_server.auth[0], "--neo4j-password", neo4j_server.auth[1]] if neo4j_server.auth \
        else ["--neo4j-no-auth"]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    assert "行/秒" in r.output
    from zcgraph.graph.store import Store

    nodes, rels = count_graph(neo4j_driver)
    st = Store.open(tmp_path / "ws")
    assert nodes == st.node_counts() and rels == st.rel_counts()


def test_a_leads_browser_hand_off_shows_its_evidence_subgraph(neo4j_driver, demo_store):
    from zcgraph.queries.backends import EmbeddedBackend
    from zcgraph.queries.catalog import load_catalog, select
    from zcgraph.queries.runner import run_rules
    from zcgraph.reports.fields import BROWSER_QUERY, browser_cypher, browser_params

    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    write_store(demo_store, neo4j_driver)
    lead = run_rules(EmbeddedBackend(demo_store), select(load_catalog(), "AVOID-KIN"))["leads"][0]
    text = browser_cypher(lead)
    assert text.splitlines()[0].startswith(":param lead => ") and text.endswith(BROWSER_QUERY)
    assert lead["key"]["expert"] in text and re.search(r"\d{17}[\dXx]", text) is None  # no id number, even unmasked
    recs, _, _ = neo4j_driver.execute_query(BROWSER_QUERY, {"lead": browser_params(lead)})
    apps = {r["n"]["application_key"] for r in recs if "Application" in r["n"].labels}
    rels = {r["r"].type for r in recs if r["r"] is not None}
    assert lead["key"]["application"] in apps and {"REVIEWED", "APPLIED"} <= rels
    experts = {x for r in recs for node in (r["n"], r["m"]) if node is not None and "Person" in node.labels
               for x in node.get("expert_ids") or []}
    assert lead["key"]["expert"] in experts


def test_a_write_that_fails_in_the_background_stops_the_load_with_its_error(neo4j_driver, demo_store, monkeypatch):
    """Rows are written while the next slice is built; a failed write must not be lost behind that."""
    from zcgraph.graph import neo4j_writer

    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    real = neo4j_writer._write_rows

    def failing(driver, database, session, query, rows, progress, by):
        if "REVIEWED" in query:
            session.run("RETURN 1/0").consume()  # a real server error, raised in the writer thread
        return real(driver, database, session, query, rows, progress, by)

    monkeypatch.setattr(neo4j_writer, "_write_rows", failing)
    with pytest.raises(Exception, match="/ by zero"):
        write_store(demo_store, neo4j_driver)
