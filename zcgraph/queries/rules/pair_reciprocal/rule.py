"""PAIR-RECIPROCAL: within reciprocal_years, expert A made a direct act on an application of B's relative or student,
and B on one of A's. A 'student' is the b side of a 学生 row, the a side of a 导师 row, either side of 师生; a relative
is either side of a kinship row. Unit-level reciprocity is normal and not counted."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.leads import mask_key, step
from zcgraph.queries.ties import acts_frame


def dependents(ctx):
    rel = ctx.rels["RELATED"]
    cols = {"relation": "relation", "_file": "relation_file", "_row": "relation_row"}
    both = rel[(rel["category"] == "kin") | (rel["relation"] == "师生")]
    parts = [both.rename(columns={"src": "owner", "dst": "dep", **cols}),
             both.rename(columns={"dst": "owner", "src": "dep", **cols}),
             rel[rel["relation"] == "学生"].rename(columns={"src": "owner", "dst": "dep", **cols}),
             rel[rel["relation"] == "导师"].rename(columns={"dst": "owner", "src": "dep", **cols})]
    out = pd.concat([p[["owner", "dep", "relation", "relation_file", "relation_row"]] for p in parts], ignore_index=True)
    return out[out["owner"] != out["dep"]]


def facts(ctx, params):
    acts = acts_frame(ctx)
    acts = acts[acts["stage"].isin(["审阅", "答辩"])]
    j = acts.merge(dependents(ctx), left_on="applicant_key", right_on="dep")
    j = j[j["expert_key"] != j["owner"]]
    j = j[["expert_key", "owner", "expert_id", "application_key", "application_id", "year", "relation", "act_file",
           "act_row", "relation_file", "relation_row"]]
    p = j.merge(j, left_on=["expert_key", "owner"], right_on=["owner", "expert_key"], suffixes=("_1", "_2"))
    p = p[(p["year_1"] - p["year_2"]).abs() < params["reciprocal_years"]]
    lo = p[["expert_id_1", "expert_id_2"]].min(axis=1)
    hi = p[["expert_id_1", "expert_id_2"]].max(axis=1)
    return pd.DataFrame({
        "expert_a": lo, "expert_b": hi, "expert_1": p["expert_id_1"], "expert_2": p["expert_id_2"], "application_1": p["application_key_1"],
        "application_id_1": p["application_id_1"], "year_1": p["year_1"], "application_2": p["application_key_2"],
        "application_id_2": p["application_id_2"], "year_2": p["year_2"], "relation_1": p["relation_1"],
        "relation_2": p["relation_2"], "act_file_1": p["act_file_1"], "act_row_1": p["act_row_1"],
        "act_file_2": p["act_file_2"], "act_row_2": p["act_row_2"], "relation_file_1": p["relation_file_1"],
        "relation_row_1": p["relation_row_1"], "relation_file_2": p["relation_file_2"],
        "relation_row_2": p["relation_row_2"], "expert_key_1": p["expert_key_1"], "expert_key_2": p["expert_key_2"]})


def strength(rows):
    return len({tuple(sorted((r["application_1"], r["application_2"]))) for r in rows}) / 2


def text_fields(rows):
    pairs = sorted({f"{x['expert_1']}评审{x['application_id_1']}({x['relation_1']})" for x in rows})
    return {"pairs": ";".join(pairs), "years": 2}


def related(rows):
    return [r["application_id_1"] for r in rows] + [r["application_id_2"] for r in rows]


def path(rows, reveal):
    r = rows[0]
    return [step("Person", mask_key(r["expert_key_1"], reveal), "REVIEWED", source_file=r["act_file_1"],
                 source_row=r["act_row_1"]),
            step("Application", r["application_1"], "RELATED", relation=r["relation_1"], source_file=r["relation_file_1"],
                 source_row=r["relation_row_1"]),
            step("Person", mask_key(r["expert_key_2"], reveal), "REVIEWED", source_file=r["act_file_2"],
                 source_row=r["act_row_2"]),
            step("Application", r["application_2"], "RELATED", relation=r["relation_2"], source_file=r["relation_file_2"],
                 source_row=r["relation_row_2"]),
            step("Person", mask_key(r["expert_key_1"], reveal))]
