"""Headers nobody foresaw (issue 16, items 2 and 3): ``zcgraph inspect`` suggests, ``--write-mapping`` writes,
the user confirms, and every command reads the folder as the contract's.

The folder is the demo as a province sends it (Chinese file names, three tables in one workbook, a table over
an HTML .xls and two .csv) with headers outside the alias list (``证件号``, ``申报人员姓名``, ``所在单位（全称）``,
``评审专家编号``, ``身份证件号码``, ``申报人员编号``, ``中介机构编号``) and votes spelt ``赞成/不赞成``."""

from __future__ import annotations

import csv
import json
import re
import shutil
import tomllib
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_exports import runner
from test_recognise import RENAMED, _as_it_arrives

from zcgraph.cli.app import app
from zcgraph.loaders.inspect import HeaderVerdict, Inspection, SheetInspection, write_mapping
from zcgraph.loaders.load import load_folder
from zcgraph.loaders.mapping import MappingError, load_mapping
from zcgraph.loaders.readers import _find_header, detect_encoding
from zcgraph.loaders.recognise import recognise
from zcgraph.loaders.schema import TABLES
from zcgraph.synth.generator import generate

# table -> {column: the header an export wrote for it, outside the contract's aliases}
UNFORESEEN = {
    "applications": {"id_number": "证件号", "name": "申报人员姓名", "employer": "所在单位（全称）"},
    "experts": {"expert_id": "评审专家编号", "id_number": "身份证件号码"},
    "reviews": {"application_id": "申报人员编号"},
    "intermediaries": {"intermediary_id": "中介机构编号"},
}
VOTES = {"同意": "赞成", "不同意": "不赞成"}


def _relabel(rows: list[list[str]], table: str) -> list[list[str]]:
    """The rows with the table's header cells renamed as UNFORESEEN says, and votes respelt."""
    spec = TABLES[table]
    found = _find_header(spec, rows)
    assert found, table
    start, header, last = found
    rows = [list(r) for r in rows]
    vote = None
    for j, h in enumerate(header):
        col = spec.match_header(h) if h else None
        if col in UNFORESEEN.get(table, {}):
            rows[last][j] = UNFORESEEN[table][col]
        if col == "vote":
            vote = j
    if vote is not None:
        for r in rows[start:]:
            if vote < len(r):
                r[vote] = VOTES.get(r[vote], r[vote])
    return rows


def _unforeseen(folder: Path) -> None:
    for v in recognise(folder)[0]:
        if v.table not in UNFORESEEN and v.table != "reviews":
            continue
        p = folder / v.file
        if p.suffix == ".csv":
            enc, _ = detect_encoding(p)  # the demo writes some years in GB18030, as WPS does: kept so
            with p.open(encoding=enc, newline="") as f:
                rows = list(csv.reader(f))
            with p.open("w", encoding=enc, newline="") as f:
                csv.writer(f).writerows(_relabel(rows, v.table))
        elif p.suffix == ".xlsx":
            wb = openpyxl.load_workbook(p)
            ws = wb[v.sheet]
            rows = [["" if c is None else str(c) for c in r] for r in ws.iter_rows(values_only=True)]
            for i, r in enumerate(_relabel(rows, v.table), 1):
                for j, c in enumerate(r, 1):
                    if c != ("" if ws.cell(i, j).value is None else str(ws.cell(i, j).value)):
                        ws.cell(i, j).value = c
            wb.save(p)
        else:  # the HTML .xls of 2022's reviews
            import html

            text = p.read_text(encoding="utf-8")
            for old, new in VOTES.items():
                text = text.replace(f"<td>{html.escape(old)}</td>", f"<td>{html.escape(new)}</td>")
            text = text.replace("<td>application_id</td>", "<td>申报人员编号</td>")
            p.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    d = tmp_path_factory.mktemp("unforeseen")
    generate(d / "demo", scale="demo", seed=1)
    _as_it_arrives(d / "demo", d / "odd")
    _unforeseen(d / "odd")
    return d / "demo", d / "odd"


def _lead_ids(path: Path) -> list[str]:
    return sorted(x["lead_id"] for x in json.loads(path.read_text(encoding="utf-8"))["leads"])


def _confirm(text: str) -> str:
    """What a user does with the written mapping: confirm each suggestion, spell out the votes, and drop any
    other value line (left as the contract reads it)."""
    text = re.sub(r'^("[^"]*" = "[a-z_]+)\?"', r'\1"', text, flags=re.MULTILINE)
    text = re.sub(r'^(table = "[a-z_]+)\?"', r'\1"', text, flags=re.MULTILINE)
    text = text.replace('"赞成" = "?"', '"赞成" = "同意"').replace('"不赞成" = "?"', '"不赞成" = "不同意"')
    return re.sub(r'^"[^"]*" = "\?".*$', "", text, flags=re.MULTILINE)


def test_inspect_recognises_every_table_and_suggests_each_unforeseen_header(folders, tmp_path):
    _, odd = folders
    r = runner.invoke(app, ["inspect", str(odd), "--json", "--write-mapping", str(tmp_path / "m.toml")])
    assert r.exit_code == 0, r.output
    got = json.loads(r.stdout[r.stdout.index("{"):])
    expected = {(v.file, v.sheet): v.table for v in recognise(folders[0].parent / "odd")[0]}
    seen = {(s["file"], s["sheet"]): s for s in got["sheets"]}
    for new in RENAMED.values():  # every renamed file, every sheet of it
        assert {seen[k]["table"] for k in seen if k[0] == new} == {expected[k] for k in expected if k[0] == new}
    for (file, sheet), s in seen.items():
        if s["table"] is None:
            continue
        for col, written in UNFORESEEN.get(s["table"], {}).items():
            h = [h for h in s["headers"] if h["header"] == written]
            if not h:  # a sheet of the table with no such column (an English-headed year keeps its own)
                continue
            assert h[0]["how"] == "建议" and h[0]["column"] == col, (file, sheet, h[0])
            assert all("*" in x for x in h[0]["samples"]) if col in ("id_number", "name") else True
    # the votes spelt 赞成/不赞成 are found and listed for the mapping's value table
    votes = [h["unknown_values"] for s in seen.values() for h in s["headers"] if h["column"] == "vote"]
    assert votes and all(set(v) == {"赞成", "不赞成"} for v in votes), votes
    # the written mapping marks every suggestion, so it cannot be used unconfirmed: the error names the line
    text = (tmp_path / "m.toml").read_text(encoding="utf-8")
    assert '"证件号" = "id_number?"' in text and '"评审专家编号" = "expert_id?"' in text
    with pytest.raises(MappingError) as e:
        load_mapping(tmp_path / "m.toml")
    line = text.splitlines().index(next(x for x in text.splitlines() if x.startswith('"证件号" = "id_number?"'))) + 1
    assert any(ln == line and "建议" in msg for ln, msg in e.value.problems)


def test_with_the_confirmed_mapping_the_leads_are_exactly_the_demo_folders(folders, tmp_path):
    demo, odd = folders
    assert runner.invoke(app, ["find-conflicts", str(demo), "--out", str(tmp_path / "a.json")]).exit_code == 0
    # without a mapping the unforeseen 评审专家编号 leaves the roster without its required column: stopped, named
    r = runner.invoke(app, ["find-conflicts", str(odd), "--out", str(tmp_path / "x.json")])
    assert r.exit_code == 1 and "expert_id" in r.output and not (tmp_path / "x.json").exists()
    runner.invoke(app, ["inspect", str(odd), "--write-mapping", str(tmp_path / "m.toml")])
    mapping = tmp_path / "confirmed.toml"
    mapping.write_text(_confirm((tmp_path / "m.toml").read_text(encoding="utf-8")), encoding="utf-8")
    r = runner.invoke(app, ["find-conflicts", str(odd), "--mapping", str(mapping), "--out", str(tmp_path / "b.json")])
    assert r.exit_code == 0, r.output
    assert _lead_ids(tmp_path / "b.json") == _lead_ids(tmp_path / "a.json")
    out = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert out["mapping"] == f"confirmed.toml(指纹 {load_mapping(mapping).fingerprint})"
    # before anything else, each file with the table it was read as and the mapping lines used
    first = r.output.splitlines()[0]
    assert first.startswith("读作 ") and ";映射 confirmed.toml 第" in first
    # the same mapping as the folder's own zcgraph.toml, no option needed: the same leads
    own = tmp_path / "own"
    shutil.copytree(odd, own)
    shutil.copy(mapping, own / "zcgraph.toml")
    r = runner.invoke(app, ["find-conflicts", str(own), "--out", str(tmp_path / "c.json")])
    assert r.exit_code == 0, r.output
    assert _lead_ids(tmp_path / "c.json") == _lead_ids(tmp_path / "a.json")
    assert "zcgraph.toml" not in r.output.split("略过")[0].split("→")[0]  # the mapping is not a data file


def test_inspect_finds_a_spelling_far_below_the_rows_it_samples(tmp_path):
    """A closed set is read over the whole sheet: a real vote column is empty for the first thousand 审阅
    rows and spelt 赞成 in the 投票 rows below them."""
    from zcgraph.loaders.inspect import SAMPLE_ROWS, inspect_folder

    d = tmp_path / "d"
    d.mkdir()
    rows = [f"A{i},E1,审阅,," for i in range(SAMPLE_ROWS * 3)] + ["A1,E1,投票,赞成", "A2,E1,投票,不赞成"]
    (d / "打分.csv").write_text("申报编号,专家编号,环节,表决\n" + "\n".join(rows) + "\n", encoding="utf-8")
    ins = inspect_folder(d)
    vote = next(h for h in ins.sheets[0].headers if h.column == "vote")
    assert vote.unknown_values == {"赞成": 1, "不赞成": 1} and "赞成(1)" in vote.verdict
    assert '"赞成" = "?"' in write_mapping(ins)


def _folder(tmp_path: Path, mapping: str) -> Path:
    d = tmp_path / "d"
    d.mkdir(exist_ok=True)
    (d / "zcgraph.toml").write_text(mapping, encoding="utf-8")
    return d


@pytest.mark.parametrize("mapping, line, words", [
    ('version = 1\n\n[[file]]\nmatch = "*.csv"\ntable = "applications"\n\n[file.columns]\n"证件号" = "id_no"\n',
     8, "不是applications(申报记录)的列"),
    ('version = 1\n[[file]]\nmatch = "*.csv"\ntable = "applicants"\n', 4, "未知的表"),
    ('version = 1\n[[file]]\nmatch = "*.csv"\nheader = 2\n', 4, "未知的设置"),
    ('version = 1\n[[file]]\nmatch = "a.csv"\n[file.columns]\n"评审专家编号" = "expert_id?"\n', 5, "尚未确认"),
    ('[[file]]\nmatch = "r.csv"\ntable = "reviews"\n[file.values.vote]\n"赞成" = "同意"\n"不赞成" = "反对"\n', 6,
     "只能取"),
    ('[[file]]\nmatch = "r.csv"\nheader_row = 12\n', 3, "header_row"),
    ('[[file]]\nmatch = "r.csv\n', 2, "不是有效的TOML"),
])
def test_a_mapping_line_that_cannot_be_used_is_an_error_naming_the_line(tmp_path, mapping, line, words):
    d = _folder(tmp_path, mapping)
    r = runner.invoke(app, ["validate", str(d), "--rejects", str(tmp_path / "r.csv")])
    assert r.exit_code == 2
    assert f"zcgraph.toml 第{line}行" in r.output and words in r.output, r.output


def test_a_mapping_names_table_header_row_encoding_ignored_columns_and_spellings(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    # a GBK roster whose first row is a decoy (two aliases in a note) and whose header is row 2
    (d / "专家名册.txt").write_bytes("专家编号说明,评委会编号说明见附件\n评审专家编号,评委会,姓名,内部备注\n"
                                  "E1,PW1,张三,不外传\nE2,PW1,李四,不外传\n".encode("gb18030"))
    (d / "申报.csv").write_text("申报编号,评审年度,姓名,评委会编号\nA1,2024,王五,PW1\n", encoding="utf-8")
    (d / "打分.csv").write_text("申报编号,专家编号,表决\nA1,E1,赞成\nA1,E2,不赞成\n", encoding="utf-8")
    (d / "zcgraph.toml").write_text(
        'version = 1\n\n[[file]]\nmatch = "专家名册.txt"\ntable = "experts"\nencoding = "gb18030"\nheader_row = 2\n'
        '\n[file.columns]\n"评审专家编号" = "expert_id"\n"评委会" = "committee_id"\n"内部备注" = "ignore"\n'
        '\n[[file]]\nmatch = "打分*.csv"\n\n[file.values.vote]\n"赞成" = "同意"\n"不赞成" = "不同意"\n'
        '\n[[file]]\nmatch = "没有这个文件.csv"\ntable = "units"\n', encoding="utf-8")
    res = load_folder(d)
    assert res.errors == [], res.errors
    experts = res.tables["experts"]
    assert experts["expert_id"].tolist() == ["E1", "E2"] and experts["committee_id"].tolist() == ["PW1", "PW1"]
    assert "内部备注" not in experts.columns  # ignored: neither a column nor a kept property
    assert res.tables["reviews"]["vote"].tolist() == ["同意", "不同意"]
    assert any("赞成→同意(1)" in n for f in res.files for n in f.notes)
    assert any("第21行" in n and "没有对应任何文件" in n for n in res.notes)  # a block that fits no file
    assert {v.file: v.how for v in res.read_as}["专家名册.txt"] == "映射文件第3行"
    # without the mapping's encoding and header row, the roster is not the roster
    (d / "zcgraph.toml").unlink()
    assert load_folder(d).tables.get("experts") is None


_HEADER = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from("\n\t\"\\（）"),
                  min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(header=_HEADER, column=st.sampled_from([c.name for c in TABLES["applications"].columns]))
def test_any_header_written_into_a_mapping_reads_back_as_its_column(tmp_path_factory, header, column):
    """Property: whatever a header holds (quotes, backslashes, line breaks, brackets), the mapping
    ``write_mapping`` writes for it parses, validates, and names that column for that header."""
    from zcgraph.loaders.schema import normalise_header

    if not normalise_header(header):
        return  # a header that normalises to nothing is no header (the readers skip it)
    ins = Inspection("d", None, [SheetInspection("a.csv", None, "applications", "表头内容", 2, [], None,
                                                 headers=[HeaderVerdict(header, column, "建议", 0.9)])], [], [])
    text = write_mapping(ins).replace(f'"{column}?"', f'"{column}"')
    doc = tomllib.loads(text)
    assert normalise_header(next(iter(doc["file"][0]["columns"]))) == normalise_header(header)
    p = tmp_path_factory.mktemp("m") / "m.toml"
    p.write_text(text, encoding="utf-8")
    spec = load_mapping(p).resolve("a.csv").spec("applications")
    assert spec.match_header(header) == column
