"""PROC-UNTRACED-PASS: 通过 with no review, vote or attendance trace while other applications of the same meeting
have them (in a secret-ballot meeting, sitting experts are the trace)."""

from __future__ import annotations

from zcgraph.queries.frames import rows
from zcgraph.queries.ties import application_path, person_cols


def facts(ctx, params):
    a = ctx.applications
    a = a[a["result"] == "通过"]
    reviewed = set(ctx.rels["REVIEWED"]["dst"])
    dec = ctx.rels["DECIDED_IN"][["src", "dst"]].rename(columns={"src": "application_key", "dst": "meeting_id"})
    f = a.drop(columns=["meeting_id"], errors="ignore").merge(dec, on="application_key")
    f = f[~f["application_key"].isin(reviewed)]
    sat = set(ctx.rels["ATTENDED"]["dst"])
    secret = set(ctx.meetings.index[~ctx.meetings["has_votes"].astype(bool)])
    f = f[~(f["meeting_id"].isin(secret) & f["meeting_id"].isin(sat))]
    traced = dec[dec["application_key"].isin(reviewed)].groupby("meeting_id")["application_key"].agg(set)
    f = rows(f, [bool(traced.get(m, set()) - {k}) for m, k in zip(f["meeting_id"], f["application_key"])])
    f = person_cols(f, ctx, "applicant_key", "applicant")
    return f[["application_key", "application_id", "year", "applicant_key", "applicant_name", "applicant_id_number",
              "meeting_id", "_file", "_row"]].rename(columns={"_file": "application_file", "_row": "application_row"})


def path(rows, reveal):
    return application_path(rows, reveal, "DECIDED_IN", "Meeting", "meeting_id")
