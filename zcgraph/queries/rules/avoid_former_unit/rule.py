"""AVOID-FORMER-UNIT: one of the two left the other's current unit within former_unit_years before the act, and
they were not in the same unit on its date (that is AVOID-UNIT)."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.leads import mask_key, step
from zcgraph.queries.ties import acts_frame, declared_mask, named


def facts(ctx, params):
    acts = acts_frame(ctx)
    acts = acts[~declared_mask(ctx, acts)].reset_index(drop=True)
    acts.index.name = "_i"
    emp = ctx.employment
    win = acts[["expert_key", "applicant_key", "win_start", "win_end"]].reset_index()

    def current(col):
        """(act, unit) pairs: where this side worked across the act's date or window."""
        j = win[["_i", col, "win_start", "win_end"]].merge(emp, left_on=col, right_on="person")
        j = j[(j["valid_from"].isna() | (j["valid_from"] <= j["win_start"])) & (j["valid_to"].isna() | (j["win_end"] <= j["valid_to"]))]
        return j[["_i", "unit"]].drop_duplicates()

    e_now, p_now = current("expert_key"), current("applicant_key")
    same = set(e_now.merge(p_now, on=["_i", "unit"])["_i"])  # AVOID-UNIT, not this rule
    back = emp[emp["valid_to"].notna()]
    parts = []
    for who, mine, theirs, own_now in (("expert", "expert_key", p_now, e_now), ("applicant", "applicant_key", e_now, p_now)):
        j = win[["_i", mine, "win_start", "win_end"]].merge(back, left_on=mine, right_on="person")
        j = j[(j["valid_to"] < j["win_start"])
              & (j["valid_to"] >= j["win_end"] - pd.DateOffset(years=params["former_unit_years"]))]
        j = j.merge(theirs, on=["_i", "unit"])  # the other one's current unit
        j = j.merge(own_now.assign(_now=True), on=["_i", "unit"], how="left")
        j = j[j["_now"].isna() & ~j["_i"].isin(same)]
        parts.append(j[["_i", "unit", "valid_to", "emp_file", "emp_row"]].assign(who=who))
    hits = pd.concat(parts, ignore_index=True).rename(columns={"valid_to": "left_on"})
    f = acts.reset_index().merge(hits, on="_i").drop(columns=["_i"])
    return named(ctx, f.assign(unit_name=f["unit"].map(ctx.unit_names)))


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
