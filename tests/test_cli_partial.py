"""A lead list never looks whole when it is not: unreadable files stop the run (or are recorded when the user
goes on without them), a failing rule is named and the exit code says the list is partial."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from zcgraph.cli.app import app
from zcgraph.synth.generator import generate

runner = CliRunner()


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("minimal")
    generate(d, scale="demo", seed=5, profile="minimal")
    return d


def _copy(src: Path, dst: Path) -> Path:
    dst.mkdir()
    for p in src.iterdir():
        (dst / p.name).write_bytes(p.read_bytes())
    return dst


@pytest.mark.parametrize("name,content,why", [
    ("units.csv", b"", "空"),  # an empty file: no header row
    ("relations.csv", "甲方姓名,乙方姓名,关系\n张三,李四,配偶\n".encode("utf-16-le"), ""),  # UTF-16 without a BOM
    ("committees.xlsx", b"PK\x03\x04 truncated workbook", ""),
])
def test_an_unreadable_file_stops_the_run_naming_it(folder, tmp_path, name, content, why):
    d = _copy(folder, tmp_path / "d")
    (d / name).write_bytes(content)
    out = tmp_path / "leads.json"
    r = runner.invoke(app, ["find-conflicts", str(d), "--out", str(out)])
    assert r.exit_code == 1, r.output
    assert name in r.output and "--skip-unreadable" in r.output and why in r.output
    assert not out.exists()  # no list that looks complete and is not
    r = runner.invoke(app, ["find-conflicts", str(d), "--out", str(out), "--skip-unreadable"])
    assert r.exit_code == 3, r.output  # written, and partial: the exit code says so (decision 53)
    assert "清单不完整" in r.output
    result = json.loads(out.read_text(encoding="utf-8"))
    assert [f["file"] for f in result["files_not_read"]] == [name] and result["complete"] is False
    assert any(x["rule_id"] == "AVOID-SELF" for x in result["leads"])  # the rest of the data still answered


def test_a_failing_rule_gives_exit_3_with_the_other_leads_written_and_named_everywhere(folder, tmp_path, monkeypatch):
    from zcgraph.queries.catalog import load_catalog

    rule = next(r for r in load_catalog() if r.id == "PAIR-DESIGNATED")

    def broken(ctx, params):
        raise KeyError("planted")

    monkeypatch.setattr(rule.module, "facts", broken)
    for ext in (".json", ".xlsx", ".csv", ".html"):
        out = tmp_path / f"leads{ext}"
        r = runner.invoke(app, ["find-conflicts", str(folder), "--out", str(out)])
        assert r.exit_code == 3, r.output
        assert "PAIR-DESIGNATED" in r.output and "KeyError" in r.output and out.exists()
    result = json.loads((tmp_path / "leads.json").read_text(encoding="utf-8"))
    assert result["rules_failed"] == [{"rule_id": "PAIR-DESIGNATED", "error": "KeyError", "message": "'planted'"}]
    assert result["complete"] is False and any(x["rule_id"] == "AVOID-SELF" for x in result["leads"])
    info = dict(openpyxl.load_workbook(tmp_path / "leads.xlsx")["运行信息"].iter_rows(min_row=2, values_only=True))
    assert "PAIR-DESIGNATED" in info["运行失败的规则"] and info["清单是否完整"].startswith("否")
    assert "PAIR-DESIGNATED" in (tmp_path / "leads.run.csv").read_text(encoding="utf-8-sig")
    assert "PAIR-DESIGNATED: KeyError" in (tmp_path / "leads.html").read_text(encoding="utf-8")


def test_a_nul_in_a_name_does_not_break_a_revealed_workbook(folder, tmp_path):
    d = _copy(folder, tmp_path / "d")
    apps = d / "applications.csv"
    lines = apps.read_text(encoding="utf-8-sig").splitlines()
    cells = lines[1].split(",")
    cells[2] = cells[2][:1] + "\x00" + cells[2][1:]
    apps.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8-sig")
    out = tmp_path / "x.xlsx"
    r = runner.invoke(app, ["find-conflicts", str(d), "--out", str(out), "--reveal"])
    assert r.exit_code == 0, r.output
    assert openpyxl.load_workbook(out).sheetnames
