"""PAIR-DESIGNATED: a review recorded as 指定, or a seat recorded as 指定 rather than 随机抽取 (not the appointed
主任委员 / 副主任委员). A review is keyed by (application, expert), a seat by (meeting, expert)."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.leads import mask_key, step
from zcgraph.queries.ties import person_cols


def facts(ctx, params):
    rv = ctx.rels["REVIEWED"]
    rv = rv[rv["assignment"] == "指定"]
    app = ctx.nodes["Application"].set_index("application_key")
    reviews = pd.DataFrame({
        "key_application": rv["dst"], "key_meeting": None, "application_id": rv["dst"].map(app["application_id"]),
        "year": rv["dst"].map(app["year"]), "expert_id": rv["expert_id"], "expert_key": rv["src"],
        "stage": rv["stage"], "meeting_id": rv["meeting_id"], "role": None, "record_file": rv["_file"],
        "record_row": rv["_row"]})
    at = ctx.rels["ATTENDED"].reindex(columns=["src", "dst", "expert_id", "role", "selection", "_file", "_row"])
    at = at[(at["selection"] == "指定") & ~at["role"].isin(["主任委员", "副主任委员"])]
    years = ctx.meetings["year"] if "year" in ctx.meetings else pd.Series(dtype=object)
    seats = pd.DataFrame({
        "key_application": None, "key_meeting": at["dst"], "application_id": None, "year": at["dst"].map(years),
        "expert_id": at["expert_id"], "expert_key": at["src"], "stage": None, "meeting_id": at["dst"],
        "role": at["role"], "record_file": at["_file"], "record_row": at["_row"]})
    f = pd.concat([reviews, seats], ignore_index=True)
    return person_cols(f, ctx, "expert_key", "expert")


def text_fields(rows):
    r = rows[0]
    if r["key_application"]:
        return {"what": f"对申报{r['application_id']}的{r['stage'] or '评审'}记录为“指定”分配,而非随机分配"}
    return {"what": f"在评审会议{r['meeting_id']}的席位({r['role'] or '委员'})记录为“指定”,而非随机抽取"}


def path(rows, reveal):
    r = rows[0]
    if r["key_application"]:
        return [step("Person", mask_key(r["expert_key"], reveal), "REVIEWED", assignment="指定", stage=r["stage"],
                     source_file=r["record_file"], source_row=r["record_row"]),
                step("Application", r["key_application"])]
    return [step("Person", mask_key(r["expert_key"], reveal), "ATTENDED", selection="指定", role=r["role"],
                 source_file=r["record_file"], source_row=r["record_row"]),
            step("Meeting", r["key_meeting"])]
