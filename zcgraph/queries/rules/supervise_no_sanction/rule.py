"""SUPERVISE-NO-SANCTION: a complaint found 属实 or 部分属实 none of whose subjects (a person, a committee, or an
application's applicant) has a later sanction (a sanction without a start date counts as later)."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.frames import lookup
from zcgraph.queries.leads import step


def subjects(ctx):
    ab = ctx.rels["ABOUT"]
    app = ctx.applications.set_index("application_key")["applicant_key"]
    s = pd.DataFrame({"complaint_id": ab["src"], "label": ab["dst_label"], "key": ab["dst"]})
    on_app = s["label"] == "Application"
    s.loc[on_app, "key"] = s.loc[on_app, "key"].map(app)
    s.loc[on_app, "label"] = "Person"
    return s[s["label"].isin(["Person", "Committee"]) & s["key"].notna()].drop_duplicates()


def facts(ctx, params):
    c = ctx.nodes["Complaint"]
    c = c[c["finding"].isin(["属实", "部分属实"])]
    start = pd.to_datetime(c["accepted_on"]).where(c["accepted_on"].notna(), pd.to_datetime(c["received_on"]))
    start = pd.Series(start.to_numpy(), index=c["complaint_id"].to_numpy())
    s = subjects(ctx)
    s = s[s["complaint_id"].isin(set(c["complaint_id"]))]
    sn = ctx.nodes["Sanction"].set_index("sanction_key")
    ag = ctx.rels["AGAINST"]
    sanc = pd.DataFrame({"label": ag["dst_label"], "key": ag["dst"], "sstart": pd.to_datetime(lookup(ag["src"], sn["start"]))})
    j = s.merge(sanc, on=["label", "key"])
    cstart = lookup(j["complaint_id"], start)
    j = j[j["sstart"].isna() | cstart.isna() | (j["sstart"] >= cstart)]
    handled = set(j["complaint_id"])
    s = s[~s["complaint_id"].isin(handled)]
    info = c.set_index("complaint_id")
    return pd.DataFrame({"complaint_id": s["complaint_id"], "finding": s["complaint_id"].map(info["finding"]),
                         "subject_label": s["label"], "subject_key": s["key"],
                         "complaint_file": s["complaint_id"].map(info["_file"]),
                         "complaint_row": s["complaint_id"].map(info["_row"])})


def text_fields(rows):
    n = len({r["subject_key"] for r in rows})
    kinds = "、".join(sorted({"人员" if r["subject_label"] == "Person" else "评委会" for r in rows}))
    return {"subjects": f"{kinds}({n}个)"}


def path(rows, reveal):
    r = rows[0]
    return [step("Complaint", r["complaint_id"], None, finding=r["finding"], source_file=r["complaint_file"],
                 source_row=r["complaint_row"])]
