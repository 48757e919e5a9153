"""The generator's scenario through the CLI, checked against its own truth.json."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zcgraph.cli.app import app

runner = CliRunner()


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("demo")
    r = runner.invoke(app, ["synth", str(d), "--scale", "demo", "--seed", "7"])
    assert r.exit_code == 0, r.output
    return d


def _digest(d: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(d.iterdir())}


def test_same_seed_same_bytes_other_seed_other_data(demo, tmp_path):
    again = tmp_path / "again"
    other = tmp_path / "other"
    runner.invoke(app, ["synth", str(again), "--seed", "7"])
    runner.invoke(app, ["synth", str(other), "--seed", "8"])
    assert _digest(again) == _digest(demo)
    assert _digest(other)["applications-2022.csv"] != _digest(demo)["applications-2022.csv"]


def test_validate_rejects_exactly_the_rows_the_generator_broke(demo, tmp_path):
    out = tmp_path / "rejects.csv"
    r = runner.invoke(app, ["validate", str(demo), "--rejects", str(out)])
    assert r.exit_code == 0, r.output
    with out.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    truth = json.loads((demo / "truth.json").read_text(encoding="utf-8"))
    rejected = sorted((r["文件"], int(r["行号"]), r["列"], r["原因"]) for r in rows if r["处理"] == "拒绝")
    assert rejected == sorted((b["file"], b["row"], b["column"], b["reason"]) for b in truth["rejects"])
    warned = {(r["文件"], int(r["行号"]), r["列"]) for r in rows if r["处理"] == "警告"}
    assert {(b["file"], b["row"], b["column"]) for b in truth["bad_values"]} <= warned


def test_rejects_file_masks_id_numbers_unless_revealed(demo, tmp_path):
    masked, revealed = tmp_path / "m.csv", tmp_path / "r.csv"
    runner.invoke(app, ["validate", str(demo), "--rejects", str(masked)])
    runner.invoke(app, ["validate", str(demo), "--rejects", str(revealed), "--reveal"])
    m = masked.read_text(encoding="utf-8-sig")
    rv = revealed.read_text(encoding="utf-8-sig")
    assert "E+17" in rv and "5.30***E+17" not in rv
    assert "***" in m


def test_load_then_stats_counts_the_people_and_units_truth_records(demo, tmp_path):
    ws = tmp_path / "ws"
    r = runner.invoke(app, ["load", str(demo), "--workspace", str(ws)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["stats", "--workspace", str(ws), "--json"])
    assert r.exit_code == 0, r.output
    st = json.loads(r.output)
    truth = json.loads((demo / "truth.json").read_text(encoding="utf-8"))
    assert st["persons"] == truth["persons"]
    assert st["units"] == truth["units"]
    assert st["nodes"]["Application"] == truth["counts"]["applications"] - len(
        [b for b in truth["rejects"] if b["file"].startswith("applications")])
    assert st["merges"].get("姓名与出生日期一致", 0) >= 1  # the Excel-mangled id merged back by name + birth


def test_stats_without_a_workspace_says_what_to_do(tmp_path):
    r = runner.invoke(app, ["stats", "--workspace", str(tmp_path / "nothing")])
    assert r.exit_code == 2 and "zcgraph load" in r.output


def test_validate_exits_nonzero_and_names_the_file_when_a_required_table_is_missing(tmp_path):
    (tmp_path / "applications.csv").write_text("申报编号,评审年度,姓名\nA1,2024,张三\n", encoding="utf-8")
    r = runner.invoke(app, ["validate", str(tmp_path), "--rejects", str(tmp_path / "rj.csv")])
    assert r.exit_code == 1 and "experts" in r.output


def test_every_command_has_help_text():
    for cmd in app.registered_commands:
        assert (cmd.callback.__doc__ or "").strip(), cmd.name


def test_every_rule_in_the_catalog_has_a_planted_lead(demo):
    import re

    spec = Path(__file__).resolve().parents[2] / "shared" / "spec" / "rules.md"
    if not spec.exists():
        pytest.skip(f"rule catalog not found at {spec}")
    ids = set(re.findall(r"^\| ([A-Z]+(?:-[A-Z]+)+) \|", spec.read_text(encoding="utf-8"), flags=re.M))
    truth = json.loads((demo / "truth.json").read_text(encoding="utf-8"))
    assert len(ids) >= 50
    assert ids - set(truth["leads"]) == set()
    assert set(truth["leads"]) - ids == set()


def test_import_csv_command_writes_every_file_its_script_names(demo, tmp_path):
    out = tmp_path / "import"
    r = runner.invoke(app, ["neo4j", "import-csv", str(demo), str(out), "--database", "yunnan"])
    assert r.exit_code == 0, r.output
    script = (out / "import.sh").read_text(encoding="utf-8")
    assert "neo4j-admin database import full yunnan" in script
    named = {a.split("=", 2)[2].strip("'\"") for a in script.split() if a.startswith(("--nodes=", "--relationships="))}
    written = {f.name for f in out.glob("*.csv")}
    assert named == written and "nodes-Person.csv" in written and "rels-REVIEWED-Person-Application.csv" in written
    assert "CREATE CONSTRAINT" in (out / "schema.cypher").read_text(encoding="utf-8")
