"""Complaint deadlines, shared by the SUPERVISE rules' embedded side (信访工作条例: 60 days, 30 more if extended)."""

from __future__ import annotations

import pandas as pd

from .context import EmbeddedContext

__all__ = ["complaints"]


def complaints(ctx: EmbeddedContext, params: dict) -> pd.DataFrame:
    """Complaints with their deadline and whether they were overdue as of the as-of date."""
    c = ctx.nodes["Complaint"].copy()
    start = pd.to_datetime(c["accepted_on"]).where(c["accepted_on"].notna(), pd.to_datetime(c["received_on"]))
    days = params["complaint_days"] + c["extended"].eq(True).fillna(False).astype(int) * params["extension_days"]
    c["deadline"] = start + pd.to_timedelta(days, unit="D")
    answered = pd.to_datetime(c["responded_on"])
    as_of = pd.Timestamp(params["as_of"])
    c["overdue"] = start.notna() & ((answered.isna() & (as_of > c["deadline"])) | (answered.notna() & (answered > c["deadline"])))
    return c
