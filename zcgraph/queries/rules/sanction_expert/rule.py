"""SANCTION-EXPERT: an expert sat or acted at a meeting after 取消专家资格 (open-ended unless an end is given)."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.frames import lookup
from zcgraph.queries.leads import mask_key, step
from zcgraph.queries.ties import person_cols

def against(ctx, kind, label="Person"):
    s = ctx.nodes["Sanction"].set_index("sanction_key")
    ag = ctx.rels["AGAINST"]
    ag = ag[(ag["dst_label"] == label) & (lookup(ag["src"], s["kind"]) == kind)]
    return pd.DataFrame({"target": ag["dst"], "sanction_start": pd.to_datetime(lookup(ag["src"], s["start"])),
                         "sanction_end": pd.to_datetime(lookup(ag["src"], s["end"])),
                         "sanction_file": lookup(ag["src"], s["_file"]), "sanction_row": lookup(ag["src"], s["_row"])})


def facts(ctx, params):
    f = ctx.seats.merge(against(ctx, "取消专家资格").rename(columns={"target": "expert_key"}), on="expert_key")
    f = f[(f["sanction_start"].isna() | (f["sanction_start"] <= f["win_start"]))
          & (f["sanction_end"].isna() | (f["win_end"] <= f["sanction_end"]))]
    return person_cols(f, ctx, "expert_key", "expert")


def strength(rows):
    return len({(r["act_file"], r["act_row"]) for r in rows}) / 3


def text_fields(rows):
    return {"hows": "、".join(sorted({r["how"] for r in rows})), "sanction_start": rows[0]["sanction_start"] or "不详"}


def path(rows, reveal):
    r = rows[0]
    return [step("Sanction", "取消专家资格", "AGAINST", source_file=r["sanction_file"], source_row=r["sanction_row"]),
            step("Person", mask_key(r["expert_key"], reveal), "ATTENDED" if r["how"] == "出席" else "REVIEWED",
                 on=r["on"], source_file=r["act_file"], source_row=r["act_row"]),
            step("Meeting", r["meeting_id"])]
