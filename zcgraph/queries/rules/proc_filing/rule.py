"""PROC-FILING: 备案 empty while other meetings have one, or more than filing_days after the 公示 ended."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.ties import meeting_path as path  # noqa: F401 (hook)


def facts(ctx, params):
    m = ctx.nodes["Meeting"]
    m = m[m["listed"].eq(True)]
    filed, end = pd.to_datetime(m["filed_on"]), pd.to_datetime(m["publicity_end"])
    others = bool(filed.notna().any())
    late = filed.notna() & end.notna() & (filed > end + pd.Timedelta(days=params["filing_days"]))
    f = m[(filed.isna() & others) | late].copy()
    f["days"] = (pd.to_datetime(f["filed_on"]) - pd.to_datetime(f["publicity_end"])).dt.days.where(f["filed_on"].notna())
    return f[["meeting_id", "committee_id", "year", "filed_on", "publicity_end", "days", "_file", "_row"]].rename(
        columns={"_file": "meeting_file", "_row": "meeting_row"})


def strength(rows):
    r = rows[0]
    return 1.0 if r["days"] is None else r["days"] / 90


def text_fields(rows):
    r = rows[0]
    if r["filed_on"] is None:
        return {"problem": "没有备案日期,而其他评审会议均有"}
    return {"problem": f"公示于{r['publicity_end']}结束,{r['filed_on']}才备案,相隔{r['days']}天"}
