"""AVOID-ACADEMIC: supervisor/student at any time; co-authorship within coauthor_years before the act."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.ties import holds_on_act, relation_facts, tie_path as path, tie_strength as strength  # noqa: F401



def facts(ctx, params):
    def keep(rel: pd.DataFrame) -> pd.Series:
        return rel["relation"].isin(["导师", "学生", "师生", "合著"])

    def valid(f: pd.DataFrame) -> pd.Series:
        return (f["relation"] != "合著") | (
            pd.to_datetime(f["relation_start"]).notna()
            & (pd.to_datetime(f["relation_start"]) <= f["win_start"])
            & (pd.to_datetime(f["relation_start"]).dt.year >= f["win_end"].dt.year - params["coauthor_years"]))

    return relation_facts(ctx, keep, valid)
