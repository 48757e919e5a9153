"""AVOID-UNIT: expert and applicant worked for the same unit on the date of the act (内设机构 roll up; employment
history beats a stale employer column; an undated act needs the same unit across its whole window). One lead per
expert, rolled-up unit and meeting (an act without a meeting: per evaluation year), listing every application of
that unit the expert acted on there; severity by the strongest act, strength by applications and direct acts."""

from __future__ import annotations

from zcgraph.queries.leads import mask_key, step
from zcgraph.queries.ties import (acts_frame, declared_mask, grouped_path, grouped_related as related,  # noqa: F401
                                  grouped_strength as strength, grouped_text, meeting_key as prepare, named)


def covers(df, prefix=""):
    f, t = df[prefix + "valid_from"], df[prefix + "valid_to"]
    return (f.isna() | (f <= df["win_start"])) & (t.isna() | (df["win_end"] <= t))


def facts(ctx, params):
    acts = acts_frame(ctx)
    acts = acts[~declared_mask(ctx, acts)]
    emp = ctx.employment
    e = acts.merge(emp.rename(columns={"person": "expert_key", "emp_file": "expert_emp_file",
                                       "emp_row": "expert_emp_row"}), on="expert_key")
    e = e[covers(e)].drop(columns=["valid_from", "valid_to"])
    a = e.merge(emp.rename(columns={"person": "applicant_key", "emp_file": "applicant_emp_file",
                                    "emp_row": "applicant_emp_row"}), on=["applicant_key", "unit"])
    a = a[covers(a)].drop(columns=["valid_from", "valid_to"])
    return named(ctx, a.assign(unit_name=a["unit"].map(ctx.unit_names)))


def text_fields(rows):
    src = sorted({f"{r['expert_emp_file']}第{r['expert_emp_row']}行" for r in rows} |
                 {f"{r['applicant_emp_file']}第{r['applicant_emp_row']}行" for r in rows})
    return {**grouped_text(rows), "sources": "、".join(src[:4]) + ("等" if len(src) > 4 else "")}


def _tie(r, reveal):
    return [step("Person", mask_key(r["applicant_key"], reveal), "WORKS_AT", source_file=r["applicant_emp_file"],
                 source_row=r["applicant_emp_row"]),
            step("Unit", r["unit"], "WORKS_AT", direction="in", source_file=r["expert_emp_file"],
                 source_row=r["expert_emp_row"])]


def path(rows, reveal):
    return grouped_path(rows, reveal, _tie) + [step("Person", mask_key(rows[0]["expert_key"], reveal))]
