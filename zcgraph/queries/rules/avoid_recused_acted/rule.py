"""AVOID-RECUSED-ACTED: a recusal is on record (this application or the whole meeting), yet the expert acted."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.leads import mask_key, step
from zcgraph.queries.ties import acts_frame, named


def facts(ctx, params):
    acts = acts_frame(ctx)
    rc = ctx.recusals.rename(columns={"_file": "recusal_file", "_row": "recusal_row", "reason": "recusal_reason",
                                      "application_key": "recused_app"})
    cols = ["initiated_by", "recusal_reason", "recusal_file", "recusal_row"]
    one = rc[rc["recused_app"].notna()].rename(columns={"recused_app": "application_key"})
    whole = rc[rc["recused_app"].isna()]
    # Join on the application too: an expert recused from 50 applications of a meeting must not meet all his
    # 13,000 votes there 50 times over.
    f = pd.concat([acts.merge(one[["expert_key", "meeting_id", "application_key", *cols]],
                              on=["expert_key", "meeting_id", "application_key"]),
                   acts.merge(whole[["expert_key", "meeting_id", *cols]], on=["expert_key", "meeting_id"])],
                  ignore_index=True)
    rel = ctx.rels["RELATED"]
    ties: dict[tuple[str, str], list[str]] = {}
    for a, b, r in zip(rel["src"], rel["dst"], rel["relation"]):
        ties.setdefault((a, b), []).append(r)
        if a != b:
            ties.setdefault((b, a), []).append(r)
    # One row per tie (none: one row with no relation), as the Cypher's OPTIONAL MATCH gives.
    rows = [{**rec, "relation": t} for rec in f.to_dict("records")
            for t in ties.get((rec["expert_key"], rec["applicant_key"]), [None])]
    return named(ctx, pd.DataFrame(rows, columns=[*f.columns, "relation"]))


def strength(rows):
    return len({(r["act_file"], r["act_row"]) for r in rows}) / 2


def text_fields(rows):
    ties = sorted({r["relation"] for r in rows if r.get("relation")})
    who = "、".join(sorted({r["initiated_by"] or "未注明" for r in rows}))
    return {"initiated": who, "tie_text": ";已知关系:" + "、".join(ties) if ties else ""}


def path(rows, reveal):
    r = rows[0]
    return [step("Person", mask_key(r["expert_key"], reveal), "RECUSED", initiated_by=r.get("initiated_by"),
                 reason=r.get("recusal_reason"), source_file=r.get("recusal_file"), source_row=r.get("recusal_row")),
            step("Meeting", r["meeting_id"]),
            step("Person", mask_key(r["expert_key"], reveal), "REVIEWED", stage=r["stage"], on=r["on"],
                 source_file=r["act_file"], source_row=r["act_row"]),
            step("Application", r["application_key"])]
