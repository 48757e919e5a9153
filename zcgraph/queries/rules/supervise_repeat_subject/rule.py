"""SUPERVISE-REPEAT-SUBJECT: a person named in at least two complaints that were overdue or found 属实 still
reviewed (keyed by expert) or applied (keyed by application) after the second of them was received."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.complaints import complaints
from zcgraph.queries.leads import mask_key, step


def facts(ctx, params):
    c = complaints(ctx, params)
    c["dated"] = pd.to_datetime(c["received_on"]).where(c["received_on"].notna(), pd.to_datetime(c["accepted_on"]))
    c = c[c["dated"].notna() & (c["finding"].isin(["属实", "部分属实"]) | c["overdue"])]
    ab = ctx.rels["ABOUT"]
    app = ctx.applications.set_index("application_key")["applicant_key"]
    s = pd.DataFrame({"complaint_id": ab["src"], "label": ab["dst_label"], "key": ab["dst"]})
    on_app = s["label"] == "Application"
    s.loc[on_app, "key"] = s.loc[on_app, "key"].map(app)
    s = s[(on_app | (s["label"] == "Person")) & s["key"].notna()].drop_duplicates(["complaint_id", "key"])
    s = s.merge(c[["complaint_id", "dated"]], on="complaint_id").sort_values(["dated", "complaint_id"])
    g = s.groupby("key").agg(complaint_ids=("complaint_id", list), dates=("dated", list))
    g = g[g["complaint_ids"].map(len) >= 2]
    g["second"] = g["dates"].map(lambda d: d[1])
    rows = []
    acts = ctx.acts
    acts = acts[acts["act"] != "attendance"]
    for person, r in g.iterrows():
        mine = acts[(acts["expert_key"] == person) & (acts["on"] > r["second"])]
        for a in mine.itertuples(index=False):
            rows.append({"person_key": person, "complaint_ids": r["complaint_ids"], "second": r["second"],
                         "key_expert": a.expert_id, "key_application": None, "act_application": a.application_key,
                         "on": a.on, "act_file": a.act_file,
                         "act_row": a.act_row})
        apps = ctx.applications[ctx.applications["applicant_key"] == person]
        on = pd.to_datetime(apps["publicity_start"]).where(
            apps["publicity_start"].notna(), pd.to_datetime(apps["year"].astype("Int64").astype(str) + "-01-01"))
        for k, d, f, rw in zip(apps["application_key"], on, apps["_file"], apps["_row"]):
            if d > r["second"]:
                rows.append({"person_key": person, "complaint_ids": r["complaint_ids"], "second": r["second"],
                             "key_expert": None, "key_application": k, "act_application": k, "on": d, "act_file": f,
                             "act_row": rw})
    f = pd.DataFrame(rows, columns=["person_key", "complaint_ids", "second", "key_expert", "key_application",
                                    "act_application", "on", "act_file", "act_row"])
    p = ctx.persons
    return f.assign(expert_name=f["person_key"].map(p["name"]), expert_id_number=f["person_key"].map(p["id_number"]))


def strength(rows):
    return len(rows[0]["complaint_ids"]) / 4


def related(rows):
    return rows[0]["complaint_ids"]


def text_fields(rows):
    r = rows[0]
    return {"role": "评审专家" if r["key_expert"] else "申报人",
            "eid": f"(专家编号{r['key_expert']})" if r["key_expert"] else "", "n": len(r["complaint_ids"]),
            "complaints": "、".join(r["complaint_ids"]), "second": r["second"],
            "still": "参与评审" if r["key_expert"] else f"提交申报{r['key_application']}"}


def path(rows, reveal):
    r = rows[0]
    return [step("Complaint", r["complaint_ids"][1], "ABOUT"),
            step("Person", mask_key(r["person_key"], reveal), "REVIEWED" if r["key_expert"] else "APPLIED", on=r["on"],
                 source_file=r["act_file"], source_row=r["act_row"]),
            step("Application", r["act_application"])]  # the act after the complaints: what he reviewed or applied
