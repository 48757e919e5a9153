"""PAIR-RECUSAL-LEAK: an applicant-requested recusal with no tie the graph can find (no relation of any kind, not in
the same unit around the meeting) that was requested after the sitting experts were drawn (the list may have
leaked) or gives no reason."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.frames import rows
from zcgraph.queries.leads import mask_key, step
from zcgraph.queries.ties import person_cols


def facts(ctx, params):
    rc = ctx.rels["RECUSED"].reindex(columns=["src", "dst", "expert_id", "application_key", "initiated_by",
                                              "requested_on", "reason", "_file", "_row"])
    rc = rc[(rc["initiated_by"] == "申报人申请") & rc["application_key"].notna()]
    app = ctx.applications.set_index("application_key")
    m = ctx.meetings
    f = pd.DataFrame({"application_key": rc["application_key"], "application_id": rc["application_key"].map(app["application_id"]),
                      "year": rc["application_key"].map(app["year"]), "applicant_key": rc["application_key"].map(app["applicant_key"]),
                      "expert_id": rc["expert_id"], "expert_key": rc["src"], "meeting_id": rc["dst"],
                      "requested_on": pd.to_datetime(rc["requested_on"]),
                      "drawn_on": pd.to_datetime(rc["dst"].map(m["drawn_on"].dropna().to_dict() if "drawn_on" in m else {})),
                      "reason": rc["reason"], "recusal_file": rc["_file"], "recusal_row": rc["_row"]})
    f = f[f["applicant_key"].notna() & (f["expert_key"] != f["applicant_key"])]
    held = pd.to_datetime(f["meeting_id"].map(m["held_on"].dropna().to_dict() if "held_on" in m else {}))
    y = f["year"].astype("Int64")
    f["ws"] = held.where(held.notna(), pd.to_datetime(y.astype(str) + "-01-01", errors="coerce"))
    f["we"] = held.where(held.notna(), pd.to_datetime((y + 1).astype(str) + "-06-30", errors="coerce"))
    rel = ctx.rels["RELATED"]
    related = set(zip(rel["src"], rel["dst"])) | set(zip(rel["dst"], rel["src"]))
    f = rows(f, [(e, p) not in related for e, p in zip(f["expert_key"], f["applicant_key"])])
    emp = ctx.employment

    def units(col):
        j = f[[col, "ws", "we"]].reset_index().merge(emp, left_on=col, right_on="person")
        j = j[(j["valid_from"].isna() | (j["valid_from"] <= j["we"])) & (j["valid_to"].isna() | (j["ws"] <= j["valid_to"]))]
        return j.groupby("index")["unit"].agg(set)

    eu, pu = units("expert_key"), units("applicant_key")
    f = rows(f, [not (eu.get(i, set()) & pu.get(i, set())) for i in f.index])
    f["late"] = (f["requested_on"].notna() & f["drawn_on"].notna() & (f["requested_on"] > f["drawn_on"]))
    f["no_reason"] = f["reason"].isna()
    f = person_cols(f[f["late"] | f["no_reason"]], ctx, "applicant_key", "applicant")
    return person_cols(f, ctx, "expert_key", "expert").drop(columns=["ws", "we"])


def strength(rows):
    r = rows[0]
    return (int(r["late"]) + int(r["no_reason"])) / 2


def text_fields(rows):
    r = rows[0]
    parts = ([f"申请日期{r['requested_on']}晚于专家抽取日期{r['drawn_on']}"] if r["late"] else []) + \
        (["未说明回避理由"] if r["no_reason"] else [])
    return {"problem": "、".join(parts)}


def path(rows, reveal):
    r = rows[0]
    return [step("Person", mask_key(r["expert_key"], reveal), "RECUSED", initiated_by="申报人申请",
                 requested_on=r["requested_on"], source_file=r["recusal_file"], source_row=r["recusal_row"]),
            step("Meeting", r["meeting_id"]), step("Application", r["application_key"])]
