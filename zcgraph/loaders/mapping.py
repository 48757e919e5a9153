"""The mapping file: what a folder's own files, headers and spellings mean, written down once and reused.

Exports arrive with headers nobody foresaw (``证件号``, ``评审专家编号``) and spellings of their own
(``赞成/不赞成``). Instead of editing them by hand in Excel, the user (or ``zcgraph inspect --write-mapping``)
writes ``zcgraph.toml`` in the data folder, or passes ``--mapping FILE``::

    version = 1

    [[file]]
    match = "2024年度*花名册.xls"   # a glob on the file name
    sheet = "PW*"                 # optional: a glob on the sheet name (workbooks)
    table = "applications"        # optional: the table it holds (else recognised by its header)
    encoding = "gb18030"          # optional: a text file's encoding, instead of the detection
    header_row = 3                # optional: the header's row (1-based; [2, 3] for a two-row header)

    [file.columns]                # header as written -> contract column, or "ignore" (dropped)
    "证件号" = "id_number"
    "备注" = "ignore"

    [file.values.vote]            # value as written -> the contract's value
    "赞成" = "同意"

Every ``[[file]]`` block whose ``match`` (and ``sheet``) fits a file applies, in the order written; a later
block's entries win. A suggestion left unconfirmed (``"id_number?"``, as ``inspect`` writes them) is an error,
as is an unknown key, table, column or value: each error names the mapping file's line.
"""

from __future__ import annotations

import fnmatch
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .schema import TABLES, TableSpec

__all__ = ["IGNORE", "MAPPING_NAME", "FileRule", "Mapping", "MappingError", "find_mapping", "load_mapping"]

MAPPING_NAME = "zcgraph.toml"
IGNORE = "ignore"
_FILE_KEYS = {"match", "sheet", "table", "encoding", "header_row", "columns", "values"}


class MappingError(Exception):
    """A mapping file that cannot be used: every problem, each with its line."""

    def __init__(self, path: Path, problems: list[tuple[int, str]]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(f"{path.name} 第{line}行: {msg}" for line, msg in problems))


@dataclass
class FileRule:
    """One ``[[file]]`` block."""

    line: int  # where the block starts
    match: str
    sheet: str | None = None
    table: str | None = None
    encoding: str | None = None
    header_rows: tuple[int, ...] = ()
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    def fits(self, file: str, sheet: str | None) -> bool:
        if not fnmatch.fnmatchcase(file.lower(), self.match.lower()):
            return False
        return self.sheet is None or (sheet is not None and fnmatch.fnmatchcase(sheet.lower(), self.sheet.lower()))


@dataclass
class Resolved:
    """What the mapping says about one sheet (or text file): the merge of every block that fits it."""

    table: str | None = None
    table_line: int | None = None
    encoding: str | None = None
    header_rows: tuple[int, ...] = ()
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    lines: list[int] = field(default_factory=list)

    def spec(self, table: str) -> TableSpec:
        """The table as this file of it is read: only the entries about that table's columns."""
        base = TABLES[table]
        names = {c.name for c in base.columns}
        if not (self.columns or self.header_rows or self.encoding or self.values):
            return base
        return base.read_with({h: c for h, c in self.columns.items() if c == IGNORE or c in names},
                              self.header_rows, self.encoding,
                              {c: m for c, m in self.values.items() if c in names})


@dataclass
class Mapping:
    path: Path
    fingerprint: str
    rules: list[FileRule]

    def resolve(self, file: str, sheet: str | None = None) -> Resolved:
        r = Resolved()
        for rule in self.rules:
            if not rule.fits(file, sheet):
                continue
            r.lines.append(rule.line)
            if rule.table:
                r.table, r.table_line = rule.table, rule.line
            r.encoding = rule.encoding or r.encoding
            r.header_rows = rule.header_rows or r.header_rows
            r.columns.update(rule.columns)
            for col, m in rule.values.items():
                r.values.setdefault(col, {}).update(m)
        return r

    def describe(self) -> str:
        return f"{self.path.name}(指纹 {self.fingerprint})"


EMPTY = Resolved()


# --------------------------------------------------------------------------- lines

_KEY = re.compile(r'^\s*(?:"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|([A-Za-z0-9_\-]+))\s*=')
_TABLE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_ARRAY = re.compile(r"^\s*\[\[\s*([^\[\]]+?)\s*\]\]\s*(?:#.*)?$")


def _locate(text: str) -> tuple[list[int], dict[tuple[int, str, str], int]]:
    """Where each ``[[file]]`` block starts, and the line of each key in it: (block, section, key) -> line,
    section being "" for the block itself, "columns" or "values.COLUMN". Enough of TOML for the lines of the
    errors; tomllib does the parsing."""
    starts: list[int] = []
    keys: dict[tuple[int, str, str], int] = {}
    block, section = -1, ""
    for n, raw in enumerate(text.splitlines(), 1):
        if m := _ARRAY.match(raw):
            if m.group(1) == "file":
                starts.append(n)
                block, section = len(starts) - 1, ""
            continue
        if m := _TABLE.match(raw):
            name = m.group(1).replace('"', "").replace("'", "")
            section = name[5:] if name.startswith("file.") else "?" + name
            if section.startswith("values."):
                keys.setdefault((block, "values", section[7:]), n)
            continue
        if m := _KEY.match(raw):
            k = m.group(1) if m.group(1) is not None else m.group(2) if m.group(2) is not None else m.group(3)
            keys.setdefault((block, section, k), n)
    return starts, keys


# --------------------------------------------------------------------------- loading

def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file against the contract; every problem is listed with its line."""
    from .load import ENUMS  # the closed value sets (load imports this module's users, not this module)

    raw = path.read_bytes()
    text = raw.decode("utf-8-sig", errors="replace")
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        raise MappingError(path, [(int(m.group(1)) if m else 1, f"不是有效的TOML:{e}")]) from None
    starts, keys = _locate(text)
    problems: list[tuple[int, str]] = []

    def line(block: int, section: str = "", key: str | None = None) -> int:
        if key is not None and (block, section, key) in keys:
            return keys[(block, section, key)]
        if block < len(starts):
            return starts[block]
        return 1

    for k in doc:
        if k not in ("version", "file"):
            problems.append((keys.get((-1, "", k), 1), f"未知的设置“{k}”(只能是 version 和 [[file]])"))
    if doc.get("version", 1) != 1:
        problems.append((keys.get((-1, "", "version"), 1), f"不支持的版本 {doc.get('version')!r}(应为 1)"))
    blocks = doc.get("file", [])
    if not isinstance(blocks, list):
        problems.append((1, "file 应写作 [[file]] 块"))
        blocks = []
    rules: list[FileRule] = []
    for b, blk in enumerate(blocks):
        for k in blk:
            if k not in _FILE_KEYS:
                problems.append((line(b, "", k), f"未知的设置“{k}”(可用:{'、'.join(sorted(_FILE_KEYS))})"))
        match = blk.get("match")
        if not isinstance(match, str) or not match.strip():
            problems.append((line(b, "", "match"), "每个 [[file]] 块都要有 match(文件名,可用 * ? 通配)"))
            continue
        table = blk.get("table")
        if table is not None:
            if not isinstance(table, str) or table.rstrip("?") not in TABLES:
                problems.append((line(b, "", "table"), f"未知的表“{table}”;可用:{'、'.join(TABLES)}"))
                table = None
            elif table.endswith("?"):
                problems.append((line(b, "", "table"), f"“{table}”是建议,尚未确认:核对后去掉问号"))
                table = None
        sheet = blk.get("sheet")
        if sheet is not None and not isinstance(sheet, str):
            problems.append((line(b, "", "sheet"), "sheet 应为工作表名(可用 * ? 通配)"))
            sheet = None
        enc = blk.get("encoding")
        if enc is not None:
            import codecs

            try:
                codecs.lookup(str(enc))
            except LookupError:
                problems.append((line(b, "", "encoding"), f"未知的编码“{enc}”(如 utf-8、gb18030、utf-16)"))
                enc = None
        hr = blk.get("header_row")
        rows: tuple[int, ...] = ()
        if hr is not None:
            vals = hr if isinstance(hr, list) else [hr]
            if not (1 <= len(vals) <= 2 and all(isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 10
                                                for v in vals) and (len(vals) == 1 or vals[1] == vals[0] + 1)):
                problems.append((line(b, "", "header_row"),
                                 f"header_row 应为表头所在行号(1-10),或相邻两行如 [2, 3],而不是 {hr!r}"))
            else:
                rows = tuple(vals)
        # the columns a header may name: the block's table's, or (no table) any table's
        allowed = {c.name for c in TABLES[table].columns} if table else {c.name for t in TABLES.values()
                                                                          for c in t.columns}
        where = f"{table}({TABLES[table].label_zh})" if table else "任何表"
        cols: dict[str, str] = {}
        given = blk.get("columns", {})
        if not isinstance(given, dict):
            problems.append((line(b, "", "columns"), "columns 应写作 [file.columns] 表头 = 列名"))
            given = {}
        for h, c in given.items():
            ln = line(b, "columns", h)
            if not isinstance(c, str):
                problems.append((ln, f"表头“{h}”应对应一个列名(字符串)或 \"ignore\""))
            elif c.endswith("?"):
                problems.append((ln, f"表头“{h}” → “{c}”是建议,尚未确认:核对后去掉问号,或改为 \"ignore\""))
            elif c != IGNORE and c not in allowed:
                near = sorted(allowed, key=lambda x: -_ratio(c, x))[:3]
                problems.append((ln, f"表头“{h}”对应的列“{c}”不是{where}的列;相近的列:{'、'.join(near)}"))
            else:
                cols[h] = c
        vals_in: Any = blk.get("values", {})
        values: dict[str, dict[str, str]] = {}
        if not isinstance(vals_in, dict):
            problems.append((line(b, "", "values"), "values 应写作 [file.values.列名] 原值 = 规范值"))
            vals_in = {}
        for col, m in vals_in.items():
            ln = line(b, "values", col)
            if col not in allowed:
                problems.append((ln, f"取值对照的列“{col}”不是{where}的列"))
                continue
            if not isinstance(m, dict) or not all(isinstance(v, str) for v in m.values()):
                problems.append((ln, f"[file.values.{col}] 应为 原值 = 规范值"))
                continue
            closed = {canon for (t, c), (syn, is_closed) in ENUMS.items() if c == col and is_closed
                      and (table is None or t == table) for canon in syn.values()}
            for written, meant in m.items():
                if closed and meant not in closed:
                    problems.append((line(b, "values." + col, written),
                                     f"“{written}”对照为“{meant}”,但{col}只能取:{'/'.join(sorted(closed))}"))
            values[col] = {str(k).strip(): v.strip() for k, v in m.items()}
        rules.append(FileRule(line(b), match.strip(), sheet, table, enc, rows, cols, values))
    if problems:
        raise MappingError(path, sorted(problems))
    return Mapping(path, hashlib.sha256(raw).hexdigest()[:12], rules)


def find_mapping(data_dir: Path, explicit: Path | None = None) -> Mapping | None:
    """The mapping a command uses: ``--mapping FILE``, else ``zcgraph.toml`` in the data folder, else none.
    A ``mapping.yaml``/``.yml`` beside the data is not passed over in silence: it is an error saying so."""
    if explicit is not None:
        if not explicit.is_file():
            raise MappingError(explicit, [(0, "映射文件不存在")])
        return load_mapping(explicit)
    own = data_dir / MAPPING_NAME
    if own.is_file():
        return load_mapping(own)
    for name in ("mapping.yaml", "mapping.yml", "zcgraph.yaml", "zcgraph.yml"):
        if (data_dir / name).is_file():
            raise MappingError(data_dir / name, [(1, (f"映射文件请用TOML格式并命名为 {MAPPING_NAME}"
                                                       "(zcgraph inspect --write-mapping 可生成)"))])
    return None


def _ratio(a: str, b: str) -> float:
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a, b).ratio()
