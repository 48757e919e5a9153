"""AVOID-FORMER-UNIT: one of the two left the other's current unit within former_unit_years before the act, and
they were not in the same unit on its date (that is AVOID-UNIT)."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.leads import mask_key, step
from zcgraph.queries.ties import grouped_path, grouped_related as related, grouped_strength as strength  # noqa: F401
from zcgraph.queries.ties import grouped_text, meeting_key as prepare  # noqa: F401
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


def text_fields(rows, years=3):
    who = {r["who"] for r in rows}
    left = sorted({str(r["left_on"]) for r in rows if r.get("left_on")})
    return {**grouped_text(rows), "who": "该专家" if who == {"expert"} else "申报人" if who == {"applicant"}
            else "该专家或有关申报人", "left_on": "、".join(left), "years": years}


def _tie(r, reveal):
    leaver = r["expert_key"] if r["who"] == "expert" else r["applicant_key"]
    return [step("Person", mask_key(r["applicant_key"], reveal)),
            step("Person", mask_key(leaver, reveal), "WORKS_AT", valid_to=r["left_on"], source_file=r["emp_file"],
                 source_row=r["emp_row"])]


def path(rows, reveal):
    return grouped_path(rows, reveal, _tie) + [step("Unit", rows[0]["unit"])]
