"""AVOID-STAFF: a staff member handled (受理/审核/推荐/上会) a relative's application, or their own. Handling a
colleague's application is normal work (the employer's HR recommends its own staff) and is not a finding."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.leads import mask_key, step
from zcgraph.queries.ties import person_cols


def facts(ctx, params):
    h = ctx.rels["HANDLED"]
    app = ctx.applications.set_index("application_key")
    f = pd.DataFrame({"application_key": h["dst"], "application_id": h["dst"].map(app["application_id"]),
                      "year": h["dst"].map(app["year"]), "applicant_key": h["dst"].map(app["applicant_key"]),
                      "staff_id": h["staff_id"], "staff_key": h["src"], "action": h["action"],
                      "on": pd.to_datetime(h["on"]), "act_file": h["_file"], "act_row": h["_row"]})
    y = f["year"].astype("Int64").astype(str)
    f["win_start"] = f["on"].where(f["on"].notna(), pd.to_datetime(y + "-01-01", errors="coerce"))
    f["win_end"] = f["on"].where(f["on"].notna(), pd.to_datetime(y + "-12-31", errors="coerce"))
    f["own"] = f["staff_key"] == f["applicant_key"]
    own = f[f["own"]].assign(relation=None, relation_file=None, relation_row=None)
    rel = ctx.rels["RELATED"]
    rel = rel[rel["category"] == "kin"]
    both = pd.concat([rel.rename(columns={"src": "staff_key", "dst": "applicant_key"}),
                      rel.rename(columns={"dst": "staff_key", "src": "applicant_key"})], ignore_index=True)
    k = f[~f["own"]].merge(both[["staff_key", "applicant_key", "relation", "start", "end", "_file", "_row"]].rename(
        columns={"_file": "relation_file", "_row": "relation_row"}), on=["staff_key", "applicant_key"])
    s, e = pd.to_datetime(k["start"]), pd.to_datetime(k["end"])
    k = k[(s.isna() | (s <= k["win_start"])) & (e.isna() | (k["win_end"] <= e))].drop(columns=["start", "end"])
    out = pd.concat([own, k], ignore_index=True).drop(columns=["win_start", "win_end"])
    return person_cols(out, ctx, "applicant_key", "applicant")


def strength(rows):
    return len({r["action"] for r in rows}) / 2


def text_fields(rows):
    r = rows[0]
    rels = sorted({x["relation"] for x in rows if x["relation"]})
    return {"whose": "本人" if r["own"] else f"其{'、'.join(rels)}",
            "actions": "、".join(sorted({x["action"] or "办理" for x in rows}))}


def path(rows, reveal):
    r = rows[0]
    out = [step("Person", mask_key(r["staff_key"], reveal), "HANDLED", action=r["action"], on=r["on"],
                source_file=r["act_file"], source_row=r["act_row"]),
           step("Application", r["application_key"], "APPLIED", direction="in")]
    if r["own"]:
        return out + [step("Person", mask_key(r["applicant_key"], reveal))]
    return out + [step("Person", mask_key(r["applicant_key"], reveal), "RELATED", relation=r["relation"],
                       source_file=r["relation_file"], source_row=r["relation_row"]),
                  step("Person", mask_key(r["staff_key"], reveal))]
