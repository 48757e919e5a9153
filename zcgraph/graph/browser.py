"""Neo4j Browser assets for investigators: a style sheet, a guide, and Cypher to paste.

Every query takes its values as Browser parameters (``:param application => 'SB2024000123'``),
never pasted into the query text.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

from .model import NODES, RELS

__all__ = ["GRASS", "ENTRY_POINTS", "write_assets"]

COLORS = {"Person": "#4C8EDA", "Application": "#F79767", "Committee": "#8DCC93", "Meeting": "#57C7E3",
          "Unit": "#D9C8AE", "Intermediary": "#F16667", "Identifier": "#C990C0", "Complaint": "#FFC454",
          "Sanction": "#DA7194"}
CAPTIONS = {"Person": "{name}", "Application": "{application_id}", "Committee": "{name}", "Meeting": "{meeting_id}",
            "Unit": "{name}", "Intermediary": "{name}", "Identifier": "{value}", "Complaint": "{complaint_id}",
            "Sanction": "{kind}"}


def _grass() -> str:
    parts = ["node {\n  diameter: 50px;\n  color: #A5ABB6;\n  border-color: #9AA1AC;\n  border-width: 2px;\n"
             "  text-color-internal: #FFFFFF;\n  font-size: 10px;\n}\n",
             "relationship {\n  color: #A5ABB6;\n  shaft-width: 1px;\n  font-size: 8px;\n  padding: 3px;\n"
             "  text-color-external: #000000;\n  text-color-internal: #FFFFFF;\n  caption: \"<type>\";\n}\n"]
    for label in NODES:
        size = "65px" if label in ("Person", "Intermediary") else "50px"
        parts.append(f"node.{label} {{\n  color: {COLORS[label]};\n  border-color: {COLORS[label]};\n"
                     f"  diameter: {size};\n  caption: \"{CAPTIONS[label]}\";\n}}\n")
    for rtype, rt in RELS.items():
        extra = " {stage}" if rtype == "REVIEWED" else " {relation}" if rtype == "RELATED" else ""
        parts.append(f"relationship.{rtype} {{\n  caption: \"{rt.label_zh}{extra}\";\n}}\n")
    return "\n".join(parts)


GRASS = _grass()

# (file stem, family, title, what it shows, parameters, Cypher)
ENTRY_POINTS: list[tuple[str, str, str, str, dict[str, Any], str]] = [
    ("00-applicant-reviewers", "回避", "申报人的评审专家",
     "一个申报的申报人、评审专家(审阅/答辩/投票)及其工作单位", {"application": "SB2024000123"},
     "MATCH (p:Person)-[:APPLIED]->(a:Application {application_id: $application})\n"
     "OPTIONAL MATCH (e:Person)-[r:REVIEWED]->(a)\n"
     "OPTIONAL MATCH (e)-[w:WORKS_AT]->(u:Unit)\n"
     "RETURN p, a, e, r, w, u"),
    ("01-avoid-ties", "回避", "评审专家与申报人之间的关系",
     "专家与其评审过的申报人之间的社会关系、同一单位、共用联系方式", {"expert": "E00001"},
     "MATCH (e:Person) WHERE $expert IN e.expert_ids\n"
     "MATCH (e)-[r:REVIEWED]->(a:Application)<-[:APPLIED]-(p:Person)\n"
     "OPTIONAL MATCH kin = (e)-[:RELATED]-(p)\n"
     "OPTIONAL MATCH unit = (e)-[:WORKS_AT]->(:Unit)<-[:WORKS_AT]-(p)\n"
     "OPTIONAL MATCH shared = (e)-[:HAS_CONTACT]->(:Identifier)<-[:HAS_CONTACT]-(a)\n"
     "WITH e, a, p, r, kin, unit, shared WHERE kin IS NOT NULL OR unit IS NOT NULL OR shared IS NOT NULL\n"
     "RETURN e, r, a, p, kin, unit, shared"),
    ("02-pair-repeat", "重复配对", "专家多年评审同一人",
     "同一专家在两个以上年度审阅同一申报人", {"min_years": 2},
     "MATCH (e:Person)-[r:REVIEWED]->(a:Application)<-[:APPLIED]-(p:Person)\n"
     "WHERE r.stage IN ['审阅', '答辩'] AND e <> p\n"
     "WITH e, p, collect(DISTINCT a.year) AS years, collect(a) AS apps\n"
     "WHERE size(years) >= $min_years\n"
     "RETURN e.expert_ids AS expert, p.person_key AS applicant, years, [x IN apps | x.application_id] AS applications\n"
     "ORDER BY size(years) DESC"),
    ("03-expert-intermediary", "中介关联", "专家与中介机构的关联",
     "专家与中介机构之间的付款、任职、法定代表人和共用联系方式", {"expert": "E00001"},
     "MATCH (e:Person) WHERE $expert IN e.expert_ids\n"
     "OPTIONAL MATCH direct = (e)-[:LINKED|LEGAL_REP_OF]-(i:Intermediary)\n"
     "OPTIONAL MATCH contact = (e)-[:HAS_CONTACT]->(:Identifier)<-[:HAS_CONTACT]-(j:Intermediary)\n"
     "RETURN e, direct, contact"),
    ("04-application-intermediary", "中介关联", "申报与中介机构的关联",
     "代理申报、共用联系方式的中介机构", {"application": "SB2024000123"},
     "MATCH (a:Application {application_id: $application})\n"
     "OPTIONAL MATCH via = (a)-[:SUBMITTED_VIA]->(:Intermediary)\n"
     "OPTIONAL MATCH contact = (a)-[:HAS_CONTACT]->(:Identifier)<-[:HAS_CONTACT]-(:Intermediary)\n"
     "RETURN a, via, contact"),
    ("05-committee-pool", "评委会与专家库", "评委会在某日的专家库",
     "某评委会在指定日期仍在库的专家", {"committee": "PW01", "on": dt.date(2024, 11, 10)},
     "MATCH (e:Person)-[p:IN_POOL]->(c:Committee {committee_id: $committee})\n"
     "WHERE (p.pool_from IS NULL OR p.pool_from <= $on) AND (p.pool_to IS NULL OR $on <= p.pool_to)\n"
     "RETURN c, p, e"),
    ("06-meeting", "评审程序", "一次评审会议",
     "会议的出席专家、回避记录和表决", {"meeting": "M2024PW01"},
     "MATCH (m:Meeting {meeting_id: $meeting})-[:OF_COMMITTEE]->(c:Committee)\n"
     "OPTIONAL MATCH (e:Person)-[att:ATTENDED]->(m)\n"
     "OPTIONAL MATCH (e)-[rec:RECUSED]->(m)\n"
     "RETURN m, c, e, att, rec"),
    ("07-sanctions", "失信与禁入", "处理记录涉及的人员与评委会",
     "诚信档案中的处理对象,以及其后仍参与评审的记录", {},
     "MATCH (s:Sanction)-[:AGAINST]->(x)\n"
     "OPTIONAL MATCH (x)-[r:REVIEWED|ATTENDED|HANDLED]->(y)\n"
     "RETURN s, x, r, y LIMIT 300"),
    ("08-complaints", "行业监管", "投诉举报及其对象", "投诉举报反映的申报、评委会和人员", {},
     "MATCH (c:Complaint)-[r:ABOUT]->(x)\nRETURN c, r, x LIMIT 300"),
]


def param_line(name: str, value: Any) -> str:
    """One Browser parameter as its own command, typed as the query uses it (a number bare, a date as date())."""
    if isinstance(value, dt.date):
        return f":param {name} => date('{value.isoformat()}')"
    if isinstance(value, bool):
        return f":param {name} => {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f":param {name} => {value}"
    return f":param {name} => {value!r}"


def _guide(examples: dict[str, dict[str, Any]] | None = None) -> str:
    slides = []
    for stem, family, title, what, params, cypher in ENTRY_POINTS:
        params = {**params, **(examples or {}).get(stem, {})}
        # one runnable block per :param (Browser runs a block as one command), then the query
        blocks = [f"<pre class=\"code runnable\">{html.escape(param_line(k, v))}</pre>\n" for k, v in params.items()]
        say = ("先逐条运行下面的参数设置(把示例值换成要查的编号),再运行查询:" if params else "直接运行查询:")
        slides.append(
            f"<slide class=\"row-fluid\">\n<div class=\"col-sm-12\">\n<h3>{html.escape(family)}:{html.escape(title)}</h3>\n"
            f"<p>{html.escape(what)}。{say}</p>\n" + "".join(blocks)
            + f"<pre class=\"code runnable\">{html.escape(cypher)}</pre>\n</div>\n</slide>")
    return ("<article class=\"guide\">\n<carousel class=\"deck container-fluid\">\n"
            "<slide class=\"row-fluid\">\n<div class=\"col-sm-12\">\n<h3>zcgraph 职称评审线索图谱</h3>\n"
            "<p>节点:人员、申报、评委会、评审会议、单位、中介机构、联系方式、投诉举报、处理记录。"
            "每个节点和关系都带有来源文件(source_file)和行号(source_row)。</p>\n"
            "<p>以下每页是一个调查入口。所有取值都通过 :param 传入,不要把编号直接写进查询。</p>\n</div>\n</slide>\n"
            + "\n".join(slides) + "\n</carousel>\n</article>\n")


def examples_from(store: Any) -> dict[str, dict[str, Any]]:
    """Example values for the guide taken from the data being served, so every slide's first run draws
    something: the most-reviewed application (one submitted through an agency for the agency slide), an expert
    who reviewed a relative or co-author (the ties slide) or who is linked to an agency, a pool, a meeting."""
    import pandas as pd

    out: dict[str, dict[str, Any]] = {}
    rv, ap = store.rels["REVIEWED"], store.rels["APPLIED"]
    apps = store.nodes["Application"].set_index("application_key")["application_id"]
    persons = store.nodes["Person"].set_index("person_key")

    def expert_id(pkey: Any) -> Any:
        ids = persons["expert_ids"].get(pkey) if pkey in persons.index else None
        return sorted(ids)[0] if ids is not None and len(ids) else None

    if len(rv):
        most = rv.groupby("dst").size().sort_values(ascending=False, kind="stable")
        out["00-applicant-reviewers"] = {"application": apps.get(most.index[0], most.index[0])}
        via = set(store.rels["SUBMITTED_VIA"]["src"])
        agent = [k for k in most.index if k in via]
        if agent:
            out["04-application-intermediary"] = {"application": apps.get(agent[0], agent[0])}
        pairs = rv[["src", "dst"]].merge(ap[["src", "dst"]].rename(columns={"src": "applicant"}), on="dst")
        rel = store.rels["RELATED"]
        ties = pd.concat([rel[["src", "dst"]], rel[["dst", "src"]].rename(columns={"dst": "src", "src": "dst"})])
        tied = pairs.merge(ties.rename(columns={"dst": "applicant"}), on=["src", "applicant"])
        if len(tied) and expert_id(tied["src"].iloc[0]):
            out["01-avoid-ties"] = {"expert": expert_id(sorted(tied["src"])[0])}
    lk = store.rels["LINKED"]
    linked = lk[(lk["src_label"] == "Person") & (lk["dst_label"] == "Intermediary")]["src"]
    for k in sorted(linked):
        if expert_id(k):
            out["03-expert-intermediary"] = {"expert": expert_id(k)}
            break
    meetings = store.nodes["Meeting"].dropna(subset=["held_on"]).sort_values(["held_on", "meeting_id"])
    if len(meetings):
        m = meetings.iloc[-1]
        out["06-meeting"] = {"meeting": m["meeting_id"]}
        if isinstance(m.get("committee_id"), str):
            out["05-committee-pool"] = {"committee": m["committee_id"], "on": pd.Timestamp(m["held_on"]).date()}
    return out


def write_assets(out_dir: Path | str, examples: dict[str, dict[str, Any]] | None = None) -> list[Path]:
    """The style, the guide and the queries; ``examples`` (``examples_from``) replace the guide's example values
    slide by slide."""
    out = Path(out_dir)
    (out / "cypher").mkdir(parents=True, exist_ok=True)
    files = [out / "zcgraph.grass", out / "guide.html"]
    files[0].write_text(GRASS, encoding="utf-8")
    files[1].write_text(_guide(examples or {}), encoding="utf-8")
    for stem, family, title, what, params, cypher in ENTRY_POINTS:
        params = {**params, **(examples or {}).get(stem, {})}
        p = out / "cypher" / f"{stem}.cypher"
        header = f"// {family}:{title}\n// {what}\n" + "".join(f"// {param_line(k, v)}\n" for k, v in params.items())
        p.write_text(header + cypher + ";\n", encoding="utf-8")
        files.append(p)
    files += _rule_files(out / "cypher" / "rules")
    return files


def _rule_files(folder: Path) -> list[Path]:
    """Each catalog rule's Cypher, headed by its parameters as :param lines an investigator can run first."""
    import re

    from ..queries.catalog import load_catalog

    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for rule in load_catalog():
        sp = rule.spec
        used = set(re.findall(r"\$([A-Za-z_]+)", rule.cypher))
        lines = [f"// {sp.id} {sp.name_zh}({sp.family},风险{sp.severity})", f"// 依据:{sp.basis}"]
        for name, value in sp.parameters.items():
            lines.append(f":param {name} => {str(value).lower() if isinstance(value, bool) else value!r};")
        if "as_of" in used:
            lines.append(":param as_of => date('2025-12-31');  // 核查基准日")
        if "holidays" in used:
            lines.append("// 需要 $holidays 与 $makeup_workdays(法定节假日与调休工作日列表);zcgraph 运行时自动提供")
        p = folder / f"{sp.id}.cypher"
        p.write_text("\n".join(lines) + "\n" + rule.cypher, encoding="utf-8")
        out.append(p)
    return out
