"""Investigators' marks on leads (dispositions), carried from run to run, and the difference between two runs.

A dispositions file is a CSV, Excel or JSON file keyed by 线索编号 (lead_id) with 核查状态 (status: 待核查,
核查中, 已核实, 排除), 原因, 整改措施, 责任人, 整改期限 and 证据指纹 (the evidence fingerprint the lead had when
it was marked). The simplest way to make one is to fill in those columns of an exported lead list and hand it
back: the export carries every one of them. English headers work too.

On the next run a marked lead keeps its marks; a dismissed (排除) lead is not raised again unless its evidence
fingerprint changed, and then comes back with ``changed`` set; any other marked lead whose evidence changed is
flagged the same way.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .fields import DISPOSITION_FIELDS, FIELDS, STATUS_EN, STATUSES

__all__ = ["Disposition", "DispositionError", "read_dispositions", "apply_dispositions", "carry_regrouped", "diff_runs",
           "REGROUPED"]

_ALIASES = {**{zh: f for f, zh, _ in FIELDS}, **{en.lower(): f for f, _, en in FIELDS}, **{f: f for f, _, _ in FIELDS},
            "状态": "status", "处理状态": "status"}
_STATUS = {**{s: s for s in STATUSES}, **{en: zh for zh, en in STATUS_EN.items()}, "dismissed": "排除",
           "confirmed": "已核实", "in progress": "核查中", "": "待核查"}


class DispositionError(ValueError):
    """The file cannot be used at all (unreadable, or no 线索编号/核查状态 column)."""


@dataclass
class Disposition:
    lead_id: str
    status: str
    reason: str | None = None
    remedy: str | None = None
    owner: str | None = None
    deadline: str | None = None
    fingerprint: str | None = None
    source: str = ""
    # what the marked lead was about, as the exported list gives it: lets a mark follow a lead whose key changed
    rule_id: str | None = None
    application_id: str | None = None
    expert_id: str | None = None


@dataclass
class Dispositions:
    marks: dict[str, Disposition] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # rows that could not be used: file, row, column, reason


def _records(path: Path) -> list[dict[str, Any]]:
    ext = path.suffix.lower()
    if ext == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = data["leads"] if isinstance(data, dict) else data
        return [dict(r) for r in rows]
    if ext == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return list(csv.DictReader(fh))
    if ext == ".xlsx":
        from openpyxl import load_workbook

        out: list[dict[str, Any]] = []
        wb = load_workbook(path, read_only=True, data_only=True)
        for ws in wb.worksheets:
            it = ws.iter_rows(values_only=True)
            head = next(it, None)
            named = {_ALIASES.get(str(h or "").strip().lower(), _ALIASES.get(str(h or "").strip())) for h in head or ()}
            if not {"lead_id", "status"} <= named:  # a sheet without marks (案件, 浏览器查询, 汇总) holds none
                continue
            for i, row in enumerate(it, 2):
                out.append({**dict(zip([str(h or "") for h in head], row)), "_where": f"{ws.title} 第{i}行"})
        return out
    raise DispositionError(f"{path}: 核查结果文件应为 .csv、.xlsx 或 .json")


def read_dispositions(path: Path) -> Dispositions:
    """Read marks; a bad row is reported (file, row, column, reason) and skipped, the rest are used."""
    try:
        records = _records(path)
    except DispositionError:
        raise
    except Exception as e:  # noqa: BLE001 - any read failure names the file
        raise DispositionError(f"{path}: 无法读取核查结果文件({type(e).__name__}: {e})") from e
    out = Dispositions()
    if records and not any(_ALIASES.get(str(k).strip().lower(), _ALIASES.get(str(k).strip())) == "lead_id"
                           for k in records[0]):
        raise DispositionError(f"{path}: 缺少“线索编号”(lead_id)列")
    for i, raw in enumerate(records, 2):
        where = raw.pop("_where", f"第{i}行")
        r = {}
        for k, v in raw.items():
            name = _ALIASES.get(str(k).strip().lower(), _ALIASES.get(str(k).strip()))
            if name:
                text = None if v is None else str(v).strip()
                if text and text[0] == "'" and text[1:2] in ("=", "+", "-", "@"):
                    text = text[1:]  # the export's formula guard, undone
                r[name] = text
        lead_id = r.get("lead_id") or ""
        if not lead_id:
            out.problems.append(f"{path.name} {where} 线索编号: 为空,已跳过")
            continue
        status = _STATUS.get((r.get("status") or "").lower(), _STATUS.get(r.get("status") or ""))
        if status is None:
            out.problems.append(f"{path.name} {where} 核查状态: “{r.get('status')}”不是 {'/'.join(STATUSES)} 之一,已跳过")
            continue
        if status == "排除" and not r.get("reason"):
            out.problems.append(f"{path.name} {where} 原因: 排除的线索应写明原因(仍按排除处理)")
        out.marks[lead_id] = Disposition(lead_id, status, *(r.get(f) or None for f in DISPOSITION_FIELDS[1:]),
                                         fingerprint=r.get("fingerprint") or None, source=f"{path.name} {where}",
                                         rule_id=r.get("rule_id") or None, application_id=r.get("application_id") or None,
                                         expert_id=r.get("expert_id") or None)
    return out


# Rules whose lead key changed from (application, expert) to (expert, unit, meeting) (rules.md, Grain and volume).
REGROUPED = ("AVOID-UNIT", "AVOID-FORMER-UNIT")
_PRECEDENCE = {"已核实": 3, "核查中": 2, "排除": 1, "待核查": 0}


def carry_regrouped(leads: list[dict[str, Any]], marks: Dispositions) -> tuple[dict[str, Disposition], int, int]:
    """Marks made on the old per-application leads of the regrouped rules, carried onto the new lead whose
    expert is the same and whose applications include the marked one — only where exactly one new lead does.
    Several marks on one new lead: the furthest status wins (已核实, 核查中, 排除). Returns the carried marks by
    new lead id, how many marks were carried and how many could not be."""
    ids = {x["lead_id"] for x in leads}
    carried: dict[str, Disposition] = {}
    n_carried = n_lost = 0
    for m in marks.marks.values():
        if m.lead_id in ids or m.rule_id not in REGROUPED:
            continue
        hits = [x for x in leads if x["rule_id"] == m.rule_id and x.get("expert_id") == m.expert_id
                and m.application_id in (x.get("related_ids") or [])] if m.application_id and m.expert_id else []
        if len(hits) != 1:
            n_lost += 1
            continue
        n_carried += 1
        new = hits[0]["lead_id"]
        if new not in carried or _PRECEDENCE[m.status] > _PRECEDENCE[carried[new].status]:
            carried[new] = m
    return carried, n_carried, n_lost


def apply_dispositions(result: dict[str, Any], marks: Dispositions) -> dict[str, Any]:
    """Carry the marks into the result's leads; drop dismissed leads whose evidence is unchanged. A mark on a lead
    a regrouped rule no longer raises follows its application and expert into the new lead (flagged changed:
    the new lead holds more than what was marked)."""
    kept, suppressed = [], []
    carried, n_carried, n_lost = carry_regrouped(result["leads"], marks)
    for lead in result["leads"]:
        if lead["lead_id"] in carried and lead["lead_id"] not in marks.marks:
            m = carried[lead["lead_id"]]
            lead.update({f: getattr(m, f) for f in DISPOSITION_FIELDS}, changed=True)
            kept.append(lead)
            continue
        m = marks.marks.get(lead["lead_id"])
        if m is None:
            kept.append(lead)
            continue
        changed = bool(m.fingerprint) and m.fingerprint != lead["fingerprint"]
        if m.status == "排除" and not changed:
            suppressed.append(lead["lead_id"])
            continue
        lead.update({f: getattr(m, f) for f in DISPOSITION_FIELDS}, changed=changed)
        kept.append(lead)
    result["leads"] = kept
    result["dispositions"] = {"applied": len(marks.marks), "dismissed_not_raised": len(suppressed),
                              "carried_to_regrouped": n_carried, "not_carried": n_lost,
                              "dismissed_ids": sorted(suppressed), "problems": marks.problems}
    return result


def diff_runs(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Leads new since the old run, gone since, and present in both with different evidence."""
    a = {x["lead_id"]: x for x in old["leads"]}
    b = {x["lead_id"]: x for x in new["leads"]}
    return {"new": [b[k] for k in b if k not in a], "gone": [a[k] for k in a if k not in b],
            "changed": [b[k] for k in b if k in a and a[k]["fingerprint"] != b[k]["fingerprint"]]}
