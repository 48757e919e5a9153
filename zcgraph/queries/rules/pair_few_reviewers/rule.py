"""PAIR-FEW-REVIEWERS: 1 or 2 distinct experts made 审阅 acts; 0 only when other applications of the same
meeting have 审阅 rows."""

from __future__ import annotations

from zcgraph.queries.leads import mask_key, step
from zcgraph.queries.ties import person_cols


def facts(ctx, params):
    a = ctx.applications
    rv = ctx.rels["REVIEWED"]
    rv = rv[rv["stage"] == "审阅"]
    n = rv.groupby("dst")["src"].nunique()
    f = a.assign(reviewers=a["application_key"].map(n).fillna(0).astype(int))
    f = f[f["reviewers"] < 3]
    few = rv[rv["dst"].isin(f["application_key"])]  # the expert lists are wanted for the few, not for every application
    experts = few.groupby("dst")["expert_id"].agg(lambda s: sorted(set(s.dropna())))
    f["experts"] = f["application_key"].map(experts).map(lambda v: v if isinstance(v, list) else [])
    dec = ctx.rels["DECIDED_IN"][["src", "dst"]].rename(columns={"src": "application_key", "dst": "meeting_id"})
    f = f.drop(columns=["meeting_id"], errors="ignore").merge(dec, on="application_key", how="left")
    # another application of the same meeting has 审阅 rows: the meeting's reviewed applications other than this one
    reviewed = dec["application_key"].isin(set(rv["dst"]))
    per_meeting = dec[reviewed].groupby("meeting_id")["application_key"].nunique()
    own = f["application_key"].isin(dec.loc[reviewed, "application_key"]).astype(int)
    others = f["meeting_id"].map(per_meeting).fillna(0) - own > 0
    f = f[(f["reviewers"] > 0) | others]
    f = person_cols(f, ctx, "applicant_key", "applicant")
    return f[["application_key", "application_id", "year", "applicant_key", "applicant_name", "applicant_id_number",
              "reviewers", "experts", "meeting_id", "_file", "_row"]].rename(
        columns={"_file": "application_file", "_row": "application_row"})


def strength(rows):
    return (3 - rows[0]["reviewers"]) / 3


def related(rows):
    return rows[0]["experts"]


def text_fields(rows):
    ex = rows[0]["experts"]
    return {"who": f"(专家编号{'、'.join(ex)})" if ex else ""}


def path(rows, reveal):
    r = rows[0]
    return [step("Person", mask_key(r["applicant_key"], reveal), "APPLIED"),
            step("Application", r["application_key"], None, source_file=r["application_file"],
                 source_row=r["application_row"])]
