"""Cases (案件, leads.md): every lead in the case of each party in its key, a stable case id, a case score that
rewards findings from different rules, a summary sentence; JSON, Excel and `zcgraph explain` carry them."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from zcgraph.cli.app import app
from zcgraph.graph.build import build_store
from zcgraph.loaders.load import load_folder
from zcgraph.queries.backends import EmbeddedBackend
from zcgraph.queries.cases import build_cases, case_score
from zcgraph.queries.catalog import load_catalog
from zcgraph.queries.runner import run_rules

CATALOG = load_catalog()


@pytest.fixture(scope="module")
def stats_world(tmp_path_factory):
    from rule_fixtures import build_stats

    store = build_store(load_folder(build_stats(tmp_path_factory.mktemp("stats"))))
    return store, run_rules(EmbeddedBackend(store), CATALOG)


def test_every_lead_sits_in_the_case_of_each_party_in_its_key(stats_world):
    _, res = stats_world
    by_case = {c["case_id"]: c for c in res["cases"]}
    for lead in res["leads"]:
        assert lead["cases"], lead["rule_id"]
        for cid in lead["cases"]:
            assert lead["lead_id"] in by_case[cid]["leads"]
    assert sum(len(c["leads"]) for c in res["cases"]) == sum(len(x["cases"]) for x in res["leads"])
    kin = next(x for x in res["leads"] if x["rule_id"] == "AVOID-KIN")
    kinds = sorted(by_case[c]["roles"][0] for c in kin["cases"])
    assert kinds == ["专家", "申报人"]  # (application, expert): the applicant and the expert


def test_one_expert_with_three_kinds_of_finding_outranks_one_with_three_of_one_kind():
    def lead(i, rule, family, score):
        return {"lead_id": f"L{i}", "rule_id": rule, "rule_name": rule, "family": family, "severity": "高", "score": score}

    leads = [lead(1, "AVOID-KIN", "回避", 80), lead(2, "BROKER-EXPERT", "中介关联", 75),
             lead(3, "SCORE-TIED-OUTLIER", "评分异常", 72),
             lead(4, "AVOID-UNIT", "回避", 85), lead(5, "AVOID-UNIT", "回避", 85), lead(6, "AVOID-UNIT", "回避", 85)]
    x = {"kind": "person", "key": "tok-x", "label": "王*", "role": "专家"}
    y = {"kind": "person", "key": "tok-y", "label": "李*", "role": "专家"}
    cases = build_cases(leads, {"L1": [x], "L2": [x], "L3": [x], "L4": [y], "L5": [y], "L6": [y]})
    assert [c["party"] for c in cases] == ["王*", "李*"]
    assert cases[0]["score"] == case_score([80, 75, 72], 3) == 100 and cases[1]["score"] == 85
    assert "来自3条规则" in cases[0]["summary"] and set(cases[0]["families"]) == {"回避", "中介关联", "评分异常"}


def test_case_ids_are_stable_and_explain_prints_a_case(tmp_path):
    from zcgraph.synth.generator import generate

    generate(tmp_path / "d", scale="demo", seed=1)
    runner = CliRunner()
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    for out in (a, b):
        r = runner.invoke(app, ["find-conflicts", str(tmp_path / "d"), "--out", str(out)])
        assert r.exit_code == 0, r.output
    ca, cb = (json.loads(p.read_text(encoding="utf-8"))["cases"] for p in (a, b))
    assert [c["case_id"] for c in ca] == [c["case_id"] for c in cb] and ca
    top = ca[0]
    r = runner.invoke(app, ["explain", top["case_id"], "--leads", str(a)])
    assert r.exit_code == 0 and top["summary"] in r.output.replace("\n", "")
    assert all(i in r.output for i in top["leads"])
    assert "*" in top["party"] or top["kind"] != "person"  # masked like any person


@pytest.mark.neo4j
def test_both_backends_give_the_same_cases(neo4j_driver, stats_world):
    from conftest import wipe

    from zcgraph.graph.neo4j_writer import write_store
    from zcgraph.queries.backends import Neo4jBackend

    store, emb = stats_world
    wipe(neo4j_driver)
    write_store(store, neo4j_driver)
    neo = run_rules(Neo4jBackend(neo4j_driver, store.meta["present"], latest_date=store.meta.get("latest_date")),
                    CATALOG)
    strip = [{k: v for k, v in c.items()} for c in emb["cases"]]
    assert [c["case_id"] for c in neo["cases"]] == [c["case_id"] for c in strip]
    assert neo["cases"] == strip
    # and every lead is placed alike: the committee, meeting, year and date each backend's lookup gave
    placed = lambda res: [(x["lead_id"], x["committee_id"], x["meeting_id"], x["year"], x["date"],  # noqa: E731
                           [s["node"].get("caption") for s in x["path"]]) for x in res["leads"]]
    assert placed(neo) == placed(emb)
    assert any(x["date"] for x in emb["leads"]) and any(x["committee_id"] for x in emb["leads"])
    assert any(s["node"].get("caption") for x in emb["leads"] for s in x["path"])  # units by name
