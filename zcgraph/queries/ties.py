"""Shared pieces of the 回避 rules: acts joined to applicants, relations as of the act, paths."""

from __future__ import annotations

from typing import Any, Callable

import pandas as pd

from .context import EmbeddedContext
from .leads import mask_key, step

__all__ = ["acts_frame", "named", "relation_facts", "tie_path", "tie_strength", "person_cols", "declared_mask",
           "application_path", "meeting_path"]

ACT_OUT = ["application_key", "application_id", "year", "applicant_key", "applicant_name", "applicant_id_number",
           "expert_key", "expert_id", "expert_name", "expert_id_number", "act", "stage", "on", "win_start", "win_end",
           "meeting_id", "act_file", "act_row"]


def person_cols(df: pd.DataFrame, ctx: EmbeddedContext, key_col: str, prefix: str) -> pd.DataFrame:
    p = ctx.persons[["name", "id_number"]]
    return df.assign(**{f"{prefix}_name": df[key_col].map(p["name"]),
                        f"{prefix}_id_number": df[key_col].map(p["id_number"])})


def declared_mask(ctx: EmbeddedContext, acts: pd.DataFrame) -> pd.Series:
    """True where a recusal is recorded for this expert in this meeting (for this application, or all)."""
    rc = ctx.recusals
    whole = rc.loc[rc["application_key"].isna(), ["expert_key", "meeting_id"]].drop_duplicates().assign(_w=True)
    one = rc.loc[rc["application_key"].notna(), ["expert_key", "meeting_id", "application_key"]].drop_duplicates() \
        .assign(_o=True)
    m = acts[["expert_key", "meeting_id", "application_key"]].merge(whole, how="left", on=["expert_key", "meeting_id"]) \
        .merge(one, how="left", on=["expert_key", "meeting_id", "application_key"])
    return pd.Series((m["_w"].notna() | m["_o"].notna()).to_numpy(), index=acts.index)


def acts_frame(ctx: EmbeddedContext, include_self: bool = False) -> pd.DataFrame:
    """Acts with their applicant; names are added by :func:`named` once the facts are few."""
    a = ctx.acts_with_applicant
    if not include_self:
        other = a["expert_key"] != a["applicant_key"]
        if not other.all():  # a copy of millions of acts only when there is something to leave out
            a = a[other]
    return a


def named(ctx: EmbeddedContext, f: pd.DataFrame) -> pd.DataFrame:
    """Add the applicant's and the expert's names and id numbers (for masked display) and order the columns."""
    f = person_cols(person_cols(f, ctx, "applicant_key", "applicant"), ctx, "expert_key", "expert")
    first = [c for c in ACT_OUT if c in f.columns]
    return f[first + [c for c in f.columns if c not in first]]


def relation_facts(ctx: EmbeddedContext, keep_relation: Callable[[pd.DataFrame], pd.Series],
                   valid: Callable[[pd.DataFrame], pd.Series]) -> pd.DataFrame:
    """Acts on a relative's (student's, ...) application, without a recorded recusal.

    ``keep_relation`` selects the relations; ``valid`` decides, per act x relation row, whether the
    relation held for the act (its date, or its whole undated window).
    """
    rel = ctx.rels["RELATED"]
    rel = rel[keep_relation(rel)]
    both = pd.concat([rel.rename(columns={"src": "expert_key", "dst": "applicant_key"}),
                      rel.rename(columns={"dst": "expert_key", "src": "applicant_key"})], ignore_index=True)
    both = both.rename(columns={"start": "relation_start", "end": "relation_end", "_file": "relation_file",
                                "_row": "relation_row"})
    cols = ["expert_key", "applicant_key", "relation", "relation_start", "relation_end", "relation_file", "relation_row"]
    # From the few relations to the acts they touch (a province has millions of acts and a handful of relations);
    # recusal is then tested on those acts only.
    acts = acts_frame(ctx)
    acts = acts[acts["expert_key"].isin(both["expert_key"])]
    f = acts.merge(both[cols], on=["expert_key", "applicant_key"])
    if len(f):
        f = f[~declared_mask(ctx, f)]
    if f.empty:
        return named(ctx, f.reset_index(drop=True))
    return named(ctx, f[valid(f)].reset_index(drop=True))


def holds_on_act(f: pd.DataFrame) -> pd.Series:
    """A dated relation holds on the act's date, or across the whole window of an undated act."""
    start = pd.to_datetime(f["relation_start"])
    end = pd.to_datetime(f["relation_end"])
    return (start.isna() | (start <= f["win_start"])) & (end.isna() | (f["win_end"] <= end))


def tie_path(rows: list[dict[str, Any]], reveal: bool) -> list[dict[str, Any]]:
    r = rows[0]
    return [
        step("Person", mask_key(r["expert_key"], reveal), "REVIEWED", stage=r.get("stage"), on=r.get("on"),
             meeting_id=r.get("meeting_id"), source_file=r.get("act_file"), source_row=r.get("act_row")),
        step("Application", r["application_key"], "APPLIED", direction="in"),
        step("Person", mask_key(r["applicant_key"], reveal), "RELATED", relation=r.get("relation"),
             source_file=r.get("relation_file"), source_row=r.get("relation_row")),
        step("Person", mask_key(r["expert_key"], reveal)),
    ]


def tie_strength(rows: list[dict[str, Any]]) -> float:
    """Independent ties plus direct acts, out of four."""
    ties = {(r.get("relation"), r.get("relation_file"), r.get("relation_row")) for r in rows}
    direct = {(r.get("act_file"), r.get("act_row")) for r in rows if r.get("act") == "direct"}
    return (len(ties) + len(direct)) / 4


def application_path(rows: list[dict[str, Any]], reveal: bool, rel: str, label: str, key: str) -> list[dict[str, Any]]:
    """Applicant → application (its own record) → the committee or meeting the finding is about."""
    r = rows[0]
    return [step("Person", mask_key(r["applicant_key"], reveal), "APPLIED"),
            step("Application", r["application_key"], rel, source_file=r["application_file"],
                 source_row=r["application_row"]),
            step(label, r[key])]


def meeting_path(rows: list[dict[str, Any]], reveal: bool) -> list[dict[str, Any]]:
    """A finding about a meeting's own record: that record, with its file and row."""
    r = rows[0]
    return [step("Meeting", r["meeting_id"], None, source_file=r["meeting_file"], source_row=r["meeting_row"])]


# --------------------------------------------------------------------------- leads at the grain of a decision
# AVOID-UNIT and AVOID-FORMER-UNIT are one decision per expert, unit and meeting (rules.md, Grain and volume): an
# expert who did not leave the room for a unit's applications. Their facts stay one row per act on both
# backends; these hooks group them above the backends, so both group alike.

SHOWN_APPLICATIONS = 10  # the evidence sentence names this many; related_ids and the path carry every one


def meeting_key(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The lead key's meeting: the act's meeting, else its evaluation year (an act recorded without a meeting)."""
    return [{**r, "meeting_key": r.get("meeting_id") or f"{r.get('year')}年度"} for r in rows]


def grouped_strength(rows: list[dict[str, Any]]) -> float:
    """The applications and the direct acts among them, over four (one application reviewed once: 0.5)."""
    apps = {r["application_key"] for r in rows}
    direct = {(r["act_file"], r["act_row"]) for r in rows if r["act"] == "direct"}
    return (len(apps) + len(direct)) / 4


def grouped_text(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The meeting and every application with its acts and dates, for the evidence sentence."""
    per: dict[str, dict[str, set[str]]] = {}
    for r in rows:
        a = per.setdefault(str(r.get("application_id") or r["application_key"]), {"stages": set(), "dates": set()})
        a["stages"].add(str(r.get("stage") or ""))
        a["dates"].add(str(r.get("on") or f"{r.get('win_start')}至{r.get('win_end')}"))
    items = [f"{k}({'、'.join(sorted(s for s in v['stages'] if s))},{'、'.join(sorted(v['dates']))})"
             for k, v in sorted(per.items())]
    shown = "、".join(items[:SHOWN_APPLICATIONS]) + (f"等{len(items)}件,全部见关联编号" if len(items) > SHOWN_APPLICATIONS
                                                     else "")
    r = rows[0]
    meeting = f"评审会议{r['meeting_id']}" if r.get("meeting_id") else f"{r.get('year')}年度未注明会议的评审"
    return {"meeting": meeting, "n_applications": len(items), "application_acts": shown}


def grouped_related(rows: list[dict[str, Any]]) -> list[str]:
    return sorted({str(r.get("application_id") or r["application_key"]) for r in rows})


def grouped_path(rows: list[dict[str, Any]], reveal: bool,
                 tie: Callable[[dict[str, Any], bool], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Every act as its own link (expert -REVIEWED-> application <-APPLIED- applicant), then the tie to the unit."""
    out: list[dict[str, Any]] = []
    for r in sorted(rows, key=lambda x: (str(x.get("application_id")), str(x.get("on")), str(x.get("stage")))):
        out += [step("Person", mask_key(r["expert_key"], reveal), "REVIEWED", stage=r["stage"], on=r["on"],
                     source_file=r["act_file"], source_row=r["act_row"]),
                step("Application", r["application_key"], "APPLIED", direction="in")]
        out += tie(r, reveal)
    return out
