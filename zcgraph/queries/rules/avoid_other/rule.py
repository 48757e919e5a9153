"""AVOID-OTHER: 前同事, 利害关系 or an unlisted relation (同学 only with count_classmates)."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.ties import holds_on_act, relation_facts, tie_path as path, tie_strength as strength  # noqa: F401



def facts(ctx, params):
    def keep(rel: pd.DataFrame) -> pd.Series:
        return rel["relation"].isin(["前同事", "利害关系", "其他"] + (["同学"] if params["count_classmates"] else []))

    def valid(f: pd.DataFrame) -> pd.Series:
        return holds_on_act(f)

    return relation_facts(ctx, keep, valid)
