"""BROKER-CLUSTER: at least cluster_min applicants at at least cluster_min units (rolled up) give one mobile number or
e-mail that belongs to no intermediary, unit, expert or staff member, and not all of whose units sit under one
主管部门. The applicants' pass rate is reported beside their committees'."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.leads import step
from zcgraph.queries.ties import person_cols


def facts(ctx, params):
    idn = ctx.nodes["Identifier"].set_index("identifier_key")
    hc = ctx.rels["HAS_CONTACT"].reindex(columns=["src", "dst", "src_label"])
    hc = hc[hc["dst"].map(idn["kind"]).isin(["mobile", "email"])]
    app = ctx.applications.set_index("application_key")
    bad = set(hc.loc[hc["src_label"].isin(["Unit", "Intermediary"]), "dst"])
    on_app = hc[hc["src_label"] == "Application"].assign(person=lambda x: x["src"].map(app["applicant_key"]))
    on_person = hc[hc["src_label"] == "Person"].assign(person=lambda x: x["src"])
    special = set(ctx.rels["IN_POOL"]["src"]) | set(ctx.rels["HANDLED"]["src"])
    holders = pd.concat([on_app[["dst", "person"]], on_person[["dst", "person"]]], ignore_index=True)
    bad |= set(holders.loc[holders["person"].isin(special), "dst"])
    f = on_app[~on_app["dst"].isin(bad)].rename(columns={"dst": "identifier_key", "src": "application_key",
                                                          "person": "applicant_key"})[["identifier_key", "application_key",
                                                                                       "applicant_key"]]
    f = f.merge(app[["application_id", "year", "result", "committee_id"]], left_on="application_key",
                right_index=True).reset_index(drop=True)
    y = f["year"].astype("Int64")
    f["ws"] = pd.to_datetime(y.astype(str) + "-01-01", errors="coerce")
    f["we"] = pd.to_datetime((y + 1).astype(str) + "-06-30", errors="coerce")
    j = f[["application_key", "applicant_key", "ws", "we"]].merge(ctx.employment, left_on="applicant_key", right_on="person")
    j = j[(j["valid_from"].isna() | (j["valid_from"] <= j["we"])) & (j["valid_to"].isna() | (j["ws"] <= j["valid_to"]))]
    f = f.merge(j[["application_key", "unit"]].drop_duplicates(), on="application_key", how="left")
    units = ctx.nodes["Unit"].set_index("unit_key")
    parent = ctx.rels["PART_OF"].set_index("src")["dst"]
    sup = parent[parent.map(units["kind"]) == "主管部门"]
    f["supervisor"] = f["unit"].map(sup)
    g = f.groupby("identifier_key")
    n_persons = g["applicant_key"].nunique()
    n_units = g["unit"].nunique()
    sups = g["supervisor"].nunique()
    unsupervised = (f["unit"].notna() & f["supervisor"].isna()).groupby(f["identifier_key"]).sum()
    k = params["cluster_min"]
    ok = n_persons[(n_persons >= k) & (n_units >= k) & ~((unsupervised == 0) & (sups == 1))].index
    f = f[f["identifier_key"].isin(set(ok))]
    decided = app[app["result"].notna()]
    per_c = decided.groupby("committee_id")["result"].agg(committee_decided="size",
                                                          committee_passed=lambda s: int((s == "通过").sum()))
    f = f.join(per_c, on="committee_id")
    f[["committee_decided", "committee_passed"]] = f[["committee_decided", "committee_passed"]].fillna(0).astype(int)
    f = f.assign(identifier=f["identifier_key"].map(idn["value"]), identifier_kind=f["identifier_key"].map(idn["kind"]))
    f = person_cols(f, ctx, "applicant_key", "applicant")
    return f.drop(columns=["identifier_key", "ws", "we"])


def _rate(passed, total):
    return f"{passed}/{total}({passed / total:.0%})" if total else "无结果"


def stats(rows):
    apps = {r["application_key"]: r["result"] for r in rows}
    comm = {r["committee_id"]: (r["committee_passed"] or 0, r["committee_decided"] or 0) for r in rows}
    decided = [v for v in apps.values() if v]
    return {"applicants": len({r["applicant_key"] for r in rows}), "units": len({r["unit"] for r in rows if r["unit"]}),
            "passed": sum(v == "通过" for v in decided), "decided": len(decided),
            "committee_passed": sum(p for p, _ in comm.values()), "committee_decided": sum(t for _, t in comm.values())}


def strength(rows, k=3):
    return (stats(rows)["applicants"] - k + 1) / k


def text_fields(rows):
    s = stats(rows)
    v = rows[0]["identifier"]
    shown = v[:3] + "****" + v[-4:] if rows[0]["identifier_kind"] == "mobile" else v.split("@")[0][:1] + "***@" + v.split("@")[-1]
    return {"n": s["applicants"], "units": s["units"], "shown": shown, "rate": _rate(s["passed"], s["decided"]),
            "committee_rate": _rate(s["committee_passed"], s["committee_decided"])}


def related(rows):
    return [r["application_id"] for r in rows]


def path(rows, reveal):
    r = rows[0]
    return [step("Identifier", r["identifier_kind"] + ":" + (r["identifier"] if reveal else "(已脱敏)"), "HAS_CONTACT",
                 direction="in"),
            *[step("Application", x["application_key"], None) for x in rows[:5]]]
