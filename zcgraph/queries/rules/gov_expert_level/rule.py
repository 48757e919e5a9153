"""GOV-EXPERT-LEVEL: an expert whose recorded title level (the highest of their pool records) is below the level of
an application they acted on (review or vote at a meeting); the lead lists those applications."""

from __future__ import annotations

import pandas as pd

from zcgraph.loaders.normalize import LEVEL_ORDER
from zcgraph.queries.leads import mask_key, step
from zcgraph.queries.ties import person_cols

NAMES = {v: k for k, v in LEVEL_ORDER.items()}


def facts(ctx, params):
    pool = ctx.rels["IN_POOL"].reindex(columns=["src", "title_level"])
    rank = pool.assign(rank=pool["title_level"].map(LEVEL_ORDER)).groupby("src")["rank"].max()
    r = ctx.rels["REVIEWED"]
    app = ctx.nodes["Application"].set_index("application_key")
    f = pd.DataFrame({"expert_id": r["expert_id"], "expert_key": r["src"], "meeting_id": r["meeting_id"],
                      "year": r["dst"].map(app["year"]), "application_id": r["dst"].map(app["application_id"]),
                      "level": r["dst"].map(app["level"]), "rank": r["src"].map(rank), "stage": r["stage"],
                      "act_file": r["_file"], "act_row": r["_row"]})
    f = f[f["meeting_id"].notna() & f["level"].notna() & f["rank"].notna()]
    f = f[f["rank"] < f["level"].map(LEVEL_ORDER)]
    return person_cols(f, ctx, "expert_key", "expert")


def strength(rows):
    return len({r["application_id"] for r in rows}) / 5


def related(rows):
    return [r["application_id"] for r in rows]


def text_fields(rows):
    apps = sorted({r["application_id"] for r in rows})
    return {"expert_level": NAMES.get(int(rows[0]["rank"]), "?"), "n": len(apps),
            "levels": "、".join(sorted({r["level"] for r in rows})), "apps": "、".join(apps[:5]) + ("等" if len(apps) > 5 else "")}


def path(rows, reveal):
    r = rows[0]
    return [step("Person", mask_key(r["expert_key"], reveal), "REVIEWED", stage=r["stage"], source_file=r["act_file"],
                 source_row=r["act_row"]), step("Application", r["application_id"], None, level=r["level"])]
