"""PAIR-REPEAT: the same expert made direct acts on the same person's applications in ≥2 different years.

Facts: for each expert and reapplicant (a person with applications in more than one year), per year and
draw size, how many draws the expert was a candidate in and acted in. ``assess`` turns each year into the
chance of being drawn at least once that year and takes the Poisson-binomial tail of the years observed.
The family is every pair that was a candidate in at least two years, screened as discrete tests are
(``stats.tarone_bh``: a pair that could not reach ``repeat_q`` even had the expert drawn it every year is
counted but not tested). A repeat is a lead only when its q < repeat_q: with specialty pools most
reapplicants meet some expert twice by chance (rules.md; decisions.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from zcgraph.queries.draws import draws, group_lists, tally, token_steps
from zcgraph.queries.draws import p_strength as strength, token_related as related  # noqa: F401 (hooks)
from zcgraph.queries.leads import mask_key, person_token, step
from zcgraph.queries.stats import bh, poibin_sf, sig, tarone_testable, tested
from zcgraph.queries.ties import person_cols

PAIR = ["expert_key", "applicant_key"]


def facts(ctx, params):
    d = draws(ctx, params)
    years = ctx.applications.groupby("applicant_key")["year"].nunique()
    d = d[d["applicant_key"].map(years).fillna(0) > 1]
    f = tally(d, PAIR + ["expert_id", "year", "k", "c"], {"n": ("observed", "size"), "observed": ("observed", "sum")})
    return person_cols(person_cols(f, ctx, "expert_key", "expert"), ctx, "applicant_key", "applicant")


def assess(df, params):
    if df.empty:
        return df
    df = df.assign(n=df["n"].astype(int), observed=df["observed"].astype(int), k=df["k"].astype(int),
                   c=df["c"].astype(int), year=df["year"].astype(int))
    df["miss"] = (1 - df["k"] / df["c"]) ** df["n"]
    y = df.groupby(PAIR + ["year"]).agg(miss=("miss", "prod"), observed=("observed", "sum")).reset_index()
    y["chance"] = 1 - y["miss"]
    y["hit"] = y["observed"] > 0
    pairs = y.groupby(PAIR).agg(years=("year", "size"), observed=("hit", "sum"), expected=("chance", "sum"))
    pairs = pairs[pairs["years"] >= 2]
    examined = len(pairs)
    if pairs.empty:
        return tested(df.iloc[0:0], 0)
    # the smallest p each pair could reach (drawn every year it was a candidate) decides whether it is tested
    y["log_chance"] = np.log(y["chance"].clip(lower=1e-300))
    pairs["min_p"] = np.exp(y.groupby(PAIR)["log_chance"].sum().reindex(pairs.index))
    pairs = pairs[tarone_testable(pairs["min_p"].to_numpy(), params["repeat_q"])].copy()
    family = len(pairs)
    if pairs.empty:
        return tested(df.iloc[0:0], 0)
    chances = group_lists(y.merge(pairs.index.to_frame(index=False), on=PAIR), PAIR, "chance")
    pairs["p"] = [poibin_sf(int(o), [(1, q) for q in chances[i]]) if o >= 1 else 1.0
                  for i, o in zip(pairs.index, pairs["observed"])]
    pairs["q"] = bh(pairs["p"].tolist())
    hit = pairs[(pairs["observed"] >= 2) & (pairs["q"] < params["repeat_q"])].reset_index()
    if hit.empty:
        return tested(hit, family)
    first = df.drop_duplicates(PAIR).set_index(PAIR)
    mine = df.merge(hit[PAIR], on=PAIR)
    acts = mine.groupby(PAIR)["acts"].apply(lambda s: sorted(x for v in s for x in v))
    seen = y[y["hit"]].merge(hit[PAIR], on=PAIR).groupby(PAIR)["year"].apply(lambda s: sorted(set(s)))
    idx = list(zip(hit["expert_key"], hit["applicant_key"]))
    ident = [first.at[i, "applicant_id_number"] for i in idx]
    return tested(pd.DataFrame({
        "expert_key": hit["expert_key"], "applicant_key": hit["applicant_key"],
        "applicant_token": [person_token(x if isinstance(x, str) and x else k[1]) for x, k in zip(ident, idx)],
        "expert_id": [first.at[i, "expert_id"] for i in idx], "expert_name": [first.at[i, "expert_name"] for i in idx],
        "expert_id_number": [first.at[i, "expert_id_number"] for i in idx],
        "applicant_name": [first.at[i, "applicant_name"] for i in idx], "applicant_id_number": ident,
        "observed": hit["observed"].astype(int), "expected": [sig(x, 3) for x in hit["expected"]],
        "candidate_years": hit["years"].astype(int), "p": [sig(x) for x in hit["p"]], "q": [sig(x) for x in hit["q"]],
        "tested": family, "years": [seen[i] for i in idx], "acts": [acts[i] for i in idx],
        "examined": examined}), family)


def stats(rows):
    r = rows[0]
    return {"observed": r["observed"], "expected": r["expected"], "p": r["p"], "q": r["q"],
            "candidate_years": r["candidate_years"], "pairs_tested": r["tested"],
            "pairs_examined": r["examined"]}


def text_fields(rows):
    r = rows[0]
    return {"years": "、".join(str(y) for y in r["years"]),
            "applications": "、".join(sorted({a.split("@")[0] for a in r["acts"]}))}


def path(rows, reveal):
    r = rows[0]
    return token_steps(r["acts"], r["expert_key"], reveal) + [
        step("Person", mask_key(r["applicant_key"], reveal))]
