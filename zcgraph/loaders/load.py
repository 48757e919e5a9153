"""Load an input folder into canonical, normalised tables.

A bad row never stops the load: a missing or unreadable key rejects the row
into the rejects list (file, sheet, row, column, value, reason); a bad optional
value becomes empty with a warning in the same list. A file that cannot be
read, or lacks a required column, is a file error that names the file, the
column and the aliases that would have matched; the other files still load.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from .normalize import EXCEL_ZEROED, excel_zeroed, gender_from_id, id_is_valid, normalise_column
from .readers import RawSheet, ReadError, read_file
from .mapping import Mapping, find_mapping
from .recognise import SUFFIXES, Recognised, recognise  # noqa: F401 (SUFFIXES: re-exported)
from .schema import TABLES, TableSpec

__all__ = ["LoadResult", "FileReport", "FileError", "load_folder", "discover", "REJECT", "WARN"]

REJECT = "拒绝"
WARN = "警告"
REJECT_COLUMNS = ["file", "sheet", "row", "column", "value", "reason", "action"]


@dataclass
class FileError:
    table: str
    file: str
    message: str
    column: str | None = None

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


@dataclass
class FileReport:
    table: str
    file: str
    sheet: str
    encoding: str | None
    rows: int
    rejected: int = 0
    warnings: int = 0
    skipped_footer: int = 0
    skipped_blank: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def loaded(self) -> int:
        return self.rows - self.rejected


@dataclass
class LoadResult:
    data_dir: Path
    tables: dict[str, pd.DataFrame]
    rejects: pd.DataFrame
    files: list[FileReport]
    errors: list[FileError]
    notes: list[str]
    unknown_files: list[str]
    present: dict[str, set[str]] = field(default_factory=dict)  # columns some file of the table gave
    read_as: list[Recognised] = field(default_factory=list)  # what each file and sheet was read as, and why
    mapping: Mapping | None = None  # the mapping file used, if any

    def table(self, name: str) -> pd.DataFrame | None:
        return self.tables.get(name)

    def has(self, table: str, column: str | None = None) -> bool:
        """Whether the data gave this table (and column): rules that need what is absent are skipped."""
        return table in self.tables and (column is None or column in self.present.get(table, set()))


# --------------------------------------------------------------------------- enumerations

# (table, column) -> (synonym -> canonical, closed). Closed sets warn on unknown values.
ENUMS: dict[tuple[str, str], tuple[dict[str, str], bool]] = {}


def _enum(table: str, column: str, closed: bool, **groups: str) -> None:
    m: dict[str, str] = {}
    for canon, syns in groups.items():
        m[canon] = canon
        for s in syns.split(","):
            if s:
                m[s] = canon
    ENUMS[(table, column)] = (m, closed)


_enum("reviews", "stage", True, 审阅="材料审阅,评阅,审阅材料,审读,初审", 答辩="面试,答辩评审", 投票="表决,评议投票,无记名投票")
_enum("reviews", "vote", True, 同意="", 不同意="", 弃权="")
_enum("reviews", "assignment", True, 随机="随机分配,随机抽取,系统随机", 指定="人工指定,指定分配")
_enum("attendance", "selection", True, 随机抽取="随机,系统随机", 指定="人工指定,邀请")
_enum("attendance", "draw_scope", True, 每次抽取="每次,每次会议抽取", 按届="按届聘任,届")
_enum("attendance", "role", False, 主任委员="主任", 副主任委员="副主任", 委员="成员,评委")
_enum("meetings", "kind", True, 全体会议="全体,评审会,全体评审会议", 学科组="学科组会议,专业组")
_enum("committees", "formed_by", True, 按系列="系列", 按专业="专业")
_enum("applications", "result", True, 通过="评审通过,合格", 未通过="不通过,未评审通过,不合格")
_enum("recusals", "initiated_by", False, 专家申请="专家本人申请,本人申请", 申报人申请="申请人申请",
      办事机构通知="办事机构,工作人员通知")
_enum("staff_actions", "action", True, 受理="", 审核="资格审核,初审", 推荐="", 上会="提交上会")
_enum("sanctions", "kind", True, 申报人失信="失信,申报人失信记录", 取消专家资格="取消评审专家资格",
      禁止从事职称工作="禁止从事职称评审工作", 暂停评审="暂停评审工作,暂停职称评审", 收回评审权="收回职称评审权")
_enum("complaints", "finding", True, 属实="", 部分属实="基本属实", 不属实="")
_enum("links", "link", False, 付款="转账,资金往来", 股东="持股,出资", 任职="兼职,工作", 代理="代办", 联系="通话,往来")
_enum("units", "kind", True, 用人单位="", 内设机构="科室,内设部门", 组建单位="", 主管部门="行业主管部门",
      中介机构="中介", 其他="")
_enum("intermediaries", "kind", False, 人事代理="", 人才服务="", 咨询="", 培训="", 其他="")

KIND_OF_PARTY = {"person": "person", "人员": "person", "人": "person", "个人": "person",
                 "unit": "unit", "单位": "unit", "intermediary": "intermediary", "中介": "intermediary",
                 "中介机构": "intermediary"}

KINSHIP = set("配偶 父母 子女 祖父母 外祖父母 孙子女 外孙子女 曾祖父母 曾孙子女 兄弟姐妹 叔伯 姑 舅 姨 侄子女 "
              "外甥子女 堂兄弟姐妹 表兄弟姐妹 配偶父母 配偶兄弟姐妹 配偶兄弟姐妹的配偶 子女配偶 女婿 儿媳 "
              "子女配偶的父母 兄弟姐妹配偶 旁系血亲的配偶 伯母 婶 姑父 舅妈 姨父 养父母 养子女 继父母 继子女".split())
ACADEMIC = {"导师", "学生", "师生", "合著"}
OTHER_REL = {"同学", "前同事", "利害关系"}


def relation_category(rel: str) -> str:
    if rel in KINSHIP:
        return "kin"
    if rel in ACADEMIC:
        return "academic"
    return "other"


# --------------------------------------------------------------------------- discovery

def discover(data_dir: Path, mapping: Mapping | None = None
             ) -> tuple[dict[str, list[tuple[Path, list[str] | None]]], list[Recognised], list[str]]:
    """Files (and, in workbooks, sheets) per table, recognised by the mapping file, their header row and name
    (``recognise``); every sheet's verdict; and the files that are not tables by their type."""
    found: dict[str, list[tuple[Path, list[str] | None]]] = {}
    verdicts, other = recognise(data_dir, mapping)
    for v in verdicts:
        if v.table is None:
            continue
        paths = found.setdefault(v.table, [])
        p = data_dir / v.file
        hit = next((x for x in paths if x[0] == p), None)
        if hit is None:
            paths.append((p, [v.sheet] if v.sheet is not None else None))
        elif hit[1] is not None and v.sheet is not None:
            hit[1].append(v.sheet)
    return found, verdicts, other


# --------------------------------------------------------------------------- rejects

class _Rejects:
    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []

    def add(self, df: pd.DataFrame, mask: pd.Series | np.ndarray, column: str,
            values: pd.Series | None, reason: str | pd.Series, action: str) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        sub = df.loc[mask, ["_file", "_sheet", "_row"]]
        part = pd.DataFrame({
            "file": sub["_file"].to_numpy(), "sheet": sub["_sheet"].to_numpy(),
            "row": sub["_row"].to_numpy(), "column": column,
            "value": (values[mask].to_numpy() if values is not None else ""),
            "reason": (reason[mask].to_numpy() if isinstance(reason, pd.Series) else reason),
            "action": action,
        })
        self.parts.append(part)

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame(columns=REJECT_COLUMNS)
        out = pd.concat(self.parts, ignore_index=True)
        out["row"] = out["row"].astype(int)
        return out.sort_values(["file", "sheet", "row", "action"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- per table

def _check_required(spec: TableSpec, sheet: RawSheet) -> list[FileError]:
    errs = []
    cols = set(sheet.frame.columns)
    for c in spec.required_columns:
        if c.name not in cols:
            errs.append(FileError(spec.name, sheet.file, f"缺少必需列 {c.name}"
                                  f"{'(工作表' + sheet.sheet + ')' if sheet.sheet else ''};"
                                  f"可识别的表头: {'、'.join(c.all_names)}", c.name))
    for group in spec.one_of:
        if not any(g in cols for g in group):
            errs.append(FileError(spec.name, sheet.file, "缺少人员/主体识别列,至少需要其中之一: " + "、".join(
                f"{g}({'/'.join(spec.column(g).aliases)})" for g in group), group[0]))
    return errs


def _normalise_table(spec: TableSpec, df: pd.DataFrame, rej: _Rejects, present: set[str]) -> pd.DataFrame:
    out = df.copy()
    bad_rows = np.zeros(len(df), dtype=bool)
    for c in spec.columns:
        if c.name not in df.columns:
            continue
        raw = df[c.name].astype(object).where(df[c.name].astype(str).str.strip() != "", None)
        kind = "year" if c.name == "year" else c.type
        vals, errs, flags = normalise_column(raw, kind)
        if kind == "id_number":
            zeroed = excel_zeroed(vals)
            if zeroed.any():
                errs = errs.where(~zeroed, EXCEL_ZEROED)
                flags = flags.where(~zeroed, None)
                vals = vals.where(~zeroed, None)
        err_mask = errs.notna().to_numpy()
        if c.key and c.name in present:
            empty = raw.isna().to_numpy()
            rej.add(df, empty & ~bad_rows, c.name, raw, "关键列为空", REJECT)
            rej.add(df, err_mask & ~bad_rows, c.name, raw, errs, REJECT)
            bad_rows |= empty | err_mask
        else:
            rej.add(df, err_mask & ~bad_rows, c.name, raw, errs.astype(object) + ",已置空", WARN)
        flag_mask = flags.notna().to_numpy()
        rej.add(df, flag_mask & ~bad_rows, c.name, raw, flags, WARN)
        if c.type == "date":
            out[c.name] = pd.to_datetime(vals.map(lambda v: v[0] if v else None), errors="coerce")
            out[c.name + "_prec"] = vals.map(lambda v: v[1] if v else None)
        elif c.type in ("int",) or c.name == "year":
            out[c.name] = pd.array(vals.tolist(), dtype="Int64")
        elif c.type == "float":
            out[c.name] = pd.to_numeric(vals, errors="coerce").astype(float)
        elif c.type == "bool":
            out[c.name] = pd.array(vals.tolist(), dtype="boolean")
        else:
            out[c.name] = vals
        if c.type == "id_number":
            out[c.name + "_valid"] = vals.map(id_is_valid).astype(bool)
        enum = ENUMS.get((spec.name, c.name))
        if enum is not None:
            mapping, closed = enum
            mapped = _map_unique(out[c.name], lambda v: mapping.get(v, None) if isinstance(v, str) else None)
            unknown = out[c.name].notna() & mapped.isna()
            if c.key and c.name in present:
                rej.add(df, unknown.to_numpy() & ~bad_rows, c.name, raw, f"{c.name}取值不在规定范围内", REJECT)
                bad_rows |= unknown.to_numpy()
                out[c.name] = mapped
            elif closed:
                rej.add(df, unknown.to_numpy() & ~bad_rows, c.name, raw,
                        f"取值不在规定范围({'/'.join(sorted(set(mapping.values())))})内,已置空", WARN)
                out[c.name] = mapped
            else:
                out[c.name] = mapped.where(mapped.notna(), out[c.name])
    for group in spec.one_of:
        given = [g for g in group if g in present]
        allempty = np.ones(len(out), dtype=bool)
        for g in given:
            allempty &= out[g].isna().to_numpy()
        rej.add(df, allempty & ~bad_rows, "/".join(given), None, "无法识别主体:" + "、".join(given) + "均为空",
                REJECT)
        bad_rows |= allempty
    out = out.loc[~bad_rows].reset_index(drop=True)
    return out


def _map_unique(col: pd.Series, fn: Callable[[Any], Any]) -> pd.Series:
    """``col.map(fn)`` with ``fn`` called once per distinct value (an enum column of millions of review rows
    holds a handful); empty values give None without a call."""
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    done = np.array([fn(u) for u in uniques] + [None], dtype=object)
    return pd.Series(done[codes].tolist(), index=col.index)  # dtype inferred, as Series.map infers it


def _derive_from_id(df: pd.DataFrame, rej: _Rejects, prefix: str = "") -> None:
    """Birth date (and gender) from a valid id number, which wins where they disagree."""
    idc, bdc, gc = prefix + "id_number", prefix + "birth_date", prefix + "gender"
    if idc not in df.columns:
        return
    valid = df[idc + "_valid"]
    # a valid number is 18 characters whose 7th-14th are the birth date (the check passed on that date)
    from_id = pd.to_datetime(df[idc].where(valid).astype(object).str.slice(6, 14), format="%Y%m%d", errors="coerce") \
        .astype("datetime64[s]")  # a day's resolution, as dates parsed one by one come out
    if bdc in df.columns:
        given = df[bdc]
        prec = df[bdc + "_prec"]
        full = prec.eq("D")
        disagree = valid & given.notna() & (
            (full & (given != from_id))
            | (~full & (given.dt.year != from_id.dt.year))
        )
        rej.add(df, disagree.to_numpy(), bdc, given.dt.strftime("%Y-%m-%d"), "出生日期与身份证号不符,以身份证号为准",
                WARN)
        df[bdc] = from_id.where(valid, given)
        df[bdc + "_prec"] = pd.Series(np.where(valid, "D", prec), index=df.index).where(df[bdc].notna(), None)
    else:
        df[bdc] = from_id
        df[bdc + "_prec"] = pd.Series(np.where(valid, "D", None), index=df.index, dtype=object)
    if gc in df.columns:
        g = df[gc].map(lambda v: {"男": "男", "女": "女", "m": "男", "f": "女", "男性": "男", "女性": "女"}.get(
            str(v).lower(), None) if isinstance(v, str) else None)
        df[gc] = g.where(g.notna(), df[idc].where(valid).map(lambda s: gender_from_id(s) if isinstance(s, str) else None))


def _post_applications(df: pd.DataFrame, rej: _Rejects, notes: list[str]) -> pd.DataFrame:
    _derive_from_id(df, rej)
    # Same id in the same year twice: the later rows are duplicates.
    dup = df.duplicated(["application_id", "year"], keep="first")
    rej.add(df, dup.to_numpy(), "application_id", df["application_id"], "申报编号在同一年度重复", REJECT)
    df = df.loc[~dup].reset_index(drop=True)
    years_per_id = df.groupby("application_id")["year"].nunique()
    restarted = years_per_id[years_per_id > 1]
    if len(restarted):
        notes.append(f"申报编号按年度重新编号({len(restarted)}个编号在多个年度出现),"
                     f"统一改为“年度-编号”形式,例如{int(df.loc[df.application_id == restarted.index[0], 'year'].iloc[0])}-"
                     f"{restarted.index[0]}")
        df["application_key"] = df["year"].astype(str) + "-" + df["application_id"].astype(str)
    else:
        df["application_key"] = df["application_id"].astype(str)
    return df


SANCTION_DEFAULT_YEARS = {"申报人失信": 3, "禁止从事职称工作": 3}


def _post_sanctions(df: pd.DataFrame, rej: _Rejects, notes: list[str]) -> pd.DataFrame:
    if "start" not in df.columns:
        df["start"] = pd.NaT
    if "end" not in df.columns:
        df["end"] = pd.NaT
    need_end = df["kind"].eq("暂停评审") & df["end"].isna()
    rej.add(df, need_end.to_numpy(), "end", None, "暂停评审必须有结束日期", REJECT)
    df = df.loc[~need_end].reset_index(drop=True)
    for kind, years in SANCTION_DEFAULT_YEARS.items():
        m = df["kind"].eq(kind) & df["end"].isna() & df["start"].notna()
        df.loc[m, "end"] = df.loc[m, "start"] + pd.DateOffset(years=years)
    return df


def _post_relations(df: pd.DataFrame, rej: _Rejects, notes: list[str]) -> pd.DataFrame:
    rel = df["relation"].astype(str)
    listed = rel.isin(KINSHIP | ACADEMIC | OTHER_REL)
    df["relation_raw"] = df["relation"]
    df["relation"] = rel.where(listed, "其他")
    df["category"] = df["relation"].map(relation_category)
    return df


def _post_links(df: pd.DataFrame, rej: _Rejects, notes: list[str]) -> pd.DataFrame:
    bad = np.zeros(len(df), dtype=bool)
    for side in ("from_kind", "to_kind"):
        k = df[side].map(lambda v: KIND_OF_PARTY.get(str(v).lower()))
        m = k.isna().to_numpy() & ~bad
        rej.add(df, m, side, df[side], "主体类型应为人员/单位/中介", REJECT)
        bad |= m
        df[side] = k
    return df.loc[~bad].reset_index(drop=True)


def _post_experts(df: pd.DataFrame, rej: _Rejects, notes: list[str]) -> pd.DataFrame:
    _derive_from_id(df, rej)
    return df


POST = {"applications": _post_applications, "sanctions": _post_sanctions, "relations": _post_relations,
        "links": _post_links, "experts": _post_experts}


def _as_mapped(spec: TableSpec, path: Path, only: list[str] | None, mapping: Mapping | None
               ) -> list[tuple[TableSpec, list[str] | None]]:
    """The file's sheets grouped by how the mapping file says to read them (one group without a mapping)."""
    if mapping is None:
        return [(spec, only)]
    if only is None:
        return [(mapping.resolve(path.name, None).spec(spec.name), None)]
    groups: dict[tuple[int, ...], list[str]] = {}
    for sheet in only:
        groups.setdefault(tuple(mapping.resolve(path.name, sheet).lines), []).append(sheet)
    return [(mapping.resolve(path.name, sheets[0]).spec(spec.name), sheets) for sheets in groups.values()]


def _apply_values(spec: TableSpec, frame: pd.DataFrame, notes: list[str]) -> None:
    """A mapping file's spellings (``赞成`` → ``同意``): the value as written is replaced before normalisation,
    and the sheet's notes say how many were."""
    for col, table in spec.value_maps.items():
        if col not in frame.columns or not table:
            continue
        written = frame[col].fillna("").astype(str).str.strip()
        meant = written.map(table)
        hit = meant.notna()
        if hit.any():
            frame[col] = meant.where(hit, frame[col])
            seen = written[hit].value_counts()
            notes.append(f"按映射文件改读{col}列{int(hit.sum())}个值:" + "、".join(
                f"{w}→{table[w]}({n})" for w, n in seen.items()))


def load_table(spec: TableSpec, paths: list[tuple[Path, list[str] | None]], rej: _Rejects, reports: list[FileReport],
               errors: list[FileError], notes: list[str], present: set[str],
               mapping: Mapping | None = None) -> pd.DataFrame | None:
    frames: list[pd.DataFrame] = []
    for path, only in paths:
        sheets: list[RawSheet] = []
        try:
            for read_spec, part in _as_mapped(spec, path, only, mapping):
                for sh in read_file(read_spec, path, part):
                    _apply_values(read_spec, sh.frame, sh.notes)
                    sheets.append(sh)
        except ReadError as e:
            errors.append(FileError(spec.name, e.file, e.message, e.column))
            continue
        for sh in sheets:
            errs = _check_required(spec, sh)
            if errs:
                errors.extend(errs)
                continue
            rep = FileReport(spec.name, sh.file, sh.sheet or "", sh.encoding, len(sh.frame),
                             skipped_footer=sh.skipped_footer, skipped_blank=sh.skipped_blank, notes=list(sh.notes))
            reports.append(rep)
            frames.append(sh.frame)
    if not frames:
        return None
    raw = pd.concat(frames, ignore_index=True)
    for c in raw.columns:
        if c not in ("_row",):
            raw[c] = raw[c].fillna("").astype(str)
    present.update(c.name for c in spec.columns if c.name in raw.columns or c.default is not None)
    # Absent contract columns are added empty, so every later stage sees one shape;
    # ``LoadResult.present`` still tells rules what the data really gave. A column with a documented default
    # is never missing: absent or empty, it takes the default.
    for c in spec.columns:
        if c.name not in raw.columns:
            raw[c.name] = c.default or ""
        elif c.default is not None:
            raw[c.name] = raw[c.name].where(raw[c.name].str.strip() != "", c.default)
    df = _normalise_table(spec, raw, rej, present)
    if spec.name in POST:
        df = POST[spec.name](df, rej, notes)
    return df


def load_folder(data_dir: Path | str, mapping: Mapping | Path | None = None) -> LoadResult:
    """Read and normalise every table of a data folder (no identity resolution yet), under ``mapping`` (a
    loaded mapping, or a mapping file's path), else the folder's own ``zcgraph.toml`` if it has one.
    A mapping file that cannot be used raises ``MappingError`` before anything is read."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise FileNotFoundError(f"数据目录不存在: {data_dir}")
    if not isinstance(mapping, Mapping):
        mapping = find_mapping(data_dir, mapping)
    files, verdicts, unknown = discover(data_dir, mapping)
    rej = _Rejects()
    reports: list[FileReport] = []
    errors: list[FileError] = []
    notes: list[str] = []
    tables: dict[str, pd.DataFrame] = {}
    present: dict[str, set[str]] = {}
    for v in verdicts:  # a sheet that is no table, or two equally: named with its candidates, never skipped unsaid
        if v.table is not None:
            continue
        # an error (the command stops, as for any file it cannot read) when the file gave nothing at all or the
        # sheet could be two tables; a workbook's other sheet that is no table (填表说明) is a note
        if v.score >= 2 or not any(w.file == v.file and w.table for w in verdicts):
            errors.append(FileError("", v.file + (f"[{v.sheet}]" if v.sheet else ""), v.reason or ""))
        else:
            notes.append(v.describe())
    for name, spec in TABLES.items():
        if name not in files:
            if spec.required_table:
                errors.append(FileError(name, f"{name}.csv", f"缺少必需的表 {name}({spec.label_zh})"))
            continue
        cols: set[str] = set()
        t = load_table(spec, files[name], rej, reports, errors, notes, cols, mapping)
        if t is not None:
            tables[name] = t
            present[name] = cols
    rejects = rej.frame()
    counts = rejects.groupby(["file", "sheet", "action"]).size() if len(rejects) else None
    for r in reports:
        if counts is not None:
            r.rejected = int(counts.get((r.file, r.sheet, "拒绝"), 0))
            r.warnings = int(counts.get((r.file, r.sheet, "警告"), 0))
    if mapping is not None:  # a block that fits no file is most often a typo in its match: said, not passed over
        names = [p.name for p in data_dir.iterdir() if p.is_file()]
        sheets = {(v.file, v.sheet) for v in verdicts}
        for rule in mapping.rules:
            if not any(rule.fits(f, s) for f, s in sheets) and not any(rule.fits(n, None) for n in names):
                notes.append(f"映射文件第{rule.line}行的 match“{rule.match}”"
                             f"{'、sheet“' + rule.sheet + '”' if rule.sheet else ''}没有对应任何文件")
    return LoadResult(data_dir, tables, rejects, reports, errors, notes, unknown, present, verdicts, mapping)
