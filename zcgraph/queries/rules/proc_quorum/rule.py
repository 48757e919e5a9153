"""PROC-QUORUM: a plenary meeting with attendance rows where 3·present < 2·N (N = expected_count, else
member_count). Exact integer arithmetic: exactly two thirds is enough."""

from __future__ import annotations

from zcgraph.queries.leads import step


def facts(ctx, params):
    m = ctx.nodes["Meeting"]
    plenary = m[m["kind"].isna() | (m["kind"] == "全体会议")] if "kind" in m else m
    rel = ctx.rels["OF_COMMITTEE"][["src", "dst"]].rename(columns={"src": "meeting_id", "dst": "committee_id"})
    f = plenary.drop(columns=["committee_id"], errors="ignore").merge(rel, on="meeting_id")
    att = ctx.rels["ATTENDED"]
    present = att.drop_duplicates(["src", "dst"]).groupby("dst").size()
    f["present"] = f["meeting_id"].map(present)
    f = f[f["present"].notna()]
    # Neither expected_count nor the committee's member_count recorded: no N, so nothing to judge.
    members = ctx.nodes["Committee"].set_index("committee_id").reindex(columns=["member_count"])["member_count"]
    expected = f.reindex(columns=["expected_count"])["expected_count"]
    f["expected"] = expected.where(expected.notna(), f["committee_id"].map(members))
    f = f[f["expected"].notna()]
    f = f[3 * f["present"].astype(int) < 2 * f["expected"].astype(int)]
    return f[["meeting_id", "committee_id", "year", "present", "expected", "_file", "_row"]].rename(
        columns={"_file": "meeting_file", "_row": "meeting_row"})


def strength(rows):
    r = rows[0]
    return 3 * (r["expected"] - r["present"]) / r["expected"]


def path(rows, reveal):
    r = rows[0]
    return [step("Meeting", r["meeting_id"], "OF_COMMITTEE", source_file=r["meeting_file"], source_row=r["meeting_row"]),
            step("Committee", r["committee_id"])]
