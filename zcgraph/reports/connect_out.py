"""What ``zcgraph connect`` hands an investigator: a Chinese summary, JSON with the chains, and a self-contained
HTML page drawing each chain with the lead list's own evidence diagram. Names, id numbers, phones and e-mails
are masked unless ``--reveal``."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from ..graph.model import LABELS_ZH
from ..graph.store import Store
from ..queries.connect import CAP, VIA, VIA_ZH, Chain, Found, Party, Step, caption

__all__ = ["connect_result", "summary_lines", "write_connect"]


def _key(label: str, key: str, reveal: bool) -> str:
    """A node key as exports show it: a person's id number and a contact's value masked."""
    from ..queries.leads import mask_identifier, mask_key

    if label == "Person":
        return str(mask_key(key, reveal))
    if label == "Identifier":
        kind, _, value = key.partition(":")
        return f"{kind}:{mask_identifier(value, reveal)}"
    return key


def _held(s: Step) -> str:
    if s.start and s.end:
        return f"{s.start} 至 {s.end}"
    if s.start:
        return f"{s.start} 起"
    if s.end:
        return f"至 {s.end}"
    return "日期不详"


def connect_result(store: Store, a: Party, b: Party, found: Found, *, backend: str, as_of: str | None,
                   max_hops: int, via: list[str] | None, reveal: bool, limit: int | None) -> dict[str, Any]:
    """The JSON of a connect query: the parties, the query, and each chain with its steps (captions masked)."""
    names: dict[tuple[str, str], str] = {}

    def cap(n: tuple[str, str]) -> str:
        if n not in names:
            names[n] = caption(store, n[0], n[1], reveal)
        return names[n]

    chains = []
    for i, c in enumerate(found.chains, 1):
        d = c.as_dict()
        d["rank"] = i
        d["nodes"] = [{"label": n[0], "key": _key(n[0], n[1], reveal), "caption": cap(n)} for n in c.nodes]
        d["probable_merges"] = [{"node": [n[0], _key(n[0], n[1], reveal)], "reason": r}
                                for n, r in sorted(c.probable_nodes.items())]
        for st, s in zip(d["steps"], c.steps):
            st["from"] = {"label": s.a[0], "key": _key(s.a[0], s.a[1], reveal), "caption": cap(s.a)}
            st["to"] = {"label": s.b[0], "key": _key(s.b[0], s.b[1], reveal), "caption": cap(s.b)}
            st["held"] = _held(s)
        d["path"] = _path(c, reveal, cap)
        chains.append(d)
    return {"command": "connect", "backend": backend, "data_fingerprint": store.meta.get("data_fingerprint"),
            "a": {"label": a.label, "key": _key(a.label, a.key, reveal), "caption": a.caption, "how": a.how},
            "b": {"label": b.label, "key": _key(b.label, b.key, reveal), "caption": b.caption, "how": b.how},
            "as_of": as_of, "max_hops": max_hops, "via": via or list(VIA), "revealed": reveal,
            "hops": found.chains[0].hops if found.chains else None, "total": found.total, "limit": limit,
            "truncated": found.truncated, "paths": found.paths, "chains": chains,
            "parameters": {"as_of": as_of, "max_hops": max_hops, "via": via}}


def _path(c: Chain, reveal: bool, cap: Any) -> list[dict[str, Any]]:
    """A chain as a lead's evidence path (``leads.step`` form), so the lead list's diagram draws it."""
    out = []
    for i, n in enumerate(c.nodes):
        node = {"label": n[0], "key": _key(n[0], n[1], reveal), "caption": cap(n)}
        if i < len(c.steps):
            s = c.steps[i]
            props = {k: v for k, v in {"relation": s.relation, "held": _held(s), "source_file": s.source_file,
                                       "source_row": s.source_row, "direction": None if s.forward else "in"}.items()
                     if v is not None}
            out.append({"node": node, "rel": {"type": s.type, "props": props}})
        else:
            out.append({"node": node, "rel": None})
    return out


def summary_lines(result: dict[str, Any]) -> list[str]:
    """The screen: who was asked about, how they are connected (shortest first), each step with its dates and
    its record."""
    a, b = result["a"], result["b"]
    via = "、".join(VIA_ZH[g] for g in result["via"]) if len(result["via"]) < len(VIA) else "全部关联类型"
    lines = [f"甲:{a['caption']}({a['how']})", f"乙:{b['caption']}({b['how']})",
             f"条件:{via};时点:{result['as_of'] or '不限(每一步注明起止)'};最多 {result['max_hops']} 步"]
    if not result["chains"]:
        lines.append(f"在 {result['max_hops']} 步以内没有找到两者之间的关联链。")
        return lines
    shown = len(result["chains"])
    lines.append(f"最短关联 {result['hops']} 步,共 {result['total']} 条" +
                 (f"(显示排名前 {shown} 条)" if shown < result["total"] else "") +
                 (f";最短路径共 {result['paths']:,} 条,只展开并排序了其中前 {CAP:,} 条(多经由大单位或会议)"
                  if result["truncated"] and result.get("paths") else ";路径过多,只展开了一部分" if result["truncated"]
                  else ""))
    for c in result["chains"]:
        names = {(n["label"], n["key"]): n["caption"] for n in c["nodes"]}
        lines.append(f"链 {c['rank']}:{c['hops']} 步,最弱一环:{c['weakest_zh']}" + ("(含疑似同一人,仅供参考)"
                                                                                   if c["probable"] else ""))
        for m in c["probable_merges"]:
            lines.append(f"    注意:经过的 {names.get(tuple(m['node']), m['node'][1])} 由疑似同一人的记录合并({m['reason']})")
        for s in c["steps"]:
            name = LABELS_ZH.get(s["type"], s["type"]) + (f"·{s['relation']}" if s["relation"] else "")
            src = f";{s['source_file']} 第{s['source_row']}行" if s["source_file"] else ""
            more = f";另有{s['records'] - 1}条记录" if s["records"] > 1 else ""
            arrow = f"—{name}[{s['held']}{src}{more}]→" if s["forward"] else f"←{name}[{s['held']}{src}{more}]—"
            lines.append(f"    {s['from']['caption']} {arrow} {s['to']['caption']}")
    return lines


def write_connect(result: dict[str, Any], path: Path, lang: str = "zh") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".json":
        path.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    else:
        path.write_text(_html(result), encoding="utf-8")
    return path


def _html(result: dict[str, Any]) -> str:
    from .html import COLOURS, DIAGRAM_JS

    payload = json.dumps({"chains": result["chains"], "labels": LABELS_ZH, "colours": COLOURS,
                          "text": {"unresolved": "未识别身份(仅有姓名)"}}, ensure_ascii=False, default=str) \
        .replace("</", "<\\/")
    lines = summary_lines(result)
    head = "".join(f"<div class=meta>{html.escape(x)}</div>" for x in lines[:4])
    privacy = "本文件含未脱敏的姓名和身份证号(--reveal)" if result.get("revealed") else "姓名和身份证号已脱敏"
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>关联链:{html.escape(result['a']['caption'])} — {html.escape(result['b']['caption'])}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 16px; color: #222; }}
h1 {{ font-size: 20px; margin: 0 0 6px; }} .meta {{ font-size: 12px; color: #555; }} .warn {{ color: #b00; font-weight: bold; }}
.chain {{ break-inside: avoid; border-top: 1px solid #999; padding: 6px 0 10px; }} .chain h2 {{ font-size: 14px; margin: 4px 0; }}
.chain ol {{ font-size: 12px; margin: 4px 0 6px; padding-left: 20px; }} svg.diagram {{ max-width: 100%; height: auto; }}
@media print {{ @page {{ size: A4; margin: 12mm; }} }}
</style></head><body>
<h1>关联链查询</h1>{head}
<div class="meta {'warn' if result.get('revealed') else ''}">{html.escape(privacy)} · 后端 {html.escape(str(result['backend']))} · 数据指纹 {html.escape(str(result.get('data_fingerprint') or ''))}</div>
<div id="chains"></div>
<script type="application/json" id="data">{payload}</script>
<script>
"use strict";
const D = JSON.parse(document.getElementById("data").textContent);
const T = D.text;
{DIAGRAM_JS}
const box = document.getElementById("chains");
if (!D.chains.length) {{ const p = document.createElement("p"); p.textContent = "没有找到关联链。"; box.appendChild(p); }}
D.chains.forEach(c => {{
  const div = document.createElement("div"); div.className = "chain";
  const h = document.createElement("h2");
  h.textContent = "链 " + c.rank + ":" + c.hops + " 步,最弱一环:" + c.weakest_zh + (c.probable ? "(含疑似同一人,仅供参考)" : "");
  div.appendChild(h);
  const ol = document.createElement("ol");
  c.steps.forEach(s => {{ const li = document.createElement("li");
    const name = (D.labels[s.type] || s.type) + (s.relation ? "·" + s.relation : "");
    li.textContent = s.from.caption + (s.forward ? " —" : " ←") + name + "[" + s.held + (s.source_file ? ";" + s.source_file + " 第" + s.source_row + "行" : "") + "]" + (s.forward ? "→ " : "— ") + s.to.caption;
    ol.appendChild(li); }});
  div.appendChild(ol); div.appendChild(diagram(c.path)); box.appendChild(div);
}});
</script></body></html>
"""
