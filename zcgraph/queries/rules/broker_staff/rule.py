"""BROKER-STAFF: a staff member (a person who handled applications) is tied to an intermediary."""

from __future__ import annotations

from zcgraph.queries.brokers import severity, text_fields, ties, via_rel  # noqa: F401 (hooks)
from zcgraph.queries.leads import mask_key, step


def facts(ctx, params):
    staff = ctx.rels["HANDLED"][["src", "staff_id"]].drop_duplicates().rename(columns={"src": "staff_key"})
    return staff.merge(ties(ctx), left_on="staff_key", right_on="person_key").drop(columns=["person_key"])


def strength(rows):
    return len({r["via"] for r in rows}) / 2


def path(rows, reveal):
    r = rows[0]
    return [step("Person", mask_key(r["staff_key"], reveal), via_rel(r["via"]), since=r["since"],
                 source_file=r["tie_file"], source_row=r["tie_row"]),
            step("Intermediary", r["intermediary_id"])]
