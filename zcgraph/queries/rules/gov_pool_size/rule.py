"""GOV-POOL-SIZE: experts in the pool on the meeting date fewer than pool_multiple x member_count (dated meetings)."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.leads import step


def facts(ctx, params):
    m = ctx.nodes["Meeting"]
    rel = ctx.rels["OF_COMMITTEE"][["src", "dst"]].rename(columns={"src": "meeting_id", "dst": "committee_id"})
    m = m.drop(columns=["committee_id"], errors="ignore").merge(rel, on="meeting_id")
    members = ctx.nodes["Committee"].set_index("committee_id")["member_count"]
    m["member_count"] = m["committee_id"].map(members)
    m = m[m["held_on"].notna() & m["member_count"].notna()]
    pool = ctx.rels["IN_POOL"].reindex(columns=["src", "dst", "pool_from", "pool_to"])
    j = m[["meeting_id", "committee_id", "held_on"]].merge(pool.rename(columns={"dst": "committee_id"}), on="committee_id")
    start, end, held = pd.to_datetime(j["pool_from"]), pd.to_datetime(j["pool_to"]), pd.to_datetime(j["held_on"])
    j = j[(start.isna() | (start <= held)) & (end.isna() | (held <= end))]
    m["pool"] = m["meeting_id"].map(j.groupby("meeting_id")["src"].nunique()).fillna(0).astype(int)
    m["pool_multiple"] = params["pool_multiple"]
    f = m[m["pool"] < params["pool_multiple"] * m["member_count"].astype(int)]
    return f[["meeting_id", "committee_id", "year", "held_on", "pool", "member_count", "pool_multiple", "_file",
              "_row"]].rename(columns={"_file": "meeting_file", "_row": "meeting_row"})


def strength(rows):
    r = rows[0]
    need = r["pool_multiple"] * r["member_count"]
    return 2 * (need - r["pool"]) / need


def path(rows, reveal):
    r = rows[0]
    return [step("Meeting", r["meeting_id"], "OF_COMMITTEE", source_file=r["meeting_file"], source_row=r["meeting_row"]),
            step("Committee", r["committee_id"])]
