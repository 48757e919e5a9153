"""The notice's 随机抽查: a reproducible, stratified sample written as a checklist that comes back as dispositions."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from test_exports import run, runner  # the CLI as the export tests call it: exit 0, or the output shown

from zcgraph.cli.app import app
from zcgraph.reports.sample import SampleError, draw
from zcgraph.synth.generator import generate


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    d = tmp_path_factory.mktemp("sample")
    generate(d / "data", scale="demo", seed=2)
    run("find-conflicts", d / "data", "--out", d / "leads.json")
    return d, json.loads((d / "leads.json").read_text(encoding="utf-8"))


def _ids(path):
    ws = load_workbook(path)["抽查清单"]
    return [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]


def test_the_same_seed_draws_the_same_leads_and_every_stratum_gets_its_share(demo, tmp_path):
    d, result = demo
    run("sample", d / "data", "--seed", 7, "--size", 2, "--out", tmp_path / "a.xlsx")
    run("sample", d / "data", "--seed", 7, "--size", 2, "--out", tmp_path / "b.xlsx")
    run("sample", d / "data", "--seed", 8, "--size", 2, "--out", tmp_path / "c.xlsx")
    a = _ids(tmp_path / "a.xlsx")
    assert a == _ids(tmp_path / "b.xlsx") and a != _ids(tmp_path / "c.xlsx")
    strata = Counter((x["committee_id"] or "—", str(x["year"]) if x["year"] else "—") for x in result["leads"])
    assert len(a) == sum(min(2, n) for n in strata.values()) and len(set(a)) == len(a)
    assert set(a) <= {x["lead_id"] for x in result["leads"]}
    wb = load_workbook(tmp_path / "a.xlsx")
    info = {r[0]: r[1] for r in wb["抽样说明"].iter_rows(min_row=2, values_only=True)}
    assert info["随机种子"] == 7 and info["总体数"] == len(result["leads"]) and info["抽取数"] == len(a)
    assert sum(r[-2] for r in wb["分层"].iter_rows(min_row=2, values_only=True)) == len(result["leads"])


def test_a_filled_lead_checklist_comes_back_as_dispositions(demo, tmp_path):
    d, _ = demo
    run("sample", d / "data", "--seed", 3, "--size", 1, "--out", tmp_path / "s.xlsx")
    wb = load_workbook(tmp_path / "s.xlsx")
    ws = wb["抽查清单"]
    head = [c.value for c in ws[1]]
    dv = [v for v in ws.data_validations.dataValidation if v.type == "list"]
    assert dv and dv[0].formula1 == '"待核查,核查中,已核实,排除"'  # the same dropdown as the lead list
    first, second = ws.cell(2, 1).value, ws.cell(3, 1).value
    ws.cell(2, head.index("核查状态") + 1).value = "排除"
    ws.cell(2, head.index("原因") + 1).value = "抽查核实,无利害关系"
    ws.cell(3, head.index("核查状态") + 1).value = "已核实"
    wb.save(tmp_path / "filled.xlsx")
    out = run("find-conflicts", d / "data", "--out", tmp_path / "after.json", "--dispositions", tmp_path / "filled.xlsx")
    after = {x["lead_id"]: x for x in json.loads((tmp_path / "after.json").read_text(encoding="utf-8"))["leads"]}
    assert first not in after and "不再提示 1 条" in out
    assert after[second]["status"] == "已核实"


def test_an_application_checklist_is_masked_and_stratified(demo, tmp_path):
    d, _ = demo
    out = run("sample", d / "data", "--of", "applications", "--seed", 5, "--size", 3, "--out", tmp_path / "a.xlsx")
    wb = load_workbook(tmp_path / "a.xlsx")
    rows = list(wb["抽查清单"].iter_rows(min_row=2, values_only=True))
    strata = list(wb["分层"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == sum(r[-1] for r in strata) and all(r[-1] == min(3, r[-2]) for r in strata)
    assert Counter((r[1], str(r[2])) for r in rows) == {(r[0], r[1]): r[-1] for r in strata if r[-1]}
    text = " ".join(str(c) for r in rows for c in r if c)
    import re

    assert not re.search(r"(?<!\d)53\d{15}[\dX](?!\d)", text) and "**" in text  # names and ids masked
    assert f"抽取 {len(rows)} 个" in out


def test_a_bad_request_is_refused_with_the_reason(demo, tmp_path):
    d, _ = demo
    r = runner.invoke(app, ["sample", str(d / "data"), "--seed", "1", "--of", "experts", "--out", str(tmp_path / "x.xlsx")])
    assert r.exit_code == 2 and "leads 或 applications" in r.output
    r = runner.invoke(app, ["sample", str(d / "data"), "--seed", "1", "--out", str(tmp_path / "x.csv")])
    assert r.exit_code == 2 and ".xlsx" in r.output
    with pytest.raises(SampleError):
        draw([], "id", 0, 1)


items_st = st.lists(st.tuples(st.sampled_from("ABC"), st.integers(2022, 2024)), min_size=1, max_size=60)


@given(items_st, items_st, st.integers(1, 4), st.integers(0, 10**6))
def test_a_strata_draw_does_not_move_when_another_stratum_changes(base, extra, size, seed):
    items = [{"id": f"x{i}", "committee_id": c, "year": y} for i, (c, y) in enumerate(base)]
    more = items + [{"id": f"y{i}", "committee_id": "Z", "year": y} for i, (_, y) in enumerate(extra)]
    a, _ = draw(items, "id", size, seed)
    b, _ = draw(more, "id", size, seed)
    assert [x["id"] for x in a] == [x["id"] for x in b if x["committee_id"] != "Z"]
    per = Counter((x["committee_id"], x["year"]) for x in a)
    pop = Counter((x["committee_id"], x["year"]) for x in items)
    assert all(per[k] == min(size, n) for k, n in pop.items())
