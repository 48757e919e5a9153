"""SANCTION-APPLICANT: the applicant applied while a 申报人失信 record was in force.

The application is dated by its employer's 公示 start; without one it holds its whole evaluation year
(1 January to 31 December), and the ban must cover all of it.
"""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.frames import lookup
from zcgraph.queries.leads import mask_key, step
from zcgraph.queries.ties import person_cols


def facts(ctx, params):
    a = ctx.applications
    s = ctx.nodes["Sanction"].set_index("sanction_key")
    ag = ctx.rels["AGAINST"]
    ag = ag[(ag["dst_label"] == "Person") & (lookup(ag["src"], s["kind"]) == "申报人失信")]
    f = a.merge(pd.DataFrame({"applicant_key": ag["dst"], "sanction_key": ag["src"]}), on="applicant_key")
    f["dated"] = f["publicity_start"].notna()
    year = f["year"].astype("Int64").astype(str)
    f["from_day"] = pd.to_datetime(f["publicity_start"]).where(f["dated"], pd.to_datetime(year + "-01-01"))
    f["to_day"] = pd.to_datetime(f["publicity_start"]).where(f["dated"], pd.to_datetime(year + "-12-31"))
    f["sanction_start"] = pd.to_datetime(lookup(f["sanction_key"], s["start"]))
    f["sanction_end"] = pd.to_datetime(lookup(f["sanction_key"], s["end"]))
    f = f[(f["sanction_start"].isna() | (f["sanction_start"] <= f["from_day"]))
          & (f["sanction_end"].isna() | (f["to_day"] <= f["sanction_end"]))]
    f = person_cols(f, ctx, "applicant_key", "applicant")
    return pd.DataFrame({
        "application_key": f["application_key"], "application_id": f["application_id"], "year": f["year"],
        "applicant_key": f["applicant_key"], "applicant_name": f["applicant_name"],
        "applicant_id_number": f["applicant_id_number"], "sanction_start": f["sanction_start"],
        "sanction_end": f["sanction_end"], "dated": f["dated"], "sanction_file": lookup(f["sanction_key"], s["_file"]),
        "sanction_row": lookup(f["sanction_key"], s["_row"])})


def text_fields(rows):
    r = rows[0]
    return {"dated_by": "单位公示开始日期" if r["dated"] else "评审年度全年", "sanction_start": r.get("sanction_start") or "不详",
            "sanction_end": r.get("sanction_end") or "长期"}


def path(rows, reveal):
    r = rows[0]
    return [step("Sanction", "申报人失信", "AGAINST", source_file=r["sanction_file"], source_row=r["sanction_row"]),
            step("Person", mask_key(r["applicant_key"], reveal), "APPLIED"),
            step("Application", r["application_key"])]
