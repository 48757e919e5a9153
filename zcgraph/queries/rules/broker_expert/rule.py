"""BROKER-EXPERT: an expert (a person in any committee's pool) is tied to an intermediary."""

from __future__ import annotations

from zcgraph.queries.brokers import severity, text_fields, ties, via_rel  # noqa: F401 (hooks)
from zcgraph.queries.leads import mask_key, step
from zcgraph.queries.ties import person_cols


def facts(ctx, params):
    pool = ctx.rels["IN_POOL"][["src", "expert_id"]].drop_duplicates().rename(columns={"src": "expert_key"})
    f = pool.merge(ties(ctx), left_on="expert_key", right_on="person_key").drop(columns=["person_key"])
    return person_cols(f, ctx, "expert_key", "expert")


def strength(rows):
    return len({r["via"] for r in rows}) / 2


def path(rows, reveal):
    r = rows[0]
    return [step("Person", mask_key(r["expert_key"], reveal), via_rel(r["via"]), since=r["since"],
                 source_file=r["tie_file"], source_row=r["tie_row"]),
            step("Intermediary", r["intermediary_id"])]
