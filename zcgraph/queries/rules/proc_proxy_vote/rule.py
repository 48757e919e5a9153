"""PROC-PROXY-VOTE: a vote or score from an expert not in the meeting's attendance (meetings with attendance rows)."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.leads import mask_key, step
from zcgraph.queries.ties import person_cols


def facts(ctx, params):
    rv = ctx.rels["REVIEWED"]
    rv = rv[((rv["stage"] == "投票") | rv["vote"].notna() | rv["score"].notna()) & rv["meeting_id"].notna()]
    att = ctx.rels["ATTENDED"]
    rv = rv[rv["meeting_id"].isin(set(att["dst"]))]
    # Anti-join: the votes and scores of experts not in that meeting's attendance (no Python loop over millions).
    sat = att[["src", "dst"]].drop_duplicates().rename(columns={"dst": "meeting_id"}).assign(_sat=True)
    rv = rv.merge(sat, on=["src", "meeting_id"], how="left")
    rv = rv[rv["_sat"].isna()]
    app = ctx.nodes["Application"].set_index("application_key")
    f = pd.DataFrame({"application_key": rv["dst"], "application_id": rv["dst"].map(app["application_id"]),
                      "year": rv["dst"].map(app["year"]), "expert_id": rv["expert_id"], "expert_key": rv["src"],
                      "meeting_id": rv["meeting_id"], "stage": rv["stage"], "vote": rv["vote"], "score": rv["score"],
                      "act_file": rv["_file"], "act_row": rv["_row"]})
    return person_cols(f, ctx, "expert_key", "expert")


def text_fields(rows):
    parts = sorted({f"投票({r['vote']})" if r["vote"] else f"打分({r['score']})" if r["score"] is not None
                    else r["stage"] for r in rows})
    return {"what": "、".join(parts)}


def path(rows, reveal):
    r = rows[0]
    return [step("Person", mask_key(r["expert_key"], reveal), "REVIEWED", stage=r["stage"], vote=r["vote"],
                 source_file=r["act_file"], source_row=r["act_row"]),
            step("Application", r["application_key"])]
