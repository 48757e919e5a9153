"""PROC-INELIGIBLE: an application marked not eligible reached a meeting (it has acts or a result)."""

from __future__ import annotations

from zcgraph.queries.leads import mask_key, step
from zcgraph.queries.ties import person_cols


def facts(ctx, params):
    a = ctx.applications
    a = a[a["eligible"].eq(False).fillna(False)]
    acts = ctx.rels["REVIEWED"].groupby("dst").size()
    a = a.assign(acts=a["application_key"].map(acts).fillna(0).astype(int))
    a = a[(a["acts"] > 0) | a["result"].notna()]
    a = person_cols(a, ctx, "applicant_key", "applicant")
    return a[["application_key", "application_id", "year", "applicant_key", "applicant_name", "applicant_id_number",
              "acts", "result", "_file", "_row"]].rename(columns={"_file": "application_file", "_row": "application_row"})


def text_fields(rows):
    r = rows[0]
    parts = ([f"有{r['acts']}条评审记录"] if r["acts"] else []) + ([f"评审结果为{r['result']}"] if r.get("result") else [])
    return {"reached": "上会评审(" + ",".join(parts) + ")"}


def path(rows, reveal):
    r = rows[0]
    return [step("Person", mask_key(r["applicant_key"], reveal), "APPLIED"),
            step("Application", r["application_key"], None, source_file=r["application_file"],
                 source_row=r["application_row"])]
