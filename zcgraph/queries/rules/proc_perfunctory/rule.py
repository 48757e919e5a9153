"""PROC-PERFUNCTORY: a staff member recorded more than review_per_day 审核 in one day, or a 审核 dated after the
application's meeting."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.frames import lookup
from zcgraph.queries.leads import mask_key, step


def facts(ctx, params):
    h = ctx.rels["HANDLED"]
    h = h[(h["action"] == "审核") & h["on"].notna()]
    many = h.groupby(["staff_id", "src", "on"]).size().reset_index(name="checks")
    many = many[many["checks"] > params["review_per_day"]]
    many = pd.DataFrame({"staff_id": many["staff_id"], "staff_key": many["src"], "date": many["on"],
                         "checks": many["checks"], "application_id": None, "held_on": None, "why": "many",
                         "act_file": None, "act_row": None})
    dec = ctx.rels["DECIDED_IN"][["src", "dst"]]
    held = pd.to_datetime(dec["dst"].map(ctx.meetings["held_on"].dropna().to_dict() if "held_on" in ctx.meetings else {}))
    last = held.groupby(dec["src"]).max()
    late = h.assign(held_on=lookup(h["dst"], last))
    late = late[late["held_on"].notna() & (pd.to_datetime(late["on"]) > late["held_on"])]
    app = ctx.nodes["Application"].set_index("application_key")["application_id"]
    late = pd.DataFrame({"staff_id": late["staff_id"], "staff_key": late["src"], "date": late["on"], "checks": None,
                         "application_id": late["dst"].map(app), "held_on": late["held_on"], "why": "late",
                         "act_file": late["_file"], "act_row": late["_row"]})
    return pd.concat([many, late], ignore_index=True)


def strength(rows, limit=60):
    many = [r["checks"] for r in rows if r["why"] == "many"]
    return max([1.0 if any(r["why"] == "late" for r in rows) else 0.0] + [(c - limit) / limit for c in many])


def text_fields(rows):
    parts = [f"登记审核{r['checks']}件" for r in rows if r["why"] == "many"]
    late = sorted(r["application_id"] for r in rows if r["why"] == "late")
    if late:
        parts.append(f"审核了已于评审会议后才审核的申报{'、'.join(late)}")
    return {"problem": ";".join(parts)}


def related(rows):
    return [r["application_id"] for r in rows if r["application_id"]]


def path(rows, reveal):
    """Each late 审核 (staff → application, with its record), up to five; a day of too many 审核 alone is the staff
    member with the day and the count (the count is of records, not of one application)."""
    staff = mask_key(rows[0]["staff_key"], reveal)
    late = sorted((r for r in rows if r["why"] == "late"), key=lambda r: (str(r["date"]), str(r["application_id"])))
    if not late:
        r = min(rows, key=lambda r: str(r["date"]))
        return [step("Person", staff, on=r["date"], checks=r["checks"])]
    out = []
    for r in late[:5]:
        out += [step("Person", staff, "HANDLED", action="审核", on=r["date"], source_file=r["act_file"],
                     source_row=r["act_row"]), step("Application", r["application_id"])]
    return out
