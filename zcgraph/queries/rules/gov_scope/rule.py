"""GOV-SCOPE: the committee evaluated a series or level outside its series/levels."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.ties import application_path, person_cols


def facts(ctx, params):
    a = ctx.applications
    c = ctx.nodes["Committee"].set_index("committee_id")
    ev = ctx.rels["EVALUATED_BY"][["src", "dst"]].rename(columns={"src": "application_key", "dst": "committee_id"})
    f = a.drop(columns=["committee_id"]).merge(ev, on="application_key")
    f["committee_series"] = f["committee_id"].map(c["series"]) if "series" in c else None
    f["committee_levels"] = f["committee_id"].map(c["levels"]) if "levels" in c else None
    f["bad_series"] = f["series"].notna() & f["committee_series"].notna() & (f["series"] != f["committee_series"])
    has_levels = f["committee_levels"].map(lambda v: isinstance(v, (list, tuple)))
    f["bad_level"] = f["level"].notna() & has_levels & pd.Series(
        [isinstance(cl, (list, tuple)) and lv not in cl for lv, cl in zip(f["level"], f["committee_levels"])],
        index=f.index, dtype=bool)
    f = f[f["bad_series"] | f["bad_level"]]
    f = person_cols(f, ctx, "applicant_key", "applicant")
    f["committee_levels"] = f["committee_levels"].map(lambda v: list(v) if isinstance(v, (list, tuple)) else v)
    return f[["application_key", "application_id", "year", "applicant_key", "applicant_name", "applicant_id_number",
              "committee_id", "series", "committee_series", "level", "committee_levels", "bad_series", "bad_level",
              "_file", "_row"]].rename(columns={"_file": "application_file", "_row": "application_row"})


def strength(rows):
    r = rows[0]
    return (int(bool(r["bad_series"])) + int(bool(r["bad_level"]))) / 2


def text_fields(rows):
    r = rows[0]
    parts = []
    if r["bad_series"]:
        parts.append(f"申报系列{r['series']},评委会系列{r['committee_series']}")
    if r["bad_level"]:
        parts.append(f"申报级别{r['level']},评委会可评{'、'.join(r['committee_levels'] or [])}")
    return {"problems": ";".join(parts)}


def path(rows, reveal):
    return application_path(rows, reveal, "EVALUATED_BY", "Committee", "committee_id")
