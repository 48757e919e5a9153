"""PROC-CONDUCT: training_held or closed_management recorded as 否 (empty is not a finding)."""

from __future__ import annotations

from zcgraph.queries.ties import meeting_path as path  # noqa: F401 (hook)


def facts(ctx, params):
    m = ctx.nodes["Meeting"]
    no_training = m["training_held"].eq(False).fillna(False) if "training_held" in m else False
    not_closed = m["closed_management"].eq(False).fillna(False) if "closed_management" in m else False
    f = m.assign(no_training=no_training, not_closed=not_closed)
    f = f[f["no_training"] | f["not_closed"]]
    return f[["meeting_id", "committee_id", "year", "no_training", "not_closed", "_file", "_row"]].rename(
        columns={"_file": "meeting_file", "_row": "meeting_row"})


def strength(rows):
    r = rows[0]
    return (int(r["no_training"]) + int(r["not_closed"])) / 2


def text_fields(rows):
    r = rows[0]
    return {"problems": "、".join((["未进行会前培训"] if r["no_training"] else []) + (["未实行封闭管理"] if r["not_closed"] else []))}
