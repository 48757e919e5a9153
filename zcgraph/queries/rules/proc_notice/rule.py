"""PROC-NOTICE: the annual notice is empty while other meetings have one, or dated after the meeting."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.ties import meeting_path as path  # noqa: F401 (hook)


def facts(ctx, params):
    m = ctx.nodes["Meeting"]
    m = m[m["listed"].eq(True)]
    notice, held = pd.to_datetime(m["notice_published_on"]), pd.to_datetime(m["held_on"])
    f = m[(notice.isna() & bool(notice.notna().any())) | (notice.notna() & held.notna() & (notice > held))]
    return f[["meeting_id", "committee_id", "year", "notice_published_on", "held_on", "_file", "_row"]].rename(
        columns={"_file": "meeting_file", "_row": "meeting_row"})


def text_fields(rows):
    r = rows[0]
    if r["notice_published_on"] is None:
        return {"problem": "没有年度评审通知发布日期,而其他评审会议均有"}
    return {"problem": f"的年度评审通知{r['notice_published_on']}才发布,晚于{r['held_on']}的会议"}
