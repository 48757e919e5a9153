"""The input data contract (``shared/spec/data-contract.md``) as data.

Every loader, the generator and the tests read the tables, columns, aliases and
types from here, so the contract is written down once.

>>> TABLES["applications"].column("level").type
'level'
>>> TABLES["reviews"].match_header("专家编号")
'expert_id'
"""

from __future__ import annotations

import re
import unicodedata
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict

__all__ = ["ColumnSpec", "TableSpec", "TABLES", "REQUIRED_TABLES", "normalise_header"]

ColumnType = Literal[
    "text", "name", "id_number", "credit_code", "date", "int", "float", "bool",
    "list", "phone", "level", "series", "email",
]


class ColumnSpec(BaseModel):
    """One column of a table: canonical English name, Chinese aliases, type."""

    model_config = ConfigDict(frozen=True)

    name: str
    aliases: tuple[str, ...] = ()
    type: ColumnType = "text"
    required: bool = False  # the header must be present in the table
    key: bool = False  # an empty or unreadable value rejects the row
    label_zh: str = ""
    default: str | None = None  # the contract's documented default: an absent column or empty cell takes it

    @property
    def all_names(self) -> tuple[str, ...]:
        """Canonical name first, then aliases in contract order (first wins)."""
        return (self.name, *self.aliases)


class TableSpec(BaseModel):
    """One table of the input folder."""

    model_config = ConfigDict(frozen=True)

    name: str
    label_zh: str
    columns: tuple[ColumnSpec, ...]
    required_table: bool = False
    # At least one column of each group must be present (header) and non-empty (row).
    one_of: tuple[tuple[str, ...], ...] = ()
    # How one file of the table is read, from a mapping file (``loaders.mapping``); empty for the contract's table.
    header_map: dict[str, str] = {}  # normalised header (lower case) -> column, or "ignore" (dropped, not kept)
    header_rows: tuple[int, ...] = ()  # the 1-based header row(s) instead of the search (two: a merged header)
    encoding: str | None = None  # a text file's encoding instead of the detection
    value_maps: dict[str, dict[str, str]] = {}  # column -> {value as written: value meant}

    def read_with(self, header_map: dict[str, str] | None = None, header_rows: tuple[int, ...] = (),
                  encoding: str | None = None, value_maps: dict[str, dict[str, str]] | None = None) -> TableSpec:
        """This table as one file of it is read under a mapping file: its headers' meanings, header row,
        encoding and value spellings. The columns (and so normalisation and the rules) are the contract's."""
        return TableSpec(name=self.name, label_zh=self.label_zh, columns=self.columns,
                         required_table=self.required_table, one_of=self.one_of,
                         header_map={normalise_header(k).lower(): v for k, v in (header_map or {}).items()},
                         header_rows=tuple(header_rows), encoding=encoding, value_maps=dict(value_maps or {}))

    def column(self, name: str) -> ColumnSpec:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name}")

    @cached_property
    def _alias_index(self) -> dict[str, tuple[int, str]]:
        """normalised header -> (priority, canonical column). Lower priority wins."""
        index: dict[str, tuple[int, str]] = {}
        for k, (h, col) in enumerate(self.header_map.items()):  # the mapping file's word comes first
            index[h] = (k - len(self.header_map), col)
        prio = 0
        for c in self.columns:
            for n in c.all_names:
                key = normalise_header(n).lower()
                if key not in index:
                    index[key] = (prio, c.name)
                prio += 1
        return index

    def match_header(self, header: str) -> str | None:
        """The canonical column a header names, or None for an unknown column."""
        hit = self._alias_index.get(normalise_header(header).lower())
        return hit[1] if hit and hit[1] != "ignore" else None

    def ignores(self, header: str) -> bool:
        """Whether a mapping file says this header is to be dropped (``ignore``), not kept as a property."""
        return self.header_map.get(normalise_header(header).lower()) == "ignore"

    def header_priority(self, header: str) -> int:
        hit = self._alias_index.get(normalise_header(header).lower())
        return hit[0] if hit else 10**9

    @property
    def required_columns(self) -> list[ColumnSpec]:
        return [c for c in self.columns if c.required]

    @property
    def key_columns(self) -> list[ColumnSpec]:
        return [c for c in self.columns if c.key]


_BRACKETS = re.compile(r"[\(\[【<《][^\)\]】>》]*[\)\]】>》]")


def normalise_header(text: str) -> str:
    """NFKC, drop ``*``, line breaks and bracketed notes: ``身份证号\\n(18位)`` -> ``身份证号``."""
    t = unicodedata.normalize("NFKC", str(text))
    t = t.replace("\r", "").replace("\n", "").replace("*", "")
    t = _BRACKETS.sub("", t)
    return re.sub(r"\s+", "", t).strip()


def _c(name: str, aliases: str = "", type: ColumnType = "text", *, required: bool = False,
       key: bool = False, default: str | None = None) -> ColumnSpec:
    al = tuple(a.strip() for a in aliases.split(",") if a.strip())
    return ColumnSpec(name=name, aliases=al, type=type, required=required, key=key,
                      label_zh=al[0] if al else name, default=default)


def _t(name: str, label: str, *cols: ColumnSpec, required_table: bool = False,
       one_of: tuple[tuple[str, ...], ...] = ()) -> TableSpec:
    return TableSpec(name=name, label_zh=label, columns=cols, required_table=required_table,
                     one_of=one_of)


_PERSON = (("name", "id_number"),)

TABLES: dict[str, TableSpec] = {t.name: t for t in [
    _t("applications", "申报记录",
       _c("application_id", "申报编号,申报号,编号", required=True, key=True),
       _c("year", "评审年度,年度", "int", required=True, key=True),
       _c("name", "姓名,申报人,申报人姓名", "name"),
       _c("id_number", "身份证号,身份证号码,公民身份号码,证件号码", "id_number"),
       _c("gender", "性别"),
       _c("birth_date", "出生日期,出生年月", "date"),
       _c("employer", "工作单位,单位,单位名称"),
       _c("employer_code", "单位统一社会信用代码,单位信用代码", "credit_code"),
       _c("series", "申报系列,系列", "series"),
       _c("specialty", "申报专业,专业"),
       _c("level", "申报级别,级别,申报资格,申报资格名称", "level"),
       _c("committee_id", "评委会编号,评审委员会编号,评委会名称", key=True),
       _c("current_title", "现任职称,现专业技术职务"),
       _c("entrusted", "委托评审", "bool"),
       _c("publicity_start", "单位公示开始日期", "date"),
       _c("publicity_end", "单位公示结束日期", "date"),
       _c("phone", "联系电话,手机,手机号", "phone"),
       _c("email", "电子邮箱,邮箱", "email"),
       _c("address", "通讯地址,地址"),
       _c("agent", "代理人,代办人,代理机构"),
       _c("eligible", "资格审核结果,是否符合申报条件", "bool"),
       _c("result", "评审结果,结果"),
       required_table=True, one_of=_PERSON),
    _t("experts", "评审专家库",
       _c("expert_id", "专家编号", required=True, key=True),
       _c("committee_id", "评委会编号,评审委员会编号", required=True, key=True),
       _c("name", "姓名,专家姓名", "name"),
       _c("id_number", "身份证号,身份证号码", "id_number"),
       _c("gender", "性别"),
       _c("birth_date", "出生日期", "date"),
       _c("employer", "工作单位,单位"),
       _c("employer_code", "单位统一社会信用代码", "credit_code"),
       _c("title", "职称,专业技术职务"),
       _c("title_level", "职称级别", "level"),
       _c("specialty", "专业,专业领域"),
       _c("phone", "联系电话", "phone"),
       _c("email", "电子邮箱", "email"),
       _c("pool_from", "入库日期,聘任开始", "date"),
       _c("pool_to", "出库日期,聘任结束,到期日期", "date"),
       required_table=True, one_of=_PERSON),
    _t("reviews", "评审记录",
       _c("application_id", "申报编号", required=True, key=True),
       _c("expert_id", "专家编号,专家姓名", required=True, key=True),
       _c("meeting_id", "会议编号"),
       _c("stage", "环节"),
       _c("assignment", "分配方式"),
       _c("score", "评分,分数", "float"),
       _c("vote", "表决,投票"),
       _c("reviewed_on", "评审日期", "date"),
       required_table=True),
    _t("committees", "评审委员会",
       _c("committee_id", "评委会编号", required=True, key=True),
       _c("name", "评委会名称,名称"),
       _c("organizer", "组建单位"),
       _c("series", "评审系列", "series"),
       _c("levels", "评审级别,评审权限", "list"),
       _c("region", "评审范围,地区"),
       _c("approved_on", "核准日期,备案日期", "date"),
       _c("valid_until", "有效期至", "date"),
       _c("member_count", "评委会人数,委员人数", "int"),
       _c("formed_by", "组建方式"),
       _c("self_evaluating", "自主评审", "bool")),
    _t("meetings", "评审会议",
       _c("meeting_id", "会议编号", required=True, key=True),
       _c("committee_id", "评委会编号", required=True, key=True),
       _c("year", "评审年度", "int"),
       _c("held_on", "会议日期", "date"),
       _c("kind", "会议类型"),
       _c("drawn_on", "专家抽取日期", "date"),
       _c("expected_count", "应到人数", "int"),
       _c("series", "评审系列", "series"),
       _c("level", "评审级别", "level"),
       _c("notice_published_on", "评审通知发布日期", "date"),
       _c("publicity_start", "公示开始日期", "date"),
       _c("publicity_end", "公示结束日期", "date"),
       _c("filed_on", "备案日期", "date"),
       _c("training_held", "会前培训", "bool"),
       _c("closed_management", "封闭管理", "bool")),
    _t("attendance", "出席专家",
       _c("meeting_id", "会议编号", required=True, key=True),
       _c("expert_id", "专家编号", required=True, key=True),
       _c("role", "职务,角色"),
       _c("selection", "抽取方式"),
       _c("draw_scope", "抽取周期", default="每次抽取")),
    _t("recusals", "回避记录",
       _c("meeting_id", "会议编号", required=True, key=True),
       _c("expert_id", "专家编号", required=True, key=True),
       _c("application_id", "申报编号"),
       _c("initiated_by", "提出方"),
       _c("requested_on", "申请日期", "date"),
       _c("reason", "回避原因")),
    _t("employment", "任职经历",
       _c("name", "姓名", "name"),
       _c("id_number", "身份证号", "id_number"),
       _c("employer", "工作单位", required=True, key=True),
       _c("employer_code", "单位统一社会信用代码", "credit_code"),
       _c("start", "开始日期", "date"),
       _c("end", "结束日期", "date"),
       _c("position", "职务"),
       one_of=_PERSON),
    _t("relations", "社会关系",
       _c("a_name", "甲方姓名", "name"),
       _c("a_id_number", "甲方身份证号", "id_number"),
       _c("b_name", "乙方姓名", "name"),
       _c("b_id_number", "乙方身份证号", "id_number"),
       _c("relation", "关系", required=True, key=True),
       _c("start", "开始日期", "date"),
       _c("end", "结束日期", "date"),
       _c("source", "来源"),
       one_of=(("a_name", "a_id_number"), ("b_name", "b_id_number"))),
    _t("units", "单位",
       _c("name", "单位名称,名称", required=True, key=True),
       _c("credit_code", "统一社会信用代码", "credit_code"),
       _c("aliases", "别名,简称,曾用名", "list"),
       _c("phone", "联系电话", "phone"),
       _c("address", "地址"),
       _c("parent", "上级单位"),
       _c("kind", "类型"),
       _c("region", "地区")),
    _t("intermediaries", "中介机构",
       _c("intermediary_id", "机构编号", required=True, key=True),
       _c("name", "机构名称,名称"),
       _c("credit_code", "统一社会信用代码", "credit_code"),
       _c("legal_rep_name", "法定代表人", "name"),
       _c("legal_rep_id_number", "法定代表人身份证号", "id_number"),
       _c("phone", "联系电话", "phone"),
       _c("email", "电子邮箱", "email"),
       _c("address", "地址"),
       _c("kind", "类型"),
       _c("status", "状态"),
       _c("source", "来源")),
    _t("links", "关联线索",
       _c("from_kind", "甲方类型", required=True, key=True),
       _c("from_name", "甲方名称"),
       _c("from_key", "甲方证件号"),
       _c("to_kind", "乙方类型", required=True, key=True),
       _c("to_name", "乙方名称"),
       _c("to_key", "乙方证件号"),
       _c("link", "关联类型"),
       _c("amount", "金额", "float"),
       _c("on", "日期", "date"),
       _c("source", "来源"),
       one_of=(("from_name", "from_key"), ("to_name", "to_key"))),
    _t("staff_actions", "职称工作人员办理记录",
       _c("staff_id", "工作人员编号", required=True, key=True),
       _c("name", "姓名", "name"),
       _c("id_number", "身份证号", "id_number"),
       _c("unit", "所在单位"),
       _c("application_id", "申报编号", required=True, key=True),
       _c("action", "办理环节"),
       _c("on", "日期", "date")),
    _t("sanctions", "诚信档案与处理记录",
       _c("name", "姓名,名称", "name"),
       _c("id_number", "身份证号", "id_number"),
       _c("credit_code", "统一社会信用代码", "credit_code"),
       _c("kind", "处理类型", required=True, key=True),
       _c("committee_id", "评委会编号"),
       _c("start", "开始日期", "date"),
       _c("end", "结束日期", "date"),
       _c("source", "来源"),
       one_of=(("name", "id_number", "credit_code", "committee_id"),)),
    _t("complaints", "投诉举报与信访",
       _c("complaint_id", "编号", required=True, key=True),
       _c("received_on", "收到日期,来信日期,登记日期", "date"),
       _c("accepted_on", "受理日期", "date"),
       _c("extended", "延期", "bool"),
       _c("channel", "渠道"),
       _c("application_id", "申报编号"),
       _c("committee_id", "评委会编号"),
       _c("subject_name", "被反映人", "name"),
       _c("subject_id_number", "被反映人身份证号", "id_number"),
       _c("summary", "内容摘要"),
       _c("responded_on", "反馈日期", "date"),
       _c("status", "办理状态"),
       _c("finding", "核查结论")),
]}

REQUIRED_TABLES = [t.name for t in TABLES.values() if t.required_table]
