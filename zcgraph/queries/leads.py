"""From facts to leads: the one place that computes lead ids, severity, scores, evidence text and paths.

Both backends hand over the same fine-grained facts (one row per act and tie, say);
everything an investigator reads is computed here, so the two backends rank alike.

>>> lead_id("AVOID-KIN", {"application": "SB1", "expert": "E1"}) == lead_id("AVOID-KIN", {"expert": "E1", "application": "SB1"})
True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import math
import os
import re
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, Field

from ..reports.audit import home_dir
from ..reports.masking import mask_id, mask_name, mask_phone
from .cases import first_value, parties
from .catalog import Rule

__all__ = ["Lead", "lead_id", "canonical_facts", "build_leads", "place_leads", "BANDS", "ROLE_COLUMN", "person_token"]

BANDS = {"高": (70, 30), "中": (40, 29), "低": (0, 39)}
ORDER = ["低", "中", "高"]
# Lead-key role -> facts column holding its value.
ROLE_COLUMN = {"application": "application_key", "expert": "expert_id", "meeting": "meeting_id",
               "committee": "committee_id", "staff": "staff_id", "intermediary": "intermediary_id",
               "complaint": "complaint_id", "unit": "unit", "identifier": "identifier", "applicant": "applicant_token",
               "date": "date", "expert_a": "expert_a", "expert_b": "expert_b"}


class Lead(BaseModel):
    lead_id: str
    rule_id: str
    rule_name: str
    family: str
    severity: str
    score: int
    year: int | None = None
    date: str | None = None  # the finding's own date (meeting, act or tie), ISO; what the report's periods use
    application_id: str | None = None
    applicant: str | None = None
    expert_id: str | None = None
    expert: str | None = None
    staff_id: str | None = None
    committee_id: str | None = None
    meeting_id: str | None = None
    intermediary_id: str | None = None
    complaint_id: str | None = None
    unit: str | None = None
    identifier: str | None = None
    related_ids: list[str] = Field(default_factory=list)
    stats: dict[str, Any] | None = None
    evidence: str
    path: list[dict[str, Any]]
    basis: str
    status: str = "待核查"
    reason: str | None = None  # the dispositions file's 原因, 整改措施, 责任人, 整改期限 (carried over)
    remedy: str | None = None
    owner: str | None = None
    deadline: str | None = None
    changed: bool | None = None
    fingerprint: str
    key: dict[str, Any]
    cases: list[str] = Field(default_factory=list)  # the cases (案件) the lead belongs to, set by the runner
    # The parties of its key (cases.parties): what the runner gathers cases from; not exported per lead.
    parties: list[dict[str, Any]] = Field(default_factory=list, exclude=True)
    # Persons on its path whose facts carry no name: masked key → person key, for place_leads to look up.
    unnamed: dict[str, str] = Field(default_factory=dict, exclude=True)


def lead_id(rule_id: str, key: dict[str, Any]) -> str:
    """First 16 hex digits of SHA-256 over the rule id and the canonical JSON of the key with its roles."""
    payload = rule_id + "\n" + json.dumps(key, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def _secret() -> bytes:
    env = os.environ.get("ZCGRAPH_SECRET")
    if env:
        return env.encode()
    path = home_dir() / "secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(os.urandom(32).hex().encode())
        path.chmod(0o600)
    return path.read_bytes().strip()


def person_token(id_number: str) -> str:
    """A person in a lead key: an HMAC of the id number under the installation's secret, never the number."""
    return hmac.new(_secret(), id_number.encode(), hashlib.sha256).hexdigest()[:24]


def _plain(v: Any) -> Any:
    if v is None or v is pd.NaT or v is pd.NA:
        return None
    if hasattr(v, "iso_format"):  # neo4j.time.Date / DateTime
        v = v.to_native()
    if isinstance(v, pd.Timestamp):
        return None if pd.isna(v) else v.date().isoformat() if v == v.normalize() else v.isoformat()
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        return None if math.isnan(v) else (int(v) if float(v).is_integer() else float(v))
    if isinstance(v, (np.bool_,)):
        return bool(v)
    if isinstance(v, (list, tuple, np.ndarray)):
        items = [_plain(x) for x in v]
        # Lists of plain values are sets here (Cypher's collect() has no order).
        return sorted(items, key=lambda x: (x is None, str(x))) if all(not isinstance(x, (list, dict)) for x in items) \
            else items
    return v


def canonical_facts(df: pd.DataFrame | list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Facts as plain, sorted rows: dates as ISO text, whole floats as ints, NaN as None."""
    rows = df.to_dict("records") if isinstance(df, pd.DataFrame) else list(df)
    out = [{k: _plain(v) for k, v in r.items()} for r in rows]
    out.sort(key=lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False, default=str))
    # Identical fact rows are one fact (a relation listed twice says nothing new).
    dedup, seen = [], set()
    for r in out:
        k = json.dumps(r, sort_keys=True, ensure_ascii=False, default=str)
        if k not in seen:
            seen.add(k)
            dedup.append(r)
    return dedup


def _lower(sev: str, steps: int) -> str:
    return ORDER[max(0, ORDER.index(sev) - steps)]


def default_severity(rule: Rule, rows: list[dict[str, Any]]) -> str:
    """A lead built only on votes sits one band lower; only on attendance, two (never below 低)."""
    sev = rule.spec.severity
    if getattr(rule.module, "FULL_SEVERITY_FOR_ALL_ACTS", False):
        return sev
    acts = {r.get("act") for r in rows if r.get("act")}
    if not acts or "direct" in acts:
        return sev
    return _lower(sev, 1 if "vote" in acts else 2)


def _person_label(rows: list[dict[str, Any]], prefix: str, reveal: bool) -> str | None:
    """A party's label as leads show persons: the first name and id number the facts give, masked."""
    return _masked_person(first_value(rows, f"{prefix}_name"), first_value(rows, f"{prefix}_id_number"), reveal)


def _masked_person(name: Any, id_number: Any, reveal: bool) -> str | None:
    if not name and not id_number:
        return None
    if reveal:
        return f"{name or ''}({id_number})" if id_number else str(name)
    n = mask_name(str(name)) if name else ""
    return f"{n}({mask_id(str(id_number))})" if id_number else n


def mask_identifier(value: Any, reveal: bool) -> Any:
    """A shared phone or e-mail as the export shows it: 139****5678, z***@example.cn."""
    if reveal or not isinstance(value, str):
        return value
    if "@" in value:
        name, _, domain = value.partition("@")
        return name[:1] + "***@" + domain
    return mask_phone(value)


def mask_key(person_key: Any, reveal: bool) -> Any:
    if reveal or not isinstance(person_key, str) or not person_key.startswith("id:"):
        return person_key
    return "id:" + mask_id(person_key[3:])


# Provenance (file, row: also act_file_1 of a pair) and names, which are display, not facts.
_NOT_A_FACT = re.compile(r"(_file|_row|_name|_id_number)(_\d+)?$")
_TOKEN = re.compile(r"(.+)@[^@]*#\d+")  # an act token, APPLICATION@file#row (draws.act_token)


def _unsourced(value: Any) -> Any:
    """A fact value without where it was read: an act token keeps its application, lists are sorted."""
    if isinstance(value, str):
        m = _TOKEN.fullmatch(value)
        return m.group(1) if m else value
    if isinstance(value, (list, tuple, set)):
        return sorted((_unsourced(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, default=str))
    return value


def _fingerprint(rows: list[dict[str, Any]]) -> str:
    """A hash of the facts behind a lead (leads.md): source ids and the values that made the finding, never
    file names, row numbers or the order rows came in, which change when a table is re-exported."""
    facts = sorted(json.dumps({k: _unsourced(v) for k, v in r.items() if not _NOT_A_FACT.search(k)},
                              sort_keys=True, ensure_ascii=False, default=str) for r in rows)
    return hashlib.sha256(json.dumps(facts, ensure_ascii=False).encode()).hexdigest()[:16]


def _join(values: list[Any]) -> str:
    seen: list[str] = []
    for v in values:
        if v is not None and str(v) not in seen:
            seen.append(str(v))
    return "、".join(seen)


def build_leads(rule: Rule, facts: pd.DataFrame | list[dict[str, Any]], reveal: bool = False,
                year: int | None = None, params: dict[str, Any] | None = None,
                summary: dict[str, Any] | None = None) -> list[Lead]:
    """Leads from a rule's facts. ``summary``, if given, receives what the run summary reports: the fact rows
    examined and, for a statistical rule, the pairs it tested (its whole false-discovery family)."""
    if summary is not None:
        summary["facts"] = len(facts)
        summary["tested"] = None
    if hasattr(rule.module, "assess"):  # statistical rules: test every candidate pair, keep the leads
        frame = facts if isinstance(facts, pd.DataFrame) else pd.DataFrame(facts)
        facts = rule.module.assess(frame, {**rule.spec.parameters, **(params or {})})
        if summary is not None:
            summary["tested"] = int(getattr(facts, "attrs", {}).get("tested", 0))
    rows = canonical_facts(facts)
    if hasattr(rule.module, "prepare"):  # derivations shared by both backends (e.g. a grouping key)
        rows = rule.module.prepare(rows)
    if year is not None:
        rows = [r for r in rows if r.get("year") in (None, year)]
    roles = list(rule.spec.lead_key)
    groups: dict[str, list[dict[str, Any]]] = {}
    keys: dict[str, dict[str, Any]] = {}
    columns = {**ROLE_COLUMN, **rule.spec.key_columns}
    for r in rows:
        key = {role: r.get(columns[role]) for role in roles}
        key = {k: v for k, v in key.items() if v is not None}
        k = json.dumps(key, sort_keys=True, ensure_ascii=False)
        groups.setdefault(k, []).append(r)
        keys[k] = key
    mod = rule.module
    leads = []
    for k, grp in groups.items():
        key = keys[k]
        first = grp[0]
        sev = mod.severity(grp, rule.spec.severity) if hasattr(mod, "severity") else default_severity(rule, grp)
        strength = float(mod.strength(grp)) if hasattr(mod, "strength") else 1.0
        low, span = BANDS[sev]
        score = int(round(low + span * min(1.0, max(0.0, strength))))
        one_application = "application" in roles or len({r.get("application_key") for r in grp}) == 1
        applicant = _masked_person(first.get("applicant_name"), first.get("applicant_id_number"), reveal) \
            if one_application else None
        expert = _masked_person(first.get("expert_name"), first.get("expert_id_number"), reveal)
        text = {**first, "applicant": applicant or "", "expert": expert or "",
                "stages": _join([r.get("stage") for r in grp]),
                "dates": _join([r.get("on") or (f"{r.get('win_start')}至{r.get('win_end')}" if r.get("win_start") else None)
                                for r in grp]),
                "relations": _join([r.get("relation") for r in grp]),
                "declared": "有回避记录" if any(r.get("declared") for r in grp) else "未见回避记录"}
        if hasattr(mod, "text_fields"):
            text.update(mod.text_fields(grp))
        evidence = rule.spec.evidence.format_map(_Default(text))
        path = _person_captions(mod.path(grp, reveal) if hasattr(mod, "path") else [], grp, reveal)
        related = sorted({str(x) for x in (mod.related(grp) if hasattr(mod, "related") else []) if x})
        leads.append(Lead(
            lead_id=lead_id(rule.id, key), rule_id=rule.id, rule_name=rule.spec.name_zh, family=rule.spec.family,
            severity=sev, score=score, year=first.get("year"),
            application_id=first.get("application_id") if one_application else None,
            applicant=applicant, expert_id=first.get("expert_id"), expert=expert, staff_id=first.get("staff_id"),
            committee_id=first.get("committee_id"), meeting_id=first.get("meeting_id") if "meeting" in roles or
            len({r.get("meeting_id") for r in grp}) == 1 else None,
            intermediary_id=first.get("intermediary_id"), complaint_id=first.get("complaint_id"),
            unit=first.get("unit_name") or first.get("unit"), identifier=mask_identifier(first.get("identifier"), reveal),
            related_ids=related,
            stats=mod.stats(grp) if hasattr(mod, "stats") else None, evidence=evidence, path=path,
            basis=rule.spec.basis, fingerprint=_fingerprint(grp), unnamed=_unnamed(path, grp, reveal),
            parties=parties(roles, key, grp, lambda rows, prefix: _person_label(rows, prefix, reveal) or next(
                (str(v) for k, v in key.items() if k in ("expert", "staff", "expert_a", "expert_b")), None)),
            key={k: mask_identifier(v, reveal) if k == "identifier" else v for k, v in key.items()}))
    return leads


_PEOPLE = ("expert", "applicant", "staff", "expert_a", "expert_b", "relative", "subject")


def _person_captions(path: list[dict[str, Any]], rows: list[dict[str, Any]], reveal: bool) -> list[dict[str, Any]]:
    """A person on a path is shown by name (masked as everywhere): the facts name each ``ROLE_key`` person with
    ``ROLE_name`` and ``ROLE_id_number``; a path node with that (masked) key gets it as its ``caption``."""
    names: dict[Any, str] = {}
    for r in rows:
        for role in _PEOPLE:
            key = r.get(f"{role}_key")
            label = _masked_person(r.get(f"{role}_name"), r.get(f"{role}_id_number"), reveal)
            if isinstance(key, str) and label:
                names.setdefault(mask_key(key, reveal), label)
    for st in path:
        node = st["node"]
        if node["label"] == "Person" and node.get("key") in names:
            node["caption"] = names[node["key"]]
    return path


def _unnamed(path: list[dict[str, Any]], rows: list[dict[str, Any]], reveal: bool) -> dict[str, str]:
    """The person keys (``id:…``, ``m:…``) of path persons left without a caption, found among the facts' values
    by their masked form: place_leads asks the backend for their names."""
    want = {st["node"]["key"] for st in path if st["node"]["label"] == "Person" and not st["node"].get("caption")}
    if not want:
        return {}
    out: dict[str, str] = {}
    for r in rows:
        for v in r.values():
            if isinstance(v, str) and v.startswith(("id:", "m:")) and (m := mask_key(v, reveal)) in want:
                out.setdefault(m, v)
    return out


_DATED = ("on", "requested_on", "since", "start")  # a path step's props that date what it records


def place_leads(leads: list[Lead], places: Any, reveal: bool = False) -> None:
    """Give every lead the committee, meeting, year and date the graph can tell (issue 13): a meeting from its
    path or its applications (when they sit in one), the committee of that meeting or of its applications (when
    one), the year of that meeting or those applications, and the date: the meeting's, else the earliest dated
    step of its path, else its key's date; a unit on its path its name, and a person whose facts did not name
    them their masked name (``caption``). A field the rule set
    stays as the rule set it. ``places`` is the backend's lookup (``Backend.places``), so both backends place
    alike."""
    apps: set[str] = set()
    meets: set[str] = set()
    units: set[str] = set()
    persons: set[str] = set()
    for lead in leads:
        apps |= set(_ids(lead, "Application"))
        meets |= set(_ids(lead, "Meeting"))
        units |= {str(s["node"]["key"]) for s in lead.path if s["node"]["label"] == "Unit"}
        persons |= set(lead.unnamed.values())
    if not apps and not meets and not units and not persons:
        return
    where = places(sorted(apps), sorted(meets), sorted(units), sorted(persons))
    more = {m for a in where["applications"].values() for m in a["meetings"]} - set(where["meetings"])
    if more:
        where["meetings"].update(places([], sorted(more))["meetings"])
    wa, wm, wu, wp = where["applications"], where["meetings"], where["units"], where.get("persons", {})
    for lead in leads:
        for st in lead.path:
            raw = lead.unnamed.get(st["node"]["key"]) if st["node"]["label"] == "Person" else None
            if raw in wp and (label := _masked_person(wp[raw]["name"], wp[raw]["id_number"], reveal)):
                st["node"]["caption"] = label
        for st in lead.path:  # a unit is known by its name, not its key (统一社会信用代码 or a name key)
            if st["node"]["label"] == "Unit" and (wu.get(str(st["node"]["key"])) or {}).get("name"):
                st["node"]["caption"] = wu[str(st["node"]["key"])]["name"]
        a_ids = [a for a in _ids(lead, "Application") if a in wa]
        meetings = {lead.meeting_id} if lead.meeting_id else (
            set(_ids(lead, "Meeting")) | {m for a in a_ids for m in wa[a]["meetings"]})
        if lead.meeting_id is None and len(meetings) == 1:
            lead.meeting_id = next(iter(meetings))
        m = wm.get(lead.meeting_id or "")
        if lead.committee_id is None:
            comms = {s["node"]["key"] for s in lead.path if s["node"]["label"] == "Committee"} | (
                {m["committee_id"]} if m else {wa[a]["committee_id"] for a in a_ids})
            comms.discard(None)
            if len(comms) == 1:
                lead.committee_id = str(next(iter(comms)))
        dated = sorted(d for st in lead.path if st.get("rel") for k, v in st["rel"]["props"].items()
                       if k in _DATED and (d := _iso(v)))
        lead.date = _iso((m or {}).get("held_on")) or (dated[0] if dated else None) or _iso(lead.key.get("date"))
        if lead.year is None:
            years = {m["year"]} if m and m.get("year") else {wa[a]["year"] for a in a_ids}
            years.discard(None)
            if len(years) == 1:
                lead.year = int(next(iter(years)))
            elif not years and lead.date:
                lead.year = int(lead.date[:4])


def _iso(value: Any) -> str | None:
    """A date as ISO text (``YYYY-MM-DD``), or None for anything that is not one."""
    text = str(value or "")[:10]
    return text if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None


def _ids(lead: Lead, label: str) -> list[str]:
    """The ids of one kind a lead names: its own field and the nodes of that label on its path."""
    own = lead.application_id if label == "Application" else lead.meeting_id
    return sorted({str(s["node"]["key"]) for s in lead.path if s["node"]["label"] == label} | ({own} if own else set()))


class _Default(dict):
    def __missing__(self, key: str) -> str:
        return ""


def step(label: str, key: Any, rel_type: str | None = None, **props: Any) -> dict[str, Any]:
    """One step of an evidence path: a node, and the relationship that leads from it to the next."""
    node = {"label": label, "key": key}
    if rel_type is None:  # the last node: its own record's provenance, if given
        return {"node": {**node, **{k: v for k, v in props.items() if v is not None}}, "rel": None}
    return {"node": node, "rel": {"type": rel_type, "props": {k: v for k, v in props.items() if v is not None}}}
