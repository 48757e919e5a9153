"""SANCTION-STAFF: a staff member handled an application while barred from title work (undated handling: the
ban must cover the whole evaluation year)."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.frames import lookup
from zcgraph.queries.leads import mask_key, step


def facts(ctx, params):
    s = ctx.nodes["Sanction"].set_index("sanction_key")
    ag = ctx.rels["AGAINST"]
    ag = ag[(ag["dst_label"] == "Person") & (lookup(ag["src"], s["kind"]) == "禁止从事职称工作")]
    bans = pd.DataFrame({"staff_key": ag["dst"], "sanction_start": pd.to_datetime(lookup(ag["src"], s["start"])),
                         "sanction_end": pd.to_datetime(lookup(ag["src"], s["end"])),
                         "sanction_file": lookup(ag["src"], s["_file"]), "sanction_row": lookup(ag["src"], s["_row"])})
    h = ctx.rels["HANDLED"]
    app = ctx.nodes["Application"].set_index("application_key")
    f = pd.DataFrame({"application_key": h["dst"], "application_id": h["dst"].map(app["application_id"]),
                      "year": h["dst"].map(app["year"]), "staff_id": h["staff_id"], "staff_key": h["src"],
                      "action": h["action"], "on": pd.to_datetime(h["on"]), "act_file": h["_file"], "act_row": h["_row"]})
    y = f["year"].astype("Int64").astype(str)
    f["win_start"] = f["on"].where(f["on"].notna(), pd.to_datetime(y + "-01-01", errors="coerce"))
    f["win_end"] = f["on"].where(f["on"].notna(), pd.to_datetime(y + "-12-31", errors="coerce"))
    f = f.merge(bans, on="staff_key")
    return f[(f["sanction_start"].isna() | (f["sanction_start"] <= f["win_start"]))
             & (f["sanction_end"].isna() | (f["win_end"] <= f["sanction_end"]))]


def text_fields(rows):
    return {"actions": "、".join(sorted({r["action"] or "办理" for r in rows})),
            "sanction_start": rows[0]["sanction_start"] or "不详", "sanction_end": rows[0]["sanction_end"] or "长期"}


def path(rows, reveal):
    r = rows[0]
    return [step("Sanction", "禁止从事职称工作", "AGAINST", source_file=r["sanction_file"], source_row=r["sanction_row"]),
            step("Person", mask_key(r["staff_key"], reveal), "HANDLED", action=r["action"], on=r["on"],
                 source_file=r["act_file"], source_row=r["act_row"]),
            step("Application", r["application_key"])]
