"""PAIR-ENTRENCHED: where seats are drawn per meeting (draw_scope 每次抽取), an expert sat in ≥ entrenched_years
consecutive years of one committee's meetings, with q < entrenched_q against a draw from the pool.

Facts: one row per drawn meeting and pool member on its date (drawn seats, pool size, the member's seat if
any). ``assess`` finds each pair's runs of consecutive years with a seat and, for the least likely run, the
Poisson-binomial tail of the seats held at chance seats / pool size per meeting; Benjamini–Hochberg over every
pair with at least min_opportunities drawn meetings in the pool (a pair without a long enough run has p = 1)."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.draws import p_strength as strength  # noqa: F401 (hooks)
from zcgraph.queries.draws import token_related, token_steps
from zcgraph.queries.leads import step
from zcgraph.queries.stats import bh, poibin_sf, sig, tested

PAIR = ["expert_key", "committee_id"]
CHAIRS = ("主任委员", "副主任委员")


def facts(ctx, params):
    att = ctx.rels["ATTENDED"]
    m = ctx.meetings.reset_index().reindex(columns=["meeting_id", "committee_id", "year", "held_on"])
    drawn = set(att.loc[att["draw_scope"] == "每次抽取", "dst"])
    m = m[m["meeting_id"].isin(drawn) & m["year"].notna()].copy()
    y = m["year"].astype(int).astype(str)
    held = pd.to_datetime(m["held_on"])
    m["win_start"] = held.where(held.notna(), pd.to_datetime(y + "-01-01"))
    m["win_end"] = held.where(held.notna(), pd.to_datetime((m["year"].astype(int) + 1).astype(str) + "-06-30"))
    sitting = att[~att["role"].fillna("").isin(CHAIRS)]
    m["seats"] = m["meeting_id"].map(sitting.groupby("dst")["src"].nunique()).fillna(0).astype(int)
    pool = ctx.rels["IN_POOL"].rename(columns={"src": "expert_key", "dst": "committee_id"})
    f = m.merge(pool[["expert_key", "committee_id", "pool_from", "pool_to"]], on="committee_id")
    f = f[(f["pool_from"].isna() | (f["pool_from"] <= f["win_start"]))
          & (f["pool_to"].isna() | (f["win_end"] <= f["pool_to"]))]
    f = f.drop_duplicates(["meeting_id", "expert_key"])
    f["pool_size"] = f.groupby("meeting_id")["expert_key"].transform("size")
    seat = sitting.assign(tok=sitting["dst"] + "@" + sitting["_file"] + "#" + sitting["_row"].astype(str))
    seat = seat.groupby(["src", "dst"])["tok"].apply(list)
    f["seat"] = [seat.get((e, mid), []) for e, mid in zip(f["expert_key"], f["meeting_id"])]
    per = ctx.persons
    ids = per["expert_ids"].map(lambda v: v[0] if isinstance(v, (list, tuple)) and len(v) else None)
    return pd.DataFrame({"expert_key": f["expert_key"], "expert_id": f["expert_key"].map(ids),
                         "expert_name": f["expert_key"].map(per["name"]),
                         "expert_id_number": f["expert_key"].map(per["id_number"]),
                         "committee_id": f["committee_id"], "meeting_id": f["meeting_id"], "year": f["year"].astype(int),
                         "seats": f["seats"], "pool_size": f["pool_size"], "seat": f["seat"]})


def _runs(years: list[int], length: int) -> list[list[int]]:
    """Maximal runs of consecutive years, at least ``length`` long."""
    runs: list[list[int]] = []
    cur: list[int] = []
    for y in sorted(set(years)):
        if cur and y == cur[-1] + 1:
            cur.append(y)
            continue
        if len(cur) >= length:
            runs.append(cur)
        cur = [y]
    return runs + ([cur] if len(cur) >= length else [])


def assess(df, params):
    if df.empty:
        return df
    df = df.assign(year=df["year"].astype(int), seats=df["seats"].astype(int), pool_size=df["pool_size"].astype(int))
    df["sat"] = df["seat"].map(len) > 0
    # a pool no larger than the drawn seats puts every member in every sitting: the chance is 1, not more
    df["chance"] = (df["seats"] / df["pool_size"]).clip(upper=1.0)
    rows = []
    for key, g in df.groupby(PAIR):
        if len(g) < params["min_opportunities"]:
            continue
        best = (1.0, None, None)
        for run in _runs(g.loc[g["sat"], "year"].tolist(), params["entrenched_years"]):
            inrun = g[g["year"].isin(run)]
            p = poibin_sf(int(inrun["sat"].sum()), [(1, x) for x in inrun["chance"]])
            if best[1] is None or p < best[0]:
                best = (p, run, inrun)
        rows.append((key, best))
    if not rows:
        return df.iloc[0:0]
    qs = bh([b[0] for _, b in rows])
    out = []
    for (key, best), q in zip(rows, qs):
        if best[1] is None or q >= params["entrenched_q"]:
            continue
        p, run, inrun = best
        first = inrun.iloc[0]
        out.append({"expert_key": key[0], "committee_id": key[1], "expert_id": first["expert_id"],
                    "expert_name": first["expert_name"], "expert_id_number": first["expert_id_number"],
                    "observed": int(inrun["sat"].sum()), "expected": sig(float(inrun["chance"].sum()), 3),
                    "meetings_in_pool": len(inrun), "run_years": len(run), "years": run, "p": sig(p), "q": sig(q),
                    "tested": len(rows), "seat": sorted(x for v in inrun["seat"] for x in v)})
    return tested(pd.DataFrame(out), len(rows))


def stats(rows):
    r = rows[0]
    return {"observed": r["observed"], "expected": r["expected"], "p": r["p"], "q": r["q"],
            "meetings_in_pool": r["meetings_in_pool"], "pairs_tested": r["tested"]}


def text_fields(rows):
    return {"years": "、".join(str(y) for y in rows[0]["years"])}


def path(rows, reveal):
    r = rows[0]
    return token_steps(r["seat"], r["expert_key"], reveal, "ATTENDED", "Meeting") + [
        step("Committee", r["committee_id"])]


def related(rows):
    return token_related(rows, "seat")
