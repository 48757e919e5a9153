"""GOV-EXPIRED: a meeting held after the committee's valid_until (or committee_valid_years after approval).

An undated meeting is judged from 1 January of its year: it is a lead only if even that is too late.
"""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.leads import step


def facts(ctx, params):
    m = ctx.nodes["Meeting"]
    c = ctx.nodes["Committee"].set_index("committee_id")
    rel = ctx.rels["OF_COMMITTEE"][["src", "dst"]].rename(columns={"src": "meeting_id", "dst": "committee_id"})
    f = m.merge(rel, on="meeting_id", suffixes=("_m", ""))
    held = pd.to_datetime(f["held_on"]) if "held_on" in f else pd.Series(pd.NaT, index=f.index)
    year_start = pd.to_datetime(f["year"].astype("Int64").astype(str) + "-01-01", errors="coerce")
    f["judged_on"] = held.where(held.notna(), year_start)
    valid_until = pd.to_datetime(f["committee_id"].map(c["valid_until"]) if "valid_until" in c else pd.NaT)
    approved = pd.to_datetime(f["committee_id"].map(c["approved_on"]) if "approved_on" in c else pd.NaT)
    f["valid_until"], f["approved_on"] = valid_until, approved
    f["until"] = valid_until.where(valid_until.notna(), approved + pd.DateOffset(years=params["committee_valid_years"]))
    f = f[f["judged_on"].notna() & f["until"].notna() & (f["judged_on"] > f["until"])]
    return pd.DataFrame({
        "meeting_id": f["meeting_id"], "committee_id": f["committee_id"], "year": f["year"], "held_on": f["held_on"],
        "judged_on": f["judged_on"], "valid_until": f["valid_until"], "approved_on": f["approved_on"],
        "until": f["until"], "meeting_file": f["_file"], "meeting_row": f["_row"],
        "committee_file": f["committee_id"].map(c["_file"]), "committee_row": f["committee_id"].map(c["_row"])})


def strength(rows):
    import datetime as dt

    r = rows[0]
    return (dt.date.fromisoformat(r["judged_on"]) - dt.date.fromisoformat(r["until"])).days / 365


def text_fields(rows):
    r = rows[0]
    validity = f"有效期至{r['valid_until']}" if r.get("valid_until") else f"于{r['approved_on']}核准、有效期已满"
    return {"held": r.get("held_on") or f"{r.get('year')}年度(日期不详)", "validity": validity}


def path(rows, reveal):
    r = rows[0]
    return [step("Meeting", r["meeting_id"], "OF_COMMITTEE", source_file=r["meeting_file"], source_row=r["meeting_row"]),
            step("Committee", r["committee_id"], None)]
