"""Any export folder, as it arrives (issue 16): tables recognised by their header rows, not their file names.

The demo's tables under the names a province sends them in, three tables in one workbook, one table split
over an HTML-saved .xls and a .csv: the same leads as the contract-named folder. A file that is no table, and
a sheet that could be two, are named with their candidates; the contract's names still read as before."""

from __future__ import annotations

import csv
import json
import shutil
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from rule_fixtures import build
from test_exports import run, runner

from zcgraph.cli.app import app
from zcgraph.loaders.load import load_folder
from zcgraph.loaders.recognise import name_table, recognise
from zcgraph.synth.generator import generate

RENAMED = {
    "applications-2022.csv": "2022年度卫生系列高级职称申报人员花名册.csv",
    "applications-2023.csv": "2023年度申报人员名单.csv",
    "applications-2024.csv": "申报汇总(2024).csv",
    "experts.xlsx": "专家库（2023-2025届）.xlsx",
    "attendance.csv": "会议签到表.csv",
    "complaints.csv": "信访件登记.csv",
    "employment.csv": "人事档案-任职经历.csv",
    "intermediaries.csv": "工商登记查询结果.csv",
    "links.csv": "线索关联.csv",
    "relations.csv": "社会关系登记.csv",
    "reviews-2023.csv": "评审打分表汇总2023.csv",
    "reviews-2024.csv": "评审打分表汇总2024.csv",
    "sanctions.csv": "诚信档案.csv",
    "staff_actions.csv": "经办记录.csv",
    "units.csv": "单位信息.csv",
}
IN_ONE_WORKBOOK = ("committees", "meetings", "recusals")  # three tables, three sheets of 评审资料汇总.xlsx


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def _as_it_arrives(src: Path, dst: Path) -> None:
    dst.mkdir()
    for old, new in RENAMED.items():
        shutil.copy(src / old, dst / new)
    wb = Workbook()
    notes = wb.active
    notes.title = "填表说明"  # a sheet that is no table: told, not an error
    notes.append(["本表由各评委会办公室填报,请勿修改表头。"])
    for t in IN_ONE_WORKBOOK:
        ws = wb.create_sheet({"committees": "评委会", "meetings": "会议", "recusals": "回避"}[t])
        ws.append([f"{t} 导出(2025年)"])  # a banner above the header
        for r in _rows(src / f"{t}.csv"):
            ws.append(r)
    wb.save(dst / "评审资料汇总.xlsx")
    # reviews of 2022 as the web system saves them: an HTML table named .xls
    import html

    rows = _rows(src / "reviews-2022.csv")
    cells = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    (dst / "2022年评审打分表.xls").write_text(f"<html><body><table>{cells}</table></body></html>", encoding="utf-8")


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    d = tmp_path_factory.mktemp("arrives")
    generate(d / "demo", scale="demo", seed=1)
    _as_it_arrives(d / "demo", d / "real")
    return d / "demo", d / "real"


def _lead_ids(path: Path) -> list[str]:
    return sorted(x["lead_id"] for x in json.loads(path.read_text(encoding="utf-8"))["leads"])


def test_every_table_is_recognised_by_its_header_whatever_its_file_is_called(folders):
    demo, real = folders
    verdicts, _ = recognise(real)
    got = {(v.file, v.sheet): v.table for v in verdicts}
    for old, new in RENAMED.items():
        assert {t for (f, _), t in got.items() if f == new} == {name_table(Path(old))}, new
    assert got[("评审资料汇总.xlsx", "评委会")] == "committees" and got[("评审资料汇总.xlsx", "会议")] == "meetings"
    assert got[("评审资料汇总.xlsx", "回避")] == "recusals" and got[("评审资料汇总.xlsx", "填表说明")] is None
    assert {t for (f, _), t in got.items() if f == "2022年评审打分表.xls"} == {"reviews"}
    loaded, original = load_folder(real), load_folder(demo)
    assert loaded.errors == []
    assert any("填表说明" in n for n in loaded.notes)  # the sheet that is no table is named
    for t, df in original.tables.items():  # every row of every table, wherever it came from
        assert len(loaded.tables[t]) == len(df), t


def test_the_folder_as_it_arrives_gives_exactly_the_leads_of_the_contract_named_folder(folders, tmp_path):
    demo, real = folders
    run("find-conflicts", demo, "--out", tmp_path / "a.json")
    r = runner.invoke(app, ["find-conflicts", str(real), "--out", str(tmp_path / "b.json")])
    assert r.exit_code == 0, r.output
    assert _lead_ids(tmp_path / "b.json") == _lead_ids(tmp_path / "a.json")
    # before anything else, one line a file: what it was read as, and why
    first = r.output.splitlines()[0]
    assert first.startswith("读作 ") and "→" in first
    assert "读作 评审资料汇总.xlsx[回避] → recusals(回避记录),依据表头内容" in r.output
    assert "读作 专家库（2023-2025届）.xlsx[" in r.output and "个工作表] → experts(评审专家库)" in r.output


def test_a_file_that_is_no_table_is_named_with_its_nearest_tables_and_stops_the_run(folders, tmp_path):
    _, real = folders
    d = tmp_path / "d"
    shutil.copytree(real, d)
    (d / "情况说明.csv").write_text("序号,内容,姓名\n1,见附件,张三\n", encoding="utf-8")
    r = runner.invoke(app, ["find-conflicts", str(d), "--out", str(tmp_path / "x.json")])
    assert r.exit_code != 0 and not (tmp_path / "x.json").exists()
    assert "情况说明.csv" in r.output and "表头不对应任何表" in r.output and "最接近" in r.output
    # the user's explicit choice goes on, and the run records the file as not read
    r = runner.invoke(app, ["find-conflicts", str(d), "--out", str(tmp_path / "x.json"), "--skip-unreadable"])
    assert r.exit_code == 3, r.output  # a partial list: the exit code says so
    out = json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))
    assert [f["file"] for f in out["files_not_read"]] == ["情况说明.csv"] and out["complete"] is False


def test_a_sheet_that_could_be_two_tables_is_named_with_both_unless_its_name_says_which(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    (d / "名单.csv").write_text("会议编号,专家编号\nM1,E1\n", encoding="utf-8")
    verdicts, _ = recognise(d)
    v = verdicts[0]
    assert v.table is None and "无法判断" in v.reason and "attendance" in v.reason and "recusals" in v.reason
    errors = load_folder(d).errors
    assert any(e.file == "名单.csv" and "无法判断" in e.message for e in errors)
    (d / "名单.csv").rename(d / "attendance-2024.csv")  # the contract's name decides
    assert [(v.file, v.table, v.how) for v in recognise(d)[0]] == [("attendance-2024.csv", "attendance", "文件名")]


_NAME = st.text(alphabet=string.ascii_letters + string.digits + "年度申报评审专家表汇总记录（）()-_ ", min_size=1,
                max_size=20).map(str.strip).filter(lambda s: s and not s.startswith((".", "~$")))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(_NAME, min_size=40, max_size=40, unique=True))
def test_any_file_names_read_as_the_contract_names_would(tmp_path_factory, names):
    """Property: the hand-made edge world with every file renamed at random (a name that happens to be a
    table's is kept by that table only if its header agrees) gives every table the same rows."""
    base = tmp_path_factory.getbasetemp() / "edge-world"
    if not base.exists():
        build(base)
    d = tmp_path_factory.mktemp("renamed")
    files = sorted(p for p in base.iterdir() if p.suffix in (".csv", ".xlsx"))
    for p, n in zip(files, names):
        shutil.copy(p, d / f"{n}{p.suffix}")
    original, renamed = load_folder(base), load_folder(d)
    assert renamed.errors == original.errors == []
    assert {t: len(df) for t, df in renamed.tables.items()} == {t: len(df) for t, df in original.tables.items()}
