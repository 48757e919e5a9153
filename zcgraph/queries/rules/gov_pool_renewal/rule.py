"""GOV-POOL-RENEWAL: no expert joined the pool (pool_from) within expert_term_years before the meeting.
A committee whose pool records no joining dates is not judged (missing data is not a finding)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from zcgraph.queries.frames import lookup
from zcgraph.queries.leads import step


def facts(ctx, params):
    m = ctx.nodes["Meeting"]
    rel = ctx.rels["OF_COMMITTEE"][["src", "dst"]].rename(columns={"src": "meeting_id", "dst": "committee_id"})
    m = m.drop(columns=["committee_id"], errors="ignore").merge(rel, on="meeting_id")
    m = m[m["held_on"].notna()]
    pool = ctx.rels["IN_POOL"].reindex(columns=["dst", "pool_from"]).rename(columns={"dst": "committee_id"})
    pool = pool[pool["pool_from"].notna()]
    j = m[["meeting_id", "committee_id", "held_on"]].merge(pool, on="committee_id")
    j = j[pd.to_datetime(j["pool_from"]) <= pd.to_datetime(j["held_on"])]
    m["last_join"] = lookup(m["meeting_id"], pd.to_datetime(j["pool_from"]).groupby(j["meeting_id"]).max())
    m = m[m["last_join"].notna()]
    m = m[m["last_join"] < pd.to_datetime(m["held_on"]) - pd.DateOffset(years=params["expert_term_years"])]
    m["expert_term_years"] = params["expert_term_years"]
    return m[["committee_id", "meeting_id", "year", "held_on", "last_join", "expert_term_years", "_file", "_row"]].rename(
        columns={"_file": "meeting_file", "_row": "meeting_row"})


def strength(rows):
    r = rows[0]
    years = (dt.date.fromisoformat(r["held_on"]) - dt.date.fromisoformat(r["last_join"])).days / 365
    return years - r["expert_term_years"]


def path(rows, reveal):
    r = rows[0]
    return [step("Meeting", r["meeting_id"], "OF_COMMITTEE", source_file=r["meeting_file"], source_row=r["meeting_row"]),
            step("Committee", r["committee_id"])]
