"""The feedback summary the notice asks for (四: 5月30日 阶段性进展、问题清单、典型案例; 11月30日 年度情况).

``build_report`` turns a lead list (dispositions already applied) into the sections; ``write_report`` writes
them as Excel (one sheet per section) or as one self-contained HTML page.

Periods: ``2025`` is the annual report (due 30 November); ``2025H1`` the interim one (due 30 May), ``2025H2``
the second half. A lead belongs to one period by its own date (the meeting's, the act's, the tie's: ``date``); a
lead with an evaluation year and no date to the second half of that year (evaluations meet in the autumn); a lead
with neither is 未定期 and listed apart in every report, never counted in a period. So periods never overlap and
H1 + H2 is the year. H1 judges 整改 deadlines as of 30 June, the year and H2 as of 31 December.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import Counter
from pathlib import Path
from typing import Any

from .fields import STATUSES, path_text

__all__ = ["build_report", "write_report", "parse_period", "ReportError"]

SEVERITIES = ("高", "中", "低")
CASES = 5


class ReportError(ValueError):
    pass


def parse_period(period: str) -> tuple[int, int | None, dt.date]:
    """``2025`` → (2025, None, 31 Dec); ``2025H1`` → (2025, 1, 30 Jun); ``2025H2`` → (2025, 2, 31 Dec)."""
    m = re.fullmatch(r"(\d{4})(H[12])?", period.strip().upper())
    if not m:
        raise ReportError(f"--period 应为 2025、2025H1 或 2025H2 这样的形式(收到 {period!r})")
    year, half = int(m.group(1)), int(m.group(2)[1]) if m.group(2) else None
    return year, half, dt.date(year, 6, 30) if half == 1 else dt.date(year, 12, 31)


def lead_period(lead: dict[str, Any]) -> tuple[int, int] | None:
    """The (year, half) a lead belongs to: its date's, else its evaluation year's second half, else none."""
    d = str(lead.get("date") or "")
    if re.match(r"\d{4}-\d{2}", d):
        return int(d[:4]), 1 if int(d[5:7]) <= 6 else 2
    if lead.get("year"):
        return int(lead["year"]), 2
    return None


def _in(lead: dict[str, Any], year: int, half: int | None) -> bool:
    p = lead_period(lead)
    return p is not None and p[0] == year and (half is None or p[1] == half)


def build_report(result: dict[str, Any], period: str, organizers: dict[str, str] | None = None,
                 names: dict[str, str] | None = None, previous: dict[str, Any] | None = None) -> dict[str, Any]:
    year, half, as_of = parse_period(period)
    leads = [x for x in result["leads"] if _in(x, year, half)]
    undated = [x for x in result["leads"] if lead_period(x) is None]
    covered = sorted({p[0] for p in map(lead_period, result["leads"]) if p})
    organizers, names = organizers or {}, names or {}
    sev = Counter(x["severity"] for x in leads)
    status = Counter(x.get("status") or "待核查" for x in leads)
    dismissed = (result.get("dispositions") or {}).get("dismissed_not_raised", 0)
    overdue = [x for x in leads if x.get("deadline") and str(x["deadline"])[:10] < as_of.isoformat()
               and x.get("status") != "已核实"]
    label = {None: "度(年度情况,11月30日前报送)", 1: "上半年(阶段性进展,5月30日前报送)", 2: "下半年"}[half]
    span = f"{covered[0]}—{covered[-1]}年" if covered else "无"
    overview = [["报告期", f"{year}年{label}"],
                *([["说明", f"本期没有线索:数据所含线索的年度为{span}"]] if not leads else []),
                ["线索总数", len(leads)], *[[f"风险{s}", sev[s]] for s in SEVERITIES],
                *[[f"核查状态:{s}", status[s]] for s in STATUSES if s != "排除"],
                ["已排除(本次未再提示)", dismissed], ["已定整改措施", sum(1 for x in leads if x.get("remedy"))],
                [f"整改逾期(截至{as_of})", len(overdue)], ["未定期线索(另列,不计入本期)", len(undated)],
                ["数据指纹", result.get("data_fingerprint")], ["映射文件", result.get("mapping") or "未用"], ["脱敏", "否(--reveal)" if result.get("revealed") else "是"]]
    by_family = _crosstab(leads, "family")
    by_committee = [[_committee(c, names), organizers.get(c or "", "") or "—", *rest]
                    for c, *rest in _crosstab(leads, "committee_id")]

    def problem(x: dict[str, Any]) -> list[Any]:
        return [x["lead_id"], x.get("date") or x.get("year"), x["rule_name"], x["severity"],
                _committee(x.get("committee_id"), names), x["evidence"], x["basis"], x.get("status") or "待核查",
                x.get("reason"), x.get("remedy"), x.get("owner"), x.get("deadline")]
    order = {s: i for i, s in enumerate(SEVERITIES)}
    ranked = sorted(leads, key=lambda x: (order[x["severity"]], -x["score"], x["lead_id"]))
    problems = [problem(x) for x in ranked]
    cases, seen = [], set()
    for x in sorted(leads, key=lambda x: (-x["score"], x["lead_id"])):
        if x["severity"] == "高" and x.get("status") != "排除" and x["rule_id"] not in seen:
            seen.add(x["rule_id"])
            cases.append({"title": f"{x['rule_name']}({x['rule_id']},线索{x['lead_id']})", "evidence": x["evidence"],
                          "path": path_text(x.get("path")), "basis": x["basis"], "status": x.get("status") or "待核查"})
        if len(cases) == CASES:
            break
    return {"title": f"职称评审监管{year}年{ {None: '度', 1: '上半年', 2: '下半年'}[half]}情况报告",
            "narrative": _narrative(leads, by_family, by_committee, undated, previous, year, half),
            "overview": overview, "by_family": by_family, "by_committee": by_committee, "problems": problems,
            "undated": [problem(x) for x in sorted(undated, key=lambda x: (-x["score"], x["lead_id"]))],
            "cases": cases}


def _narrative(leads: list[dict[str, Any]], by_family: list[list[Any]], by_committee: list[list[Any]],
               undated: list[dict[str, Any]], previous: dict[str, Any] | None, year: int, half: int | None) -> list[str]:
    """A few plain Chinese sentences for the cover page: how many, how serious, where they gather, what changed."""
    if not leads:
        return ["本期没有线索。"]
    sev = Counter(x["severity"] for x in leads)
    n = len(leads)
    out = [f"本期共发现线索{n}条,其中高风险{sev['高']}条、中风险{sev['中']}条、低风险{sev['低']}条;"
           f"已核实{sum(1 for x in leads if x.get('status') == '已核实')}条,核查中"
           f"{sum(1 for x in leads if x.get('status') == '核查中')}条。"]
    top = by_family[:2]
    out.append("线索主要集中在" + "和".join(f"“{f}”类({t}条,占{round(100 * t / n)}%)" for f, *_, t in top) + "。")
    named = [r for r in by_committee if r[0] != "—"]
    if named:
        c = named[0]
        out.append(f"涉及线索最多的评委会是{c[0]}({c[-1]}条,其中高风险{c[2]}条)。")
    if previous is not None:
        before = {x["lead_id"] for x in previous.get("leads", []) if _in(x, year, half)}
        now = {x["lead_id"] for x in leads}
        out.append(f"与上一次线索清单相比,本期新增{len(now - before)}条,不再出现{len(before - now)}条,"
                   f"延续{len(now & before)}条。")
    if undated:
        out.append(f"另有{len(undated)}条线索没有日期和年度(如评委会组成、专家库更新),另列于“未定期线索”。")
    return out


def _committee(cid: str | None, names: dict[str, str]) -> str:
    """A committee as a reader knows it: its name, with its code."""
    if not cid:
        return "—"
    return f"{names[cid]}({cid})" if names.get(cid) else cid


def _crosstab(leads: list[dict[str, Any]], field: str) -> list[list[Any]]:
    groups: dict[Any, Counter] = {}
    for x in leads:
        groups.setdefault(x.get(field), Counter())[x["severity"]] += 1
    return [[k, *[c[s] for s in SEVERITIES], sum(c.values())]
            for k, c in sorted(groups.items(), key=lambda kv: (-sum(kv[1].values()), str(kv[0])))]


HEADS = {"overview": ["项目", "值"], "by_family": ["类别", "高", "中", "低", "合计"],
         "by_committee": ["评委会", "组建单位", "高", "中", "低", "合计"],
         "problems": ["线索编号", "日期", "问题", "风险等级", "评委会", "问题描述(证据)", "依据", "核查状态", "原因",
                      "整改措施", "责任人", "整改期限"]}
HEADS["undated"] = HEADS["problems"]
TITLES = {"overview": "概况", "by_family": "按类别", "by_committee": "按评委会", "problems": "问题清单",
          "undated": "未定期线索", "cases": "典型案例"}


def write_report(report: dict[str, Any], path: Path) -> Path:
    ext = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if ext == ".xlsx":
        from openpyxl import Workbook

        from .export import _sheet

        from openpyxl.chart import BarChart, Reference

        wb = Workbook()
        wb.remove(wb.active)
        for key, heads in HEADS.items():
            rows = report[key] if key != "overview" else [["概述", " ".join(report["narrative"])], *report[key]]
            ws = wb.create_sheet(TITLES[key])
            widths = [24, 90] if key == "overview" else [16] + [14] * (len(heads) - 1)
            if key in ("problems", "undated"):
                widths = [18, 11, 16, 8, 24, 60, 30, 10, 16, 16, 8, 11]
            _sheet(ws, heads, rows, widths)
            ws.oddFooter.center.text = "第 &P 页,共 &N 页"
            if key in ("by_family", "by_committee") and report[key]:  # a bar chart of the totals beside the table
                chart = BarChart()
                chart.type, chart.title, chart.legend = "bar", TITLES[key], None
                total = len(heads)
                chart.add_data(Reference(ws, min_col=total, min_row=1, max_row=len(report[key]) + 1), titles_from_data=True)
                chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=len(report[key]) + 1))
                chart.height, chart.width = 2 + 0.6 * len(report[key]), 14
                ws.add_chart(chart, f"{chr(ord('A') + total + 1)}2")
        cases = [[c["title"], c["evidence"], c["path"], c["basis"], c["status"]] for c in report["cases"]]
        _sheet(wb.create_sheet(TITLES["cases"]), ["案例", "事实", "证据路径", "依据", "核查状态"], cases, [30, 60, 60, 40, 10])
        wb.save(path)
    elif ext == ".html":
        path.write_text(_html(report), encoding="utf-8")
    else:
        raise ReportError(f"报告输出应为 .xlsx 或 .html(收到 {ext or '无扩展名'})")
    return path


def _table(heads: list[str], rows: list[list[Any]]) -> str:
    e = lambda v: html.escape("" if v is None else str(v))  # noqa: E731
    return ("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in heads) + "</tr>" +
            "".join("<tr>" + "".join(f"<td>{e(v)}</td>" for v in r) + "</tr>" for r in rows) + "</table>")


def _html(report: dict[str, Any]) -> str:
    from .html import _bars

    parts = [f"<h1>{html.escape(report['title'])}</h1>",
             "<div class='narrative'>" + "".join(f"<p>{html.escape(x)}</p>" for x in report["narrative"]) + "</div>"]
    charts = {"by_family": {r[0]: r[-1] for r in report["by_family"]},
              "by_committee": {str(r[0]): r[-1] for r in report["by_committee"][:12]}}
    for key, heads in HEADS.items():
        chart = f"<div class='chart'>{_bars(charts[key])}</div>" if key in charts and charts[key] else ""
        parts.append(f"<h2>{TITLES[key]}</h2>" + chart + _table(heads, report[key]))
    parts.append(f"<h2>{TITLES['cases']}</h2>")
    for i, c in enumerate(report["cases"], 1):
        parts.append(f"<h3>案例{i}:{html.escape(c['title'])}</h3><p>{html.escape(c['evidence'])}</p>"
                     f"<p class='m'>证据路径:{html.escape(c['path'])}</p><p class='m'>依据:{html.escape(c['basis'])}"
                     f"(核查状态:{html.escape(c['status'])})</p>")
    return ("<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>"
            "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            f"<title>{html.escape(report['title'])}</title><style>body{{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\","
            "sans-serif;margin:16px}.narrative p{font-size:14px;line-height:1.6;margin:4px 0}"
            "table{border-collapse:collapse;font-size:12px;margin-bottom:12px}th,td{border:1px solid #ccc;padding:3px 6px;"
            "vertical-align:top}th{background:#f3f3f3}.m{color:#555;font-size:12px}h2{break-after:avoid}"
            "tr{break-inside:avoid}@page{size:A4;margin:15mm 12mm;@bottom-center{content:\"第 \" counter(page) \" 页,共 \""
            " counter(pages) \" 页\";font-size:9px}}</style></head><body>"
            + "".join(parts) + "</body></html>")
