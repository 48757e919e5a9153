"""Random-draw candidate sets (rules.md "Random-draw baselines"), embedded side.

A *draw* is one stage (审阅 or 答辩) of one application in one meeting. Its candidate set C
is the experts who sat in that meeting (else the committee's pool over the act's date or
window), restricted to the application's specialty where both record one, without the
experts who had to recuse (self, same unit, kin, academic ties as of the act) unless they
acted anyway. Each candidate had the chance k/|C| of being one of the k who acted.

The Cypher twin is ``rules/_fragments/draws.cypher``; both give one row per (draw, candidate).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .context import EmbeddedContext
from .leads import mask_key, step
from .stats import strength_from_p

__all__ = ["draws", "DIRECT_STAGES", "applicant_units", "expert_ids", "act_token", "token_steps", "token_related",
           "p_strength", "tally", "group_lists"]

DIRECT_STAGES = ("审阅", "答辩")
DRAW = ["application_key", "stage", "meeting_id"]
ACADEMIC = ("导师", "学生", "师生")


def expert_ids(ctx: EmbeddedContext) -> pd.Series:
    """A person's expert id in a statistical lead: the smallest of the ids they carry in any pool."""
    ids = ctx.persons["expert_ids"]
    return ids.map(lambda v: v[0] if isinstance(v, (list, tuple)) and len(v) else None)


def act_token(application_id: pd.Series, f: pd.Series, row: pd.Series) -> pd.Series:
    """One observed act as text (application@file#row), so a list of them sorts alike on both backends."""
    return application_id.astype(str) + "@" + f.astype(str) + "#" + row.astype("Int64").astype(str)


def token_steps(tokens: list[str], person_key: str, reveal: bool, rel: str = "REVIEWED", label: str = "Application",
                limit: int | None = None) -> list[dict]:
    """Path steps for acts given as tokens (key@file#row): for each, the person, the act (with its record), and
    the node it was on; the acts are separate links of one finding, so nothing joins one to the next."""
    out: list[dict] = []
    for t in tokens[:limit]:
        key, _, src = t.partition("@")
        f, _, row = src.rpartition("#")
        out += [step("Person", mask_key(person_key, reveal), rel, source_file=f, source_row=int(row)), step(label, key)]
    return out


def token_related(rows: list[dict], column: str = "acts") -> list[str]:
    """``related_ids`` of a statistical lead: the ids in its act tokens."""
    return [t.split("@")[0] for t in rows[0][column]]


def p_strength(rows: list[dict]) -> float:
    """rules.md: a statistical lead's strength is −log10(p) / 6."""
    return strength_from_p(rows[0]["p"])


def tally(d: pd.DataFrame, keys: list[str], sums: dict[str, tuple[str, str]], dropna: bool = False) -> pd.DataFrame:
    """``d`` grouped by ``keys``: the named aggregations ``sums`` and ``acts``, each group's act tokens (the
    strings of its ``act`` column), sorted. Empty keys are a group of their own unless ``dropna``.

    The lists are built from one sort, for the groups that have acts: a Python function per group costs
    seconds over the millions of (draw, candidate) groups of a province, most of them without an act."""
    g = d.groupby(keys, dropna=dropna, sort=True)
    out = g.agg(**sums).reset_index()
    ids = g.ngroup().to_numpy()  # -1 where a dropped key is empty
    act = d["act"].to_numpy(dtype=object)
    has = (ids >= 0) & np.fromiter((isinstance(x, str) for x in act), dtype=bool, count=len(act))
    acted = pd.DataFrame({"g": ids[has], "a": act[has]}).sort_values(["g", "a"])
    out["acts"] = _split(acted["g"].to_numpy(), acted["a"].tolist(), len(out))
    return out


def group_lists(df: pd.DataFrame, keys: list[str], col: str) -> pd.Series:
    """``df.groupby(keys)[col].apply(list)`` (rows with an empty key left out; each list in row order), from one
    stable sort instead of a Python call per group: the statistical rules' tests see hundreds of thousands of
    (expert, applicant) or (expert, unit) pairs at province scale. Indexed by the group keys."""
    g = df.groupby(keys, sort=True)
    ids = g.ngroup().to_numpy()
    keep = ids >= 0
    order = np.argsort(ids[keep], kind="stable")
    lists = _split(ids[keep][order], df[col].to_numpy(dtype=object)[keep][order].tolist(), g.ngroups)
    return pd.Series(lists, index=g.size().index, dtype=object)


def _split(gid: np.ndarray, values: list[Any], n: int) -> list[list[Any]]:
    """``values`` sorted by group number ``gid`` as one list per group 0 … n-1 (empty for a group without any)."""
    lists: list[list[Any]] = [[] for _ in range(n)]
    cuts = np.flatnonzero(np.diff(gid)) + 1
    for lo, hi in zip(np.r_[0, cuts], np.r_[cuts, len(gid)]):
        if hi > lo:
            lists[gid[lo]] = values[lo:hi]
    return lists


def _covers(df: pd.DataFrame, start: str, end: str) -> pd.Series:
    s, e = pd.to_datetime(df[start]), pd.to_datetime(df[end])
    return (s.isna() | (s <= df["win_start"])) & (e.isna() | (df["win_end"] <= e))


def draws(ctx: EmbeddedContext, params: dict) -> pd.DataFrame:
    rv = ctx.rels["REVIEWED"]
    rv = rv[rv["stage"].isin(DIRECT_STAGES)]
    acts = pd.DataFrame({"application_key": rv["dst"], "stage": rv["stage"], "meeting_id": rv["meeting_id"].astype(object),
                         "expert_key": rv["src"], "reviewed_on": pd.to_datetime(rv["reviewed_on"]),
                         "act_file": rv["_file"], "act_row": rv["_row"]})
    if acts.empty:  # the shape of a draw frame, without rows
        return pd.DataFrame({"application_key": pd.Series(dtype=object), "stage": pd.Series(dtype=object),
                             "meeting_id": pd.Series(dtype=object), "k": pd.Series(dtype="int64"),
                             "win_start": pd.Series(dtype="datetime64[s]"), "win_end": pd.Series(dtype="datetime64[s]"),
                             "year": pd.Series(dtype="Int64"), **{c: pd.Series(dtype=object) for c in (
                                 "applicant_key", "committee_id", "specialty", "expert_key", "act")},
                             "observed": pd.Series(dtype="int64"), "c": pd.Series(dtype="int64"),
                             "expert_id": pd.Series(dtype=object)})
    g = acts.groupby(DRAW, dropna=False)
    d = g.agg(k=("expert_key", "nunique"), first_on=("reviewed_on", "min")).reset_index()
    d["meeting_id"] = d["meeting_id"].astype(object)  # all-empty meeting ids come back as float
    m = ctx.meetings
    apps = ctx.applications.set_index("application_key")
    held = pd.to_datetime(d["meeting_id"].map(m["held_on"])) if "held_on" in m else pd.Series(pd.NaT, index=d.index)
    on = d["first_on"].where(d["first_on"].notna(), held)
    year = d["application_key"].map(apps["year"]).astype("Int64")
    d["win_start"] = on.where(on.notna(), pd.to_datetime(year.astype(str) + "-01-01", errors="coerce"))
    d["win_end"] = on.where(on.notna(), pd.to_datetime((year + 1).astype(str) + "-06-30", errors="coerce"))
    d["year"] = year
    d["applicant_key"] = d["application_key"].map(apps["applicant_key"])
    mc = d["meeting_id"].map(m["committee_id"]) if "committee_id" in m else pd.Series(None, index=d.index, dtype=object)
    ac = d["application_key"].map(apps["committee_id"]) if "committee_id" in apps else None
    d["committee_id"] = mc.where(mc.notna(), ac) if ac is not None else mc
    d["specialty"] = d["application_key"].map(apps["specialty"]) if "specialty" in apps else None
    d = d[d["applicant_key"].notna()].drop(columns=["first_on"]).reset_index(drop=True)
    d["_d"] = range(len(d))

    # Base candidates: who sat in the meeting, else the committee's pool over the act's date/window.
    att = ctx.rels["ATTENDED"][["src", "dst"]].drop_duplicates().rename(columns={"src": "expert_key", "dst": "meeting_id"})
    sat = d[d["meeting_id"].isin(set(att["meeting_id"]))].merge(att, on="meeting_id")
    rest = d[~d["meeting_id"].isin(set(att["meeting_id"]))]
    pool = ctx.rels["IN_POOL"].rename(columns={"src": "expert_key", "dst": "committee_id"})
    frompool = rest.merge(pool[["expert_key", "committee_id", "pool_from", "pool_to"]], on="committee_id")
    frompool = frompool[_covers(frompool, "pool_from", "pool_to")].drop(columns=["pool_from", "pool_to"])
    cand = pd.concat([sat, frompool], ignore_index=True).drop_duplicates(["_d", "expert_key"])

    # The application's specialty, where both it and the expert's pool record one.
    spec = pool.loc[pool["specialty"].notna(), ["expert_key", "committee_id", "specialty"]].drop_duplicates()
    has = spec[["expert_key", "committee_id"]].drop_duplicates().assign(_has=True)
    match = spec.assign(_match=True)
    cand = cand.merge(has, how="left", on=["expert_key", "committee_id"]).merge(
        match, how="left", on=["expert_key", "committee_id", "specialty"])
    keep = cand["specialty"].isna() | cand["_has"].isna() | cand["_match"].notna()

    # Lawful recusal shrinks the draw: self, same unit, kin, academic ties, as of the act.
    recuse = cand["expert_key"] == cand["applicant_key"]
    emp = ctx.employment[["person", "unit", "valid_from", "valid_to"]]
    pair = cand.loc[keep & ~recuse, ["_d", "expert_key", "applicant_key", "win_start", "win_end"]]
    e = pair.merge(emp.rename(columns={"person": "expert_key"}), on="expert_key")
    e = e[_covers(e, "valid_from", "valid_to")].drop(columns=["valid_from", "valid_to"])
    a = e.merge(emp.rename(columns={"person": "applicant_key"}), on=["applicant_key", "unit"])
    a = a[_covers(a, "valid_from", "valid_to")]
    bad = [a[["_d", "expert_key"]]]
    rel = ctx.rels["RELATED"]
    if len(rel):
        both = pd.concat([rel.rename(columns={"src": "expert_key", "dst": "applicant_key"}),
                          rel.rename(columns={"dst": "expert_key", "src": "applicant_key"})], ignore_index=True)
        t = pair.merge(both[["expert_key", "applicant_key", "relation", "category", "start", "end"]],
                       on=["expert_key", "applicant_key"])
        start = pd.to_datetime(t["start"])
        kin = (t["category"] == "kin") & _covers(t, "start", "end")
        acad = t["relation"].isin(ACADEMIC)
        coauth = (t["relation"] == "合著") & start.notna() & (start <= t["win_start"]) & (
            start.dt.year >= t["win_end"].dt.year - params["coauthor_years"])
        t = t[kin | acad | coauth]
        bad.append(t[["_d", "expert_key"]])
    flagged = cand[["_d", "expert_key"]].merge(pd.concat(bad).drop_duplicates().assign(_bad=True), how="left",
                                                on=["_d", "expert_key"])["_bad"]
    recuse |= pd.Series(flagged.notna().to_numpy(), index=cand.index)
    cand = cand[keep & ~recuse]

    # Those who acted are candidates whatever the filters say.
    did = acts.merge(d[DRAW + ["_d"]], on=DRAW, how="inner")
    did = did.sort_values(["act_file", "act_row"]).drop_duplicates(["_d", "expert_key"])
    did["application_id"] = did["application_key"].map(apps["application_id"])
    did["act"] = act_token(did["application_id"], did["act_file"], did["act_row"])
    actors = d.merge(did[["_d", "expert_key", "act"]], on="_d")
    out = pd.concat([cand[actors.columns.drop("act")], actors], ignore_index=True)
    out = out.sort_values("act", na_position="last").drop_duplicates(["_d", "expert_key"])
    out["observed"] = out["act"].notna().astype(int)
    out["c"] = out.groupby("_d")["expert_key"].transform("size")
    out["expert_id"] = out["expert_key"].map(expert_ids(ctx))
    return out.drop(columns=["_d"]).reset_index(drop=True)


def applicant_units(ctx: EmbeddedContext, d: pd.DataFrame) -> pd.DataFrame:
    """Attach the applicant's unit (rolled up) over the draw's date or whole window; one row per unit."""
    emp = ctx.employment[["person", "unit", "valid_from", "valid_to"]].rename(columns={"person": "applicant_key"})
    u = d.merge(emp, on="applicant_key")
    return u[_covers(u, "valid_from", "valid_to")].drop(columns=["valid_from", "valid_to"])
