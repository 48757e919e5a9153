"""Reading messy exports: encodings, headers, sheets, split files, rejects and file errors."""

from __future__ import annotations

import codecs
from pathlib import Path

import openpyxl
import pytest
from conftest import ID_A, ID_B, write_csv

from zcgraph.loaders.load import load_folder


def _apps(tmp: Path, name: str = "applications.csv", encoding: str = "utf-8", banner: str | None = None,
          rows=None, header=None) -> Path:
    header = header or ["申报编号", "评审年度", "姓名", "身份证号", "工作单位", "评委会编号"]
    rows = rows or [["A1", "2024", "张三", ID_A, "云南省第一人民医院", "PW01"]]
    return write_csv(tmp / name, header, rows, encoding=encoding, banner=banner)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030"])
def test_every_encoding_is_detected_without_being_told(minimal, encoding):
    _apps(minimal, encoding=encoding, rows=[["A1", "2024", "张三", ID_A, "昆明医科大学第一附属医院", "PW01"]])
    res = load_folder(minimal)
    app = res.tables["applications"]
    assert app.loc[0, "name"] == "张三" and app.loc[0, "employer"] == "昆明医科大学第一附属医院"
    assert not res.errors


def test_banner_rows_and_bracketed_header_notes(minimal):
    _apps(minimal, banner="2024年度卫生系列高级职称申报人员花名册",
          header=["申报编号*", "评审年度", "姓名", "身份证号\n(18位)", "工作单位", "评委会编号"])
    res = load_folder(minimal)
    assert res.tables["applications"].loc[0, "id_number"] == ID_A
    assert [f.rows for f in res.files if f.table == "applications"] == [1]


def test_header_split_over_two_rows_is_joined(minimal):
    path = minimal / "applications.csv"
    path.write_text("申报编号,评审年度,姓名,单位公示,\n,,,开始日期,结束日期\nA1,2024,张三,2024-06-03,2024-06-10\n",
                    encoding="utf-8")
    write_csv(minimal / "applications.csv", ["申报编号", "评审年度", "姓名", "单位公示", "", "评委会编号"], [])
    path.write_text("申报编号,评审年度,姓名,单位公示,,评委会编号\n,,,开始日期,结束日期,\n"
                    "A1,2024,张三,2024-06-03,2024-06-10,PW01\n", encoding="utf-8")
    app = load_folder(minimal).tables["applications"]
    assert str(app.loc[0, "publicity_start"].date()) == "2024-06-03"
    assert str(app.loc[0, "publicity_end"].date()) == "2024-06-10"


def test_unknown_columns_are_kept_and_footers_skipped(minimal):
    _apps(minimal, header=["申报编号", "评审年度", "姓名", "身份证号", "评委会编号", "备注"],
          rows=[["A1", "2024", "张三", ID_A, "PW01", "加急"], ["合计", "1", "", "", "", ""], ["制表人:王五", "", "", "", "", ""]])
    res = load_folder(minimal)
    app = res.tables["applications"]
    assert list(app["备注"]) == ["加急"] and len(app) == 1
    rep = next(f for f in res.files if f.table == "applications")
    assert rep.skipped_footer == 2


def test_two_headers_for_one_column_first_alias_wins_and_run_says_so(minimal):
    _apps(minimal, header=["申报编号", "评审年度", "姓名", "评审委员会编号", "评委会编号"],
          rows=[["A1", "2024", "张三", "旧编号", "PW01"]])
    res = load_folder(minimal)
    app = res.tables["applications"]
    assert app.loc[0, "committee_id"] == "PW01"
    assert app.loc[0, "评审委员会编号"] == "旧编号"
    rep = next(f for f in res.files if f.table == "applications")
    assert any("评委会编号" in n for n in rep.notes)


def test_split_table_files_are_concatenated(minimal):
    (minimal / "reviews.csv").unlink()
    write_csv(minimal / "reviews-2023.csv", ["申报编号", "专家编号"], [["A1", "E1"]])
    write_csv(minimal / "reviews-2024.csv", ["application_id", "expert_id"], [["A1", "E1"]])
    res = load_folder(minimal)
    assert sorted(res.tables["reviews"]["_file"]) == ["reviews-2023.csv", "reviews-2024.csv"]


def test_xlsx_every_matching_sheet_with_merged_cells(minimal):
    (minimal / "experts.csv").unlink()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2023"
    ws.append(["专家库名单"])
    ws.append(["专家编号", "评委会编号", "姓名", "身份证号", "入库日期"])
    ws.append(["E1", "PW01", "李四", ID_B, None])
    ws.append(["E2", None, "王五", None, 45356])
    ws.merge_cells("B3:B4")  # one committee cell spanning two experts
    ws2 = wb.create_sheet("说明")
    ws2.append(["这是说明页"])
    ws3 = wb.create_sheet("2024")
    ws3.append(["专家编号", "评委会编号", "姓名"])
    ws3.append(["E3", "PW02", "赵六"])
    wb.save(minimal / "experts.xlsx")
    res = load_folder(minimal)
    ex = res.tables["experts"].set_index("expert_id")
    assert ex.loc["E2", "committee_id"] == "PW01"  # forward-filled from the merged cell
    assert str(ex.loc["E2", "pool_from"].date()) == "2024-03-05"  # Excel serial
    assert set(ex.index) == {"E1", "E2", "E3"}


def test_html_saved_as_xls_is_read_as_html(minimal):
    (minimal / "experts.csv").unlink()
    (minimal / "experts.xls").write_text(
        "<html><body><table><tr><td>专家编号</td><td>评委会编号</td><td>姓名</td></tr>"
        "<tr><td>E1</td><td>PW01</td><td>李四</td></tr></table></body></html>", encoding="utf-8")
    res = load_folder(minimal)
    assert list(res.tables["experts"]["expert_id"]) == ["E1"]


def test_missing_required_column_names_file_column_and_aliases_and_rest_loads(minimal):
    write_csv(minimal / "experts.csv", ["专家姓名", "评委会编号"], [["李四", "PW01"]])
    res = load_folder(minimal)
    msg = " ".join(str(e) for e in res.errors)
    assert "experts.csv" in msg and "expert_id" in msg and "专家编号" in msg
    assert "applications" in res.tables and "reviews" in res.tables


def test_unreadable_file_is_an_error_and_rest_loads(minimal):
    (minimal / "committees.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    res = load_folder(minimal)
    assert any(e.file == "committees.xlsx" and "无法" in e.message for e in res.errors)
    assert len(res.tables["applications"]) == 1


def test_bad_key_rejects_row_with_file_row_column_reason(minimal):
    _apps(minimal, rows=[["A1", "2024", "张三", ID_A, "X", "PW01"], ["", "2024", "李四", ID_B, "X", "PW01"],
                         ["A3", "待定", "王五", "", "X", "PW01"]])
    res = load_folder(minimal)
    rj = res.rejects[res.rejects["action"] == "拒绝"]
    got = {(r.file, r.row, r.column) for r in rj.itertuples()}
    assert got == {("applications.csv", 3, "application_id"), ("applications.csv", 4, "year")}
    assert list(res.tables["applications"]["application_id"]) == ["A1"]
    rep = next(f for f in res.files if f.file == "applications.csv")
    assert (rep.rows, rep.rejected, rep.loaded) == (3, 2, 1)


def test_bad_optional_value_becomes_empty_with_a_warning(minimal):
    write_csv(minimal / "reviews.csv", ["申报编号", "专家编号", "评分", "表决", "评审日期"],
              [["A1", "E1", "优秀", "赞成", "待定"]])
    res = load_folder(minimal)
    rv = res.tables["reviews"]
    assert len(rv) == 1 and rv["score"].isna().all() and rv["vote"].isna().all() and rv["reviewed_on"].isna().all()
    warned = set(res.rejects.loc[res.rejects["action"] == "警告", "column"])
    assert {"score", "vote", "reviewed_on"} <= warned


def test_application_numbering_restarting_each_year_is_qualified(minimal):
    _apps(minimal, rows=[["1", "2023", "张三", ID_A, "X", "PW01"], ["1", "2024", "李四", ID_B, "X", "PW01"]])
    res = load_folder(minimal)
    assert sorted(res.tables["applications"]["application_key"]) == ["2023-1", "2024-1"]
    assert any("年度-编号" in n for n in res.notes)


def test_birth_date_from_valid_id_wins(minimal):
    _apps(minimal, header=["申报编号", "评审年度", "姓名", "身份证号", "出生日期", "评委会编号"],
          rows=[["A1", "2024", "张三", ID_A, "1950-01-01", "PW01"]])
    res = load_folder(minimal)
    assert str(res.tables["applications"].loc[0, "birth_date"].date()) == "1949-12-31"
    assert (res.rejects["reason"].str.contains("以身份证号为准")).any()


def test_missing_required_table_is_an_error(tmp_path):
    write_csv(tmp_path / "applications.csv", ["申报编号", "评审年度", "姓名"], [["A1", "2024", "张三"]])
    res = load_folder(tmp_path)
    assert {e.table for e in res.errors} >= {"experts", "reviews"}


def test_sanction_default_end_dates(minimal):
    write_csv(minimal / "sanctions.csv", ["姓名", "身份证号", "处理类型", "开始日期", "结束日期", "评委会编号"],
              [["张三", ID_A, "申报人失信", "2022-03-01", "", ""], ["", "", "暂停评审", "2023-01-01", "", "PW01"]])
    res = load_folder(minimal)
    s = res.tables["sanctions"]
    assert len(s) == 1 and str(s.loc[0, "end"].date()) == "2025-03-01"
    assert (res.rejects["reason"] == "暂停评审必须有结束日期").any()


def test_bom_only_file_of_utf16_reads(minimal):
    raw = codecs.BOM_UTF16_LE + "申报编号\t评审年度\t姓名\t评委会编号\nA9\t2024\t赵六\tPW01\n".encode("utf-16-le")
    (minimal / "applications.tsv").write_bytes(raw)
    (minimal / "applications.csv").unlink()
    assert list(load_folder(minimal).tables["applications"]["application_id"]) == ["A9"]


def test_a_column_excel_zeroed_is_rejected_by_its_evidence_not_by_one_ending(minimal):
    from stdnum.cn import ric

    def ids(n: int) -> list[str]:
        return [b + ric.calc_check_digit(b + "0") for b in (f"5301021990010{i + 1}12{i}" for i in range(n))]

    real = ids(3)
    zeroed = [x[:15] + "000" for x in real]  # what Excel keeps of them: 15 significant digits
    _apps(minimal, rows=[[f"A{i}", "2024", f"张{i}", z, "医院", "PW01"] for i, z in enumerate(zeroed)])
    res = load_folder(minimal)
    rj = res.rejects[(res.rejects["column"] == "id_number") & (res.rejects["file"] == "applications.csv")]
    assert len(rj) == 3 and rj["reason"].str.contains("Excel").all() and list(rj["row"]) == [2, 3, 4]
    assert res.tables["applications"]["id_number"].isna().all()  # the rows load; the mangled ids do not
    # A valid number ending in 000 among ordinary ones is simply valid.
    _apps(minimal, rows=[["A1", "2024", "张三", "530102199001041000", "医院", "PW01"],
                         ["A2", "2024", "李四", real[0], "医院", "PW01"]])
    res = load_folder(minimal)
    assert res.tables["applications"]["id_number_valid"].all()
    assert not (res.rejects["file"] == "applications.csv").any()


def test_control_characters_are_removed_with_a_warning(minimal):
    _apps(minimal, rows=[["A1", "2024", "王\x00五", ID_A, "医院\x07", "PW01"]])
    res = load_folder(minimal)
    app = res.tables["applications"]
    assert app.loc[0, "name"] == "王五" and app.loc[0, "employer"] == "医院"
    warned = res.rejects[res.rejects["reason"].str.contains("控制字符")]
    assert set(warned["column"]) == {"name", "employer"} and (warned["row"] == 2).all()
