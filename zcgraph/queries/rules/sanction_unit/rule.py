"""SANCTION-UNIT: a committee met while it, or its organizer, was suspended (暂停评审) or had its evaluation right
withdrawn (收回评审权)."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.frames import lookup
from zcgraph.queries.leads import step


def facts(ctx, params):
    m = ctx.nodes["Meeting"]
    rel = ctx.rels["OF_COMMITTEE"][["src", "dst"]].rename(columns={"src": "meeting_id", "dst": "committee_id"})
    m = m.drop(columns=["committee_id", "kind"], errors="ignore").merge(rel, on="meeting_id")
    held = pd.to_datetime(m["held_on"])
    y = m["year"].astype("Int64")
    m["win_start"] = held.where(held.notna(), pd.to_datetime(y.astype(str) + "-01-01", errors="coerce"))
    m["win_end"] = held.where(held.notna(), pd.to_datetime((y + 1).astype(str) + "-06-30", errors="coerce"))
    m = m[m["win_start"].notna()]
    s = ctx.nodes["Sanction"].set_index("sanction_key")
    ag = ctx.rels["AGAINST"]
    org = ctx.rels["ORGANIZED_BY"][["src", "dst"]]
    on_committee = ag[ag["dst_label"] == "Committee"][["src", "dst"]].rename(columns={"dst": "committee_id"})
    on_unit = ag[ag["dst_label"] == "Unit"][["src", "dst"]].merge(org.rename(columns={"src": "committee_id", "dst": "dst"}),
                                                                   on="dst")[["src", "committee_id"]]
    hits = pd.concat([on_committee.assign(target="评委会"), on_unit.assign(target="组建单位")], ignore_index=True)
    hits["kind"] = lookup(hits["src"], s["kind"])
    hits = hits[hits["kind"].isin(["暂停评审", "收回评审权"])]
    hits["sanction_start"] = pd.to_datetime(lookup(hits["src"], s["start"]))
    hits["sanction_end"] = pd.to_datetime(lookup(hits["src"], s["end"]))
    hits["sanction_file"] = lookup(hits["src"], s["_file"])
    hits["sanction_row"] = lookup(hits["src"], s["_row"])
    f = m.merge(hits.drop(columns=["src"]), on="committee_id")
    f = f[(f["sanction_start"].isna() | (f["sanction_start"] <= f["win_start"]))
          & (f["sanction_end"].isna() | (f["win_end"] <= f["sanction_end"]))]
    return f[["meeting_id", "committee_id", "year", "held_on", "win_start", "win_end", "kind", "target",
              "sanction_start", "sanction_end", "sanction_file", "sanction_row", "_file", "_row"]].rename(
        columns={"_file": "meeting_file", "_row": "meeting_row"})


def text_fields(rows):
    r = rows[0]
    kind = "暂停评审" if r["kind"] == "暂停评审" else "收回评审权"
    return {"kind": kind, "held": r["held_on"] or f"{r['year']}年度", "sanction_start": r["sanction_start"] or "不详",
            "sanction_end": r["sanction_end"] or "长期"}


def path(rows, reveal):
    r = rows[0]
    return [step("Sanction", r["kind"], "AGAINST", source_file=r["sanction_file"], source_row=r["sanction_row"]),
            step("Committee", r["committee_id"], "OF_COMMITTEE", direction="in"),
            step("Meeting", r["meeting_id"], None, source_file=r["meeting_file"], source_row=r["meeting_row"])]
