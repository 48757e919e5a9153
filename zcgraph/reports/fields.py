"""The lead fields of ``leads.md`` as export columns: names, Chinese and English headers, flat cell values.

Every export (CSV, Excel, HTML) takes its columns and cell text from here, so they agree.

>>> header("severity"), header("severity", "en")
('风险等级', 'Severity')
>>> cell({"severity": "高"}, "severity", "en"), cell({"related_ids": ["SB1", "SB2"]}, "related_ids")
('high', 'SB1;SB2')
>>> guard("=HYPERLINK(1)"), guard("-3"), guard("张*")
("'=HYPERLINK(1)", "'-3", '张*')
"""

from __future__ import annotations

import json
from typing import Any

from ..graph.model import LABELS_ZH, NODES
from ..queries.catalog import FAMILY_EN

__all__ = ["FIELDS", "header", "cell", "path_text", "guard", "browser_cypher", "browser_params", "BROWSER_QUERY",
           "DISPOSITION_FIELDS", "STATUSES", "SEVERITY_EN", "STATUS_EN"]

# (field, 中文表头, English header), in export order.
FIELDS: list[tuple[str, str, str]] = [
    ("lead_id", "线索编号", "Lead ID"), ("rule_id", "规则编号", "Rule ID"), ("rule_name", "规则名称", "Rule name"),
    ("family", "类别", "Family"), ("severity", "风险等级", "Severity"), ("score", "风险分", "Score"),
    ("year", "评审年度", "Year"), ("date", "日期", "Date"), ("application_id", "申报编号", "Application ID"), ("applicant", "申报人", "Applicant"),
    ("expert_id", "专家编号", "Expert ID"), ("expert", "评审专家", "Expert"), ("staff_id", "工作人员编号", "Staff ID"),
    ("committee_id", "评委会编号", "Committee ID"), ("meeting_id", "会议编号", "Meeting ID"),
    ("intermediary_id", "中介机构编号", "Intermediary ID"), ("complaint_id", "投诉编号", "Complaint ID"),
    ("unit", "单位", "Unit"), ("identifier", "共用联系方式", "Shared contact"), ("related_ids", "关联编号", "Related IDs"),
    ("stats", "统计", "Statistics"), ("evidence", "证据说明", "Evidence"), ("path", "证据路径", "Evidence path"),
    ("basis", "依据", "Basis"), ("status", "核查状态", "Status"), ("reason", "原因", "Reason"),
    ("remedy", "整改措施", "Remedy"), ("owner", "责任人", "Responsible"), ("deadline", "整改期限", "Deadline"),
    ("changed", "证据变化", "Evidence changed"), ("fingerprint", "证据指纹", "Evidence fingerprint"),
    ("cases", "案件编号", "Case IDs"),
    ("cypher", "Neo4j浏览器查询", "Neo4j Browser query"),
]
_HEAD = {f: (zh, en) for f, zh, en in FIELDS}
DISPOSITION_FIELDS = ("status", "reason", "remedy", "owner", "deadline")
STATUSES = ("待核查", "核查中", "已核实", "排除")
SEVERITY_EN = {"高": "high", "中": "medium", "低": "low"}
STATUS_EN = {"待核查": "to check", "核查中": "in progress", "已核实": "confirmed", "排除": "dismissed"}
_STAT_ZH = {"observed": "实际", "expected": "期望", "p": "p", "q": "q", "z": "z", "sd": "标准差"}


def header(field: str, lang: str = "zh") -> str:
    zh, en = _HEAD[field]
    return en if lang == "en" else zh


def guard(value: Any) -> Any:
    """Text a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def path_text(path: list[dict[str, Any]] | None, lang: str = "zh") -> str:
    """An evidence path on one line: (人员 id:5301…) -[评审 reviews.csv 第3行]-> (申报 SB1) …"""
    parts = []
    for st in path or []:
        node = st["node"]
        label = node["label"] if lang == "en" else LABELS_ZH.get(node["label"], node["label"])
        src = f" {node['source_file']}#{node['source_row']}" if node.get("source_file") else ""
        parts.append(f"({label} {node.get('caption') or node['key']}{src})")
        rel = st.get("rel")
        if rel:
            props = rel.get("props") or {}
            rtype = rel["type"] if lang == "en" else LABELS_ZH.get(rel["type"], rel["type"])
            where = (f" {props['source_file']}#{props['source_row']}" if props.get("source_file") else "")
            parts.append(f"-[{rtype}{where}]->")
    return " ".join(parts)


def cell(lead: dict[str, Any], field: str, lang: str = "zh") -> Any:
    """The lead's value for one column, as a spreadsheet cell (text, number or empty)."""
    v = lead.get(field)
    if field == "cypher" and v is None:
        v = browser_cypher(lead)
    if v is None:
        return None
    if field in ("related_ids", "cases"):
        return ";".join(str(x) for x in v)
    if field == "stats":
        names = _STAT_ZH if lang != "en" else {}
        return "; ".join(f"{names.get(k, k)}={x}" for k, x in v.items())
    if field == "path":
        return path_text(v, lang)
    if field == "changed":
        return ("yes" if v else "no") if lang == "en" else ("是" if v else "否")
    if lang == "en":
        if field == "severity":
            return SEVERITY_EN.get(v, v)
        if field == "status":
            return STATUS_EN.get(v, v)
        if field == "family":
            return FAMILY_EN.get(v, v)
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return v


# Lead role -> the label of the node it names, for the Browser hand-off (its key property is the model's).
_ROLE_LABEL = {"application": "Application", "meeting": "Meeting", "committee": "Committee", "unit": "Unit",
               "intermediary": "Intermediary", "complaint": "Complaint"}
_PLURAL = {"Application": "applications", "Meeting": "meetings", "Committee": "committees", "Unit": "units",
           "Intermediary": "intermediaries", "Complaint": "complaints"}


def browser_params(lead: dict[str, Any]) -> dict[str, list[str]]:
    """The ids a lead's evidence subgraph is made of (its key and path), by kind; people only by expert id."""
    ids: dict[str, set[str]] = {p: set() for p in (*_PLURAL.values(), "experts")}
    for st in lead.get("path") or []:
        node = st["node"]
        if node["label"] in _PLURAL and node.get("key") is not None:
            ids[_PLURAL[node["label"]]].add(str(node["key"]))
    key = lead.get("key") or {}
    for role, value in key.items():
        if role in _ROLE_LABEL:
            ids[_PLURAL[_ROLE_LABEL[role]]].add(str(value))
    ids["experts"] |= {str(v) for v in (lead.get("expert_id"), key.get("expert"), key.get("expert_a"),
                                         key.get("expert_b")) if v}
    return {k: sorted(v) for k, v in ids.items()}


_MEMBER = " OR ".join([f"({{v}}:{label} AND {{v}}.{NODES[label].key} IN $lead.{plural})" for label, plural in _PLURAL.items()]
                      + ["({v}:Person AND any(x IN {v}.expert_ids WHERE x IN $lead.experts))"])
BROWSER_QUERY = (f"MATCH (n) WHERE {_MEMBER.format(v='n')}\n"
                 f"OPTIONAL MATCH (n)-[r]-(m) WHERE {_MEMBER.format(v='m')} OR (m:Person AND n:Application)\n"
                 "RETURN n, r, m")


def browser_cypher(lead: dict[str, Any]) -> str:
    """Neo4j Browser commands that show the lead's evidence subgraph: a ``:param`` line with the ids, then
    ``BROWSER_QUERY``, which takes them only as ``$lead``. People appear through their applications and expert
    ids, never by id number."""
    params = ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in browser_params(lead).items())
    return f":param lead => {{{params}}}\n{BROWSER_QUERY}"
