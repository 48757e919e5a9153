"""PAIR-CONCENTRATION: an expert's direct acts on one unit's applicants exceed the random-draw expectation
(q < concentration_q and observed ≥ concentration_min_ratio × expected).

Facts: for each expert, applicant unit (rolled up, as of the act) and draw size, how many draws the expert
was a candidate in (n), of which he acted in (observed), at chance k/c each. The test runs in ``assess``,
above the backends: a Poisson-binomial tail per (expert, unit), Benjamini–Hochberg over every pair with at
least min_opportunities chances."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.draws import applicant_units, draws, group_lists, tally, token_steps
from zcgraph.queries.draws import p_strength as strength, token_related as related  # noqa: F401 (hooks)
from zcgraph.queries.leads import step
from zcgraph.queries.stats import bh, poibin_sf, sig, tested
from zcgraph.queries.ties import person_cols

PAIR = ["expert_key", "unit"]


def facts(ctx, params):
    d = applicant_units(ctx, draws(ctx, params))
    d = d.drop_duplicates(["application_key", "stage", "meeting_id", "expert_key", "unit"])
    f = tally(d, PAIR + ["expert_id", "meeting_id", "stage", "k", "c"],
              {"n": ("observed", "size"), "observed": ("observed", "sum")})
    f["unit_name"] = f["unit"].map(ctx.unit_names)
    return person_cols(f, ctx, "expert_key", "expert")


def assess(df, params):
    """Test every (expert, unit) pair; keep the significant, large ones as lead rows (one per lead)."""
    if df.empty:
        return df
    df = df.assign(n=df["n"].astype(int), observed=df["observed"].astype(int), k=df["k"].astype(int),
                   c=df["c"].astype(int))
    df["expected"] = df["n"] * df["k"] / df["c"]
    tot = df.groupby(PAIR).agg(chances=("n", "sum"), observed=("observed", "sum"), expected=("expected", "sum"))
    tot = tot[tot["chances"] >= params["min_opportunities"]]
    if tot.empty:
        return df.iloc[0:0]
    # (draws, chance) of the pairs whose tail is computed (observed above expected; the others have p = 1)
    tail = tot.index[tot["observed"] > tot["expected"]].to_frame(index=False)
    sub = df.merge(tail, on=PAIR)
    groups = group_lists(sub.assign(nk=list(zip(sub["n"], sub["k"] / sub["c"]))), PAIR, "nk")
    tot["p"] = [poibin_sf(int(o), groups[i]) if o > e else 1.0
                for i, o, e in zip(tot.index, tot["observed"], tot["expected"])]
    tot["q"] = bh(tot["p"].tolist())
    tot["tested"] = len(tot)
    hit = tot[(tot["q"] < params["concentration_q"])
              & (tot["observed"] >= params["concentration_min_ratio"] * tot["expected"])].reset_index()
    if hit.empty:
        return tested(hit, len(tot))
    first = df.drop_duplicates(PAIR).set_index(PAIR)
    mine = df.merge(hit[PAIR], on=PAIR)
    acts = mine.groupby(PAIR)["acts"].apply(lambda s: sorted(x for v in s for x in v))
    meetings = mine[mine["observed"] > 0].groupby(PAIR)["meeting_id"].apply(lambda s: sorted(set(s)))
    idx = list(zip(hit["expert_key"], hit["unit"]))
    return tested(pd.DataFrame({
        "expert_key": hit["expert_key"], "unit": hit["unit"],
        "expert_id": [first.at[i, "expert_id"] for i in idx], "unit_name": [first.at[i, "unit_name"] for i in idx],
        "expert_name": [first.at[i, "expert_name"] for i in idx],
        "expert_id_number": [first.at[i, "expert_id_number"] for i in idx],
        "observed": hit["observed"].astype(int), "expected": [sig(x, 3) for x in hit["expected"]],
        "chances": hit["chances"].astype(int), "p": [sig(x) for x in hit["p"]], "q": [sig(x) for x in hit["q"]],
        "tested": hit["tested"].astype(int), "acts": [acts[i] for i in idx],
        "meetings": [meetings.get(i, []) for i in idx]}), len(tot))


def stats(rows):
    r = rows[0]
    return {"observed": r["observed"], "expected": r["expected"], "p": r["p"], "q": r["q"],
            "chances": r["chances"], "pairs_tested": r["tested"]}


def path(rows, reveal):
    r = rows[0]
    return token_steps(r["acts"], r["expert_key"], reveal, limit=5) + [
        step("Unit", r["unit"], observed=r["observed"], expected=r["expected"])]
