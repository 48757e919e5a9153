"""The whole catalog on export folders varied the way real exports vary.

For every table and every optional column of the contract the hand-made worlds give — dropped, header-only,
a single row, every optional value empty — the whole catalog runs without an exception, and each rule either
runs or is skipped for a need the data lacks (never otherwise). Hypothesis draws random combinations of those
changes (bounded and derandomised, so CI sees the same draws every run). On Neo4j the same variants give the
same leads as embedded. And a rule never reads an input outside its ``needs`` and ``reads``: with everything
else dropped it gives the leads it gives on the whole folder.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rule_fixtures import build, build_stats
from variants import Change, apply, sweep, tables, variant

from zcgraph.graph.build import build_store
from zcgraph.loaders.load import load_folder
from zcgraph.loaders.schema import TABLES
from zcgraph.queries.backends import EmbeddedBackend
from zcgraph.queries.catalog import load_catalog, select
from zcgraph.queries.runner import resolve_params, rule_leads, run_rules

CATALOG = load_catalog()
IDS = {r.id for r in CATALOG}

# The worlds are written once at collection, so the sweep's cases can be listed (and named) up front.
_ROOT = Path(tempfile.mkdtemp(prefix="zcgraph-robust-"))
WORLDS = {"edge": build(_ROOT / "edge"), "stats": build_stats(_ROOT / "stats")}
CASES = [("edge", ch) for ch in sweep(WORLDS["edge"])] + [
    ("stats", ch) for ch in sweep(WORLDS["stats"]) if ch.op != "drop_column"]


def run_all(folder: Path):
    store = build_store(load_folder(folder))
    return store, run_rules(EmbeddedBackend(store), CATALOG)


def check_run(store, res, what: str) -> None:
    """No rule failed; every rule ran or was skipped; skipped exactly when a need is absent, saying which."""
    assert not res["rules_failed"], f"{what}: {res['rules_failed']}"
    ran, skipped = set(res["rules_run"]), {s["rule_id"]: s["reason"] for s in res["rules_skipped"]}
    assert ran | set(skipped) == IDS and not ran & set(skipped), what
    be = EmbeddedBackend(store)
    for rule in CATALOG:
        missing = [n for n in rule.spec.needs if not be.has(n)]
        assert (rule.id in skipped) == bool(missing), f"{what}: {rule.id} skipped={rule.id in skipped}, missing={missing}"
        assert all(m in skipped.get(rule.id, "") for m in missing), f"{what}: {rule.id}'s reason names {missing}"


@pytest.mark.parametrize("world,change", CASES, ids=[f"{w}-{c}" for w, c in CASES])
def test_every_single_change_runs_the_whole_catalog(world, change, tmp_path):
    store, res = run_all(variant(WORLDS[world], tmp_path / "v", [change]))
    check_run(store, res, f"{world} {change}")


def test_the_sweep_covers_every_table_the_worlds_give():
    given = {t for w in WORLDS.values() for t in tables(w)}
    assert given == set(TABLES), f"tables no world gives, so no variant tests: {set(TABLES) - given}"
    swept = {c.table for _, c in CASES}
    assert swept == given and {c.op for _, c in CASES} >= {"drop", "header_only", "single_row", "blank_optional",
                                                           "drop_column"}


# --------------------------------------------------------------------------- random combinations

_EDGE_CHANGES = [c for w, c in CASES if w == "edge"]


@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_EDGE_CHANGES), min_size=2, max_size=5, unique=True))
def test_random_combinations_of_changes_run_the_whole_catalog(changes):
    with tempfile.TemporaryDirectory() as tmp:
        store, res = run_all(variant(WORLDS["edge"], Path(tmp) / "v", changes))
        check_run(store, res, " + ".join(map(str, changes)))


# --------------------------------------------------------------------------- the defects of the first real folder

def test_a_secret_ballot_counts_sitting_only_where_recusals_were_recorded(tmp_path):
    """rules.md, Acts: presence proves nothing where nobody wrote down who left the room."""
    def k8(folder):
        return {(x["rule_id"], x["application_id"]) for x in run_all(folder)[1]["leads"]} & {
            ("AVOID-KIN", "K8"), ("AVOID-ACADEMIC", "K8")}

    assert k8(WORLDS["edge"]) == {("AVOID-KIN", "K8"), ("AVOID-ACADEMIC", "K8")}
    no_recusals = variant(WORLDS["edge"], tmp_path / "a", [])
    rec = no_recusals / "recusals.csv"
    rec.write_text("".join(ln for ln in rec.read_text(encoding="utf-8").splitlines(True) if not ln.startswith("M2,")),
                   encoding="utf-8")
    assert k8(no_recusals) == set()
    header_only_reviews = variant(WORLDS["edge"], tmp_path / "b", [])
    rv = header_only_reviews / "reviews.csv"
    rv.write_text("".join(ln for ln in rv.read_text(encoding="utf-8").splitlines(True) if ",M2," not in ln),
                  encoding="utf-8")  # the M2 review rows missing, as when a year's export came out empty
    assert k8(header_only_reviews) == set()


def test_derivable_and_defaulted_columns_are_never_missing(tmp_path):
    """PROC-LATE and PAIR-ENTRENCHED run without meetings.year (derived) and attendance.draw_scope (default)."""
    folder = variant(WORLDS["stats"], tmp_path / "v", [Change("meetings", "drop_column", "year"),
                                                       Change("attendance", "drop_column", "draw_scope")])
    store, res = run_all(folder)
    assert {"PROC-LATE", "PAIR-ENTRENCHED"} <= set(res["rules_run"])
    full = {x["lead_id"] for x in run_all(WORLDS["stats"])[1]["leads"] if x["rule_id"] == "PAIR-ENTRENCHED"}
    assert full and full == {x["lead_id"] for x in res["leads"] if x["rule_id"] == "PAIR-ENTRENCHED"}


def test_a_failing_rule_is_named_and_the_others_still_run(monkeypatch):
    rule = next(r for r in CATALOG if r.id == "AVOID-KIN")

    def broken(ctx, params):
        raise ZeroDivisionError("planted defect")

    monkeypatch.setattr(rule.module, "facts", broken)
    store = build_store(load_folder(WORLDS["edge"]))
    res = run_rules(EmbeddedBackend(store), CATALOG)
    assert res["rules_failed"] == [{"rule_id": "AVOID-KIN", "error": "ZeroDivisionError", "message": "planted defect"}]
    skipped = {s["rule_id"] for s in res["rules_skipped"]}
    assert set(res["rules_run"]) == IDS - skipped - {"AVOID-KIN"}
    assert {x["rule_id"] for x in res["leads"]} >= {"AVOID-ACADEMIC", "AVOID-SELF", "GOV-SCOPE"}
    # A rule that builds on the failed one's facts is failed too, and says on which.
    stats = run_rules(EmbeddedBackend(build_store(load_folder(WORLDS["stats"]))), CATALOG)
    failed = {f["rule_id"]: f for f in stats["rules_failed"]}
    assert set(failed) == {"AVOID-KIN", "SCORE-TIED-OUTLIER"}
    assert failed["SCORE-TIED-OUTLIER"]["error"] == "DependencyError" and "AVOID-KIN" in failed["SCORE-TIED-OUTLIER"]["message"]


# --------------------------------------------------------------------------- what a rule reads

def _declared(rule) -> set[str]:
    """Tables a rule declares (needs or reads, a column naming its table), with those of the rules it uses."""
    rules = [rule] + (select(CATALOG, ",".join(rule.spec.uses)) if rule.spec.uses else [])
    return {n.partition(".")[0] for r in rules for n in r.spec.needs + r.spec.reads}


def _leads(folder: Path, rule) -> list[tuple[str, str]]:
    store = build_store(load_folder(folder))
    be = EmbeddedBackend(store)
    if any(not be.has(n) for n in rule.spec.needs):
        return [("skipped", "")]
    out = rule_leads(be, rule, resolve_params(rule, {}, store.meta.get("latest_date")), catalog=CATALOG)
    return sorted((x.lead_id, x.fingerprint) for x in out)


@pytest.mark.parametrize("world", ["edge", "stats"])
@pytest.mark.parametrize("rule_id", sorted(IDS))
def test_a_rule_reads_nothing_it_does_not_declare(world, rule_id, tmp_path):
    """Drop every optional table the rule does not declare: its leads (ids and evidence) stay the same."""
    rule = next(r for r in CATALOG if r.id == rule_id)
    keep = _declared(rule)
    drop = [Change(t, "drop") for t in tables(WORLDS[world]) if not TABLES[t].required_table and t not in keep]
    if not drop:
        pytest.skip("the world gives no table this rule leaves undeclared")
    reduced = apply(variant(WORLDS[world], tmp_path / "v", []), drop)
    assert _leads(reduced, rule) == _leads(WORLDS[world], rule), (
        f"{rule_id} changed when {sorted(c.table for c in drop)} were dropped: it reads one of them undeclared")


# --------------------------------------------------------------------------- the same on Neo4j

NEO4J_CASES = [("edge", Change(t, op)) for t in sorted(tables(WORLDS["edge"])) for op in ("drop", "header_only")
               if not (op == "drop" and TABLES[t].required_table)] + [
    ("stats", Change("meetings", "drop_column", "year")), ("stats", Change("attendance", "drop_column", "draw_scope")),
    ("stats", Change("recusals", "header_only")), ("stats", Change("relations", "drop"))]


def _both(driver, folder: Path):
    from conftest import wipe

    from zcgraph.graph.neo4j_writer import write_store
    from zcgraph.queries.backends import Neo4jBackend

    store = build_store(load_folder(folder))
    wipe(driver)
    write_store(store, driver)
    emb = run_rules(EmbeddedBackend(store), CATALOG)
    neo = run_rules(Neo4jBackend(driver, store.meta["present"], latest_date=store.meta.get("latest_date")), CATALOG)
    return store, emb, neo


def _agree(store, emb, neo, what: str) -> None:
    check_run(store, emb, what)
    assert not neo["rules_failed"], f"{what} on Neo4j: {neo['rules_failed']}"
    assert neo["rules_skipped"] == emb["rules_skipped"], what
    a = sorted((x["rule_id"], x["lead_id"], x["fingerprint"]) for x in emb["leads"])
    b = sorted((x["rule_id"], x["lead_id"], x["fingerprint"]) for x in neo["leads"])
    assert a == b, f"{what}: only embedded {sorted(set(a) - set(b))[:5]}, only Neo4j {sorted(set(b) - set(a))[:5]}"


@pytest.mark.neo4j
@pytest.mark.parametrize("world,change", NEO4J_CASES, ids=[f"{w}-{c}" for w, c in NEO4J_CASES])
def test_both_backends_agree_on_varied_folders(neo4j_driver, world, change, tmp_path):
    _agree(*_both(neo4j_driver, variant(WORLDS[world], tmp_path / "v", [change])), f"{world} {change}")


@pytest.mark.neo4j
@settings(max_examples=5, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(st.sampled_from(_EDGE_CHANGES), min_size=2, max_size=4, unique=True))
def test_both_backends_agree_on_random_combinations(neo4j_driver, changes):
    with tempfile.TemporaryDirectory() as tmp:
        _agree(*_both(neo4j_driver, variant(WORLDS["edge"], Path(tmp) / "v", changes)), " + ".join(map(str, changes)))
