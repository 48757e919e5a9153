"""The rule catalog on the embedded backend: hand-made cases, near misses, the catalog's self-check, the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rule_fixtures import EXPECTED, EXPECTED_STATS, P, build, build_stats
from typer.testing import CliRunner

from zcgraph.cli.app import app
from zcgraph.graph.build import build_store
from zcgraph.loaders.load import load_folder
from zcgraph.queries.backends import EmbeddedBackend
from zcgraph.queries.catalog import RULES_DIR, CatalogError, load_catalog
from zcgraph.queries.leads import person_token
from zcgraph.queries.runner import run_rules

CATALOG = load_catalog()


@pytest.fixture(scope="module")
def edge(tmp_path_factory):
    d = build(tmp_path_factory.mktemp("edge"))
    return build_store(load_folder(d))


@pytest.fixture(scope="module")
def edge_result(edge):
    return run_rules(EmbeddedBackend(edge), CATALOG)


def _keys(result, rule_id):
    return sorted((lead["key"] for lead in result["leads"] if lead["rule_id"] == rule_id), key=lambda k: json.dumps(k, sort_keys=True))


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_hand_made_cases_raise_exactly_the_expected_leads(edge_result, rule_id):
    expected = sorted(EXPECTED[rule_id], key=lambda k: json.dumps(k, sort_keys=True))
    assert _keys(edge_result, rule_id) == expected


def test_every_rule_in_the_catalog_has_hand_made_cases():
    assert {r.id for r in CATALOG} == set(EXPECTED) | set(EXPECTED_STATS)
    assert not set(EXPECTED) & set(EXPECTED_STATS)


def _lead(result, rule_id, **key):
    return next(lead for lead in result["leads"] if lead["rule_id"] == rule_id and lead["key"] == key)


def test_a_relative_who_never_acted_is_not_a_lead(edge_result):
    assert {"application": "K2", "expert": "E2"} not in _keys(edge_result, "AVOID-KIN")


def test_declared_tie_is_recused_acted_alone_and_lists_the_tie(edge_result):
    assert {"application": "K3", "expert": "E1"} not in _keys(edge_result, "AVOID-KIN")
    lead = _lead(edge_result, "AVOID-RECUSED-ACTED", application="K3", expert="E1")
    assert "配偶" in lead["evidence"] and "专家申请" in lead["evidence"]


def test_self_review_is_only_avoid_self(edge_result):
    others = [lead for lead in edge_result["leads"] if lead["key"].get("application") == "K7" and lead["rule_id"].startswith("AVOID")]
    assert [lead["rule_id"] for lead in others] == ["AVOID-SELF"]


def test_coauthorship_outside_the_window_and_classmates_are_not_leads(edge_result):
    assert {"application": "K9", "expert": "E1"} not in _keys(edge_result, "AVOID-ACADEMIC")
    assert {"application": "K9", "expert": "E1"} not in _keys(edge_result, "AVOID-OTHER")


def test_classmates_count_when_the_parameter_says_so(edge):
    res = run_rules(EmbeddedBackend(edge), [r for r in CATALOG if r.id == "AVOID-OTHER"], {"count_classmates": True})
    assert _keys(res, "AVOID-OTHER") == [{"application": "K5", "expert": "E2"}, {"application": "K9", "expert": "E1"}]
    assert res["parameters"]["AVOID-OTHER"]["count_classmates"] is True


def test_a_relation_that_began_after_the_act_is_not_a_lead(edge_result):
    assert all(lead["key"].get("expert") != "E4" for lead in edge_result["leads"] if lead["rule_id"].startswith("AVOID"))


def test_attendance_acts_in_a_secret_ballot_and_their_severity(edge_result):
    kin = _lead(edge_result, "AVOID-KIN", application="K8", expert="E6")
    assert kin["severity"] == "高"  # kinship: every act at full severity
    academic = _lead(edge_result, "AVOID-ACADEMIC", application="K8", expert="E5")
    assert academic["severity"] == "低"  # 中, two bands lower for an attendance-only lead
    direct = _lead(edge_result, "AVOID-ACADEMIC", application="K4", expert="E2")
    assert direct["severity"] == "中"


def test_exactly_two_thirds_present_and_subject_groups_are_not_quorum_leads(edge_result):
    assert {"meeting": "M1"} not in _keys(edge_result, "PROC-QUORUM")
    assert {"meeting": "M3"} not in _keys(edge_result, "PROC-QUORUM")


def test_leads_carry_what_leads_md_asks_for_and_are_masked(edge_result):
    lead = _lead(edge_result, "AVOID-KIN", application="K1", expert="E1")
    for field in ("lead_id", "rule_id", "rule_name", "family", "severity", "score", "year", "application_id", "applicant",
                  "expert_id", "expert", "evidence", "path", "basis", "status", "related_ids"):
        assert field in lead
    assert lead["family"] == "回避" and lead["status"] == "待核查" and 70 <= lead["score"] <= 100
    assert "回避规定" in lead["basis"]
    text = json.dumps(edge_result, ensure_ascii=False)
    assert P["A1"] not in text and "甲一" not in text
    steps = lead["path"]
    assert all(s["rel"]["props"].get("source_file") for s in steps if s["rel"] and s["rel"]["type"] != "APPLIED")


def test_lead_ids_are_stable_and_ranked(edge, edge_result):
    again = run_rules(EmbeddedBackend(edge), CATALOG)
    assert [lead["lead_id"] for lead in again["leads"]] == [lead["lead_id"] for lead in edge_result["leads"]]
    scores = [(-lead["score"], lead["lead_id"]) for lead in edge_result["leads"]]
    assert scores == sorted(scores)


def test_rules_whose_table_is_missing_are_skipped_with_the_reason(minimal):
    res = run_rules(EmbeddedBackend(build_store(load_folder(minimal))), CATALOG)
    skipped = {s["rule_id"]: s["reason"] for s in res["rules_skipped"]}
    assert "relations" in skipped["AVOID-KIN"] and "sanctions" in skipped["SANCTION-APPLICANT"]
    assert "AVOID-SELF" in res["rules_run"]


def _copy_rule(tmp_path: Path, name: str) -> Path:
    root = tmp_path / "rules"
    shutil.copytree(RULES_DIR / name, root / name)
    return root


def test_catalog_refuses_a_cypher_parameter_the_spec_lacks(tmp_path):
    root = _copy_rule(tmp_path, "proc_quorum")
    cy = root / "proc_quorum" / "rule.cypher"
    cy.write_text(cy.read_text(encoding="utf-8").replace("3 * present", "$factor * present"), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"PROC-QUORUM.*factor"):
        load_catalog(root)


def test_catalog_refuses_a_label_the_graph_model_does_not_know(tmp_path):
    root = _copy_rule(tmp_path, "proc_quorum")
    cy = root / "proc_quorum" / "rule.cypher"
    cy.write_text(cy.read_text(encoding="utf-8").replace("(c:Committee)", "(c:Commitee)"), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"PROC-QUORUM.*Commitee"):
        load_catalog(root)


def test_catalog_refuses_a_rule_without_its_python(tmp_path):
    root = _copy_rule(tmp_path, "proc_quorum")
    (root / "proc_quorum" / "rule.py").unlink()
    with pytest.raises(CatalogError, match=r"proc_quorum.*rule.py"):
        load_catalog(root)


def test_find_conflicts_cli_json_filters_and_reveal(tmp_path, edge):
    d = build(tmp_path / "data")
    runner = CliRunner()
    out = tmp_path / "leads.json"
    r = runner.invoke(app, ["find-conflicts", str(d), "--out", str(out), "--rules", "AVOID,GOV-SCOPE"])
    assert r.exit_code == 0, r.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {lead["rule_id"] for lead in data["leads"]} == {r.id for r in CATALOG if r.id.startswith("AVOID-")} | {
        "GOV-SCOPE"}
    assert data["backend"] == "networkx" and data["data_fingerprint"] and "AVOID-ACADEMIC" in data["parameters"]
    assert P["A1"] not in out.read_text(encoding="utf-8")
    r = runner.invoke(app, ["find-conflicts", str(d), "--out", str(out), "--rules", "AVOID-KIN", "--reveal"])
    assert P["A1"] in out.read_text(encoding="utf-8")
    r = runner.invoke(app, ["find-conflicts", str(d), "--out", str(out), "--year", "2023"])
    assert r.exit_code == 0
    assert all(lead["year"] is None for lead in json.loads(out.read_text(encoding="utf-8"))["leads"])  # only undated ones
    r = runner.invoke(app, ["find-conflicts", str(d), "--out", str(out), "--rules", "NOPE"])
    assert r.exit_code == 2 and "NOPE" in r.output
    assert runner.invoke(app, ["find-conflicts", str(d), "--out", str(out)]).exit_code == 0
    lead = json.loads(out.read_text(encoding="utf-8"))["leads"][0]
    r = runner.invoke(app, ["explain", lead["lead_id"], "--leads", str(out)])
    assert r.exit_code == 0 and lead["rule_id"] in r.output and "来源" in r.output
    r = runner.invoke(app, ["rules"])
    assert r.exit_code == 0 and "AVOID-KIN" in r.output and "近亲属未回避" in r.output


def test_synth_truth_is_found_exactly_for_every_implemented_exact_rule(tmp_path):
    from zcgraph.synth.generator import generate

    truth = generate(tmp_path / "s", scale="demo", seed=2)
    store = build_store(load_folder(tmp_path / "s"))
    res = run_rules(EmbeddedBackend(store), CATALOG, reveal=True)  # truth.json holds the real values
    app_id = dict(zip(store.nodes["Application"]["application_key"], store.nodes["Application"]["application_id"]))
    unit = dict(zip(store.nodes["Unit"]["unit_key"], store.nodes["Unit"]["name"]))
    shown = {"application": app_id, "unit": unit}  # truth.json names applications and units by id and name
    for rule in CATALOG:
        got = sorted(json.dumps({k: shown.get(k, {}).get(v, v) for k, v in lead["key"].items()},
                                sort_keys=True) for lead in res["leads"] if lead["rule_id"] == rule.id)
        want = sorted(json.dumps({k: person_token(v) if k == "applicant" else v for k, v in key.items()},
                                 sort_keys=True) for key in truth["leads"].get(rule.id, []))
        if rule.id in truth["inexact_rules"]:
            assert set(want) <= set(got), rule.id
        else:
            assert got == want, rule.id


def test_pass_threshold_severity_depends_on_the_direction(edge_result):
    assert _lead(edge_result, "PROC-PASS-THRESHOLD", application="K4")["severity"] == "高"  # passed without 2/3
    assert _lead(edge_result, "PROC-PASS-THRESHOLD", application="K3")["severity"] == "低"  # failed with 2/3
    assert {"application": "K1"} not in _keys(edge_result, "PROC-PASS-THRESHOLD")  # 10 of 14 is enough


def test_more_checks_in_a_day_than_the_limit(edge):
    rule = [r for r in CATALOG if r.id == "PROC-PERFUNCTORY"]
    assert {"staff": "S1", "date": "2024-07-01"} not in _keys(run_rules(EmbeddedBackend(edge), rule), "PROC-PERFUNCTORY")
    res = run_rules(EmbeddedBackend(edge), rule, {"review_per_day": 1})
    assert {"staff": "S1", "date": "2024-07-01"} in _keys(res, "PROC-PERFUNCTORY")


def test_secret_ballot_attendance_is_a_trace_and_undecided_applications_have_no_meeting(edge_result):
    assert {"application": "K6"} not in _keys(edge_result, "PAIR-FEW-REVIEWERS")  # no result: never decided
    assert _lead(edge_result, "PROC-UNTRACED-PASS", application="K11")["meeting_id"] == "M1"


def test_an_unanswered_complaint_is_late_only_once_its_deadline_has_passed(edge):
    rule = [r for r in CATALOG if r.id == "SUPERVISE-COMPLAINT-LATE"]
    early = run_rules(EmbeddedBackend(edge), rule, as_of="2024-03-01")  # T1's deadline is 2024-03-05
    assert {"complaint": "T1"} not in _keys(early, "SUPERVISE-COMPLAINT-LATE") and early["as_of"] == "2024-03-01"
    assert {"complaint": "T1"} in _keys(run_rules(EmbeddedBackend(edge), rule), "SUPERVISE-COMPLAINT-LATE")


def test_a_licensed_agency_is_context_one_band_lower(edge_result):
    assert _lead(edge_result, "BROKER-APPLICANT", application="K2", intermediary="Z2")["severity"] == "低"
    assert _lead(edge_result, "BROKER-APPLICANT", application="K5", intermediary="Z1")["severity"] == "中"


def test_an_expert_tied_only_after_the_act_makes_no_triangle(edge_result):
    assert {"application": "K9", "expert": "E1", "intermediary": "Z1"} not in _keys(edge_result, "BROKER-TRIANGLE")


def test_broker_leads_say_how_the_tie_was_seen(edge_result):
    assert "关联线索" in _lead(edge_result, "BROKER-EXPERT", expert="E2", intermediary="Z1")["evidence"]
    assert "关联线索" in _lead(edge_result, "BROKER-STAFF", staff="S2", intermediary="Z1")["evidence"]
    assert "代理申报" in _lead(edge_result, "BROKER-APPLICANT", application="K5", intermediary="Z1")["evidence"]
    assert "共用联系方式" in _lead(edge_result, "BROKER-APPLICANT", application="K2", intermediary="Z2")["evidence"]


def test_a_shared_contact_is_masked_unless_revealed(edge, edge_result):
    lead = _lead(edge_result, "BROKER-CLUSTER", identifier="137****0007")
    assert lead["identifier"] == "137****0007" and "13700000007" not in json.dumps(edge_result)
    assert lead["stats"]["applicants"] == 3 and lead["stats"]["units"] == 3
    revealed = run_rules(EmbeddedBackend(edge), [r for r in CATALOG if r.id == "BROKER-CLUSTER"], reveal=True)
    assert revealed["leads"][0]["identifier"] == "13700000007"
    assert revealed["leads"][0]["lead_id"] == lead["lead_id"]  # the same finding, the same id


def test_latent_ties_direct_and_through_one_person_but_not_through_a_crowd(edge_result):
    direct = _lead(edge_result, "AVOID-LATENT", application="K1", expert="E3")
    hop = _lead(edge_result, "AVOID-LATENT", application="K10", expert="E2")
    assert "同一手机号" in direct["evidence"] and "第三人" in hop["evidence"] and direct["score"] > hop["score"]
    assert {"application": "K2", "expert": "E1"} not in _keys(edge_result, "AVOID-LATENT")  # seven holders
    assert "13600000003" not in json.dumps(direct, ensure_ascii=False)


def test_reciprocal_reviewing_only_within_its_window(edge):
    rule = [r for r in CATALOG if r.id == "PAIR-RECIPROCAL"]
    assert _keys(run_rules(EmbeddedBackend(edge), rule), "PAIR-RECIPROCAL") == [{"expert_a": "E1", "expert_b": "E2"}]
    assert _keys(run_rules(EmbeddedBackend(edge), rule, {"reciprocal_years": 0}), "PAIR-RECIPROCAL") == []


# ---------------------------------------------------------------------------------------------- statistics
@pytest.fixture(scope="module")
def stats_store(tmp_path_factory):
    return build_store(load_folder(build_stats(tmp_path_factory.mktemp("stats"))))


def _stat_keys(store, result, rule_id):
    """Lead keys as the fixture writes them: units by name, a person token back to the applicant's label."""
    units = dict(zip(store.nodes["Unit"]["unit_key"], store.nodes["Unit"]["name"]))
    p = store.nodes["Person"]
    people = {person_token(i): n.removeprefix("申") for i, n in zip(p["id_number"], p["name"]) if isinstance(i, str)}
    out = [{k: units.get(v, v) if k == "unit" else people.get(v, v) if k == "applicant" else v
            for k, v in lead["key"].items()} for lead in result["leads"] if lead["rule_id"] == rule_id]
    return sorted(out, key=lambda k: json.dumps(k, sort_keys=True, ensure_ascii=False))


@pytest.fixture(scope="module")
def stats_result(stats_store):
    return run_rules(EmbeddedBackend(stats_store), CATALOG)


@pytest.mark.parametrize("rule_id", sorted(EXPECTED_STATS))
def test_statistical_cases_raise_exactly_the_expected_leads(stats_store, stats_result, rule_id):
    assert _stat_keys(stats_store, stats_result, rule_id) == EXPECTED_STATS[rule_id]


def test_a_concentration_lead_reports_observed_expected_p_and_q(stats_result):
    lead = next(x for x in stats_result["leads"] if x["rule_id"] == "PAIR-CONCENTRATION")
    s = lead["stats"]
    assert (s["observed"], s["chances"]) == (30, 30)
    assert s["expected"] == pytest.approx(30 * 3 / 8, rel=1e-2)  # three reviewers drawn from eight sitting
    assert s["p"] < 1e-10 and s["q"] < 0.01 and lead["severity"] == "高"
    assert lead["unit"] == "医院丁" and "医院丁" in lead["evidence"] and len(lead["related_ids"]) == 30


def test_lawful_recusal_shrinks_the_draw_so_a_forced_but_lawful_pattern_is_no_concentration(stats_store, stats_result):
    # 医院戊's twelve applications could only go to the three sitting experts not employed there.
    keys = _stat_keys(stats_store, stats_result, "PAIR-CONCENTRATION")
    assert not [k for k in keys if k["unit"] == "医院戊"]


def test_a_chance_repeat_is_no_lead_and_a_vote_is_not_a_direct_act(stats_store, stats_result):
    # T04 reviews R1 two years running at three in eight: chance explains it, so no lead (rules.md).
    assert not [x for x in stats_result["leads"] if x["rule_id"] == "PAIR-REPEAT"]
    loose = run_rules(EmbeddedBackend(stats_store), [r for r in CATALOG if r.id == "PAIR-REPEAT"],
                     {"repeat_q": 1000})  # a threshold every pair meets: no control at all
    keys = _stat_keys(stats_store, loose, "PAIR-REPEAT")
    assert {"expert": "T04", "applicant": "R1"} in keys  # with no control at all it would be listed
    assert {"expert": "T05", "applicant": "R2"} not in keys  # but a vote never counts as a review
    lead = loose["leads"][0]
    assert lead["key"]["applicant"] != lead["applicant"] and len(lead["key"]["applicant"]) == 24  # a token, not an id


@pytest.fixture(scope="module")
def repeat_store(tmp_path_factory):
    from rule_fixtures import build_repeat

    return build_store(load_folder(build_repeat(tmp_path_factory.mktemp("repeat"))))


def _natural_repeats(store):
    """(expert id, person) pairs with 审阅 acts in two or more years, from the raw review relationships."""
    rv = store.rels["REVIEWED"]
    applied = store.rels["APPLIED"].set_index("dst")["src"]
    year = store.nodes["Application"].set_index("application_key")["year"]
    years = rv.assign(person=rv["dst"].map(applied), year=rv["dst"].map(year))
    n = years.groupby(["src", "person"])["year"].nunique()
    return set(n[n >= 2].index)


def test_a_natural_two_year_repeat_is_not_a_lead_and_a_planted_four_year_one_is(repeat_store):
    rule = [r for r in CATALOG if r.id == "PAIR-REPEAT"]
    res = run_rules(EmbeddedBackend(repeat_store), rule, reveal=True)
    assert len(_natural_repeats(repeat_store)) >= 5  # chance made some: each is one of the thousands a province has
    assert [(x["expert_id"], x["applicant"].split("(")[0]) for x in res["leads"]] == [("U01", "申P1")]
    lead = res["leads"][0]
    assert lead["severity"] == "中" and lead["stats"]["observed"] == 4 and lead["stats"]["q"] < 0.05
    assert lead["stats"]["pairs_examined"] > lead["stats"]["pairs_tested"]  # the screen, counted in the summary
    assert res["rule_summary"][0]["tested"] == lead["stats"]["pairs_tested"]


def test_without_the_discrete_screen_the_planted_repeat_drowns_in_pairs_that_could_never_be_rare(repeat_store,
                                                                                                monkeypatch):
    # Plain BH over every pair a candidate twice: 1/256 times fifty pairs is no discovery. This is why the
    # family is screened (stats.tarone_testable; decisions.md).
    import numpy as np

    rule_module = next(r for r in CATALOG if r.id == "PAIR-REPEAT").module
    monkeypatch.setattr(rule_module, "tarone_testable", lambda mp, alpha: np.ones(len(mp), dtype=bool))
    res = run_rules(EmbeddedBackend(repeat_store), [r for r in CATALOG if r.id == "PAIR-REPEAT"])
    assert not res["leads"]


def test_an_outlying_score_needs_a_tie_and_a_tie_needs_an_outlying_score(stats_result):
    keys = [x["key"] for x in stats_result["leads"] if x["rule_id"] == "SCORE-TIED-OUTLIER"]
    assert {"application": "O2", "expert": "T07"} not in keys  # tied, but only one point above
    assert {"application": "N1", "expert": "T08"} not in keys  # ten above, but no tie
    assert {"application": "O2", "expert": "T07"} in [x["key"] for x in stats_result["leads"] if x["rule_id"] == "AVOID-KIN"]
    lead = next(x for x in stats_result["leads"] if x["rule_id"] == "SCORE-TIED-OUTLIER")
    assert "AVOID-KIN:子女" in lead["evidence"] and lead["stats"]["z"] > 2


def test_leniency_needs_min_opportunities_scored_applications(stats_store):
    rule = [r for r in CATALOG if r.id == "SCORE-LENIENCY"]
    four = {"expert": "T11", "unit": "医院辛"}  # four applications of 医院辛, each scored eight above
    assert four not in _stat_keys(stats_store, run_rules(EmbeddedBackend(stats_store), rule), "SCORE-LENIENCY")
    res = run_rules(EmbeddedBackend(stats_store), rule, {"min_opportunities": 4})
    assert four in _stat_keys(stats_store, res, "SCORE-LENIENCY")


def test_entrenchment_needs_the_consecutive_years_and_the_improbability(stats_store):
    rule = [r for r in CATALOG if r.id == "PAIR-ENTRENCHED"]
    keys = _stat_keys(stats_store, run_rules(EmbeddedBackend(stats_store), rule), "PAIR-ENTRENCHED")
    assert {"expert": "T02", "committee": "S1"} not in keys  # three years running, but once a year: not unlikely
    longer = run_rules(EmbeddedBackend(stats_store), rule, {"entrenched_years": 4})  # the data spans three years
    assert longer["leads"] == []
