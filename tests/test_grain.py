"""Findings at the grain of a decision (rules.md, Grain and volume): an expert who did not leave the room for one
unit's applications in one meeting is one lead, listing every application, not one lead per application."""

from __future__ import annotations

import json

import pytest

from conftest import write_csv
from rule_fixtures import valid_id

from zcgraph.graph.build import build_store
from zcgraph.loaders.load import load_folder
from zcgraph.queries.backends import EmbeddedBackend
from zcgraph.queries.catalog import load_catalog
from zcgraph.queries.runner import run_rules

UNIT_RULES = [r for r in load_catalog() if r.id in ("AVOID-UNIT", "AVOID-FORMER-UNIT")]
EXPERT = valid_id("53010219700101001")


def _world(d, votes_in_m1: int = 40):
    """E1 works at 医院甲 and votes in M1 on forty of its applications; in M2 on two more; one review without a
    meeting (2024, per evaluation year); and one of 医院乙, his unit until 2023 (former unit)."""
    apps, reviews = [], []
    for i in range(votes_in_m1 + 4):
        aid = f"A{i:02d}"
        unit = "医院乙" if i == votes_in_m1 + 3 else "医院甲"
        apps.append([aid, "2024", f"申报人{i}", valid_id(f"530102198{i % 10}0101{i % 90 + 10:02d}1"), unit, "C1", "通过"])
        meeting = "M1" if i < votes_in_m1 else "M2" if i < votes_in_m1 + 2 else ""
        reviews.append([aid, "E1", meeting, "投票" if meeting == "M1" else "审阅", "同意" if meeting == "M1" else ""])
    write_csv(d / "applications.csv", ["申报编号", "评审年度", "姓名", "身份证号", "工作单位", "评委会编号", "评审结果"], apps)
    write_csv(d / "experts.csv", ["专家编号", "评委会编号", "姓名", "身份证号", "工作单位"], [["E1", "C1", "专家甲", EXPERT, "医院甲"]])
    write_csv(d / "reviews.csv", ["申报编号", "专家编号", "会议编号", "环节", "表决"], reviews)
    write_csv(d / "meetings.csv", ["会议编号", "评委会编号", "评审年度", "会议日期"],
              [["M1", "C1", "2024", "2024-11-01"], ["M2", "C1", "2024", "2024-12-01"]])
    write_csv(d / "employment.csv", ["姓名", "身份证号", "工作单位", "开始日期", "结束日期"],
              [["专家甲", EXPERT, "医院乙", "2010-01-01", "2023-06-30"], ["专家甲", EXPERT, "医院甲", "2023-07-01", ""]])
    return d


def test_forty_votes_on_one_units_applications_in_one_meeting_are_one_lead(tmp_path):
    res = run_rules(EmbeddedBackend(build_store(load_folder(_world(tmp_path)))), UNIT_RULES)
    unit = {json.dumps(x["key"], sort_keys=True): x for x in res["leads"] if x["rule_id"] == "AVOID-UNIT"}
    assert sorted(unit) == sorted(json.dumps(k, sort_keys=True) for k in (
        {"expert": "E1", "unit": "name:医院甲", "meeting": "M1"},
        {"expert": "E1", "unit": "name:医院甲", "meeting": "M2"},
        {"expert": "E1", "unit": "name:医院甲", "meeting": "2024年度"}))  # no meeting recorded: its evaluation year
    m1 = unit[json.dumps({"expert": "E1", "meeting": "M1", "unit": "name:医院甲"}, sort_keys=True)]
    assert m1["related_ids"] == [f"A{i:02d}" for i in range(40)] and m1["application_id"] is None
    assert m1["meeting_id"] == "M1" and "40件医院甲人员申报" in m1["evidence"] and "等40件" in m1["evidence"]
    assert sum(1 for s in m1["path"] if s["rel"] and s["rel"]["type"] == "REVIEWED") == 40
    assert m1["severity"] == "中"  # votes only: one band below 高; strength by the count
    m2 = unit[json.dumps({"expert": "E1", "meeting": "M2", "unit": "name:医院甲"}, sort_keys=True)]
    assert m2["severity"] == "高" and m2["score"] > 80  # two applications, each with a direct act
    former = [x for x in res["leads"] if x["rule_id"] == "AVOID-FORMER-UNIT"]
    assert [x["key"] for x in former] == [{"expert": "E1", "unit": "name:医院乙", "meeting": "2024年度"}]


def test_the_grouped_lead_keeps_its_id_when_an_application_is_added(tmp_path):
    """The key is the decision (expert, unit, meeting): one more application changes the evidence, not the id."""
    a = run_rules(EmbeddedBackend(build_store(load_folder(_world(tmp_path / "a", 40)))), UNIT_RULES)
    b = run_rules(EmbeddedBackend(build_store(load_folder(_world(tmp_path / "b", 41)))), UNIT_RULES)
    fa = {x["lead_id"]: x["fingerprint"] for x in a["leads"] if x["meeting_id"] == "M1"}
    fb = {x["lead_id"]: x["fingerprint"] for x in b["leads"] if x["meeting_id"] == "M1"}
    assert fa.keys() == fb.keys() and fa != fb


def test_marks_on_the_old_per_application_leads_follow_them_into_the_grouped_lead(tmp_path):
    from zcgraph.queries.leads import lead_id
    from zcgraph.reports.dispositions import apply_dispositions, read_dispositions

    res = run_rules(EmbeddedBackend(build_store(load_folder(_world(tmp_path / "w")))), UNIT_RULES)
    old = tmp_path / "marks.csv"
    write_csv(old, ["线索编号", "规则编号", "申报编号", "专家编号", "核查状态", "原因"], [
        [lead_id("AVOID-UNIT", {"application": "A05", "expert": "E1"}), "AVOID-UNIT", "A05", "E1", "排除", "已请示"],
        [lead_id("AVOID-UNIT", {"application": "A07", "expert": "E1"}), "AVOID-UNIT", "A07", "E1", "已核实", ""],
        [lead_id("AVOID-UNIT", {"application": "A99", "expert": "E1"}), "AVOID-UNIT", "A99", "E1", "排除", "无此申报"]])
    out = apply_dispositions(res, read_dispositions(old))
    assert out["dispositions"]["carried_to_regrouped"] == 2 and out["dispositions"]["not_carried"] == 1
    m1 = next(x for x in out["leads"] if x["rule_id"] == "AVOID-UNIT" and x["meeting_id"] == "M1")
    assert m1["status"] == "已核实" and m1["changed"] is True  # the furthest status; raised, as it now holds more
    others = [x for x in out["leads"] if x["lead_id"] != m1["lead_id"]]
    assert all(x["status"] == "待核查" for x in others)


@pytest.mark.neo4j
def test_both_backends_group_alike(neo4j_driver, tmp_path):
    from test_robustness import _agree, _both

    store, emb, neo = _both(neo4j_driver, _world(tmp_path))
    _agree(store, emb, neo, "grain world")
    assert sum(1 for x in neo["leads"] if x["rule_id"] == "AVOID-UNIT") == 3


def _tied_acts(zs):
    return __import__("pandas").DataFrame([{"application_key": f"A{i}", "expert_id": "E1", "z": z, "score": 80,
                                            "act_file": "reviews.csv", "act_row": i + 2, "tie": "AVOID-UNIT"}
                                           for i, z in enumerate(zs)])


def test_an_outlier_beyond_two_sd_among_many_tied_acts_is_not_a_lead_unless_it_survives_the_correction():
    rule = next(r for r in load_catalog() if r.id == "SCORE-TIED-OUTLIER")
    params = rule.spec.parameters
    chance = [2.5] + [0.1 * (i % 7) for i in range(199)]  # p = 0.006, but one of 200 tied acts: q ≈ 1.2
    out = rule.module.assess(_tied_acts(chance), params)
    assert out.empty and out.attrs["tested"] == 200
    planted = [6.0] + chance  # p ≈ 1e-9: survives
    out = rule.module.assess(_tied_acts(planted), params)
    assert list(out["z"]) == [6.0] and out.attrs["tested"] == 201 and out["q"].iloc[0] < 0.05
