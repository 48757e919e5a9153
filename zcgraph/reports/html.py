"""One self-contained HTML lead list: opens offline (no CDN, no network), summary charts, a searchable and
sortable table, and for each lead a diagram of its evidence path drawn from the lead's own JSON.

Data values are only ever set as text (``textContent``), never parsed as HTML. ``#q=…&open=LEAD_ID`` in the
address applies a search and opens a lead on load (handy for links in a report, and for the browser test).
"""

from __future__ import annotations

import html
import json
from collections import Counter
from pathlib import Path
from typing import Any

from ..graph.model import LABELS_ZH
from .export import run_info
from .fields import FIELDS, browser_cypher, cell, header

__all__ = ["write_html", "render_html"]

TABLE = ["score", "severity", "rule_id", "rule_name", "family", "year", "application_id", "applicant", "expert_id",
         "committee_id", "meeting_id", "evidence", "status"]
DETAIL = [f for f, _, _ in FIELDS if f not in TABLE and f not in ("path", "cypher")]
PRINT_DETAIL = ["date", "expert", "staff_id", "intermediary_id", "unit", "identifier", "related_ids", "stats", "basis"]
COLOURS = {"Person": "#4e79a7", "Application": "#f28e2b", "Committee": "#59a14f", "Meeting": "#76b7b2",
           "Unit": "#edc948", "Intermediary": "#e15759", "Identifier": "#b07aa1", "Complaint": "#ff9da7",
           "Sanction": "#9c755f"}
SEV_COLOUR = {"高": "#d62728", "中": "#ff7f0e", "低": "#7f7f7f"}
TEXT = {
    "zh": {"title": "职称评审监管线索清单", "search": "搜索(编号、姓名、规则、证据…)", "all": "全部", "leads": "条线索",
           "by_family": "按类别", "by_severity": "按风险等级", "shown": "显示", "detail": "线索详情", "path": "证据路径",
           "cypher": "在 Neo4j Browser 中查看证据子图", "run": "生成时间", "backend": "后端", "fp": "数据指纹",
           "revealed": "本文件含未脱敏的姓名和身份证号(--reveal)", "masked": "姓名和身份证号已脱敏",
           "skipped": "跳过的规则", "none": "(无)",
           "partial_keys": ("清单是否完整", "运行失败的规则", "未读入的文件"),
           "case_view": "案件视图", "lead_view": "线索视图",
           "case_heads": ["案件分", "风险等级", "类型", "当事方", "线索数", "案件摘要"],
           "facets": ["类别", "规则", "风险等级", "评委会", "评审年度", "核查状态"], "close": "关闭",
           "prev": "上一页", "next": "下一页", "page": "第 {a}–{b} 条", "csv": "导出当前筛选(CSV)",
           "unresolved": "未识别身份(仅有姓名)", "print_more": "另有 {n} 条未打印:请先筛选",
           "and_more": "等{n}个"},
    "en": {"title": "Title-evaluation oversight: lead list", "search": "Search (ids, names, rules, evidence…)",
           "all": "All", "leads": "leads", "by_family": "By family", "by_severity": "By severity", "shown": "Shown",
           "detail": "Lead detail", "path": "Evidence path", "cypher": "Show the evidence subgraph in Neo4j Browser",
           "run": "Generated", "backend": "Backend", "fp": "Data fingerprint",
           "revealed": "This file holds unmasked names and id numbers (--reveal)", "masked": "Names and id numbers masked",
           "skipped": "Rules skipped", "none": "(none)",
           "partial_keys": ("complete", "rules_failed", "files_not_read"),
           "case_view": "Cases", "lead_view": "Leads",
           "case_heads": ["Case score", "Severity", "Kind", "Party", "Leads", "Summary"],
           "facets": ["Family", "Rule", "Severity", "Committee", "Year", "Status"], "close": "Close",
           "prev": "Previous", "next": "Next", "page": "rows {a}–{b}", "csv": "Export this selection (CSV)",
           "unresolved": "unresolved (name only)", "print_more": "{n} more not printed: filter first",
           "and_more": "({n} in all)"},
}


def _bars(counts: dict[str, int], colours: dict[str, str] | None = None) -> str:
    """A small horizontal bar chart as inline SVG."""
    if not counts:
        return "<p>—</p>"
    top = max(counts.values())
    h = 22 * len(counts) + 4
    lw = max(100, 8 + max(sum(12 if ord(ch) > 0x2e80 else 7 for ch in str(k)) for k in counts))  # the longest label
    out = [f'<svg class="chart" width="{lw + 260}" height="{h}" role="img">']
    for i, (k, n) in enumerate(counts.items()):
        y = 22 * i + 2
        w = max(2, int(220 * n / top))
        colour = (colours or {}).get(k, "#4e79a7")
        out.append(f'<text x="0" y="{y + 15}" font-size="12">{html.escape(str(k))}</text>'
                   f'<rect x="{lw}" y="{y + 3}" width="{w}" height="16" fill="{colour}"></rect>'
                   f'<text x="{lw + 6 + w}" y="{y + 15}" font-size="12">{n}</text>')
    return "".join(out) + "</svg>"


def render_html(result: dict[str, Any], lang: str = "zh") -> str:
    t = TEXT["en" if lang == "en" else "zh"]
    leads = result["leads"]
    rows = []
    for lead in leads:
        rows.append({"id": lead["lead_id"], "cells": [cell(lead, f, lang) for f in TABLE],
                     "detail": [[header(f, lang), cell(lead, f, lang)] for f in DETAIL if lead.get(f) not in (None, [], "")],
                     "path": lead.get("path") or [], "cypher": browser_cypher(lead)})
    cases = [{"id": c["case_id"], "cells": [c["score"], cell({"severity": c["severity"]}, "severity", lang),
                                            c["kind"] if lang == "en" else c["kind_zh"], c["party"], len(c["leads"]),
                                            c["summary"]], "leads": c["leads"]} for c in result.get("cases", [])]
    data = {"headers": [header(f, lang) for f in TABLE], "rows": rows, "cases": cases,
            "labels": LABELS_ZH if lang != "en" else {}, "colours": COLOURS, "text": t,
            "print_detail": [header(f, lang) for f in PRINT_DETAIL], "related_header": header("related_ids", lang)}
    payload = json.dumps(data, ensure_ascii=False, default=str).replace("</", "<\\/")
    fam = Counter(cell(x, "family", lang) for x in leads)
    sev = Counter(x["severity"] for x in leads)
    sev_counts = {cell({"severity": s}, "severity", lang): sev[s] for s in ("高", "中", "低") if sev[s]}
    sev_colours = {cell({"severity": s}, "severity", lang): c for s, c in SEV_COLOUR.items()}
    skipped = "; ".join(f"{s['rule_id']}: {s['reason']}" for s in result.get("rules_skipped", [])) or t["none"]
    partial = (" · ".join(f"{k}: {v}" for k, v in run_info(result, lang) if v and k in t["partial_keys"])
               if result.get("rules_failed") or result.get("files_not_read") else "")
    privacy = t["revealed"] if result.get("revealed") else t["masked"]
    return _PAGE.format(
        lang="en" if lang == "en" else "zh-CN", title=html.escape(t["title"]), n=len(leads), leads=t["leads"],
        run=html.escape(str(result.get("generated_at", ""))), run_l=t["run"], backend_l=t["backend"],
        diagram_js=DIAGRAM_JS, backend=html.escape(str(result.get("backend", ""))), fp_l=t["fp"], fp=html.escape(str(result.get("data_fingerprint", "")) + (
            f"({'mapping' if lang == 'en' else '映射文件'} {result['mapping']})" if result.get("mapping") else "")),
        privacy=html.escape(privacy), privacy_class="warn" if result.get("revealed") else "ok",
        skipped_l=t["skipped"], skipped=html.escape(skipped), partial=html.escape(partial), by_family=t["by_family"], by_severity=t["by_severity"],
        fam_chart=_bars(dict(sorted(fam.items(), key=lambda kv: -kv[1]))), sev_chart=_bars(sev_counts, sev_colours),
        search=html.escape(t["search"]), payload=payload)


def write_html(result: dict[str, Any], path: Path, lang: str = "zh") -> None:
    path.write_text(render_html(result, lang), encoding="utf-8")


# The evidence diagram and the captions it draws, shared by the lead list and the connect page (one copy: a
# chain is drawn exactly as a lead's evidence path is). Reads D.labels and D.colours; returns an <svg>.
DIAGRAM_JS = r"""function caption(node) {  // what a reader knows a node by: a masked id without its key prefix, an id, a code
  const k = String(node.key ?? "");
  if (node.caption) return node.caption;
  if (k.startsWith("m:")) return T.unresolved;
  return k.replace(/^(id|uscc|name):/, "");
}
function fit(s, px) { let w = 0, out = "";  // text cut to a width (a CJK character ~9px at 9px, Latin ~5.5px)
  for (const ch of String(s)) { w += /[\u2e80-\uffff]/.test(ch) ? 9 : 5.5; if (w > px) return out + "…"; out += ch; } return out; }
let diagrams = 0;
// The evidence as a graph: each node once (a person met twice in the path is one box), laid out in layers by
// breadth-first distance from the path's first node (so every edge joins neighbouring layers or one layer),
// each layer a column ordered by its neighbours' places in the column before (barycentre). Arrows follow
// the relationship's own direction; captions sit in the gap between columns, spread so none overlaps another.
function diagram(path) {
  const NS = "http://www.w3.org/2000/svg", bw = 150, bh = 46, gx = 110, gy = 34;
  const ids = new Map(), nodes = [], edges = [];
  const id = node => { const k = node.label + "\u0000" + node.key;
    if (!ids.has(k)) { ids.set(k, nodes.length); nodes.push({ node: node, adj: new Set() }); }
    const n = nodes[ids.get(k)]; if (!n.node.caption && node.caption) n.node = node; return ids.get(k); };
  path.forEach((st, i) => { const a = id(st.node);
    if (st.rel && i + 1 < path.length) { const b = id(path[i + 1].node), back = (st.rel.props || {}).direction === "in";
      edges.push({ from: back ? b : a, to: back ? a : b, rel: st.rel }); nodes[a].adj.add(b); nodes[b].adj.add(a); } });
  const layer = new Array(nodes.length).fill(-1); let top = -1;
  for (let s0 = 0; s0 < nodes.length; s0++) { if (layer[s0] >= 0) continue;  // another component: columns of its own
    const base = top + 1, queue = [s0]; layer[s0] = base;
    while (queue.length) { const u = queue.shift(); top = Math.max(top, layer[u]);
      [...nodes[u].adj].sort((x, y) => x - y).forEach(v => { if (layer[v] < 0) { layer[v] = layer[u] + 1; queue.push(v); } }); } }
  const cols = []; nodes.forEach((n, i) => (cols[layer[i]] = cols[layer[i]] || []).push(i));
  const row = new Array(nodes.length).fill(0);
  cols.forEach((c, L) => { if (L > 0) { const bc = i => { const nb = [...nodes[i].adj].filter(j => layer[j] === L - 1);
      return nb.length ? nb.reduce((s, j) => s + row[j], 0) / nb.length : 1e9 + i; };
    c.sort((x, y) => bc(x) - bc(y) || x - y); } c.forEach((i, r) => row[i] = r); });
  const at = i => [5 + layer[i] * (bw + gx), 5 + row[i] * (bh + gy)];
  const W = cols.length * (bw + gx) - gx + 10 + 60, H = Math.max(...cols.map(c => c.length)) * (bh + gy) - gy + 10;
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("width", W); svg.setAttribute("height", H); svg.setAttribute("viewBox", "0 0 " + W + " " + H);
  svg.setAttribute("class", "diagram");
  const defs = document.createElementNS(NS, "defs"), mk = document.createElementNS(NS, "marker");
  const mid = "arrow" + (++diagrams);  // its own marker: a marker in a hidden diagram would not draw in a shown one
  mk.setAttribute("id", mid); mk.setAttribute("viewBox", "0 0 10 10"); mk.setAttribute("refX", "10"); mk.setAttribute("refY", "5");
  mk.setAttribute("markerWidth", "7"); mk.setAttribute("markerHeight", "7"); mk.setAttribute("orient", "auto");
  const tip = document.createElementNS(NS, "path"); tip.setAttribute("d", "M0,0 L10,5 L0,10 z"); tip.setAttribute("fill", "#555");
  mk.appendChild(tip); defs.appendChild(mk); svg.appendChild(defs);
  function t(x, y, s, size, anchor, cls) { const e = document.createElementNS(NS, "text"); e.setAttribute("x", x); e.setAttribute("y", y);
    e.setAttribute("font-size", size || 11); if (anchor) e.setAttribute("text-anchor", anchor); if (cls) e.setAttribute("class", cls);
    e.textContent = s; svg.appendChild(e); return e; }
  nodes.forEach((n, i) => {
    const [x, y] = at(i), node = n.node, rect = document.createElementNS(NS, "rect");
    rect.setAttribute("x", x); rect.setAttribute("y", y); rect.setAttribute("width", bw); rect.setAttribute("height", bh);
    rect.setAttribute("rx", 8); rect.setAttribute("fill", D.colours[node.label] || "#ccc"); rect.setAttribute("fill-opacity", 0.25);
    rect.setAttribute("stroke", D.colours[node.label] || "#999"); rect.setAttribute("class", "node"); rect.dataset.node = i;
    svg.appendChild(rect);
    t(x + 6, y + 16, D.labels[node.label] || node.label, 11);
    t(x + 6, y + 34, fit(caption(node), bw - 12), 11);
  });
  const gaps = new Map(), same = new Map();  // captions per gap between columns, to spread; brackets per column
  edges.forEach(e => {
    const [x1, y1] = at(e.from), [x2, y2] = at(e.to), p = e.rel.props || {};
    let d, end, cx, cy;
    if (layer[e.from] !== layer[e.to]) {  // neighbouring columns: side to side
      const right = layer[e.to] > layer[e.from];
      const a = [right ? x1 + bw : x1, y1 + bh / 2]; end = [right ? x2 : x2 + bw, y2 + bh / 2];
      d = "M" + a[0] + "," + a[1] + " L" + end[0] + "," + end[1];
      cx = Math.min(a[0], end[0]) + gx / 2; cy = (a[1] + end[1]) / 2;
    } else {  // one column: a bracket out to its right side
      const k = same.get(layer[e.from]) || 0; same.set(layer[e.from], k + 1);
      const bx = x1 + bw + 14 + 10 * k; end = [x2 + bw, y2 + bh / 2];
      d = "M" + (x1 + bw) + "," + (y1 + bh / 2) + " L" + bx + "," + (y1 + bh / 2) + " L" + bx + "," + end[1] + " L" + end[0] + "," + end[1];
      cx = x1 + bw + gx / 2 + 8; cy = (y1 + y2 + bh) / 2;
    }
    const line = document.createElementNS(NS, "path");
    line.setAttribute("d", d); line.setAttribute("fill", "none");
    line.setAttribute("stroke", "#555"); line.setAttribute("marker-end", "url(#" + mid + ")"); line.setAttribute("class", "edge");
    line.dataset.from = e.from; line.dataset.to = e.to; line.dataset.x2 = end[0]; line.dataset.y2 = end[1];
    line.dataset.type = e.rel.type; svg.appendChild(line);
    const g = Math.min(layer[e.from], layer[e.to]); (gaps.get(g) || gaps.set(g, []).get(g)).push({ cx: cx, cy: cy, rel: e.rel });
  });
  gaps.forEach(list => {  // each caption two lines (name, record): spread down the gap so none overlaps another
    list.sort((a, b) => a.cy - b.cy); let last = -1e9;
    list.forEach(l => { l.cy = Math.max(l.cy, last + 30); last = l.cy;
      const p = l.rel.props || {}, name = D.labels[l.rel.type] || l.rel.type, src = p.source_file ? p.source_file + "#" + p.source_row : "";
      t(l.cx, l.cy - 6, fit(name, gx - 12), 9, "middle", "edge-label");
      if (src) t(l.cx, l.cy + 9, fit(src, gx - 12), 9, "middle", "edge-label"); });
    if (last + 14 > H) { svg.setAttribute("height", last + 14); svg.setAttribute("viewBox", "0 0 " + W + " " + (last + 14)); }
  });
  return svg;
}
"""


_PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>{title}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 16px; color: #222; }}
h1 {{ font-size: 20px; margin: 0 0 6px; }} .meta {{ font-size: 12px; color: #555; }}
.warn {{ color: #b00; font-weight: bold; }} .ok {{ color: #070; }}
.charts {{ display: flex; gap: 32px; flex-wrap: wrap; margin: 10px 0; }} .charts h2 {{ font-size: 14px; margin: 4px 0; }}
.bar {{ margin: 8px 0; }} input[type=search] {{ width: 360px; padding: 4px; }}
table {{ border-collapse: collapse; width: 100%; font-size: 12px; }}
th, td {{ border: 1px solid #ddd; padding: 3px 5px; vertical-align: top; text-align: left; }}
th {{ background: #f3f3f3; cursor: pointer; position: sticky; top: 0; }} tbody tr:hover {{ background: #fffbe6; cursor: pointer; }}
tr.open {{ background: #fff3c4; }} .sev-高 {{ color: #d62728; font-weight: bold; }} .sev-中 {{ color: #ff7f0e; }}
#detail {{ position: fixed; top: 0; right: 0; width: min(760px, 60vw); height: 100vh; overflow: auto; box-sizing: border-box;
  background: #fff; border-left: 1px solid #bbb; box-shadow: -4px 0 12px rgba(0,0,0,.15); padding: 8px 12px; display: none; z-index: 10; }}
#close {{ float: right; font-size: 14px; padding: 2px 10px; cursor: pointer; }}
.facets select {{ max-width: 220px; margin-right: 6px; }} #pager button {{ margin: 0 4px; }}
#leads :is(td, th):is(:nth-child(1), :nth-child(2), :nth-child(5), :nth-child(6), :nth-child(13)),
#cases :is(td, th):is(:nth-child(1), :nth-child(2), :nth-child(3), :nth-child(5)) {{ white-space: nowrap; }}
#printout {{ display: none; }}
.lead-block {{ break-inside: avoid; border-top: 1px solid #999; padding: 6px 0 8px; }}
.lead-block h3 {{ font-size: 13px; margin: 0 0 4px; }} .lead-block dl {{ display: grid; grid-template-columns: 6em minmax(0, 1fr) 6em minmax(0, 1fr); gap: 1px 8px; font-size: 11px; margin: 0 0 4px; }}
.lead-block dt {{ color: #555; }} .lead-block dd {{ margin: 0; overflow-wrap: anywhere; }}
.lead-block dt.wide {{ grid-column: 1; }} .lead-block dd.wide {{ grid-column: 2 / -1; }} svg.diagram {{ max-width: 100%; height: auto; }}
@media print {{
  /* on paper: one block a lead (its fields, its evidence, its diagram), never a table of narrow columns */
  .bar, .facets, #pager, #close, button.view, #case-view, #lead-view, #detail, .charts {{ display: none !important; }}
  #printout {{ display: block !important; }} @page {{ size: A4; margin: 12mm; }} }}
#detail dl {{ display: grid; grid-template-columns: 9em minmax(0, 1fr); gap: 2px 8px; font-size: 12px; }}
#detail dt {{ color: #555; }} #detail dd {{ overflow-wrap: anywhere; }} pre {{ background: #f6f6f6; padding: 6px; white-space: pre-wrap; font-size: 11px; }}
button.view {{ padding: 4px 12px; border: 1px solid #999; background: #fff; cursor: pointer; }}
button.view.on {{ background: #4e79a7; color: #fff; border-color: #4e79a7; }}
tr.case {{ cursor: pointer; }} tr.case td:first-child::before {{ content: "▸ "; }} tr.case.expanded td:first-child::before {{ content: "▾ "; }}
tr.nested td {{ background: #fafafa; }} tr.nested td:first-child {{ padding-left: 24px; }}
</style></head><body>
<h1>{title}</h1>
<div class="meta">{n} {leads} · {run_l} {run} · {backend_l} {backend} · {fp_l} {fp} ·
<span class="{privacy_class}">{privacy}</span> · {skipped_l}: {skipped}</div>
<div class="meta warn" id="partial">{partial}</div>
<div class="charts"><div><h2>{by_family}</h2>{fam_chart}</div><div><h2>{by_severity}</h2>{sev_chart}</div></div>
<div class="bar"><button id="v-cases" class="view on"></button> <button id="v-leads" class="view"></button></div>
<div id="detail"></div>
<div id="case-view"><table id="cases"><thead><tr id="chead"></tr></thead><tbody id="cbody"></tbody></table></div>
<div id="lead-view" hidden>
<div class="bar"><input id="q" type="search" placeholder="{search}"> <button id="csv"></button>
<span id="count" class="meta"></span></div>
<div class="facets" id="facets"></div>
<div id="pager" class="meta"><button id="prev"></button><span id="pageinfo"></span><button id="next"></button></div>
<table id="leads"><thead><tr id="head"></tr></thead><tbody id="body"></tbody></table></div>
<div id="printout"></div>
<script type="application/json" id="data">{payload}</script>
<script>
"use strict";
const D = JSON.parse(document.getElementById("data").textContent);
const T = D.text, body = document.getElementById("body"), q = document.getElementById("q");
let rows = D.rows.slice(), sortCol = -1, sortDir = 1, page = 0, shown = [];
const PAGE = 200, FACETS = [4, 2, 1, 9, 5, 12];  // family, rule, severity, committee, year, status (table columns)
function el(tag, text, cls) {{ const e = document.createElement(tag); if (text !== undefined && text !== null) e.textContent = String(text); if (cls) e.className = cls; return e; }}
D.headers.forEach((h, i) => {{ const th = el("th", h); th.onclick = () => {{ sortDir = sortCol === i ? -sortDir : 1; sortCol = i; render(); }}; document.getElementById("head").appendChild(th); }});
const facet = FACETS.map((col, k) => {{ const s = el("select"); s.id = "f" + col; s.title = T.facets[k];
  s.onchange = () => {{ page = 0; render(); }}; document.getElementById("facets").appendChild(s); return s; }});
const val = (r, col) => String(r.cells[col] ?? "—");
function hay(r) {{ return (r.cells.join(" ") + " " + r.detail.map(d => d[1]).join(" ")).toLowerCase(); }}
D.rows.forEach(r => r.text = hay(r));
function keep(r, words, skip) {{ return FACETS.every((col, k) => k === skip || !facet[k].value || val(r, col) === facet[k].value)
  && words.every(w => r.text.includes(w)); }}
function render() {{
  const words = q.value.toLowerCase().split(/\\s+/).filter(Boolean);
  shown = rows.filter(r => keep(r, words, -1));
  // each facet counts what the other filters leave, so a count is what choosing it would show
  FACETS.forEach((col, k) => {{ const n = new Map(); rows.forEach(r => {{ if (keep(r, words, k)) n.set(val(r, col), (n.get(val(r, col)) || 0) + 1); }});
    const cur = facet[k].value, opts = [el("option", T.facets[k] + ":" + T.all)]; opts[0].value = "";
    [...n.keys()].sort((a, b) => a.localeCompare(b, "zh")).forEach(v => {{ const o = el("option", v + " (" + n.get(v) + ")"); o.value = v; opts.push(o); }});
    facet[k].replaceChildren(...opts); facet[k].value = cur; }});
  if (sortCol >= 0) shown.sort((a, b) => {{ const x = a.cells[sortCol], y = b.cells[sortCol];
    return sortDir * (typeof x === "number" && typeof y === "number" ? x - y : String(x ?? "").localeCompare(String(y ?? ""), "zh")); }});
  page = Math.min(page, Math.max(0, Math.ceil(shown.length / PAGE) - 1));
  const from = page * PAGE, part = shown.slice(from, from + PAGE);  // one page drawn: fast at 20,000 leads
  body.replaceChildren(...part.map(r => {{ const tr = el("tr"); tr.dataset.id = r.id;
    r.cells.forEach((c, i) => tr.appendChild(el("td", c, i === 1 ? "sev-" + c : ""))); tr.onclick = () => openLead(r.id, true); return tr; }}));
  document.getElementById("count").textContent = T.shown + " " + shown.length + " / " + D.rows.length;
  document.getElementById("pageinfo").textContent = shown.length ? T.page.replace("{{a}}", from + 1).replace("{{b}}", from + part.length) : "";
  document.getElementById("prev").disabled = page === 0; document.getElementById("next").disabled = from + PAGE >= shown.length;
}}
function csvOfShown() {{
  const esc = v => {{ let s = v === null || v === undefined ? "" : String(v); if (/^[=+\\-@\\t\\r]/.test(s)) s = "'" + s;
    return /[",\\n\\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; }};
  return "\\ufeff" + [D.headers].concat(shown.map(r => r.cells)).map(r => r.map(esc).join(",")).join("\\r\\n") + "\\r\\n";
}}
document.getElementById("csv").textContent = T.csv;
document.getElementById("csv").onclick = () => {{ const a = el("a"); a.download = "leads-selection.csv";
  a.href = URL.createObjectURL(new Blob([csvOfShown()], {{ type: "text/csv" }})); document.body.appendChild(a); a.click(); a.remove(); }};
document.getElementById("prev").textContent = T.prev; document.getElementById("next").textContent = T.next;
document.getElementById("prev").onclick = () => {{ page--; render(); }}; document.getElementById("next").onclick = () => {{ page++; render(); }};
{diagram_js}function openLead(id, push) {{
  const r = D.rows.find(x => x.id === id); if (!r) return;
  document.querySelectorAll("tr.open").forEach(x => x.classList.remove("open"));
  const tr = body.querySelector('tr[data-id="' + id + '"]'); if (tr) tr.classList.add("open");
  const box = document.getElementById("detail"), close = el("button", "✕ " + T.close); close.id = "close";
  close.onclick = dismiss;
  box.replaceChildren(close, el("h2", T.detail + " " + id));
  const dl = el("dl"); D.headers.forEach((h, i) => {{ dl.appendChild(el("dt", h)); dl.appendChild(el("dd", r.cells[i])); }});
  r.detail.forEach(([h, v]) => {{ dl.appendChild(el("dt", h)); dl.appendChild(el("dd", v)); }});
  box.appendChild(dl); box.appendChild(el("h3", T.path)); box.appendChild(diagram(r.path));
  box.appendChild(el("h3", T.cypher)); box.appendChild(el("pre", r.cypher)); box.style.display = "block"; box.scrollTop = 0;
  if (push) history.pushState({{ open: id }}, "", "#open=" + encodeURIComponent(id));  // a lead can be linked; back closes it
}}
function dismiss() {{  // back, if this page opened it; else just close (the lead came in by its address)
  if (history.state && history.state.open) history.back(); else {{ closeLead(); history.replaceState(null, "", "#view=leads"); }} }}
function closeLead() {{ document.getElementById("detail").style.display = "none";
  document.querySelectorAll("tr.open").forEach(x => x.classList.remove("open")); }}
window.addEventListener("popstate", () => {{ const o = new URLSearchParams(location.hash.slice(1)).get("open");
  if (o) openLead(o, false); else closeLead(); }});
document.addEventListener("keydown", e => {{ if (e.key === "Escape" && document.getElementById("detail").style.display === "block") dismiss(); }});
// Printing: the open lead alone, or else the leads the current view holds (the filtered list in the lead
// view, every lead by rank in the case view), each as a block with its fields, evidence and diagram.
const PRINT_MAX = 1000, PRINTED = [9, 10, 5, 6, 7, 8, 11, 12];  // committee, meeting, year, parties, evidence, status
function block(r) {{
  const b = el("section", undefined, "lead-block"); b.dataset.lead = r.id;
  b.appendChild(el("h3", r.cells[1] + " · " + r.cells[3] + " · " + r.id));
  const dl = el("dl");
  // short fields two a line, long ones (evidence, basis, ids, statistics) the block's width
  const put = (h, v) => {{ if (v === null || v === undefined || v === "") return; const w = String(v).length > 24 ? "wide" : "";
    dl.appendChild(el("dt", h, w)); dl.appendChild(el("dd", v, w)); }};
  PRINTED.forEach(i => put(D.headers[i], r.cells[i])); r.detail.forEach(([h, v]) => {{ if (!D.print_detail.includes(h)) return;
    const ids = h === D.related_header ? String(v).split(";") : [];  // related ids: the first ten on paper
    put(h, ids.length > 10 ? ids.slice(0, 10).join(";") + " " + T.and_more.replace("{{n}}", ids.length) : v); }});
  b.appendChild(dl); if (r.path.length) b.appendChild(diagram(r.path)); return b;
}}
function fillPrint() {{
  const open = document.getElementById("detail").style.display === "block" && new URLSearchParams(location.hash.slice(1)).get("open");
  const list = open ? [byId[open]].filter(Boolean) : document.getElementById("lead-view").hidden ? D.rows : shown;
  const out = list.slice(0, PRINT_MAX).map(block);
  if (list.length > PRINT_MAX) out.push(el("p", T.print_more.replace("{{n}}", list.length - PRINT_MAX), "meta"));
  document.getElementById("printout").replaceChildren(...out);
}}
window.addEventListener("beforeprint", fillPrint);
window.matchMedia("print").addEventListener("change", e => {{ if (e.matches) fillPrint(); }});
const byId = Object.fromEntries(D.rows.map(r => [r.id, r])), cbody = document.getElementById("cbody");
T.case_heads.forEach(hd => document.getElementById("chead").appendChild(el("th", hd)));
function renderCases() {{
  const out = [];
  D.cases.forEach(c => {{
    const tr = el("tr", undefined, "case"); tr.dataset.case = c.id;
    c.cells.forEach((v, i) => tr.appendChild(el("td", v, i === 1 ? "sev-" + v : "")));
    tr.onclick = () => {{ tr.classList.toggle("expanded");
      cbody.querySelectorAll('tr.nested[data-of="' + c.id + '"]').forEach(x => x.hidden = !tr.classList.contains("expanded")); }};
    out.push(tr);
    c.leads.forEach(id => {{ const r = byId[id]; if (!r) return; const n = el("tr", undefined, "nested"); n.dataset.of = c.id;
      n.dataset.lead = id; n.hidden = true;
      [r.cells[0], r.cells[1], r.cells[2], r.cells[3], "", r.cells[11]].forEach((v, i) => n.appendChild(el("td", v, i === 1 ? "sev-" + v : "")));
      n.onclick = e => {{ e.stopPropagation(); openLead(id, true); }}; out.push(n); }});
  }});
  cbody.replaceChildren(...out);
}}
function view(which) {{
  document.getElementById("case-view").hidden = which !== "cases"; document.getElementById("lead-view").hidden = which !== "leads";
  document.getElementById("v-cases").classList.toggle("on", which === "cases"); document.getElementById("v-leads").classList.toggle("on", which === "leads");
}}
document.getElementById("v-cases").textContent = T.case_view + " (" + D.cases.length + ")";
document.getElementById("v-leads").textContent = T.lead_view + " (" + D.rows.length + ")";
document.getElementById("v-cases").onclick = () => view("cases"); document.getElementById("v-leads").onclick = () => view("leads");
q.oninput = () => {{ page = 0; render(); }};
const h = new URLSearchParams(location.hash.slice(1));
if (h.get("q")) q.value = h.get("q");
render(); renderCases();
view(h.get("view") === "leads" || h.get("q") || h.get("open") ? "leads" : "cases");
if (h.get("open")) openLead(h.get("open"), false);
</script></body></html>
"""
