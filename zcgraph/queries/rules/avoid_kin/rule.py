"""AVOID-KIN: an expert acted on a relative's application (every act at full severity)."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.ties import holds_on_act, relation_facts, tie_path as path, tie_strength as strength  # noqa: F401

FULL_SEVERITY_FOR_ALL_ACTS = True


def facts(ctx, params):
    def keep(rel: pd.DataFrame) -> pd.Series:
        return rel["category"] == "kin"

    def valid(f: pd.DataFrame) -> pd.Series:
        return holds_on_act(f)

    return relation_facts(ctx, keep, valid)
