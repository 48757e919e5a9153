"""AVOID-LATENT: no recorded relation, but the expert and the applicant share a mobile number, an e-mail or an
address, directly or through one other person (person -> identifier -> person -> identifier -> person).
Identifiers held by a unit, an intermediary or more than latent_max_holders people never link."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.frames import rows
from zcgraph.queries.leads import mask_key, step
from zcgraph.queries.ties import acts_frame, declared_mask, named

KINDS = ("mobile", "email", "address")
WORDS = {"mobile": "手机号", "email": "电子邮箱", "address": "地址"}


def links(ctx, limit):
    idn = ctx.nodes["Identifier"].set_index("identifier_key")
    hc = ctx.rels["HAS_CONTACT"].reindex(columns=["src", "dst", "src_label"])
    hc = hc[hc["dst"].map(idn["kind"]).isin(KINDS)]
    bad = set(hc.loc[hc["src_label"].isin(["Unit", "Intermediary"]), "dst"])
    app = ctx.applications.set_index("application_key")["applicant_key"]
    holders = pd.concat([
        pd.DataFrame({"d": hc.loc[hc["src_label"] == "Person", "dst"], "x": hc.loc[hc["src_label"] == "Person", "src"]}),
        pd.DataFrame({"d": hc.loc[hc["src_label"] == "Application", "dst"],
                      "x": hc.loc[hc["src_label"] == "Application", "src"].map(app)})], ignore_index=True)
    holders = holders[holders["x"].notna() & ~holders["d"].isin(bad)].drop_duplicates()
    n = holders.groupby("d")["x"].nunique()
    holders = holders[holders["d"].map(n).between(2, limit)]
    pairs = holders.merge(holders.rename(columns={"x": "y"}), on="d")
    pairs = pairs[pairs["x"] != pairs["y"]]
    return pairs.assign(kind=pairs["d"].map(idn["kind"]))


def facts(ctx, params):
    lk = links(ctx, params["latent_max_holders"])
    direct = pd.DataFrame({"expert_key": lk["x"], "applicant_key": lk["y"], "via": None, "first": lk["d"],
                           "first_kind": lk["kind"], "second": None, "second_kind": None})
    two = lk.merge(lk.rename(columns={"x": "x2", "y": "y2", "d": "d2", "kind": "kind2"}), left_on="y", right_on="x2")
    two = two[two["y2"] != two["x"]]
    hop = pd.DataFrame({"expert_key": two["x"], "applicant_key": two["y2"], "via": two["y"], "first": two["d"],
                        "first_kind": two["kind"], "second": two["d2"], "second_kind": two["kind2"]})
    ties = pd.concat([direct, hop], ignore_index=True)
    rel = ctx.rels["RELATED"]
    related = set(zip(rel["src"], rel["dst"])) | set(zip(rel["dst"], rel["src"]))
    ties = rows(ties, [(e, p) not in related for e, p in zip(ties["expert_key"], ties["applicant_key"])])
    acts = acts_frame(ctx)
    acts = acts[acts["expert_key"].isin(set(ties["expert_key"]))]
    acts = acts[~declared_mask(ctx, acts)]
    f = acts.merge(ties, on=["expert_key", "applicant_key"])
    return named(ctx, f.reset_index(drop=True))


def strength(rows):
    return 1.0 if any(r["via"] is None for r in rows) else 0.5


def text_fields(rows):
    direct = [r for r in rows if r["via"] is None]
    if direct:
        kinds = "、".join(sorted({WORDS[r["first_kind"]] for r in direct}))
        return {"how": f"二人登记了同一{kinds}"}
    kinds = "、".join(sorted({WORDS[r["first_kind"]] for r in rows} | {WORDS[r["second_kind"]] for r in rows}))
    return {"how": f"二人经同一名第三人共用{kinds}"}


def path(rows, reveal):
    r = sorted(rows, key=lambda x: x["via"] is not None)[0]
    out = [step("Person", mask_key(r["expert_key"], reveal), "HAS_CONTACT", kind=r["first_kind"]),
           step("Identifier", r["first"] if reveal else r["first_kind"] + ":(已脱敏)", "HAS_CONTACT", direction="in")]
    if r["via"] is not None:
        out += [step("Person", mask_key(r["via"], reveal), "HAS_CONTACT", kind=r["second_kind"]),
                step("Identifier", r["second"] if reveal else r["second_kind"] + ":(已脱敏)", "HAS_CONTACT",
                     direction="in")]
    return out + [step("Person", mask_key(r["applicant_key"], reveal), "APPLIED"),
                  step("Application", r["application_key"], "REVIEWED", direction="in", stage=r["stage"], on=r["on"],
                       source_file=r["act_file"], source_row=r["act_row"]),
                  step("Person", mask_key(r["expert_key"], reveal))]
