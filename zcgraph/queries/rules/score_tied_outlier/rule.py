"""SCORE-TIED-OUTLIER: an expert with a tie (any AVOID-* or BROKER-* finding) scored the application more than
outlier_z pooled within-application standard deviations (that meeting's, that stage's) above the mean of the
≥2 other reviewers.

``facts`` finds the outlying scores (both backends); ``combine`` keeps those whose expert the AVOID rules tie to
this application, the BROKER-TRIANGLE rule ties through an intermediary, or BROKER-EXPERT ties to an
intermediary by the date of the score. The ties are the other rules' facts on the same backend, so the two
backends agree here as they agree there."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scipy.stats import norm

from zcgraph.queries.leads import mask_key, step
from zcgraph.queries.stats import bh, sig, tested
from zcgraph.queries.ties import named

STAGES = ("审阅", "答辩")


def facts(ctx, params):
    rv = ctx.rels["REVIEWED"]
    rv = rv[rv["stage"].isin(STAGES) & rv["score"].notna()]
    rv = rv.assign(m=rv["meeting_id"].fillna("\0"), s2=rv["score"] ** 2)
    keys = ["dst", "stage", "m"]
    app = rv.groupby(keys).agg(n=("score", "size"), total=("score", "sum"), sq=("s2", "sum")).reset_index()
    app["ssd"] = (app["sq"] - app["total"] ** 2 / app["n"]).clip(lower=0)
    app["dof"] = app["n"] - 1
    per = app.groupby(["m", "stage"]).agg(ss=("ssd", "sum"), dof=("dof", "sum")).reset_index()
    per = per[(per["dof"] > 0) & (per["ss"] > 1e-9)]
    per["sd"] = np.sqrt(per["ss"] / per["dof"])
    f = rv.merge(app[keys + ["n", "total"]], on=keys).merge(per[["m", "stage", "sd"]], on=["m", "stage"])
    f = f[f["n"] >= 3]
    f["others_mean"] = (f["total"] - f["score"]) / (f["n"] - 1)
    # every scored act of a tied pair, or of an expert tied to an intermediary, whatever its z: the family that
    # Benjamini–Hochberg corrects over (assess), not only the ones beyond outlier_z
    tied = (f["dst"].astype(str) + "|" + f["expert_id"].astype(str)).isin(set(params.get("tied", [])))
    f = f[tied | f["expert_id"].isin(set(params.get("tied_experts", [])))]
    apps = ctx.applications.set_index("application_key")
    held = ctx.meetings["held_on"].dropna().to_dict() if "held_on" in ctx.meetings else {}
    on = pd.to_datetime(f["reviewed_on"].astype(object), errors="coerce").astype("datetime64[ns]")
    on = on.fillna(pd.to_datetime(f["meeting_id"].astype(object).map(held), errors="coerce").astype("datetime64[ns]"))
    out = pd.DataFrame({
        "application_key": f["dst"], "application_id": f["dst"].map(apps["application_id"]),
        "year": f["dst"].map(apps["year"]), "applicant_key": f["dst"].map(apps["applicant_key"]),
        "expert_key": f["src"], "expert_id": f["expert_id"], "meeting_id": f["meeting_id"], "stage": f["stage"],
        "score": f["score"], "others": f["n"] - 1, "others_mean": f["others_mean"].round(4), "sd": f["sd"].round(4),
        "z": ((f["score"] - f["others_mean"]) / f["sd"]).round(3),
        "on": on,
        "act_file": f["_file"], "act_row": f["_row"]})
    return named(ctx, out[out["applicant_key"].notna()])


def from_uses(deps):
    """The query's parameters from the ties: the (application, expert) pairs of the AVOID and BROKER-TRIANGLE
    facts, and the experts BROKER-EXPERT ties to an intermediary (their dates are judged in ``combine``)."""
    pairs, experts = set(), set()
    for rule_id, facts in deps.items():
        for f in facts:
            if rule_id == "BROKER-EXPERT" and f.get("expert_id"):
                experts.add(f["expert_id"])
            elif f.get("application_key") and f.get("expert_id"):
                pairs.add(f"{f['application_key']}|{f['expert_id']}")
    return {"tied": sorted(pairs), "tied_experts": sorted(experts)}


def assess(df, params):
    """Every tied, scored act is one test (one-sided normal tail of its z); Benjamini–Hochberg over them all;
    the leads are the acts beyond outlier_z whose q is below outlier_q (one row per tie, as combine gave them)."""
    if df.empty:
        return tested(df, 0)
    act = df["act_file"].astype(str) + "#" + df["act_row"].astype(str)
    z = df.assign(_act=act).drop_duplicates("_act").set_index("_act")["z"].astype(float)
    p = pd.Series(norm.sf(z.to_numpy()), index=z.index)
    q = pd.Series(bh(p.tolist()), index=z.index)
    keep = (z > params["outlier_z"]) & (q < params["outlier_q"])
    out = df[act.map(keep).to_numpy(dtype=bool)].copy()
    out["p"] = [sig(x) for x in act[out.index].map(p)]
    out["q"] = [sig(x) for x in act[out.index].map(q)]
    out["tested"] = len(z)
    return tested(out, len(z))


def combine(rows, deps, params):
    """Keep the outlying scores of tied experts; one row per tie (the lead lists them all)."""
    pair_ties: dict[tuple, list[str]] = {}
    expert_ties: dict[str, list[tuple]] = {}
    for rule_id, facts in deps.items():
        for f in facts:
            if rule_id == "BROKER-EXPERT":
                expert_ties.setdefault(f.get("expert_id"), []).append((f.get("since"), f.get("intermediary_id")))
            elif f.get("application_key") and f.get("expert_id"):
                detail = f.get("relation") or f.get("intermediary_id") or f.get("unit_name") or ""
                pair_ties.setdefault((f["application_key"], f["expert_id"]), []).append(
                    f"{rule_id}{':' + str(detail) if detail else ''}")
    out = []
    for r in rows:
        ties = set(pair_ties.get((r["application_key"], r["expert_id"]), []))
        ties |= {f"BROKER-EXPERT:{z}" for since, z in expert_ties.get(r["expert_id"], [])
                 if since is None or r.get("on") is None or str(since) <= str(r["on"])}
        out += [{**r, "tie": t, "outlier_z": params["outlier_z"]} for t in sorted(ties)]
    return out


def strength(rows):
    return min(1.0, float(rows[0]["z"]) / (2 * float(rows[0]["outlier_z"])))


def stats(rows):
    r = rows[0]
    return {"observed": r["score"], "expected": r["others_mean"], "z": r["z"], "sd": r["sd"], "others": r["others"],
            "p": r["p"], "q": r["q"], "acts_tested": r["tested"]}


def text_fields(rows):
    return {"ties": "、".join(sorted({r["tie"] for r in rows}))}


def path(rows, reveal):
    r = rows[0]
    return [step("Person", mask_key(r["expert_key"], reveal), "REVIEWED", stage=r["stage"], score=r["score"],
                 on=r.get("on"), source_file=r["act_file"], source_row=r["act_row"]),
            step("Application", r["application_key"], "APPLIED", direction="in"),
            step("Person", mask_key(r["applicant_key"], reveal))]
