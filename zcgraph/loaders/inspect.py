"""``zcgraph inspect``: what each file of a folder will be read as, header by header, before anything is loaded.

For every file and sheet: the table it was recognised as and how sure; each header's column (an alias of the
contract, the mapping file's word, or a suggestion by the similarity of its text and the fit of its values,
``证件号 → id_number?``); the required columns that are missing; a few sample values (masked) with the
normaliser's verdict on them; and, for the folder, which rules each missing table or column switches off.
``write_mapping`` turns it into a commented ``zcgraph.toml``: every certain match written, every suggestion
marked ``?`` for the user to confirm (an unconfirmed line is an error, so nothing is guessed in silence).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import pandas as pd

from .mapping import EMPTY, IGNORE, Mapping, Resolved
from .normalize import id_is_valid, normalise_column
from .readers import HEADER_SCAN_ROWS, _find_header, _norm_cell
from .recognise import MIN_SCORE, Recognised, recognise
from .schema import TABLES, TableSpec, normalise_header

__all__ = ["SUGGEST_AT", "HeaderVerdict", "Inspection", "SheetInspection", "inspect_folder", "write_mapping"]

SAMPLE_ROWS = 200  # data rows looked at per sheet for the value verdicts
SUGGEST_AT = 0.6  # a suggestion scores at least this (text similarity plus the fit of the values)
_TYPED = {"id_number", "credit_code", "date", "int", "float", "phone", "email", "bool"}


@dataclass
class HeaderVerdict:
    header: str  # as written in the file
    column: str | None  # the contract column it is read as (or suggested as)
    how: str  # 别名 | 映射文件 | 建议 | 忽略 | 重复 | 未对应
    score: float | None = None  # a suggestion's score
    samples: list[str] = field(default_factory=list)  # up to three distinct values, masked
    verdict: str = ""  # the normaliser's word on the sampled values
    unknown_values: dict[str, int] = field(default_factory=dict)  # values outside a closed set, with counts


@dataclass
class SheetInspection:
    file: str
    sheet: str | None
    table: str | None
    how: str
    score: int
    candidates: list[tuple[str, int]]
    reason: str | None
    header_row: int | None = None
    sampled_rows: int = 0
    headers: list[HeaderVerdict] = field(default_factory=list)
    missing_required: list[str] = field(default_factory=list)
    suggested_table: str | None = None  # for a sheet not recognised: the table its headers resemble most


@dataclass
class Inspection:
    data_dir: str
    mapping: str | None
    sheets: list[SheetInspection]
    other_files: list[str]
    # each missing "table" or "table.column": the rules it switches off, and the headers suggested for it
    switched_off: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def groups(self) -> list[list[SheetInspection]]:
        """The sheets, those of one workbook that read alike (one table, the same headers read the same way)
        as one group: a roster with a sheet per committee is one roster, shown and mapped once."""
        out: list[list[SheetInspection]] = []
        for sh in self.sheets:
            if out and out[-1][0].file == sh.file and _signature(out[-1][0]) == _signature(sh):
                out[-1].append(sh)
            else:
                out.append([sh])
        return out


def _signature(sh: SheetInspection) -> tuple:
    return (sh.table, sh.suggested_table, sh.how, sh.header_row, sh.reason, tuple(sh.missing_required),
            tuple((h.header, h.column, h.how) for h in sh.headers))


def where(group: list[SheetInspection]) -> str:
    """``file``, ``file[sheet]`` or ``file[first…last,N个工作表]``."""
    first, n = group[0], len(group)
    if first.sheet is None:
        return first.file
    return first.file + (f"[{first.sheet}]" if n == 1 else f"[{first.sheet}…{group[-1].sheet},{n}个工作表]")


# --------------------------------------------------------------------------- similarity

def _text_sim(header: str, name: str) -> float:
    """How alike a header and a column name or alias are: the longest-matching-blocks ratio, raised when one
    holds the other whole (``评审专家编号`` holds ``专家编号``)."""
    a, b = header.lower(), normalise_header(name).lower()
    if not a or not b:
        return 0.0
    r = SequenceMatcher(None, a, b).ratio()
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 2 and short in long_:
        r = max(r, 0.6 + 0.4 * len(short) / len(long_))
    return r


def _value_fit(kind: str, values: pd.Series) -> float:
    """How the sampled values fit a column type: +0.2 when nearly all normalise without error (+0.3 for
    valid id numbers), −0.4 when nearly none do; 0 for text, or when there are no values."""
    v = values[values.astype(str).str.strip() != ""]
    if not len(v) or kind not in _TYPED:
        return 0.0
    vals, errs, flags = normalise_column(v.astype(object), kind)
    ok = float(errs.isna().mean())
    if kind == "id_number":
        valid = float(vals.map(lambda s: isinstance(s, str) and id_is_valid(s)).mean())
        return 0.3 if valid >= 0.8 else -0.4 if valid < 0.3 and ok < 0.5 else 0.0
    if kind in ("phone", "email", "credit_code"):
        ok = float((errs.isna() & flags.isna()).mean())
    return 0.2 if ok >= 0.9 else -0.4 if ok < 0.3 else 0.0


def _kind(spec: TableSpec, column: str) -> str:
    return "year" if column == "year" else spec.column(column).type


def suggest(spec: TableSpec, header: str, values: pd.Series, taken: set[str]) -> list[tuple[str, float]]:
    """The table's columns not yet named, by how well this header and its values fit them, best first."""
    out = []
    for c in spec.columns:
        if c.name in taken:
            continue
        sim = max(_text_sim(header, n) for n in c.all_names)
        if sim < 0.4:
            continue
        out.append((c.name, round(min(1.0, sim + _value_fit(c.type if c.name != "year" else "int", values)), 2)))
    return sorted(out, key=lambda x: -x[1])


# --------------------------------------------------------------------------- values

_DATE_FORMS = [(re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$"), "YYYY-MM-DD"), (re.compile(r"^\d{4}/\d{1,2}/\d{1,2}$"), "YYYY/M/D"),
               (re.compile(r"^\d{4}\.\d{1,2}\.\d{1,2}$"), "YYYY.M.D"), (re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$"), "YYYY年M月D日"),
               (re.compile(r"^\d{8}$"), "YYYYMMDD"), (re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d"), "时间戳"),
               (re.compile(r"^\d{4}[-/.年]\d{1,2}月?$"), "年月"), (re.compile(r"^\d{4}年?度?$"), "年份"),
               (re.compile(r"^\d{5}(\.\d+)?$"), "Excel序列号")]


def _date_forms(values: pd.Series) -> list[str]:
    forms: dict[str, int] = {}
    for s in values:
        s = str(s).strip()
        name = next((label for pat, label in _DATE_FORMS if pat.match(s)), "其他")
        forms[name] = forms.get(name, 0) + 1
    return [f"{k}({n})" for k, n in sorted(forms.items(), key=lambda x: -x[1])]


def _verdict(kind: str, table: str, column: str, values: pd.Series) -> tuple[str, dict[str, int]]:
    """The normaliser's word on a sample, and values outside a closed set of the contract."""
    from .load import ENUMS

    v = values[values.astype(str).str.strip() != ""].astype(object)
    if not len(v):
        return "样本中无值", {}
    vals, errs, flags = normalise_column(v, kind)
    n = len(v)
    if kind == "id_number":
        sci = int(errs.fillna("").str.contains("科学计数|转为数字").sum())
        valid = int(vals.map(lambda s: isinstance(s, str) and id_is_valid(s)).sum())
        return f"有效 {valid}/{n},无效(格式或校验位) {n - valid - sci},被Excel改坏 {sci}", {}
    if kind == "date":
        return f"可识别 {int(errs.isna().sum())}/{n};写法:{'、'.join(_date_forms(v))}", {}
    unknown: dict[str, int] = {}
    enum = ENUMS.get((table, column))
    if enum is not None and enum[1]:
        mapped = vals.map(lambda x: enum[0].get(x) if isinstance(x, str) else None)
        counts = vals[mapped.isna() & vals.notna()].value_counts()
        unknown = {str(k): int(c) for k, c in counts.items()}
        allowed = "/".join(sorted(set(enum[0].values())))
        return (f"不在规定取值({allowed})内:{'、'.join(f'{k}({c})' for k, c in unknown.items())}" if unknown
                else f"均在规定取值({allowed})内"), unknown
    if kind in _TYPED or kind in ("level", "series", "year"):
        bad = int(errs.notna().sum()) + int(flags.notna().sum())
        return (f"可识别 {n - bad}/{n}" + (f";如:{(errs.dropna().tolist() + flags.dropna().tolist())[0]}" if bad else "")), {}
    return f"{n} 个值", {}


_ID_LIKE = re.compile(r"^\d{15}$|^\d{17}[\dXx]$|^\d\.\d+E\+?\d+$", re.IGNORECASE)
_MOBILE = re.compile(r"^1\d{10}$")
_CJK_NAME = re.compile(r"^[\u4e00-\u9fff·•．]{2,4}$")


def _mask_sample(value: str, kind: str | None) -> str:
    """A sample as an export shows it: names and numbers masked by the column's type, and, in a column of no
    known type, anything that looks like an id number, a mobile number or a person's name."""
    from ..reports.masking import mask_id, mask_name, mask_phone

    s = value.strip()
    if kind == "id_number" or _ID_LIKE.match(s):
        return mask_id(s)
    if kind == "phone" or _MOBILE.match(s):
        return mask_phone(s)
    if kind == "name" or (kind is None and _CJK_NAME.match(s)):
        return mask_name(s)
    if kind == "email" and "@" in s:
        user, _, dom = s.partition("@")
        return mask_name(user) + "@" + dom
    return s if len(s) <= 24 else s[:23] + "…"


# --------------------------------------------------------------------------- per sheet

def _rows(path: Path, sheet: str | None, encoding: str | None, n: int, cache: dict | None = None
          ) -> list[list[str]]:
    """A sheet's first ``n`` rows; a workbook is opened once for all its sheets (``cache``)."""
    from .recognise import _peek

    key = (path, encoding, n)
    if cache is None or key not in cache:
        got = _peek(path, encoding, n)
        if cache is None:
            cache = {}
        cache[key] = got
    for name, rows in cache[key]:
        if name == sheet:
            return rows
    return []


def _inspect_sheet(path: Path, v: Recognised, res: Resolved, cache: dict | None = None) -> SheetInspection:
    out = SheetInspection(v.file, v.sheet, v.table, v.how, v.score, v.candidates, v.reason)
    rows = _rows(path, v.sheet, res.encoding, HEADER_SCAN_ROWS + SAMPLE_ROWS, cache)
    table = v.table
    if table is None:  # not recognised: which table do its headers resemble, by suggestion?
        best, top = None, 0
        for t in TABLES:
            spec = res.spec(t)
            for i in range(min(HEADER_SCAN_ROWS, len(rows))):
                cells = [_norm_cell(c) for c in rows[i]]
                got = _assign(spec, cells, pd.DataFrame(rows[i + 1:]), set())
                k = sum(1 for h in got if h.column)
                if k > top:
                    best, top = t, k
        if best and top >= MIN_SCORE:
            out.suggested_table = best
            table = best
        else:
            return out
    spec = res.spec(table)
    found = _find_header(spec, rows)
    if found is None and out.suggested_table:  # the header is the row the suggestions fitted best
        for i in range(min(HEADER_SCAN_ROWS, len(rows))):
            cells = [_norm_cell(c) for c in rows[i]]
            if sum(1 for h in _assign(spec, cells, pd.DataFrame(rows[i + 1:]), set()) if h.column) >= MIN_SCORE:
                found = (i + 1, cells, i)
                break
    if found is None:
        return out
    start, header, last = found
    out.header_row = last + 1
    body = pd.DataFrame(rows[start:]).fillna("").astype(str)
    body = body[(body.apply(lambda c: c.str.strip()) != "").any(axis=1)] if len(body.columns) else body
    out.sampled_rows = len(body)
    raw = rows[last] if last < len(rows) else []
    shown = [str(raw[j]).strip() if j < len(raw) and str(raw[j]).strip() and _norm_cell(raw[j]) == h else h
             for j, h in enumerate(header)]
    out.headers = _assign(spec, header, body, set(), shown)
    _whole_enums(path, v.sheet, spec, out)
    named = {h.column for h in out.headers if h.column and h.how in ("别名", "映射文件")}
    out.missing_required = [c.name for c in spec.required_columns if c.name not in named]
    out.missing_required += ["/".join(g) for g in spec.one_of if not named & set(g)]
    return out


def _whole_enums(path: Path, sheet: str | None, spec: TableSpec, out: SheetInspection) -> None:
    """A closed set's values over the whole sheet, not the first rows: a vote column is empty for the first
    thousand 审阅 rows and spelt 赞成 in the 投票 rows below them."""
    from .load import ENUMS
    from .readers import read_file

    closed = [h for h in out.headers if h.column and h.how in ("别名", "映射文件", "建议")
              and ENUMS.get((spec.name, h.column), ({}, False))[1]]
    if not closed:
        return
    try:
        frames = [sh.frame for sh in read_file(spec, path, [sheet] if sheet is not None else None)]
    except Exception:  # noqa: BLE001 - the first rows' verdict stands; the load will name the file's problem
        return
    if not frames:
        return
    whole = pd.concat(frames, ignore_index=True)
    for h in closed:
        col = h.column if h.how != "建议" else normalise_header(h.header)
        if col in whole.columns:
            h.verdict, h.unknown_values = _verdict(_kind(spec, h.column or ""), spec.name, h.column or "",
                                                   whole[col].fillna("").astype(str))


def _assign(spec: TableSpec, header: list[str], body: pd.DataFrame, taken: set[str],
            shown: list[str] | None = None) -> list[HeaderVerdict]:
    """Each header's column: the mapping file's or an alias (certain), else the best suggestion, no column
    given to two headers (greedy by score)."""
    shown = shown or header
    col = {j: body[j] if j in body.columns else pd.Series([], dtype=str) for j in range(len(header))}
    verdicts: list[HeaderVerdict | None] = [None] * len(header)
    certain: dict[str, int] = {}
    for j, h in enumerate(header):
        if not h:
            continue
        key = normalise_header(h).lower()
        if spec.ignores(h):
            verdicts[j] = HeaderVerdict(shown[j], None, "忽略")
            continue
        c = spec.match_header(h)
        if c:
            if c in certain:  # a second header naming one column: kept as a property (the contract's rule)
                verdicts[j] = HeaderVerdict(shown[j], c, "重复")
                continue
            certain[c] = j
            verdicts[j] = HeaderVerdict(shown[j], c, "映射文件" if key in spec.header_map else "别名")
    used = set(certain) | taken
    offers = []
    for j, h in enumerate(header):
        if h and verdicts[j] is None:
            for c, score in suggest(spec, normalise_header(h), col[j], used):
                if score >= SUGGEST_AT:
                    offers.append((score, j, c))
    for score, j, c in sorted(offers, key=lambda x: (-x[0], x[1])):
        if verdicts[j] is None and c not in used:
            verdicts[j] = HeaderVerdict(shown[j], c, "建议", score)
            used.add(c)
    for j, h in enumerate(header):
        if h and verdicts[j] is None:
            verdicts[j] = HeaderVerdict(shown[j], None, "未对应")
    out = [x for x in verdicts if x is not None]
    for j, x in enumerate(verdicts):
        if x is None:
            continue
        values = col[j].astype(str) if len(col[j]) else pd.Series([], dtype=str)
        kind = _kind(spec, x.column) if x.column else None
        distinct = [s for s in dict.fromkeys(values.str.strip()) if s][:3]
        x.samples = [_mask_sample(s, kind) for s in distinct]
        if x.column and x.how != "重复":
            x.verdict, x.unknown_values = _verdict(kind or "text", spec.name, x.column, values)
    return out


# --------------------------------------------------------------------------- the folder

def inspect_folder(data_dir: Path, mapping: Mapping | None = None,
                   needs: dict[str, tuple[str, ...]] | None = None) -> Inspection:
    """Every file and sheet of the folder, header by header; ``needs`` (rule id -> the tables and columns it
    cannot run without) gives the rules each missing table or column switches off."""
    verdicts, other = recognise(data_dir, mapping)
    sheets = []
    peeked: dict = {}
    for v in verdicts:
        res = mapping.resolve(v.file, v.sheet) if mapping else EMPTY
        try:
            sheets.append(_inspect_sheet(data_dir / v.file, v, res, peeked))
        except Exception as e:  # noqa: BLE001 - a file inspect cannot open is shown with its reason
            sheets.append(SheetInspection(v.file, v.sheet, v.table, v.how, v.score, v.candidates,
                                          v.reason or f"无法读取:{type(e).__name__}: {e}"))
    present: dict[str, set[str]] = {}
    for s in sheets:
        if s.table:
            cols = present.setdefault(s.table, {c.name for c in TABLES[s.table].columns if c.default is not None})
            cols |= {h.column for h in s.headers if h.column and h.how in ("别名", "映射文件")}
    off: dict[str, list[str]] = {}
    for rule, need in (needs or {}).items():
        for n in need:
            table, _, column = n.partition(".")
            if table not in present or (column and column not in present[table]):
                off.setdefault(n, []).append(rule)
    offered: dict[str, list[str]] = {}
    for g in Inspection("", None, sheets, [], []).groups():
        t = g[0].table or g[0].suggested_table
        for h in g[0].headers:
            if h.how == "建议" and t:
                offered.setdefault(f"{t}.{h.column}", []).append(f"{where(g)}:{h.header}")
        if g[0].suggested_table:
            offered.setdefault(g[0].suggested_table, []).append(where(g))
    switched = [{"missing": n, "rules": rules, "suggested": offered.get(n, [])}
                for n, rules in sorted(off.items(), key=lambda x: (-len(x[1]), x[0]))]
    return Inspection(str(data_dir), mapping.describe() if mapping else None, sheets, other, switched)


# --------------------------------------------------------------------------- the mapping file

def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") \
        .replace("\t", "\\t") + '"'


def write_mapping(ins: Inspection) -> str:
    """A commented mapping file from an inspection: one ``[[file]]`` block per sheet read (or resembling a
    table), with its table and every header's column. Certain matches are plain; each suggestion ends in
    ``?`` and each value outside a closed set is ``"?"``, both errors until the user confirms or fills them."""
    from .load import ENUMS

    lines = ["# zcgraph 映射文件(由 zcgraph inspect --write-mapping 生成)", "#",
             "# 每个 [[file]] 块说明一个文件(或工作表)是哪张表、每个表头对应哪一列。",
             "# 以问号结尾的是按表头文字和取值推测的建议:核对后去掉问号;不对就改成正确的列名,",
             "# 或写 \"ignore\"(不读入该列)。留有问号的映射文件不能使用,命令会指出所在行。",
             "# 列名见 zcgraph 数据规范(data-contract.md)。", "", "version = 1", ""]
    per_file: dict[str, int] = {}
    for sh in ins.sheets:
        per_file[sh.file] = per_file.get(sh.file, 0) + 1
    for group in ins.groups():
        s = group[0]
        table = s.table or s.suggested_table
        if not table:
            lines += [f"# {where(group)}:未识别为任何表({s.reason});如需读入,请自行添加 [[file]] 块", ""]
            continue
        spec = TABLES[table]
        whole_file = len(group) == per_file[s.file]  # every sheet alike: one block for the file
        for sh in ([s] if whole_file else group):
            lines += _block(sh, spec, table, whole_file, group, ENUMS)
    return "\n".join(lines) + "\n"


def _block(s: SheetInspection, spec: TableSpec, table: str, whole_file: bool, group: list[SheetInspection],
           enums: dict) -> list[str]:
    lines = ["[[file]]", f"match = {_q(s.file)}"]
    if s.sheet is not None and not whole_file:
        lines.append(f"sheet = {_q(s.sheet)}")
    elif s.sheet is not None and len(group) > 1:
        lines[-1] += f"  # {len(group)} 个工作表({group[0].sheet}…{group[-1].sheet})表头相同"
    sure = s.table is not None
    lines.append(f"table = {_q(table + ('' if sure else '?'))}  # {spec.label_zh}," +
                 (f"依据{s.how}" if sure else "按表头相似推测,请确认"))
    if s.header_row:
        lines.append(f"header_row = {s.header_row}")
    if s.missing_required:
        lines.append(f"# 缺少必需列:{'、'.join(s.missing_required)}")
    lines += ["", "[file.columns]"]
    for h in s.headers:
        key = _q(h.header)
        if h.how in ("别名", "映射文件"):
            lines.append(f"{key} = {_q(h.column or '')}")
        elif h.how == "建议":
            c = spec.column(h.column or "")
            lines.append(f"{key} = {_q((h.column or '') + '?')}  # 建议({c.label_zh}),相似度 {h.score:.2f},请确认")
        elif h.how == "忽略":
            lines.append(f"{key} = {_q(IGNORE)}")
        elif h.how == "重复":
            lines.append(f"# {key}:与另一表头同为 {h.column},作为附加属性保留")
        else:
            lines.append(f"# {key} = \"\"  # 未对应任何列,作为附加属性保留;可填列名或 \"ignore\"")
    members = group if whole_file else [s]
    for j, h in enumerate(s.headers):
        unknown: dict[str, int] = {}
        for m in members:  # a value spelt its own way on any sheet the block covers
            for k, n in (m.headers[j].unknown_values if j < len(m.headers) else {}).items():
                unknown[k] = unknown.get(k, 0) + n
        if unknown and h.column:
            allowed = "/".join(sorted(set(enums[(table, h.column)][0].values())))
            lines += ["", f"[file.values.{h.column}]  # 可取:{allowed};请把问号换成对应的规范值"]
            lines += [f"{_q(k)} = \"?\"  # {n} 个" for k, n in unknown.items()]
    lines.append("")
    return lines
