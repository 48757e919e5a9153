"""GOV-CREDENTIAL: the expert's recorded title level is contradicted by their own applications: they applied for
that level in or after the year they joined the pool, or applied for it and never passed at it."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.leads import mask_key, step
from zcgraph.queries.ties import person_cols


def facts(ctx, params):
    pool = ctx.rels["IN_POOL"].reindex(columns=["src", "expert_id", "title_level", "pool_from", "_file", "_row"])
    pool = pool[pool["title_level"].notna()]
    a = ctx.applications[["application_key", "application_id", "year", "applicant_key", "level", "result"]]
    f = pool.merge(a, left_on=["src", "title_level"], right_on=["applicant_key", "level"])
    passed = set(zip(a.loc[a["result"] == "通过", "applicant_key"], a.loc[a["result"] == "通过", "level"]))
    f["passed"] = [(p, lv) in passed for p, lv in zip(f["src"], f["title_level"])]
    f["later"] = pd.to_datetime(f["pool_from"]).notna() & (f["year"] >= pd.to_datetime(f["pool_from"]).dt.year)
    f = f[f["later"] | ~f["passed"]]
    f = f.rename(columns={"src": "expert_key", "_file": "pool_file", "_row": "pool_row"})
    f = person_cols(f, ctx, "expert_key", "expert")
    return f[["expert_id", "expert_key", "expert_name", "expert_id_number", "title_level", "pool_from", "application_id",
              "year", "result", "later", "passed", "pool_file", "pool_row"]]


def strength(rows):
    return len({r["application_id"] for r in rows}) / 2


def related(rows):
    return [r["application_id"] for r in rows]


def text_fields(rows):
    later = sorted({f"{r['year']}年申报{r['title_level']}({r['application_id']})" for r in rows if r["later"]})
    never = not any(r["passed"] for r in rows)
    parts = ([f"入库后仍于{'、'.join(later)}"] if later else []) + (["从未通过该级别评审"] if never else [])
    return {"problem": ",".join(parts)}


def path(rows, reveal):
    r = rows[0]
    return [step("Person", mask_key(r["expert_key"], reveal), "IN_POOL", title_level=r["title_level"],
                 source_file=r["pool_file"], source_row=r["pool_row"]),
            step("Person", mask_key(r["expert_key"], reveal), "APPLIED"),
            step("Application", r["application_id"])]
