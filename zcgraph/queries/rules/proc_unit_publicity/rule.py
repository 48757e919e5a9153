"""PROC-UNIT-PUBLICITY: the employer's pre-recommendation 公示 is empty while others have one, or lasts
fewer than publicity_workdays working days."""

from __future__ import annotations

from zcgraph.queries.leads import mask_key, step
from zcgraph.queries.ties import person_cols
from zcgraph.queries.workdays import short_publicity, shortfall as strength  # noqa: F401 (hook)


def facts(ctx, params):
    f = short_publicity(ctx.applications, params["publicity_workdays"])
    f = person_cols(f, ctx, "applicant_key", "applicant")
    return f[["application_key", "application_id", "year", "applicant_key", "applicant_name", "applicant_id_number",
              "publicity_start", "publicity_end", "workdays", "_file", "_row"]].rename(
        columns={"_file": "application_file", "_row": "application_row"})


def text_fields(rows):
    r = rows[0]
    if r["workdays"] is None:
        return {"problem": "没有单位推荐前公示日期,而其他申报均有"}
    return {"problem": f"的单位公示从{r['publicity_start']}到{r['publicity_end']},只有{r['workdays']}个工作日"}


def path(rows, reveal):
    r = rows[0]
    return [step("Person", mask_key(r["applicant_key"], reveal), "APPLIED"),
            step("Application", r["application_key"], None, source_file=r["application_file"],
                 source_row=r["application_row"])]
