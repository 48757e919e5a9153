"""The graph model as data: labels, relationship types, keys and the tables that feed them.

Both stores (embedded NetworkX/pandas and Neo4j) take labels and types only
from here, never from input.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["NodeType", "RelType", "NODES", "RELS", "LABELS_ZH"]


class NodeType(BaseModel):
    model_config = ConfigDict(frozen=True)
    label: str
    key: str
    label_zh: str
    fed_by: tuple[str, ...]


class RelType(BaseModel):
    model_config = ConfigDict(frozen=True)
    type: str
    src: tuple[str, ...]
    dst: tuple[str, ...]
    label_zh: str
    fed_by: tuple[str, ...]


NODES: dict[str, NodeType] = {n.label: n for n in [
    NodeType(label="Person", key="person_key", label_zh="人员",
             fed_by=("applications", "experts", "employment", "relations", "links", "staff_actions",
                     "sanctions", "complaints", "intermediaries")),
    NodeType(label="Application", key="application_key", label_zh="申报", fed_by=("applications",)),
    NodeType(label="Committee", key="committee_id", label_zh="评委会",
             fed_by=("committees", "applications", "experts", "meetings")),
    NodeType(label="Meeting", key="meeting_id", label_zh="评审会议", fed_by=("meetings", "reviews", "attendance")),
    NodeType(label="Unit", key="unit_key", label_zh="单位",
             fed_by=("units", "applications", "experts", "employment", "committees", "staff_actions", "links",
                     "sanctions")),
    NodeType(label="Intermediary", key="intermediary_id", label_zh="中介机构", fed_by=("intermediaries", "links")),
    NodeType(label="Identifier", key="identifier_key", label_zh="联系方式",
             fed_by=("applications", "experts", "units", "intermediaries")),
    NodeType(label="Complaint", key="complaint_id", label_zh="投诉举报", fed_by=("complaints",)),
    NodeType(label="Sanction", key="sanction_key", label_zh="处理记录", fed_by=("sanctions",)),
]}

RELS: dict[str, RelType] = {r.type: r for r in [
    RelType(type="APPLIED", src=("Person",), dst=("Application",), label_zh="申报", fed_by=("applications",)),
    RelType(type="EVALUATED_BY", src=("Application",), dst=("Committee",), label_zh="评审委员会",
            fed_by=("applications",)),
    RelType(type="IN_POOL", src=("Person",), dst=("Committee",), label_zh="入库", fed_by=("experts",)),
    RelType(type="REVIEWED", src=("Person",), dst=("Application",), label_zh="评审", fed_by=("reviews",)),
    RelType(type="DECIDED_IN", src=("Application",), dst=("Meeting",), label_zh="评审会议",
            fed_by=("reviews", "applications", "meetings")),
    RelType(type="OF_COMMITTEE", src=("Meeting",), dst=("Committee",), label_zh="所属评委会", fed_by=("meetings",)),
    RelType(type="ATTENDED", src=("Person",), dst=("Meeting",), label_zh="出席", fed_by=("attendance",)),
    RelType(type="RECUSED", src=("Person",), dst=("Meeting",), label_zh="回避", fed_by=("recusals",)),
    RelType(type="WORKS_AT", src=("Person",), dst=("Unit",), label_zh="任职",
            fed_by=("employment", "applications", "experts", "staff_actions")),
    RelType(type="PART_OF", src=("Unit",), dst=("Unit",), label_zh="上级单位", fed_by=("units",)),
    RelType(type="ORGANIZED_BY", src=("Committee",), dst=("Unit",), label_zh="组建单位", fed_by=("committees",)),
    RelType(type="RELATED", src=("Person",), dst=("Person",), label_zh="社会关系", fed_by=("relations",)),
    RelType(type="POSSIBLY_SAME", src=("Person",), dst=("Person",), label_zh="疑似同一人", fed_by=()),
    RelType(type="HAS_CONTACT", src=("Person", "Application", "Unit", "Intermediary"), dst=("Identifier",),
            label_zh="联系方式", fed_by=("applications", "experts", "units", "intermediaries")),
    RelType(type="SUBMITTED_VIA", src=("Application",), dst=("Intermediary",), label_zh="代理申报",
            fed_by=("applications",)),
    RelType(type="LEGAL_REP_OF", src=("Person",), dst=("Intermediary",), label_zh="法定代表人",
            fed_by=("intermediaries",)),
    RelType(type="LINKED", src=("Person", "Unit", "Intermediary"), dst=("Person", "Unit", "Intermediary"),
            label_zh="关联", fed_by=("links",)),
    RelType(type="HANDLED", src=("Person",), dst=("Application",), label_zh="办理", fed_by=("staff_actions",)),
    RelType(type="AGAINST", src=("Sanction",), dst=("Person", "Unit", "Committee"), label_zh="处理对象",
            fed_by=("sanctions",)),
    RelType(type="ABOUT", src=("Complaint",), dst=("Application", "Committee", "Person"), label_zh="反映对象",
            fed_by=("complaints",)),
]}

LABELS_ZH = {**{k: v.label_zh for k, v in NODES.items()}, **{k: v.label_zh for k, v in RELS.items()}}
