"""SCORE-LENIENCY: the expert's score residual (own score minus co-reviewers' mean) on one unit's applicants
exceeds their residual on other units' (one-sided Welch test, Benjamini–Hochberg, q < leniency_q, at least
min_opportunities scored applications of that unit).

Facts: per expert and applicant unit, the count, sum and sum of squares of residuals (residuals rounded to
six decimals on both backends). ``assess`` compares each unit with the rest of the expert's scoring."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.draws import DIRECT_STAGES, act_token, applicant_units, expert_ids, tally, token_steps
from zcgraph.queries.draws import p_strength as strength, token_related as related  # noqa: F401 (hooks)
from zcgraph.queries.leads import step
from zcgraph.queries.stats import bh, sig, tested, welch_greater
from zcgraph.queries.ties import person_cols


def scored(ctx):
    """Every scored direct act with at least one co-reviewer: residual, date window, applicant."""
    rv = ctx.rels["REVIEWED"]
    rv = rv[rv["stage"].isin(DIRECT_STAGES) & rv["score"].notna()]
    grp = rv.groupby(["dst", "stage"])["score"]
    n, total = grp.transform("size"), grp.transform("sum")
    rv = rv.assign(n=n, total=total)[n >= 2]
    resid = (rv["score"] - (rv["total"] - rv["score"]) / (rv["n"] - 1)).round(6)
    apps = ctx.applications.set_index("application_key")
    held = pd.to_datetime(rv["meeting_id"].map(ctx.meetings["held_on"])) if "held_on" in ctx.meetings else None
    on = pd.to_datetime(rv["reviewed_on"])
    on = on.where(on.notna(), held) if held is not None else on
    year = rv["dst"].map(apps["year"]).astype("Int64")
    f = pd.DataFrame({"application_key": rv["dst"], "application_id": rv["dst"].map(apps["application_id"]),
                      "applicant_key": rv["dst"].map(apps["applicant_key"]), "expert_key": rv["src"],
                      "stage": rv["stage"], "meeting_id": rv["meeting_id"], "score": rv["score"], "n": rv["n"],
                      "total": rv["total"], "resid": resid, "act_file": rv["_file"], "act_row": rv["_row"], "year": year,
                      "win_start": on.where(on.notna(), pd.to_datetime(year.astype(str) + "-01-01", errors="coerce")),
                      "win_end": on.where(on.notna(), pd.to_datetime((year + 1).astype(str) + "-06-30", errors="coerce"))})
    return f[f["applicant_key"].notna()]


def facts(ctx, params):
    f = applicant_units(ctx, scored(ctx))
    f = f.drop_duplicates(["expert_key", "act_file", "act_row", "unit"])
    f["act"] = act_token(f["application_id"], f["act_file"], f["act_row"])
    f["resid2"] = f["resid"] * f["resid"]
    g = tally(f, ["expert_key", "unit"], {"n": ("resid", "size"), "s1": ("resid", "sum"), "s2": ("resid2", "sum")},
              dropna=True)
    g["expert_id"] = g["expert_key"].map(expert_ids(ctx))
    g["unit_name"] = g["unit"].map(ctx.unit_names)
    return person_cols(g, ctx, "expert_key", "expert")


def assess(df, params):
    if df.empty:
        return df
    df = df.assign(n=df["n"].astype(int), s1=df["s1"].astype(float), s2=df["s2"].astype(float))
    tot = df.groupby("expert_key")[["n", "s1", "s2"]].sum().add_suffix("_all")
    t = df.merge(tot, left_on="expert_key", right_index=True)
    t["n_other"] = t["n_all"] - t["n"]
    t = t[(t["n"] >= params["min_opportunities"]) & (t["n_other"] >= 2)].copy()
    if t.empty:
        return t
    t["p"] = [welch_greater(a, b, c, d, e, f) for a, b, c, d, e, f in
              zip(t["n"], t["s1"], t["s2"], t["n_other"], t["s1_all"] - t["s1"], t["s2_all"] - t["s2"])]
    t = t[t["p"].notna()]
    t["q"] = bh(t["p"].tolist())
    t["tested"] = len(t)
    hit = t[t["q"] < params["leniency_q"]]
    return tested(pd.DataFrame({
        "expert_key": hit["expert_key"], "unit": hit["unit"], "expert_id": hit["expert_id"],
        "unit_name": hit["unit_name"], "expert_name": hit["expert_name"], "expert_id_number": hit["expert_id_number"],
        "n_unit": hit["n"], "n_other": hit["n_other"], "unit_mean": [sig(x, 3) for x in hit["s1"] / hit["n"]],
        "other_mean": [sig(x, 3) for x in (hit["s1_all"] - hit["s1"]) / hit["n_other"]],
        "p": [sig(x) for x in hit["p"]], "q": [sig(x) for x in hit["q"]], "tested": hit["tested"],
        "acts": hit["acts"]}), len(t))


def stats(rows):
    r = rows[0]
    return {"observed": r["unit_mean"], "expected": r["other_mean"], "p": r["p"], "q": r["q"],
            "n_unit": r["n_unit"], "n_other": r["n_other"], "pairs_tested": r["tested"]}


def path(rows, reveal):
    r = rows[0]
    return token_steps(r["acts"], r["expert_key"], reveal, limit=5) + [step("Unit", r["unit"])]
