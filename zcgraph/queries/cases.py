"""Cases (案件, leads.md): every lead gathered under each party in its key — a person (expert, applicant or staff
member, after identity resolution), an intermediary, a unit or a committee — so an investigator works one
person's or one organisation's findings together, not rows.

A lead's parties come from its key's roles and the facts behind it (the person keys the identity resolution
gave, the same on both backends), so a case id is the same on every run and on both backends. The case score is
the highest lead score raised by ``CASE_BONUS`` for each further rule among its leads, capped at 100::

    case score = min(100, max(lead scores) + CASE_BONUS × (distinct rules − 1))

so an expert with a kinship lead, an intermediary tie and an outlying score ranks above one with three leads of
one rule. Ties in score rank the case with more distinct rules, then more leads, first.

>>> case_score([80, 60, 50], 3), case_score([80, 80, 80], 1)
(100, 80)
"""

from __future__ import annotations

import hashlib
from typing import Any

__all__ = ["parties", "first_value", "case_id", "case_score", "build_cases", "CASE_BONUS", "KINDS_ZH"]

CASE_BONUS = 10
KINDS_ZH = {"person": "人员", "intermediary": "中介机构", "unit": "单位", "committee": "评委会"}
_PERSON_ROLES = {"expert": ("expert_key", "expert", "专家"), "application": ("applicant_key", "applicant", "申报人"),
                 "applicant": ("applicant_key", "applicant", "申报人"), "staff": ("staff_key", "staff", "工作人员")}
_ORDER = {"高": 3, "中": 2, "低": 1}


def first_value(rows: list[dict[str, Any]], column: str) -> Any:
    return next((r[column] for r in rows if r.get(column) not in (None, "")), None)


def parties(roles: list[str], key: dict[str, Any], rows: list[dict[str, Any]],
            person_label: Any) -> list[dict[str, Any]]:
    """The parties of one lead: ``{"kind", "key", "label", "role"}``. ``person_label(rows, prefix)`` gives a
    person's masked label (as the lead shows it)."""
    from .leads import person_token

    out: list[dict[str, Any]] = []

    def person(pkey: Any, prefix: str, role: str) -> None:
        if isinstance(pkey, str) and pkey:
            out.append({"kind": "person", "key": person_token(pkey), "label": person_label(rows, prefix), "role": role})

    for role in roles:
        if role in _PERSON_ROLES and role in key:
            column, prefix, role_zh = _PERSON_ROLES[role]
            person(first_value(rows, column), prefix, role_zh)
        elif role in ("expert_a", "expert_b") and role in key:
            n = "1" if role == "expert_a" else "2"
            person(first_value(rows, f"expert_key_{n}"), f"expert_{n}", "专家")
        elif role == "intermediary" and key.get(role):
            out.append({"kind": "intermediary", "key": str(key[role]),
                        "label": first_value(rows, "intermediary_name") or str(key[role]), "role": "中介机构"})
        elif role == "unit" and key.get(role):
            out.append({"kind": "unit", "key": str(key[role]), "label": first_value(rows, "unit_name") or str(key[role]),
                        "role": "单位"})
        elif role in ("committee", "meeting") and (key.get("committee") or first_value(rows, "committee_id")):
            cid = str(key.get("committee") or first_value(rows, "committee_id"))
            out.append({"kind": "committee", "key": cid, "label": cid, "role": "评委会"})
    unique: dict[tuple[str, str], dict[str, Any]] = {}
    for p in out:  # a party named by two roles (the expert is the applicant) is one party
        unique.setdefault((p["kind"], p["key"]), p)
    return list(unique.values())


def case_id(kind: str, key: str) -> str:
    """First 16 hex digits of SHA-256 over the party's kind and key (a person's key is already an HMAC)."""
    return hashlib.sha256(f"case\n{kind}\n{key}".encode("utf-8")).hexdigest()[:16]


def case_score(scores: list[int], rules: int) -> int:
    return min(100, max(scores) + CASE_BONUS * (rules - 1))


def build_cases(leads: list[dict[str, Any]], lead_parties: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Cases from exported leads (dicts) and each lead's parties; sets each lead's ``cases``. Ranked by case score."""
    cases: dict[str, dict[str, Any]] = {}
    for lead in leads:
        lead["cases"] = []
        for p in lead_parties.get(lead["lead_id"], []):
            cid = case_id(p["kind"], p["key"])
            c = cases.setdefault(cid, {"case_id": cid, "kind": p["kind"], "party": p["label"], "roles": set(),
                                       "leads": [], "rules": set(), "families": {}})
            c["roles"].add(p["role"])
            c["leads"].append(lead)
            c["rules"].add(lead["rule_id"])
            c["families"].setdefault(lead["family"], []).append(lead["lead_id"])
            lead["cases"].append(cid)
    out = []
    for c in cases.values():
        leads_ = c.pop("leads")
        severity = max((x["severity"] for x in leads_), key=lambda s: _ORDER[s])
        rules = sorted(c["rules"])
        names = {}
        for x in leads_:
            names.setdefault(x["family"], set()).add(x["rule_name"])
        detail = ";".join(f"{fam}:{'、'.join(sorted(n))}" for fam, n in sorted(names.items()))
        summary = (f"{'、'.join(sorted(c['roles']))}{c['party']}涉及{len(leads_)}条线索,来自{len(rules)}条规则"
                   f"({detail}),最高风险等级{severity}。")
        out.append({"case_id": c["case_id"], "kind": c["kind"], "kind_zh": KINDS_ZH[c["kind"]], "party": c["party"],
                    "roles": sorted(c["roles"]), "severity": severity,
                    "score": case_score([x["score"] for x in leads_], len(rules)), "rules": rules,
                    "families": {k: sorted(v) for k, v in sorted(c["families"].items())},
                    "leads": [x["lead_id"] for x in sorted(leads_, key=lambda x: (-x["score"], x["lead_id"]))],
                    "summary": summary})
    out.sort(key=lambda c: (-c["score"], -len(c["rules"]), -len(c["leads"]), c["case_id"]))
    return out
