"""What embedded rules join on: the store's tables plus derived frames (acts, persons, meetings).

Acts follow rules.md's common ground: a 审阅/答辩 row is a direct act, a 投票 row a
vote, and sitting in a meeting that has no vote rows at all but has review rows
and recorded recusals, without a recusal of one's own, is an attendance act on
every application decided there. The act date is
``reviewed_on``, else the meeting's ``held_on``; an undated act holds the window
from 1 January of its evaluation year to 30 June of the next.
"""

from __future__ import annotations

from functools import cached_property

import pandas as pd

from ..graph.store import Store

__all__ = ["EmbeddedContext"]

ACT_COLUMNS = ["expert_key", "expert_id", "application_key", "meeting_id", "act", "stage", "on", "win_start",
               "win_end", "act_file", "act_row"]


class EmbeddedContext:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.nodes = store.nodes
        self.rels = store.rels

    @cached_property
    def applications(self) -> pd.DataFrame:
        """Applications with their applicant person (one row per application)."""
        a = self.nodes["Application"]
        ap = self.rels["APPLIED"][["src", "dst"]].rename(columns={"src": "applicant_key", "dst": "application_key"})
        return a.merge(ap, on="application_key", how="left")

    @cached_property
    def persons(self) -> pd.DataFrame:
        return self.nodes["Person"].set_index("person_key")

    @cached_property
    def meetings(self) -> pd.DataFrame:
        return self.nodes["Meeting"].set_index("meeting_id")

    @cached_property
    def recusals(self) -> pd.DataFrame:
        r = self.rels["RECUSED"]
        cols = ["src", "dst", "application_key", "initiated_by", "requested_on", "reason", "_file", "_row"]
        return r.reindex(columns=cols).rename(columns={"src": "expert_key", "dst": "meeting_id"})

    @cached_property
    def acts(self) -> pd.DataFrame:
        """Every act of an expert on an application, with its date (or undated window)."""
        rv = self.rels["REVIEWED"]
        held = (self.meetings["held_on"].dropna().to_dict() if "held_on" in self.meetings else {})
        direct = pd.DataFrame({
            "expert_key": rv["src"], "expert_id": rv["expert_id"], "application_key": rv["dst"],
            "meeting_id": rv["meeting_id"], "act": rv["stage"].map(lambda s: "vote" if s == "投票" else "direct"),
            "stage": rv["stage"], "on": pd.to_datetime(rv["reviewed_on"]).where(
                rv["reviewed_on"].notna(), pd.to_datetime(rv["meeting_id"].map(held))),
            "act_file": rv["_file"], "act_row": rv["_row"]})
        att = self.rels["ATTENDED"].reindex(columns=["src", "dst", "expert_id", "_file", "_row"])
        dec = self.rels["DECIDED_IN"][["src", "dst"]].rename(columns={"src": "application_key", "dst": "meeting_id"})
        secret = set(self.meetings.index[self.meetings["attendance_acts"].astype(bool)])
        sat = att[att["dst"].isin(secret)].rename(columns={"src": "expert_key", "dst": "meeting_id"})
        at = sat.merge(dec, on="meeting_id")
        if len(at):
            rc = self.recusals
            whole = set(zip(rc.loc[rc["application_key"].isna(), "expert_key"], rc.loc[rc["application_key"].isna(), "meeting_id"]))
            one = set(zip(rc["expert_key"], rc["meeting_id"], rc["application_key"]))
            keep = [(e, m) not in whole and (e, m, a) not in one
                    for e, m, a in zip(at["expert_key"], at["meeting_id"], at["application_key"])]
            at = at[keep]
        attendance = pd.DataFrame({
            "expert_key": at["expert_key"], "expert_id": at["expert_id"], "application_key": at["application_key"],
            "meeting_id": at["meeting_id"], "act": "attendance", "stage": "出席",
            "on": pd.to_datetime(at["meeting_id"].map(held)), "act_file": at["_file"], "act_row": at["_row"]})
        acts = pd.concat([direct, attendance], ignore_index=True)
        years = acts["application_key"].map(self.nodes["Application"].set_index("application_key")["year"])
        undated = acts["on"].isna()
        acts["win_start"] = acts["on"]
        acts["win_end"] = acts["on"]
        y = years[undated].astype("Int64")
        acts.loc[undated, "win_start"] = pd.to_datetime(y.astype(str) + "-01-01", errors="coerce")
        acts.loc[undated, "win_end"] = pd.to_datetime((y + 1).astype(str) + "-06-30", errors="coerce")
        return acts[ACT_COLUMNS]

    @cached_property
    def acts_with_applicant(self) -> pd.DataFrame:
        app = self.applications[["application_key", "application_id", "year", "applicant_key"]]
        return self.acts.merge(app, on="application_key", how="left")

    @cached_property
    def seats(self) -> pd.DataFrame:
        """Every time an expert sat in (出席) or acted at (审阅/答辩/投票) a meeting, with its date or undated window."""
        m = self.meetings
        held = m["held_on"].dropna().to_dict() if "held_on" in m else {}
        years = m["year"].dropna().to_dict() if "year" in m else {}
        att = self.rels["ATTENDED"].reindex(columns=["src", "dst", "expert_id", "_file", "_row"])
        rv = self.rels["REVIEWED"]
        rv = rv[rv["meeting_id"].notna() & rv["meeting_id"].isin(set(m.index))]
        f = pd.concat([
            pd.DataFrame({"expert_key": att["src"], "meeting_id": att["dst"], "expert_id": att["expert_id"], "how": "出席",
                          "on": pd.to_datetime(att["dst"].map(held)), "act_file": att["_file"], "act_row": att["_row"]}),
            pd.DataFrame({"expert_key": rv["src"], "meeting_id": rv["meeting_id"], "expert_id": rv["expert_id"],
                          "how": rv["stage"].fillna("评审"), "on": pd.to_datetime(rv["reviewed_on"]).where(
                              rv["reviewed_on"].notna(), pd.to_datetime(rv["meeting_id"].map(held))),
                          "act_file": rv["_file"], "act_row": rv["_row"]})], ignore_index=True)
        y = f["meeting_id"].map(years).astype("Int64")
        f["win_start"] = f["on"].where(f["on"].notna(), pd.to_datetime(y.astype(str) + "-01-01", errors="coerce"))
        f["win_end"] = f["on"].where(f["on"].notna(), pd.to_datetime((y + 1).astype(str) + "-06-30", errors="coerce"))
        f["committee_id"] = f["meeting_id"].map(m["committee_id"])
        f["year"] = f["meeting_id"].map(years)
        return f[f["win_start"].notna()]

    @cached_property
    def employment(self) -> pd.DataFrame:
        """Effective employment (history beats a stale employer column), rolled up to the unit that counts."""
        w = self.rels["WORKS_AT"]
        w = w[w["effective"].astype(bool)]
        units = self.nodes["Unit"].set_index("unit_key")
        return pd.DataFrame({"person": w["src"], "unit": w["dst"].map(units["rollup_key"]),
                             "valid_from": pd.to_datetime(w["valid_from"]), "valid_to": pd.to_datetime(w["valid_to"]),
                             "emp_file": w["_file"], "emp_row": w["_row"]})

    @cached_property
    def unit_names(self) -> pd.Series:
        return self.nodes["Unit"].set_index("unit_key")["name"]
