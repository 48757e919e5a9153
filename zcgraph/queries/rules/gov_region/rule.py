"""GOV-REGION: the applicant's unit (rolled up, as of the application's window) lies outside the committee's
region (both given; the same name, or a region that begins with it, e.g. 昆明市五华区 inside 昆明市), or a
self-evaluating committee evaluated someone not employed by its organizer; entrusted applications are not leads."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.frames import rows
from zcgraph.queries.ties import application_path, person_cols


def facts(ctx, params):
    a = ctx.applications
    c = ctx.nodes["Committee"].set_index("committee_id")
    a = a[~a["entrusted"].eq(True).fillna(False)].copy() if "entrusted" in a else a.copy()
    a["committee_region"] = a["committee_id"].map(c["region"]) if "region" in c else None
    a["self_eval"] = a["committee_id"].map(c["self_evaluating"]).eq(True).fillna(False) if "self_evaluating" in c else False
    a = a[a["committee_region"].notna() | a["self_eval"]]
    y = a["year"].astype("Int64").astype(str)
    a["ws"] = pd.to_datetime(y + "-01-01", errors="coerce")
    a["we"] = pd.to_datetime((a["year"].astype("Int64") + 1).astype(str) + "-06-30", errors="coerce")
    j = a[["application_key", "applicant_key", "ws", "we"]].merge(ctx.employment, left_on="applicant_key", right_on="person")
    j = j[(j["valid_from"].isna() | (j["valid_from"] <= j["we"])) & (j["valid_to"].isna() | (j["ws"] <= j["valid_to"]))]
    units = j.groupby("application_key")["unit"].agg(lambda s: sorted(set(s.dropna())))
    a["units"] = a["application_key"].map(units)
    a = rows(a, a["units"].map(lambda v: isinstance(v, list) and len(v) > 0))
    region = ctx.nodes["Unit"].set_index("unit_key")["region"] if "region" in ctx.nodes["Unit"] else pd.Series(dtype=object)
    a["regions"] = a["units"].map(lambda us: sorted({region.get(u) for u in us if isinstance(region.get(u), str)}))
    missing = a["units"].map(lambda us: any(not isinstance(region.get(u), str) for u in us))
    inside = [any(isinstance(region.get(u), str) and isinstance(cr, str) and (region.get(u) == cr or region.get(u).startswith(cr))
                  for u in us) for us, cr in zip(a["units"], a["committee_region"])]
    a["outside_region"] = a["committee_region"].notna() & ~missing & ~pd.Series(inside, index=a.index, dtype=bool)
    org = ctx.rels["ORGANIZED_BY"].set_index("src")["dst"].map(ctx.nodes["Unit"].set_index("unit_key")["rollup_key"])
    a["organizer"] = a["committee_id"].map(org)
    a["outside_org"] = a["self_eval"] & a["organizer"].notna() & pd.Series(
        [o not in us for o, us in zip(a["organizer"], a["units"])], index=a.index, dtype=bool)
    f = person_cols(a[a["outside_region"] | a["outside_org"]], ctx, "applicant_key", "applicant")
    return f[["application_key", "application_id", "year", "applicant_key", "applicant_name", "applicant_id_number",
              "committee_id", "committee_region", "units", "regions", "organizer", "outside_region", "outside_org",
              "_file", "_row"]].rename(columns={"_file": "application_file", "_row": "application_row"})


def text_fields(rows):
    r = rows[0]
    parts = []
    if r["outside_region"]:
        parts.append(f"申报人单位所在地区({'、'.join(r['regions'])})不在其评审范围({r['committee_region']})内")
    if r["outside_org"]:
        parts.append("该委员会为自主评审,而申报人不是组建单位的人员")
    return {"problem": ";".join(parts)}


def path(rows, reveal):
    return application_path(rows, reveal, "EVALUATED_BY", "Committee", "committee_id")
