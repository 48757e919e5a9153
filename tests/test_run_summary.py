"""The run summary (rules.md, Grain and volume): per rule, the facts examined, the pairs a statistical rule
tested, the leads raised, and a warning for a rule raising more than one lead per hundred applications."""

from __future__ import annotations

import json
from collections import Counter

import openpyxl
from typer.testing import CliRunner

from zcgraph.cli.app import app
from zcgraph.synth.generator import generate

runner = CliRunner()


def test_every_rule_that_ran_is_summarised_and_a_flood_is_flagged(tmp_path):
    generate(tmp_path / "d", scale="demo", seed=1)
    out = tmp_path / "leads.json"
    r = runner.invoke(app, ["find-conflicts", str(tmp_path / "d"), "--out", str(out)])
    assert r.exit_code == 0, r.output
    res = json.loads(out.read_text(encoding="utf-8"))
    rows = {x["rule_id"]: x for x in res["rule_summary"]}
    assert set(rows) == set(res["rules_run"]) and res["applications"] > 600
    per_rule = Counter(x["rule_id"] for x in res["leads"])
    assert all(rows[k]["leads"] == per_rule.get(k, 0) for k in rows)
    stat = {"PAIR-REPEAT", "PAIR-CONCENTRATION", "PAIR-ENTRENCHED", "SCORE-LENIENCY"}
    assert all(rows[k]["tested"] >= rows[k]["leads"] and rows[k]["tested"] > 0 for k in stat)
    assert all(rows[k]["tested"] is None for k in rows if k not in stat | {"SCORE-TIED-OUTLIER"})
    assert not any(x["miscalibrated"] for x in rows.values()) and "疑似校准不当" not in r.output
    # Every staff check becomes a lead when the daily limit is 0: far more than one per hundred applications.
    params = tmp_path / "p.json"
    params.write_text('{"review_per_day": 0}', encoding="utf-8")
    xlsx = tmp_path / "leads.xlsx"
    r = runner.invoke(app, ["find-conflicts", str(tmp_path / "d"), "--out", str(xlsx), "--params", str(params)])
    assert r.exit_code == 0 and "疑似校准不当 PROC-PERFUNCTORY" in r.output, r.output
    info = dict(openpyxl.load_workbook(xlsx)["运行信息"].iter_rows(min_row=2, values_only=True))
    assert info["疑似校准不当(每百件申报超过1条线索)"].startswith("PROC-PERFUNCTORY: ")
    assert "PAIR-REPEAT: " in info["各规则审查事实/检验对数/线索数"]
