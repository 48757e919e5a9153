"""Every export profile of the generator, over three seeds, against its own truth.json.

``full`` is every table, untidy as real exports are; ``minimal`` the required tables with only the columns no
export can lack; ``messy`` adds header-only tables and files, control characters in names and an odd file
name. On each, every rule that can run finds every planted lead it can see and nothing else (statistical
rules: at least the planted ones), and every rule that cannot run is skipped for a need the export lacks.
"""

from __future__ import annotations

import json

import pytest

from zcgraph.graph.build import build_store
from zcgraph.loaders.load import load_folder
from zcgraph.queries.backends import EmbeddedBackend
from zcgraph.queries.catalog import load_catalog
from zcgraph.queries.leads import person_token
from zcgraph.queries.runner import run_rules
from zcgraph.synth.generator import PROFILES, generate

CATALOG = load_catalog()


def _written(tables: dict[str, list[str]] | None, need: str) -> bool:
    """Whether the export holds a need (``None``: the full export, which holds every table the catalog reads)."""
    if tables is None:
        return True
    table, _, column = need.partition(".")
    return table in tables and (not column or column in tables[table])


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("profile", PROFILES)
def test_each_profile_finds_what_it_planted_and_skips_what_it_cannot_see(profile, seed, tmp_path):
    truth = generate(tmp_path / "d", scale="demo", seed=seed, profile=profile)
    assert json.loads((tmp_path / "d" / "truth.json").read_text(encoding="utf-8"))["profile"] == profile
    store = build_store(load_folder(tmp_path / "d"))
    assert not store.errors
    res = run_rules(EmbeddedBackend(store), CATALOG, reveal=True)  # truth.json holds the real values
    assert not res["rules_failed"]
    skipped = {s["rule_id"]: s["reason"] for s in res["rules_skipped"]}
    expected_skip = {r.id for r in CATALOG if not all(_written(truth["tables"], n) for n in r.spec.needs)}
    assert set(skipped) == expected_skip
    assert all("缺少数据" in reason for reason in skipped.values())
    app_id = dict(zip(store.nodes["Application"]["application_key"], store.nodes["Application"]["application_id"]))
    unit = dict(zip(store.nodes["Unit"]["unit_key"], store.nodes["Unit"]["name"]))
    shown = {"application": app_id, "unit": unit}  # truth.json names applications and units by id and name
    for rule in CATALOG:
        if rule.id in skipped:
            assert rule.id not in truth["leads"] or profile == "minimal", rule.id
            continue
        got = sorted(json.dumps({k: shown.get(k, {}).get(v, v) for k, v in lead["key"].items()}, sort_keys=True)
                     for lead in res["leads"] if lead["rule_id"] == rule.id)
        want = sorted(json.dumps({k: person_token(v) if k == "applicant" else v for k, v in key.items()},
                                 sort_keys=True) for key in truth["leads"].get(rule.id, []))
        if rule.id in truth["inexact_rules"]:
            assert set(want) <= set(got), f"{profile}/{seed} {rule.id}: missing {sorted(set(want) - set(got))[:3]}"
        else:
            assert got == want, (f"{profile}/{seed} {rule.id}: missing {sorted(set(want) - set(got))[:3]}, "
                                 f"extra {sorted(set(got) - set(want))[:3]}")
    warned = {(r.file, r.row, r.column) for r in store.rejects.itertuples() if r.action == "警告"}
    assert {(b["file"], b["row"], b["column"]) for b in truth["bad_values"]} <= warned


def test_messy_names_lose_their_control_characters_and_keep_their_people(tmp_path):
    generate(tmp_path / "d", scale="demo", seed=1, profile="messy")
    store = build_store(load_folder(tmp_path / "d"))
    names = store.nodes["Person"]["name"].dropna()
    assert not names.str.contains(r"[\x00-\x08\x0b\x0c\x0e-\x1f]").any()
    warned = store.rejects[store.rejects["reason"].str.contains("控制字符")]
    assert len(warned) == 2 and (warned["column"] == "name").all()
    # the header-only tables are present (their rules ran), not absent
    assert {"sanctions", "complaints"} <= set(store.meta["present"])
