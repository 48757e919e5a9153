"""PROC-LATE: held or filed after 31 December of the year after the evaluation year."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from zcgraph.queries.ties import meeting_path as path  # noqa: F401 (hook)


def facts(ctx, params):
    m = ctx.nodes["Meeting"]
    m = m[m["year"].notna()].copy()
    m["deadline"] = pd.to_datetime((m["year"].astype(int) + params["annual_deadline_years"]).astype(str) + "-12-31")
    held, filed = pd.to_datetime(m["held_on"]), pd.to_datetime(m["filed_on"])
    f = m[(held.notna() & (held > m["deadline"])) | (filed.notna() & (filed > m["deadline"]))]
    return f[["meeting_id", "committee_id", "year", "held_on", "filed_on", "deadline", "_file", "_row"]].rename(
        columns={"_file": "meeting_file", "_row": "meeting_row"})


def strength(rows):
    r = rows[0]
    last = max(d for d in (r["held_on"], r["filed_on"]) if d)
    return (dt.date.fromisoformat(last) - dt.date.fromisoformat(r["deadline"])).days / 180


def text_fields(rows):
    r = rows[0]
    parts = ([f"于{r['held_on']}召开"] if r["held_on"] and r["held_on"] > r["deadline"] else []) + \
        ([f"于{r['filed_on']}备案"] if r["filed_on"] and r["filed_on"] > r["deadline"] else [])
    return {"problem": "、".join(parts)}
