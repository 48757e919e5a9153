"""AVOID-SELF: the expert is the applicant (same person after identity resolution)."""

from __future__ import annotations

from zcgraph.queries.leads import mask_key, step
from zcgraph.queries.ties import acts_frame, named

FULL_SEVERITY_FOR_ALL_ACTS = True


def facts(ctx, params):
    a = acts_frame(ctx, include_self=True)
    return named(ctx, a[a["expert_key"] == a["applicant_key"]].reset_index(drop=True))


def strength(rows):
    return len({(r["act_file"], r["act_row"]) for r in rows if r["act"] == "direct"}) / 2


def path(rows, reveal):
    r = rows[0]
    return [step("Person", mask_key(r["expert_key"], reveal), "REVIEWED", stage=r["stage"], on=r["on"],
                 source_file=r["act_file"], source_row=r["act_row"]),
            step("Application", r["application_key"], "APPLIED", direction="in"),
            step("Person", mask_key(r["applicant_key"], reveal))]
