"""``zcgraph bench``: every figure issue 6 asks for lands in the JSON and the table (the figures themselves
are machine-dependent and never asserted as times)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from zcgraph.bench import run_provinces
from zcgraph.cli.app import app
from zcgraph.reports.export import FORMATS

runner = CliRunner()


def test_demo_bench_writes_every_figure_and_judges_the_targets(tmp_path):
    out = tmp_path / "bench.json"
    r = runner.invoke(app, ["bench", "--scale", "demo", "--double", "--out", str(out)])
    assert r.exit_code == 0, r.output
    res = json.loads(out.read_text(encoding="utf-8"))
    x1 = res["x1"]
    assert x1["floor"]["rows"] > 0 and x1["load"]["rows"] > 0
    fams = x1["rules_networkx"]["families"]
    assert {"AVOID", "BROKER", "GOV", "PAIR", "PROC", "SANCTION", "SCORE", "SUPERVISE"} <= set(fams)
    assert "_failed" not in fams and x1["rules_networkx"]["leads"] > 0
    assert set(x1["exports"]) == {f.lstrip(".") for f in FORMATS}
    assert x1["find_conflicts"]["ratio_to_floor"] > 1
    assert res["doubling"]["rows_ratio"] > 1.5
    judged = {t["target"]: t["met"] for t in res["targets"]}
    assert judged["find-conflicts ≤ 2× floor"] is not None and judged["Neo4j load ≥ 50k rows/s"] is None
    assert "find-conflicts 端到端" in r.output and "find-conflicts ≤ 2× floor" in r.output
    c = x1["connect"]  # issue 15's figure: the tie graph and a sample of timed queries
    assert c["records"] > c["pairs"] > 0 and c["queries"] == 40 and c["connected"] > 0
    assert judged["connect query < 1 s (slowest of the sample, embedded)"] is not None and "connect 查询×40" in r.output


def test_provinces_run_one_process_each_and_report_the_growth(tmp_path):
    ballast = bytearray(1200 * 2**20)  # a parent larger than any demo run: its peak must not be reported as theirs
    ballast[::4096] = b"x" * len(ballast[::4096])
    res = run_provinces("demo", 5, 2, tmp_path)
    del ballast
    a, b = res["runs"]
    assert (a["seed"], b["seed"]) == (5, 6)
    assert a["leads"] > 0 and b["leads"] > 0  # each province's own find-conflicts found its planted cases
    assert 20 < a["peak_rss_mb"] < 1000 and 20 < b["peak_rss_mb"] < 1000  # each child's own peak
    growth = {g["provinces"]: g for g in res["growth"]}
    assert set(growth) == {1, 2}
    assert growth[2]["rows"] == a["rows"] + b["rows"]
    assert growth[2]["time_ratio"] > 1
    assert not list(tmp_path.glob("seed*/"))  # each province's files are gone once measured


def test_provinces_needs_two_and_synthesised_data(tmp_path):
    r = runner.invoke(app, ["bench", "--provinces", "1", "--out", str(tmp_path / "b.json")])
    assert r.exit_code == 2 and "--provinces" in r.output
    r = runner.invoke(app, ["bench", "--provinces", "2", "--data", str(tmp_path), "--out", str(tmp_path / "b.json")])
    assert r.exit_code == 2 and "--data" in r.output


def test_families_share_facts_as_one_find_conflicts_run_does(tmp_path):
    """The bench times families one after another; SCORE uses AVOID/BROKER facts, which must not be computed
    twice (it would count them in SCORE too and overstate find-conflicts' time)."""
    from zcgraph.bench import _families, _rules
    from zcgraph.graph.build import build_store
    from zcgraph.loaders.load import load_folder
    from zcgraph.queries.backends import EmbeddedBackend
    from zcgraph.queries.catalog import load_catalog
    from zcgraph.queries.runner import run_rules
    from zcgraph.synth.generator import generate

    generate(tmp_path, scale="demo", seed=2)
    store = build_store(load_folder(tmp_path))
    calls: list[str] = []

    class Counting(EmbeddedBackend):
        def facts(self, rule, params):
            calls.append(rule.id)
            return super().facts(rule, params)

    catalog = load_catalog()
    fams = list(_families(catalog))
    assert fams.index("SCORE") > max(fams.index("AVOID"), fams.index("BROKER"))
    times, result = _rules(Counting(store), catalog, "")
    assert sorted(calls) == sorted(r.id for r in catalog)  # each rule's facts once
    whole = run_rules(EmbeddedBackend(store), catalog)
    assert {x["lead_id"] for x in result["leads"]} == {x["lead_id"] for x in whole["leads"]}
    assert any(x["rule_id"] == "SCORE-TIED-OUTLIER" for x in whole["leads"])
