"""PROC-PUBLICITY: the meeting's 公示 is empty while other meetings have one, or lasts fewer than
publicity_workdays working days (start and end both counted) by the mainland China calendar."""

from __future__ import annotations

from zcgraph.queries.ties import meeting_path as path  # noqa: F401 (hook)
from zcgraph.queries.workdays import short_publicity, shortfall as strength  # noqa: F401 (hook)


def facts(ctx, params):
    m = ctx.nodes["Meeting"]
    f = short_publicity(m[m["listed"].eq(True)], params["publicity_workdays"])
    return f[["meeting_id", "committee_id", "year", "publicity_start", "publicity_end", "workdays", "_file",
              "_row"]].rename(columns={"_file": "meeting_file", "_row": "meeting_row"})


def text_fields(rows):
    r = rows[0]
    if r["workdays"] is None:
        return {"problem": "没有评审结果公示日期,而其他评审会议均有"}
    return {"problem": f"的评审结果公示从{r['publicity_start']}到{r['publicity_end']},只有{r['workdays']}个工作日"}
