"""GOV-OUT-OF-POOL: an expert sat in or acted at a meeting of a committee whose pool did not hold them on that
date (for an undated act: at no time in its window). Acts without a meeting, or at a meeting whose committee is not known, are not
judged here."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.leads import mask_key, step
from zcgraph.queries.ties import person_cols


def facts(ctx, params):
    f = ctx.seats
    f = f[f["committee_id"].notna()]  # a meeting the meetings table does not list has no known committee
    pool = ctx.rels["IN_POOL"].reindex(columns=["src", "dst", "pool_from", "pool_to"])
    j = f.reset_index().merge(pool.rename(columns={"src": "expert_key", "dst": "committee_id"}),
                              on=["expert_key", "committee_id"])
    start, end = pd.to_datetime(j["pool_from"]), pd.to_datetime(j["pool_to"])
    held = j[(start.isna() | (start <= j["win_end"])) & (end.isna() | (j["win_start"] <= end))]["index"]
    f = f.drop(index=set(held))
    return person_cols(f, ctx, "expert_key", "expert")


def strength(rows):
    return len({(r["act_file"], r["act_row"]) for r in rows}) / 3


def text_fields(rows):
    return {"hows": "、".join(sorted({r["how"] for r in rows}))}


def path(rows, reveal):
    r = rows[0]
    return [step("Person", mask_key(r["expert_key"], reveal), "ATTENDED" if r["how"] == "出席" else "REVIEWED",
                 on=r["on"], source_file=r["act_file"], source_row=r["act_row"]),
            step("Meeting", r["meeting_id"], "OF_COMMITTEE"),
            step("Committee", r["committee_id"])]
