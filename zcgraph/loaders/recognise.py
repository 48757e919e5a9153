"""Which table each file (and each sheet of a workbook) holds, by its header row first and its name second.

An export folder arrives as ``2024年度卫生系列高级职称申报人员花名册.xls`` and ``专家库（2023-2025届）.xlsx``, not as
``applications.csv``. Every sheet's header row is searched as the readers search it (first 10 rows, merged
two-row headers joined, notes stripped) once per table of the contract, and scored by how many of that
table's columns it names. A sheet goes to the table it names most columns of; a file named after a table
(``reviews-2024.csv``, the contract's naming) goes to that table whenever its header is that table's, so
today's names read as they always did; the name also breaks a tie. A sheet that names fewer than two
columns of any table, or two tables equally with no name to choose, is not read and is reported with its
best candidates and their scores, never skipped in silence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .mapping import EMPTY, MAPPING_NAME, Mapping, Resolved
from .readers import HEADER_SCAN_ROWS, _cell_text, _find_header, csv_head, html_tables, is_html, xls_rows
from .schema import TABLES, TableSpec

__all__ = ["Recognised", "recognise", "name_table", "SUFFIXES"]

SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xls")

MIN_SCORE = 2  # a header row names at least two of a table's columns (the contract's header rule)


@dataclass
class Recognised:
    """One sheet (or the one table of a CSV) and what it was read as."""

    file: str
    sheet: str | None
    table: str | None  # None: not read (see reason)
    how: str  # "文件名" (the name, its header agreeing), "表头内容" (the header alone), "" when not read
    score: int  # columns of ``table`` its header names
    candidates: list[tuple[str, int]] = field(default_factory=list)  # best tables first, with their scores
    reason: str | None = None
    mapping_lines: list[int] = field(default_factory=list)  # the mapping file's [[file]] blocks that apply

    def describe(self) -> str:
        where = self.file + (f"[{self.sheet}]" if self.sheet else "")
        if self.table:
            spec = TABLES[self.table]
            return f"{where} → {self.table}({spec.label_zh}),依据{self.how},表头对应{self.score}列"
        return f"{where} 未读入:{self.reason}"


def name_table(path: Path) -> str | None:
    """The table a file is named after (``reviews.csv``, ``reviews-2023.csv``, ``reviews_2024.xlsx``)."""
    stem = path.stem.lower()
    for t in sorted(TABLES, key=len, reverse=True):
        if stem == t or re.match(rf"^{t}[-_. ]", stem):
            return t
    return None


def _fit(spec: TableSpec, rows: list[list[str]]) -> tuple[bool, int]:
    """(whether the header names every column the table requires and one of each of its groups, how many of
    its columns it names): a sheet that could be loaded as the table ranks above one that could not."""
    found = _find_header(spec, rows)
    if not found:
        return False, 0
    named = {c for c in (spec.match_header(h) for h in found[1] if h) if c}
    whole = all(c.name in named for c in spec.required_columns) and all(named & set(g) for g in spec.one_of)
    return whole, len(named)


def _peek(path: Path, encoding: str | None = None, n: int = HEADER_SCAN_ROWS + 2
          ) -> list[tuple[str | None, list[list[str]]]]:
    """The first ``n`` rows of every sheet, as text (what the header search looks at), read as the readers read."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return [(None, csv_head(path, encoding, max(n, HEADER_SCAN_ROWS + 5))[3][:n])]
    if suffix == ".xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:  # merged cells are not filled here: the header search joins a two-row header itself
            return [(ws.title, [[_cell_text(v) for v in r] for r in ws.iter_rows(max_row=n, values_only=True)])
                    for ws in wb.worksheets]
        finally:
            wb.close()
    if suffix == ".xls":
        if is_html(path):
            return html_tables(path, n)
        import xlrd

        book = xlrd.open_workbook(str(path), on_demand=True)
        return [(sh.name, xls_rows(book, sh, n)) for sh in book.sheets()]
    return []


def candidates(rows: list[list[str]], res: Resolved = EMPTY) -> list[tuple[str, int, bool]]:
    """Every table its header names at least one column of, best first: by how many columns it names, then
    those it could be loaded as (every required column named) before the others. Headers a mapping file gives
    a meaning count as that column. (Count first: an expert roster whose 专家编号 is spelt 评审专家编号 names a
    dozen of the experts' columns and three of employment's, all employment requires; it is the roster.)"""
    scored = [(t, *_fit(res.spec(t), rows)) for t in TABLES]
    return [(t, n, whole) for t, whole, n in sorted((x for x in scored if x[2] > 0), key=lambda x: (-x[2], not x[1], x[0]))]


def recognise(data_dir: Path, mapping: Mapping | None = None) -> tuple[list[Recognised], list[str]]:
    """What every table-like file of the folder holds, sheet by sheet (a mapping file's ``table`` first, then
    the header, then the name); and the files that are not tables by their type (neither read nor reported as
    errors: ``.json``, ``.md`` and the like are listed)."""
    out: list[Recognised] = []
    other: list[str] = []
    for p in sorted(data_dir.iterdir()):
        if not p.is_file() or p.name.startswith((".", "~$")) or p.name == MAPPING_NAME:
            continue
        if p.suffix.lower() not in SUFFIXES:
            if p.suffix.lower() not in (".json", ".md"):
                other.append(p.name)
            continue
        named = name_table(p)
        whole = mapping.resolve(p.name, None) if mapping else EMPTY
        if whole.table and p.suffix.lower() in (".csv", ".tsv", ".txt"):
            named = whole.table  # the mapping file's word, as a name would say it
        by_name = f"映射文件第{whole.table_line}行" if whole.table and named == whole.table else "文件名"
        try:
            sheets = _peek(p, whole.encoding) if p.stat().st_size else []
        except Exception as e:  # noqa: BLE001 - an unreadable file: the reader names the reason
            if named:  # read as its name says; the reader reports why it cannot be
                out.append(Recognised(p.name, None, named, by_name, 0))
            else:
                out.append(Recognised(p.name, None, None, "", 0, reason=f"无法读取:{type(e).__name__}: {e}"))
            continue
        if not sheets:  # empty file: read by its name (the reader says it is empty), else not a table
            out.append(Recognised(p.name, None, named, by_name, 0) if named else
                       Recognised(p.name, None, None, "", 0, reason="文件为空(0字节),不是一张表"))
            continue
        found = [_one(p.name, sheet, rows, named, mapping.resolve(p.name, sheet) if mapping else EMPTY)
                 for sheet, rows in sheets]
        read = [r for r in found if r.table]
        if not read and named:
            # no sheet has this table's header: read it by its name, so the reader names the missing header
            out.append(Recognised(p.name, None, named, by_name, 0))
            continue
        if read and len(found) > 1:
            # a workbook whose other sheets hold no table (填表说明, a chart): told, not an error
            for r in found:
                if not r.table and not r.candidates:
                    r.reason = "此工作表没有任何表的表头,未读入"
        out.extend(found)
    return out, other


def _one(file: str, sheet: str | None, rows: list[list[str]], named: str | None, res: Resolved = EMPTY) -> Recognised:
    full = candidates(rows, res)
    cands = [(t, n) for t, n, _ in full]
    if res.table:  # the mapping file says which table: it is read as that (the reader names a missing header)
        return Recognised(file, sheet, res.table, f"映射文件第{res.table_line}行", dict(cands).get(res.table, 0),
                          cands, mapping_lines=res.lines)
    own = dict(cands).get(named, 0) if named else 0
    if named and own >= MIN_SCORE:  # the contract's name, and its header agrees
        return Recognised(file, sheet, named, "文件名", own, cands, mapping_lines=res.lines)
    top = [t for t, n, w in full if (n, w) == full[0][1:]] if full else []
    best = cands[0][1] if cands else 0
    shown = "、".join(f"{t}({TABLES[t].label_zh},{n}列{'' if w else ',缺必需列'})" for t, n, w in full[:3]) or "无"
    if best < MIN_SCORE:
        return Recognised(file, sheet, None, "", best, cands,
                          reason=f"表头不对应任何表(至少需对应某表2列);最接近:{shown}")
    if len(top) > 1:
        return Recognised(file, sheet, None, "", best, cands,
                          reason=f"表头同样程度地对应{len(top)}张表,无法判断:{shown};请改文件名或用映射文件指定")
    return Recognised(file, sheet, top[0], "表头内容", best, cands, mapping_lines=res.lines)
