"""Read one input file into raw text tables.

Every cell is read as text. Encodings are tried strictly in the contract's
order (UTF-8 with/without BOM, UTF-16 by BOM, GB18030) and only then guessed
by charset-normalizer, with a warning. The header row is found among the first
10 rows; a header split over two merged rows is joined.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .schema import TableSpec, normalise_header

__all__ = ["RawSheet", "ReadError", "read_file", "detect_encoding"]

HEADER_SCAN_ROWS = 10
FOOTER_PREFIXES = ("合计", "总计", "小计", "制表人", "制表", "填表人", "审核人", "负责人", "注:", "备注:", "说明:")


class ReadError(Exception):
    """A file that cannot be read at all, or lacks a required column."""

    def __init__(self, file: str, message: str, column: str | None = None) -> None:
        super().__init__(f"{file}: {message}")
        self.file = file
        self.column = column
        self.message = message


@dataclass
class RawSheet:
    file: str
    sheet: str | None
    header_row: int  # 1-based row of the (last) header line
    frame: pd.DataFrame  # canonical + extra columns, all text, plus _file/_sheet/_row
    mapping: dict[str, str]  # original header -> canonical column
    extras: list[str]  # columns kept as properties
    notes: list[str] = field(default_factory=list)
    skipped_footer: int = 0
    skipped_blank: int = 0
    encoding: str | None = None


# --------------------------------------------------------------------------- encodings

def _decodes(path: Path, encoding: str) -> bool:
    dec = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                dec.decode(chunk)
            dec.decode(b"", final=True)
        return True
    except UnicodeDecodeError:
        return False


def detect_encoding(path: Path) -> tuple[str, str | None]:
    """Return ``(encoding, warning)``, trying the contract's order strictly."""
    with path.open("rb") as f:
        head = f.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", None
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16", None
    for enc in ("utf-8", "gb18030"):
        if _decodes(path, enc):
            return enc, None
    from charset_normalizer import from_path

    best = from_path(path).best()
    if best is None:
        raise ReadError(str(path.name), "无法识别文件编码(不是UTF-8、UTF-16或GB18030)")
    return best.encoding, f"编码无法严格识别,按统计推测为{best.encoding},请核对乱码"


# --------------------------------------------------------------------------- header

def _norm_cell(v: object) -> str:
    return normalise_header("" if v is None else str(v))


def _match_count(spec: TableSpec, cells: list[str]) -> int:
    return len({c for c in (spec.match_header(x) for x in cells if x) if c})


def _find_header(spec: TableSpec, rows: list[list[str]]) -> tuple[int, list[str], int] | None:
    """(index of first data row, header texts, index of last header row)."""
    if spec.header_rows:  # a mapping file names the header row(s): no search
        idx = [r - 1 for r in spec.header_rows]
        if idx[-1] >= len(rows):
            return None
        cells = [_norm_cell(c) for c in rows[idx[0]]]
        if len(idx) == 1:
            return idx[0] + 1, cells, idx[0]
        top, last = [], ""
        for c in cells:
            last = c or last
            top.append(last)
        below = [_norm_cell(c) for c in rows[idx[1]]]
        width = max(len(top), len(below))
        top, below = top + [""] * (width - len(top)), below + [""] * (width - len(below))
        return idx[1] + 1, [(t + b) if b and t != b else (t or b) for t, b in zip(top, below)], idx[1]
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        cells = [_norm_cell(c) for c in row]
        n = _match_count(spec, cells)
        if n < 2:
            continue
        # A header split over two merged rows: the top is forward-filled across its span.
        if i + 1 < len(rows):
            below = [_norm_cell(c) for c in rows[i + 1]]
            top: list[str] = []
            last = ""
            for c in cells:
                last = c or last
                top.append(last)
            joined = [(t + b) if b else c for t, b, c in zip(top, below + [""] * len(top), cells)]
            alone = [b or c for b, c in zip(below + [""] * len(cells), cells)]
            best = max((joined, alone), key=lambda h: _match_count(spec, h))
            if _match_count(spec, best) > n:
                return i + 2, best, i + 1
        return i + 1, cells, i
    return None


# --------------------------------------------------------------------------- cells

def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S") if (v.hour or v.minute or v.second) else v.strftime("%Y-%m-%d")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float):
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        if abs(v) >= 1e15:
            return f"{v:.5E}"  # what Excel shows for a long id typed as a number
        return repr(v)
    if isinstance(v, int):
        return f"{float(v):.5E}" if abs(v) >= 10**15 and str(v).endswith("000") else str(v)
    return str(v)


# --------------------------------------------------------------------------- sheets

_DROPPED = "\0dropped"  # a header the mapping file says to ignore: neither a column nor a property


def _map_header(spec: TableSpec, header: list[str]) -> tuple[list[str | None], dict[str, str], list[str]]:
    """Column names for each header cell: the canonical column, ``x:HEADER`` for an
    extra column, or None for an unnamed one. When two headers name one column the
    alias listed first in the contract wins, and the run says so."""
    names: list[str | None] = [None] * len(header)
    mapping: dict[str, str] = {}
    notes: list[str] = []
    best: dict[str, tuple[int, int]] = {}
    for j, h in enumerate(header):
        canon = spec.match_header(h) if h else None
        if canon:
            mapping[h] = canon
            cand = (spec.header_priority(h), j)
            best[canon] = min(best.get(canon, cand), cand)
    for j, h in enumerate(header):
        canon = spec.match_header(h) if h else None
        if h and spec.ignores(h):
            names[j] = _DROPPED
        elif canon and best[canon][1] == j:
            names[j] = canon
        elif canon:
            winner = header[best[canon][1]]
            notes.append(f"列“{h}”与“{winner}”都对应{canon},按数据规范的别名顺序采用“{winner}”,"
                         f"“{h}”作为附加属性保留")
            names[j] = f"x:{h}"
        elif h:
            names[j] = f"x:{h}"
    return names, mapping, notes


def _sheet_from_body(spec: TableSpec, file: str, sheet: str | None, header: list[str],
                     body: pd.DataFrame, first_row_number: int, header_row: int) -> RawSheet:
    """Build a RawSheet from a text body whose first row is file row ``first_row_number``."""
    width = max(len(header), len(body.columns))
    header = list(header) + [""] * (width - len(header))
    body = body.reindex(columns=range(width)) if len(body.columns) < width else body
    body.columns = range(width)
    body = body.fillna("").astype(str)
    names, mapping, notes = _map_header(spec, header)
    stripped = body.apply(lambda c: c.str.strip()) if width else body
    nonempty = stripped != ""
    blank = ~nonempty.any(axis=1) if width else pd.Series(True, index=body.index)
    first_idx = nonempty.to_numpy().argmax(axis=1) if width and len(body) else []
    firsts = pd.Series(stripped.to_numpy()[np.arange(len(body)), first_idx], index=body.index, dtype=object) \
        if len(body) else pd.Series([], dtype=object)
    footer = ~blank & firsts.map(lambda c: unicodedata.normalize("NFKC", c).replace(" ", "").startswith(FOOTER_PREFIXES))
    keep = (~blank & ~footer).to_numpy()
    for j in range(width):
        if names[j] is None and nonempty.iloc[keep, j].any():
            names[j] = f"x:未命名列{j + 1}"
    positions = [j for j in range(width) if names[j] is not None and names[j] != _DROPPED]
    frame = body.iloc[keep, positions].reset_index(drop=True)
    cols = [names[j] for j in positions]
    frame.columns = [c[2:] if c.startswith("x:") else c for c in cols]  # type: ignore[union-attr]
    extras = [c[2:] for c in cols if c.startswith("x:")]  # type: ignore[union-attr]
    frame["_file"] = file
    frame["_sheet"] = sheet or ""
    frame["_row"] = (pd.RangeIndex(len(body)) + first_row_number)[keep]
    return RawSheet(file=file, sheet=sheet, header_row=header_row, frame=frame, mapping=mapping,
                    extras=extras, notes=notes, skipped_footer=int(footer.sum()),
                    skipped_blank=int(blank.sum()))


def _build(spec: TableSpec, file: str, sheet: str | None, rows: list[list[str]]) -> RawSheet | None:
    found = _find_header(spec, rows)
    if found is None:
        return None
    data_start, header, last_header = found
    body = pd.DataFrame(rows[data_start:], dtype=object)
    return _sheet_from_body(spec, file, sheet, header, body, data_start + 1, last_header + 1)


def csv_head(path: Path, encoding: str | None = None, rows: int = HEADER_SCAN_ROWS + 5
             ) -> tuple[str, str | None, str, list[list[str]]]:
    """(encoding, its warning, delimiter, the first rows): what the header search of a text file looks at. An
    encoding a mapping file names is used as named."""
    enc, warn = (encoding, None) if encoding else detect_encoding(path)
    with path.open("r", encoding=enc, newline="") as f:
        sample = f.read(max(64, rows * 4) * 1024)
    lines = sample.splitlines()[:rows]
    try:
        delim = csv.Sniffer().sniff("\n".join(lines), delimiters=",\t;|").delimiter
    except csv.Error:
        delim = "\t" if path.suffix.lower() == ".tsv" else ","
    return enc, warn, delim, list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delim))


def is_html(path: Path) -> bool:
    """An HTML page saved as .xls (what web systems export)."""
    head = path.read_bytes()[:2048].lower()
    return b"<html" in head or b"<table" in head or head.lstrip().startswith(b"<")


def html_tables(path: Path, limit: int | None = None) -> list[tuple[str, list[list[str]]]]:
    """Each table of an HTML .xls as ("tableN", rows as text), its first ``limit`` rows when given."""
    enc, _ = detect_encoding(path)
    tables = pd.read_html(io.StringIO(path.read_text(encoding=enc)), header=None)
    return [(f"table{k + 1}", [[_cell_text(v) if not (isinstance(v, float) and pd.isna(v)) else "" for v in r]
                               for r in (t if limit is None else t.head(limit)).itertuples(index=False)])
            for k, t in enumerate(tables)]


def xls_rows(book, sh, limit: int | None = None) -> list[list[str]]:
    """A real .xls sheet's rows as text (dates as dates), its first ``limit`` rows when given."""
    import xlrd

    rows = []
    for r in range(sh.nrows if limit is None else min(limit, sh.nrows)):
        row = []
        for c in range(sh.ncols):
            cell = sh.cell(r, c)
            if cell.ctype == xlrd.XL_CELL_DATE:
                row.append(_cell_text(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)))
            else:
                row.append(_cell_text(cell.value if cell.value != "" else None))
        rows.append(row)
    return rows


def _read_csv(spec: TableSpec, path: Path) -> list[RawSheet]:
    enc, warn, delim, head_rows = csv_head(path, spec.encoding)
    found = _find_header(spec, head_rows)
    if found is None:
        raise ReadError(path.name, f"前{HEADER_SCAN_ROWS}行中找不到{spec.name}({spec.label_zh})的表头")
    data_start, header, last_header = found
    # The body goes through pandas' C parser as text: no per-row Python.
    width = max((len(r) for r in head_rows), default=1)
    try:
        body = pd.read_csv(path, encoding=enc, sep=delim, header=None, dtype=str, keep_default_na=False,
                           skiprows=data_start, skip_blank_lines=False, engine="c", names=range(width))
    except pd.errors.ParserError:
        # A row wider than the header: read with the Python parser and keep the extra cells
        # as unnamed columns rather than drop the row.
        with path.open("r", encoding=enc, newline="") as f:
            rows = list(csv.reader(f, delimiter=delim))[data_start:]
        body = pd.DataFrame(rows, dtype=object)
    sheet = _sheet_from_body(spec, path.name, None, header, body, data_start + 1, last_header + 1)
    sheet.encoding = enc
    if warn:
        sheet.notes.append(warn)
    return [sheet]


def _read_xlsx(spec: TableSpec, path: Path, only: list[str] | None = None) -> list[RawSheet]:
    import openpyxl

    big = path.stat().st_size > 30 * 1024 * 1024
    try:
        wb = openpyxl.load_workbook(path, read_only=big, data_only=True)
    except Exception as e:  # noqa: BLE001 - any openpyxl failure means unreadable
        raise ReadError(path.name, f"无法打开Excel文件: {e}") from e
    out: list[RawSheet] = []
    for ws in wb.worksheets:
        if only is not None and ws.title not in only:
            continue
        rows = [[_cell_text(v) for v in r] for r in ws.iter_rows(values_only=True)]
        if not big:
            for rng in ws.merged_cells.ranges:
                v = rows[rng.min_row - 1][rng.min_col - 1] if rng.min_row - 1 < len(rows) else ""
                for r in range(rng.min_row - 1, min(rng.max_row, len(rows))):
                    for c in range(rng.min_col - 1, rng.max_col):
                        if c < len(rows[r]):
                            rows[r][c] = v
        sheet = _build(spec, path.name, ws.title, rows)
        if sheet is not None:
            out.append(sheet)
    wb.close()
    if not out:
        raise ReadError(path.name, f"没有任何工作表的表头与{spec.name}({spec.label_zh})相符")
    return out


def _read_xls(spec: TableSpec, path: Path, only: list[str] | None = None) -> list[RawSheet]:
    if is_html(path):
        out = [sheet for name, rows in html_tables(path) if only is None or name in only
               if (sheet := _build(spec, path.name, name, rows)) is not None]
        if not out:
            raise ReadError(path.name, f"HTML表格中找不到{spec.name}的表头")
        return out
    try:
        import xlrd
    except ImportError as e:  # pragma: no cover - xlrd is a dependency
        raise ReadError(path.name, "读取.xls需要xlrd") from e
    book = xlrd.open_workbook(str(path))
    out = [sheet for sh in book.sheets() if only is None or sh.name in only
           if (sheet := _build(spec, path.name, sh.name, xls_rows(book, sh))) is not None]
    if not out:
        raise ReadError(path.name, f"没有任何工作表的表头与{spec.name}相符")
    return out


def read_file(spec: TableSpec, path: Path, sheets: list[str] | None = None) -> list[RawSheet]:
    """Read one file of a table into one RawSheet per matching sheet (of ``sheets`` only, when given: a
    workbook may hold several tables, one a sheet)."""
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise ReadError(path.name, "文件为空(0字节),不是一张表;若该表确无记录,请至少保留表头行")
    try:
        if suffix in (".csv", ".tsv", ".txt"):
            return _read_csv(spec, path)
        if suffix == ".xlsx":
            return _read_xlsx(spec, path, sheets)
        if suffix == ".xls":
            return _read_xls(spec, path, sheets)
    except ReadError:
        raise
    except Exception as e:  # noqa: BLE001 - report any parser failure against the file
        raise ReadError(path.name, f"文件无法读取: {type(e).__name__}: {e}") from e
    raise ReadError(path.name, f"不支持的文件类型{suffix}")


