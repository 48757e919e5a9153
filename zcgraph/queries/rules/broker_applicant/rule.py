"""BROKER-APPLICANT: the applicant (or this application's own record) is tied to an intermediary on the
application's meeting date."""

from __future__ import annotations

from zcgraph.queries.frames import lookup
from zcgraph.queries.brokers import application_dates, severity, text_fields, ties, via_rel  # noqa: F401 (hooks)
from zcgraph.queries.leads import mask_key, step
from zcgraph.queries.ties import person_cols


def facts(ctx, params):
    t = ties(ctx)
    a = ctx.applications[["application_key", "application_id", "year", "applicant_key"]]
    a = a.assign(on=lookup(a["application_key"], application_dates(ctx)))
    f = a.merge(t, left_on="applicant_key", right_on="person_key").drop(columns=["person_key"])
    f = f[f["since"].isna() | (f["since"] <= f["on"])]
    return person_cols(f, ctx, "applicant_key", "applicant")


def strength(rows):
    return len({r["via"] for r in rows}) / 2


def path(rows, reveal):
    r = rows[0]
    return [step("Application", r["application_key"], "APPLIED", direction="in"),
            step("Person", mask_key(r["applicant_key"], reveal), via_rel(r["via"]), since=r["since"],
                 source_file=r["tie_file"], source_row=r["tie_row"]),
            step("Intermediary", r["intermediary_id"])]
