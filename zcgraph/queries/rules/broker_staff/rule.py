"""BROKER-STAFF: a staff member (a person who handled applications) is tied to an intermediary."""

from __future__ import annotations


from zcgraph.queries.brokers import LICENSED, ties
from zcgraph.queries.leads import mask_key, step


def severity(rows, default):
    """A tie to a licensed 人事代理/人才服务 agency is context: one band lower."""
    if rows[0].get("intermediary_kind") in LICENSED:
        return {"高": "中", "中": "低", "低": "低"}[default]
    return default


def text_fields(rows):
    via = {"agent": "代理申报", "link": "关联线索", "legal_rep": "法定代表人", "contact": "共用联系方式"}
    return {"vias": "、".join(sorted({via[r["via"]] for r in rows}))}


def facts(ctx, params):
    staff = ctx.rels["HANDLED"][["src", "staff_id"]].drop_duplicates().rename(columns={"src": "staff_key"})
    return staff.merge(ties(ctx), left_on="staff_key", right_on="person_key").drop(columns=["person_key"])


def strength(rows):
    return len({r["via"] for r in rows}) / 2


def path(rows, reveal):
    r = rows[0]
    return [step("Person", mask_key(r["staff_key"], reveal), r["via"].upper(), since=r["since"],
                 source_file=r["tie_file"], source_row=r["tie_row"]),
            step("Intermediary", r["intermediary_id"])]
