"""BROKER-TRIANGLE: an expert tied to an intermediary (from before the act) reviewed or voted on an application
tied to the same intermediary."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.frames import lookup
from zcgraph.queries.brokers import application_dates, severity, text_fields, ties, via_rel  # noqa: F401 (hooks)
from zcgraph.queries.leads import mask_key, step
from zcgraph.queries.ties import person_cols


def facts(ctx, params):
    t = ties(ctx)
    r = ctx.rels["REVIEWED"]
    held = ctx.meetings["held_on"].dropna().to_dict() if "held_on" in ctx.meetings else {}
    app = ctx.applications.set_index("application_key")
    acts = pd.DataFrame({"application_key": r["dst"], "application_id": r["dst"].map(app["application_id"]),
                         "year": r["dst"].map(app["year"]), "applicant_key": r["dst"].map(app["applicant_key"]),
                         "expert_id": r["expert_id"], "expert_key": r["src"],
                         "act": r["stage"].map(lambda s: "vote" if s == "投票" else "direct"), "stage": r["stage"],
                         "on": pd.to_datetime(r["reviewed_on"]).where(r["reviewed_on"].notna(),
                                                                     pd.to_datetime(r["meeting_id"].map(held))),
                         "meeting_id": r["meeting_id"].where(r["meeting_id"].isin(set(ctx.meetings.index))),
                         "act_file": r["_file"], "act_row": r["_row"]})
    acts = acts[acts["expert_key"] != acts["applicant_key"]]
    et = t.rename(columns={"person_key": "expert_key", "since": "e_since", "via": "e_via", "tie_file": "e_file",
                           "tie_row": "e_row"})
    f = acts.merge(et, on="expert_key")
    jan1 = pd.to_datetime(f["year"].astype("Int64").astype(str) + "-01-01", errors="coerce")
    f = f[f["e_since"].isna() | (f["e_since"] <= f["on"].where(f["on"].notna(), jan1))]
    at = t.drop(columns=["intermediary_kind"]).rename(columns={"person_key": "applicant_key", "since": "a_since",
                                                               "via": "a_via", "tie_file": "a_file", "tie_row": "a_row"})
    f = f.merge(at, on=["applicant_key", "intermediary_id"])
    f["app_on"] = lookup(f["application_key"], application_dates(ctx))
    f = f[f["a_since"].isna() | (f["a_since"] <= f["app_on"])].drop(columns=["app_on"])
    f = person_cols(f, ctx, "applicant_key", "applicant")
    return person_cols(f, ctx, "expert_key", "expert")


def strength(rows):
    return len({(r["act_file"], r["act_row"]) for r in rows}) / 2


def path(rows, reveal):
    r = rows[0]
    return [step("Person", mask_key(r["expert_key"], reveal), via_rel(r["e_via"]), since=r["e_since"],
                 source_file=r["e_file"], source_row=r["e_row"]),
            step("Intermediary", r["intermediary_id"], via_rel(r["a_via"]), direction="in", since=r["a_since"],
                 source_file=r["a_file"], source_row=r["a_row"]),
            step("Person", mask_key(r["applicant_key"], reveal), "APPLIED"),
            step("Application", r["application_key"], "REVIEWED", direction="in", stage=r["stage"], on=r["on"],
                 source_file=r["act_file"], source_row=r["act_row"]),
            step("Person", mask_key(r["expert_key"], reveal))]


def text_fields(rows):  # noqa: F811 - the triangle names both ends' ties in its path, not in the sentence
    return {}
