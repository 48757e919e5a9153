"""AVOID-FORMER-UNIT: one of the two left the other's current unit within former_unit_years before the act, and
they were not in the same unit on its date (that is AVOID-UNIT)."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.leads import mask_key, step
from zcgraph.queries.ties import acts_frame, declared_mask


def facts(ctx, params):
    acts = acts_frame(ctx)
    acts = acts[~declared_mask(ctx, acts)].reset_index(drop=True)
    emp = ctx.employment

    def now(col):
        j = acts[[col, "win_start", "win_end"]].reset_index().merge(emp, left_on=col, right_on="person")
        j = j[(j["valid_from"].isna() | (j["valid_from"] <= j["win_start"])) & (j["valid_to"].isna() | (j["win_end"] <= j["valid_to"]))]
        return j.groupby("index")["unit"].agg(set)

    e_now = acts.index.map(now("expert_key")).map(lambda v: v if isinstance(v, set) else set())
    p_now = acts.index.map(now("applicant_key")).map(lambda v: v if isinstance(v, set) else set())
    acts["e_now"], acts["p_now"] = list(e_now), list(p_now)
    acts = acts[pd.Series([not (a & b) for a, b in zip(acts["e_now"], acts["p_now"])], index=acts.index, dtype=bool)]
    parts = []
    for who, mine, theirs in (("expert", "expert_key", "p_now"), ("applicant", "applicant_key", "e_now")):
        j = acts.merge(emp, left_on=mine, right_on="person")
        back = j["win_end"] - pd.DateOffset(years=params["former_unit_years"])
        j = j[j["valid_to"].notna() & (j["valid_to"] < j["win_start"]) & (j["valid_to"] >= back)
              & pd.Series([u in s for u, s in zip(j["unit"], j[theirs])], index=j.index, dtype=bool)]
        parts.append(j.assign(who=who, left_on=j["valid_to"]))
    f = pd.concat(parts, ignore_index=True)
    f = f.drop(columns=["person", "valid_from", "valid_to", "e_now", "p_now"])
    return f.assign(unit_name=f["unit"].map(ctx.unit_names))


def strength(rows):
    return len({(r["act_file"], r["act_row"]) for r in rows if r["act"] == "direct"}) / 2


def text_fields(rows, years=3):
    r = rows[0]
    return {"who": "该专家" if r["who"] == "expert" else "申报人", "years": years}


def path(rows, reveal):
    r = rows[0]
    leaver = r["expert_key"] if r["who"] == "expert" else r["applicant_key"]
    return [step("Person", mask_key(r["expert_key"], reveal), "REVIEWED", stage=r["stage"], on=r["on"],
                 source_file=r["act_file"], source_row=r["act_row"]),
            step("Application", r["application_key"], "APPLIED", direction="in"),
            step("Person", mask_key(r["applicant_key"], reveal)),
            step("Person", mask_key(leaver, reveal), "WORKS_AT", valid_to=r["left_on"], source_file=r["emp_file"],
                 source_row=r["emp_row"]),
            step("Unit", r["unit"])]
