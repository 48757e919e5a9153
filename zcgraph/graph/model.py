"""The graph model as data: labels, relationship types, keys and the tables that feed them.

Both stores (embedded NetworkX/pandas and Neo4j) take labels and types only
from here, never from input.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

__all__ = ["NodeType", "RelType", "NODES", "RELS", "LABELS_ZH", "conform", "PropKind"]

PropKind = Literal["text", "date", "int", "float", "bool", "list"]


def _props(spec: str) -> dict[str, str]:
    """``"name year:int held_on:date"`` -> ``{"name": "text", "year": "int", "held_on": "date"}``."""
    return {p.partition(":")[0]: p.partition(":")[2] or "text" for p in spec.split()}


class NodeType(BaseModel):
    model_config = ConfigDict(frozen=True)
    label: str
    key: str
    label_zh: str
    fed_by: tuple[str, ...]
    # Every property the graph gives this label, with its kind: a frame always has these columns, with these
    # dtypes, whatever the input held (an absent or header-only table gives empty columns, never no columns).
    props: dict[str, PropKind] = Field(default_factory=dict)


class RelType(BaseModel):
    model_config = ConfigDict(frozen=True)
    type: str
    src: tuple[str, ...]
    dst: tuple[str, ...]
    label_zh: str
    fed_by: tuple[str, ...]
    props: dict[str, PropKind] = Field(default_factory=dict)


_DTYPES = {"text": object, "list": object, "date": "datetime64[s]", "int": "Int64", "float": "float64",
           "bool": "boolean"}


def conform(df: pd.DataFrame, key: str | None, props: dict[str, str], base: tuple[str, ...] = ()) -> pd.DataFrame:
    """The frame (changed in place) with every declared column present and of its declared kind (dates as datetime64, ints as
    nullable Int64, flags as nullable boolean). Rules can then filter, compare and join an empty or partial
    frame exactly as a full one: no KeyError for a column the data never had, no object column of NaN where a
    date is compared. A column that holds values keeps its dtype (the values were typed by the loader); columns
    beyond the declared ones are kept as they are.

    >>> conform(pd.DataFrame(), "k", {"on": "date", "n": "int"}).dtypes.astype(str).to_dict()
    {'k': 'object', 'on': 'datetime64[s]', 'n': 'Int64'}
    """
    out = df  # conformed in place: a province's REVIEWED frame is millions of rows, never copied for this
    for col in ([key] if key else []) + list(base) + list(props):
        kind = props.get(col, "text")
        dtype = _DTYPES[kind]
        if col not in out.columns:
            out[col] = pd.Series(None if dtype is object else pd.NA, index=out.index, dtype=dtype)
        elif dtype is not object and out[col].dtype == object and out[col].isna().all():
            out[col] = out[col].astype(dtype) if kind != "date" else pd.to_datetime(out[col]).astype(dtype)
    return out


NODES: dict[str, NodeType] = {n.label: n for n in [
    NodeType(label="Person", key="person_key", label_zh="人员",
             fed_by=("applications", "experts", "employment", "relations", "links", "staff_actions",
                     "sanctions", "complaints", "intermediaries"),
             props=_props("name id_number id_valid:bool gender birth_date:date expert_ids:list staff_ids:list mentions:int")),
    NodeType(label="Application", key="application_key", label_zh="申报", fed_by=("applications",),
             props=_props("application_id year:int series specialty level committee_id current_title entrusted:bool publicity_start:date publicity_end:date agent eligible:bool result employer")),
    NodeType(label="Committee", key="committee_id", label_zh="评委会",
             fed_by=("committees", "applications", "experts", "meetings"),
             props=_props("name organizer series levels:list region approved_on:date valid_until:date member_count:int formed_by self_evaluating:bool listed:bool")),
    NodeType(label="Meeting", key="meeting_id", label_zh="评审会议", fed_by=("meetings", "reviews", "attendance"),
             props=_props("committee_id year:int held_on:date kind drawn_on:date expected_count:int series level notice_published_on:date publicity_start:date publicity_end:date filed_on:date training_held:bool closed_management:bool listed:bool has_votes:bool attendance_acts:bool")),
    NodeType(label="Unit", key="unit_key", label_zh="单位",
             fed_by=("units", "applications", "experts", "employment", "committees", "staff_actions", "links",
                     "sanctions"),
             props=_props("name credit_code kind region aliases:list listed:bool rollup_key")),
    NodeType(label="Intermediary", key="intermediary_id", label_zh="中介机构", fed_by=("intermediaries", "links"),
             props=_props("name credit_code kind status source")),
    NodeType(label="Identifier", key="identifier_key", label_zh="联系方式",
             fed_by=("applications", "experts", "units", "intermediaries"),
             props=_props("kind value")),
    NodeType(label="Complaint", key="complaint_id", label_zh="投诉举报", fed_by=("complaints",),
             props=_props("received_on:date accepted_on:date extended:bool channel application_id committee_id summary responded_on:date status finding")),
    NodeType(label="Sanction", key="sanction_key", label_zh="处理记录", fed_by=("sanctions",),
             props=_props("kind start:date end:date source committee_id")),
]}

RELS: dict[str, RelType] = {r.type: r for r in [
    RelType(type="APPLIED", src=("Person",), dst=("Application",), label_zh="申报", fed_by=("applications",),
            props=_props("year:int")),
    RelType(type="EVALUATED_BY", src=("Application",), dst=("Committee",), label_zh="评审委员会",
            fed_by=("applications",)),
    RelType(type="IN_POOL", src=("Person",), dst=("Committee",), label_zh="入库", fed_by=("experts",),
            props=_props("expert_id pool_from:date pool_to:date title title_level specialty")),
    RelType(type="REVIEWED", src=("Person",), dst=("Application",), label_zh="评审", fed_by=("reviews",),
            props=_props("expert_id meeting_id stage assignment score:float vote reviewed_on:date")),
    RelType(type="DECIDED_IN", src=("Application",), dst=("Meeting",), label_zh="评审会议",
            fed_by=("reviews", "applications", "meetings")),
    RelType(type="OF_COMMITTEE", src=("Meeting",), dst=("Committee",), label_zh="所属评委会", fed_by=("meetings",)),
    RelType(type="ATTENDED", src=("Person",), dst=("Meeting",), label_zh="出席", fed_by=("attendance",),
            props=_props("expert_id role selection draw_scope")),
    RelType(type="RECUSED", src=("Person",), dst=("Meeting",), label_zh="回避", fed_by=("recusals",),
            props=_props("expert_id application_key initiated_by requested_on:date reason")),
    RelType(type="WORKS_AT", src=("Person",), dst=("Unit",), label_zh="任职",
            fed_by=("employment", "applications", "experts", "staff_actions"),
            props=_props("basis year:int source_table start:date end:date position valid_from:date valid_to:date effective:bool")),
    RelType(type="PART_OF", src=("Unit",), dst=("Unit",), label_zh="上级单位", fed_by=("units",)),
    RelType(type="ORGANIZED_BY", src=("Committee",), dst=("Unit",), label_zh="组建单位", fed_by=("committees",)),
    RelType(type="RELATED", src=("Person",), dst=("Person",), label_zh="社会关系", fed_by=("relations",),
            props=_props("relation category start:date end:date source")),
    RelType(type="POSSIBLY_SAME", src=("Person",), dst=("Person",), label_zh="疑似同一人", fed_by=(),
            props=_props("reason")),
    RelType(type="HAS_CONTACT", src=("Person", "Application", "Unit", "Intermediary"), dst=("Identifier",),
            label_zh="联系方式", fed_by=("applications", "experts", "units", "intermediaries"),
            props=_props("since:date source_table")),
    RelType(type="SUBMITTED_VIA", src=("Application",), dst=("Intermediary",), label_zh="代理申报",
            fed_by=("applications",),
            props=_props("year:int")),
    RelType(type="LEGAL_REP_OF", src=("Person",), dst=("Intermediary",), label_zh="法定代表人",
            fed_by=("intermediaries",)),
    RelType(type="LINKED", src=("Person", "Unit", "Intermediary"), dst=("Person", "Unit", "Intermediary"),
            label_zh="关联", fed_by=("links",),
            props=_props("link amount:float on:date source")),
    RelType(type="HANDLED", src=("Person",), dst=("Application",), label_zh="办理", fed_by=("staff_actions",),
            props=_props("staff_id action on:date")),
    RelType(type="AGAINST", src=("Sanction",), dst=("Person", "Unit", "Committee"), label_zh="处理对象",
            fed_by=("sanctions",),
            props=_props("kind start:date end:date")),
    RelType(type="ABOUT", src=("Complaint",), dst=("Application", "Committee", "Person"), label_zh="反映对象",
            fed_by=("complaints",)),
]}

LABELS_ZH = {**{k: v.label_zh for k, v in NODES.items()}, **{k: v.label_zh for k, v in RELS.items()}}
