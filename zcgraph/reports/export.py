"""Write a lead list (``run_rules``' result) as JSON, CSV, Excel or HTML, chosen by the file's extension.

The leads arrive already masked (unless the run was ``--reveal``); exports add no personal data of their own.
Spreadsheet cells that would run as formulas are written as text (``fields.guard``).
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

from ..queries.catalog import FAMILY_EN
from .fields import FIELDS, SEVERITY_EN, STATUS_EN, STATUSES, cell, guard, header

__all__ = ["write_leads", "run_info", "FORMATS", "SCHEMA_PATH", "ExportError"]

FORMATS = (".json", ".csv", ".xlsx", ".html")
SCHEMA_PATH = Path(__file__).parent / "schema" / "leads.schema.json"
_NOTES = {"zh": ("汇总", "运行信息", "类别", "风险等级", "评委会", "评审年度", "线索数", "项目", "值", "浏览器查询"),
          "en": ("Summary", "Run", "Family", "Severity", "Committee", "Year", "Leads", "Item", "Value", "Browser queries")}
SEVERITIES = ("高", "中", "低")


def _status_dropdown(ws, column: int, rows: int, lang: str) -> None:
    """核查状态 as a dropdown of the four statuses the dispositions reader accepts (English with ``--lang en``)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    if rows == 0:
        return
    values = [STATUS_EN[s] for s in STATUSES] if lang == "en" else list(STATUSES)
    dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True, showErrorMessage=True,
                        errorTitle=header("status", lang), error="、".join(values))
    col = get_column_letter(column)
    dv.add(f"{col}2:{col}{rows + 1}")
    ws.add_data_validation(dv)


class ExportError(ValueError):
    pass


CASE_SHEET = {"zh": ("案件", "案件编号", "类型", "当事方", "风险等级", "案件分", "线索数", "规则", "案件摘要", "线索编号"),
              "en": ("Cases", "Case ID", "Kind", "Party", "Severity", "Case score", "Leads", "Rules", "Summary",
                     "Lead IDs")}
_RUN_KEYS = {  # field -> (中文, English)
    "generated_at": ("生成时间", "generated_at"), "backend": ("运行后端", "backend"),
    "data_fingerprint": ("数据指纹", "data_fingerprint"), "mapping": ("映射文件", "mapping"),
    "neo4j_data": ("Neo4j库中数据", "neo4j_data"),
    "as_of": ("核查基准日", "as_of"), "revealed": ("是否显示原文(--reveal)", "revealed"), "complete": ("清单是否完整", "complete"),
    "rules_run": ("已运行规则", "rules_run"), "rules_skipped": ("跳过的规则", "rules_skipped"),
    "rules_failed": ("运行失败的规则", "rules_failed"), "files_not_read": ("未读入的文件", "files_not_read"),
    "rule_summary": ("各规则审查事实/检验对数/线索数", "rule_summary"),
    "miscalibrated": ("疑似校准不当(每百件申报超过1条线索)", "miscalibrated"),
    "parameters": ("参数", "parameters"),
}


def _neo4j_data(held: dict[str, Any] | None, en: bool) -> str | None:
    """Which data a Neo4j run's leads came from, as the database recorded it."""
    if not held:
        return None
    action = {"unchanged": ("already held", "库中原已是本数据"), "loaded": ("loaded", "本次载入"),
              "replaced": ("replaced other data", "本次替换了库中其他数据"),
              "updated": ("changed files replaced", "本次按文件更新")}.get(held.get("action", ""), ("", ""))
    fp, at = held.get("data_fingerprint"), held.get("loaded_at")
    return (f"data fingerprint {fp}, loaded {at}" + (f", {action[0]}" if action[0] else "") if en
            else f"数据指纹 {fp},载入于 {at}" + (f",{action[1]}" if action[1] else ""))


def run_info(result: dict[str, Any], lang: str = "zh") -> list[list[Any]]:
    """The run information every export carries, as (label, value) rows: what ran, what was skipped and why,
    what failed (rule, error, message) and which files were not read. A list with a failed rule or an unread
    file is partial, and says so first."""
    en = lang == "en"
    failed = result.get("rules_failed", [])
    unread = result.get("files_not_read", [])
    partial = bool(failed or unread)
    complete = ("no: partial list" if en else "否:清单不完整") if partial else ("yes" if en else "是")
    values = {
        "generated_at": result.get("generated_at"), "backend": result.get("backend"),
        "data_fingerprint": result.get("data_fingerprint"),
        "mapping": result.get("mapping") or ("none" if en else "未用映射文件"), "as_of": result.get("as_of"),
        "neo4j_data": _neo4j_data(result.get("neo4j_data"), en),
        "revealed": bool(result.get("revealed")), "complete": complete,
        "rules_run": ", ".join(result.get("rules_run", [])),
        "rules_skipped": "; ".join(f"{s['rule_id']}: {s['reason']}" for s in result.get("rules_skipped", [])),
        "rules_failed": "; ".join(f"{f['rule_id']}: {f['error']}: {f['message']}" for f in failed),
        "files_not_read": "; ".join(f"{f['file']}: {f['reason']}" for f in unread),
        "rule_summary": "; ".join(f"{r['rule_id']}: {r['facts']}/{'—' if r['tested'] is None else r['tested']}/"
                                  f"{r['leads']}" for r in result.get("rule_summary", [])),
        "miscalibrated": "; ".join(f"{r['rule_id']}: {r['leads']}/{result.get('applications')}"
                                   for r in result.get("rule_summary", []) if r.get("miscalibrated")),
        "parameters": json.dumps(result.get("parameters", {}), ensure_ascii=False, default=str),
    }
    return [[_RUN_KEYS[k][1 if en else 0], v] for k, v in values.items()]


def write_leads(result: dict[str, Any], path: Path, lang: str = "zh") -> Path:
    ext = path.suffix.lower()
    if ext not in FORMATS:
        raise ExportError(f"不支持的输出格式 {ext or '(无扩展名)'};可用:{'、'.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if ext == ".json":
        path.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    elif ext == ".csv":
        _csv(result, path, lang)
        # A CSV holds one table: the run information goes beside it (NAME.run.csv), so a partial list says so.
        with path.with_suffix(".run.csv").open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(list(_NOTES["en" if lang == "en" else "zh"][7:9]))
            w.writerows([k, guard(v) if isinstance(v, str) else v] for k, v in run_info(result, lang))
    elif ext == ".xlsx":
        _xlsx(result, path, lang)
    else:
        from .html import write_html

        write_html(result, path, lang)
    return path


def _rows(leads: list[dict[str, Any]], lang: str) -> list[list[Any]]:
    return [[cell(lead, f, lang) for f, _, _ in FIELDS] for lead in leads]


def _csv(result: dict[str, Any], path: Path, lang: str) -> None:
    # UTF-8 with a BOM: Excel opens it with the Chinese intact.
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([header(f, lang) for f, _, _ in FIELDS])
        for row in _rows(result["leads"], lang):
            w.writerow([guard(v) if v is not None else "" for v in row])


_WIDTH = {"severity": 8, "date": 11, "year": 7, "applicant": 16, "expert": 16, "status": 10, "reason": 16, "remedy": 16,
          "evidence": 60, "path": 60, "basis": 40, "cypher": 40, "stats": 30, "related_ids": 24, "rule_name": 18,
          "unit": 20, "lead_id": 18}


def _sheet(ws, headers: list[str], rows: list[list[Any]], widths: list[int], wrap: bool = True) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws.append(headers)
    for c in ws[1]:
        c.font = Font(bold=True)
    for row in rows:
        ws.append([None if v is None else v for v in row])
        for c in ws[ws.max_row]:
            if isinstance(c.value, str):
                c.data_type = "s"  # text, never a formula, whatever it begins with
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for row in ws.iter_rows(min_row=2):
        lines = 1
        for c, w in zip(row, widths):
            need = _lines(str(c.value), w) if wrap and isinstance(c.value, str) else 1
            c.alignment = Alignment(vertical="top", wrap_text=need > 1)  # wrap whatever is wider than its column
            lines = max(lines, need)
        if lines > 1:  # LibreOffice keeps a stored row one line high: give wrapped text the lines it needs
            ws.row_dimensions[row[0].row].height = 15 * min(lines, _MAX_LINES)
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = ws.dimensions
    # printed as a table: landscape A4, every column on the page's width, the header on every page
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


_MAX_LINES = 12  # a longer cell scrolls in its row rather than making one row a page


def _lines(text: str, width: int) -> int:
    """Lines a wrapped cell of this column width shows: a Chinese character takes two columns, a Latin one."""
    import unicodedata

    cols = max(1, width - 1)
    return sum(max(1, -(-sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) // cols))
               for line in text.splitlines() or [""])


# what an investigator reads on paper, in this order; the print area of every family sheet
PRINTED = ["lead_id", "severity", "rule_name", "date", "year", "committee_id", "applicant", "expert", "unit", "evidence",
           "status", "reason", "remedy"]


def _xlsx(result: dict[str, Any], path: Path, lang: str) -> None:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    t = _NOTES["en" if lang == "en" else "zh"]
    leads = result["leads"]
    wb = Workbook()
    cases = wb.active  # investigators work cases, not rows: the 案件 sheet comes first
    cases.title = CASE_SHEET["en" if lang == "en" else "zh"][0]
    heads = CASE_SHEET["en" if lang == "en" else "zh"][1:]
    _sheet(cases, list(heads), [[c["case_id"], c["kind"] if lang == "en" else c["kind_zh"], c["party"],
                                 cell({"severity": c["severity"]}, "severity", lang), c["score"], len(c["leads"]),
                                 ", ".join(c["rules"]), c["summary"], ";".join(c["leads"])]
                                for c in result.get("cases", [])], [20, 10, 26, 10, 8, 8, 30, 70, 40])
    summary = wb.create_sheet(t[0])
    rows: list[list[Any]] = []
    rank = {**{s: i for i, s in enumerate(SEVERITIES)}, **{SEVERITY_EN[s]: i for i, s in enumerate(SEVERITIES)}}
    for field, title in (("family", t[2]), ("severity", t[3]), ("committee_id", t[4]), ("year", t[5])):
        counts = Counter(cell(x, field, lang) for x in leads)
        order = (lambda kv: rank.get(kv[0], 9)) if field == "severity" else (lambda kv: str(kv[0]))
        rows += [[title, str(k) if k is not None else "—", n] for k, n in sorted(counts.items(), key=order)]
    _sheet(summary, [t[7], t[8], t[6]], rows, [14, 24, 10])
    # the family sheets: the catalog's order, every lead field but the Browser query, which has a sheet of its own
    # (a thousand characters of Cypher in a main column made every row a page)
    # The columns a reader needs come first and are the sheet's print area; the reference columns (ids,
    # statistics, the path, fingerprints) follow, on screen and in the round trip, but not on paper, where
    # thirty columns on one page's width were unreadable.
    fields = PRINTED + [f for f, _, _ in FIELDS if f not in PRINTED and f != "cypher"]
    headers = [header(f, lang) for f in fields]
    widths = [_WIDTH.get(f, 12) for f in fields]
    status_col = fields.index("status")
    families: dict[str, list[dict[str, Any]]] = {}
    for lead in leads:  # already sorted by score
        families.setdefault(lead["family"], []).append(lead)
    for fam in sorted(families, key=lambda f: list(FAMILY_EN).index(f) if f in FAMILY_EN else len(FAMILY_EN)):
        items = families[fam]
        name = FAMILY_EN.get(fam, fam) if lang == "en" else fam
        ws = wb.create_sheet(str(name)[:31])
        _sheet(ws, headers, [[cell(x, f, lang) for f in fields] for x in items], widths)
        _status_dropdown(ws, status_col + 1, len(items), lang)
        ws.print_area = f"A1:{get_column_letter(len(PRINTED))}{len(items) + 1}"
    queries = wb.create_sheet(t[9])
    _sheet(queries, [header("lead_id", lang), header("cypher", lang)], [[x["lead_id"], cell(x, "cypher", lang)]
                                                                        for x in leads], [18, 120],
           wrap=False)  # copied into Browser, not read on paper: one line a query
    run = wb.create_sheet(t[1])
    _sheet(run, [t[7], t[8]], run_info(result, lang), [18, 100])
    wb.save(path)
