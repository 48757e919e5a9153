"""Ties between people and intermediaries (rules.md, 中介关联), shared by the BROKER rules' embedded side.

A person is tied to an intermediary when an application's agent names it, a links row joins them, the person is
its legal representative, or they share a phone or e-mail with it or its legal representative. A tie holds from
the date it is first seen: a link from its date (undated: always); an application's agent, phone or e-mail from
that application's meeting date (no meeting: 1 January of its year); a pool record's phone or e-mail from its
pool_from; a legal representative always. A tie to a licensed 人事代理/人才服务 agency is context, one band lower.
"""

from __future__ import annotations

import pandas as pd

from .context import EmbeddedContext
from .frames import lookup

__all__ = ["ties", "application_dates", "LICENSED", "severity", "text_fields", "via_rel", "VIA_REL"]

LICENSED = ("人事代理", "人才服务")
CONTACT_KINDS = ("mobile", "phone", "email")
TIE_COLUMNS = ["person_key", "intermediary_id", "since", "via", "tie_file", "tie_row"]


def application_dates(ctx: EmbeddedContext) -> pd.Series:
    """application_key -> its (earliest) meeting date, else 1 January of its evaluation year."""
    dec = ctx.rels["DECIDED_IN"]
    held = ctx.meetings["held_on"].dropna().to_dict() if "held_on" in ctx.meetings else {}
    first = pd.to_datetime(dec["dst"].map(held)).groupby(dec["src"]).min()
    app = ctx.nodes["Application"].set_index("application_key")
    jan1 = pd.to_datetime(app["year"].astype("Int64").astype(str) + "-01-01", errors="coerce")
    return first.reindex(app.index).where(lambda s: s.notna(), jan1)


def ties(ctx: EmbeddedContext) -> pd.DataFrame:
    """Every tie, computed once per context."""
    if "_broker_ties" not in ctx.__dict__:
        ctx.__dict__["_broker_ties"] = _ties(ctx)
    return ctx.__dict__["_broker_ties"]


def _ties(ctx: EmbeddedContext) -> pd.DataFrame:
    app_person = ctx.applications.set_index("application_key")["applicant_key"]
    app_date = application_dates(ctx)
    parts = []
    sv = ctx.rels["SUBMITTED_VIA"]
    parts.append(pd.DataFrame({"person_key": sv["src"].map(app_person), "intermediary_id": sv["dst"],
                               "since": lookup(sv["src"], app_date), "via": "agent", "tie_file": sv["_file"],
                               "tie_row": sv["_row"]}))
    lk = ctx.rels["LINKED"].reindex(columns=["src", "dst", "src_label", "dst_label", "on", "_file", "_row"])
    for a, b in (("src", "dst"), ("dst", "src")):
        m = lk[(lk[f"{a}_label"] == "Person") & (lk[f"{b}_label"] == "Intermediary")]
        parts.append(pd.DataFrame({"person_key": m[a], "intermediary_id": m[b], "since": pd.to_datetime(m["on"]),
                                   "via": "link", "tie_file": m["_file"], "tie_row": m["_row"]}))
    lr = ctx.rels["LEGAL_REP_OF"]
    parts.append(pd.DataFrame({"person_key": lr["src"], "intermediary_id": lr["dst"], "since": pd.NaT,
                               "via": "legal_rep", "tie_file": lr["_file"], "tie_row": lr["_row"]}))
    # Shared phones and e-mails.
    hc = ctx.rels["HAS_CONTACT"].reindex(columns=["src", "dst", "src_label", "since", "_file", "_row"])
    kind = ctx.nodes["Identifier"].set_index("identifier_key")["kind"]
    hc = hc[hc["dst"].map(kind).isin(CONTACT_KINDS)]
    on_app = hc[hc["src_label"] == "Application"]
    on_person = hc[hc["src_label"] == "Person"]
    person_contacts = pd.concat([
        pd.DataFrame({"person_key": on_app["src"].map(app_person), "identifier": on_app["dst"],
                      "since": lookup(on_app["src"], app_date), "tie_file": on_app["_file"], "tie_row": on_app["_row"]}),
        pd.DataFrame({"person_key": on_person["src"], "identifier": on_person["dst"],
                      "since": pd.to_datetime(on_person["since"]), "tie_file": on_person["_file"],
                      "tie_row": on_person["_row"]})], ignore_index=True)
    inter = hc[hc["src_label"] == "Intermediary"][["src", "dst"]].rename(columns={"src": "intermediary_id",
                                                                                 "dst": "identifier"})
    reps = person_contacts.merge(lr[["src", "dst"]].rename(columns={"src": "rep", "dst": "intermediary_id"}),
                                 left_on="person_key", right_on="rep")[["rep", "intermediary_id", "identifier"]]
    owners = pd.concat([inter.assign(rep=None), reps], ignore_index=True)
    shared = person_contacts.merge(owners, on="identifier")
    shared = shared[shared["rep"].isna() | (shared["rep"] != shared["person_key"])]
    parts.append(pd.DataFrame({"person_key": shared["person_key"], "intermediary_id": shared["intermediary_id"],
                               "since": shared["since"], "via": "contact", "tie_file": shared["tie_file"],
                               "tie_row": shared["tie_row"]}))
    out = pd.concat(parts, ignore_index=True)[TIE_COLUMNS]
    out = out[out["person_key"].notna() & out["intermediary_id"].notna()].drop_duplicates()
    kinds = ctx.nodes["Intermediary"].set_index("intermediary_id")["kind"] if "kind" in ctx.nodes["Intermediary"] \
        else pd.Series(dtype=object)
    return out.assign(intermediary_kind=out["intermediary_id"].map(kinds))


def severity(rows, default):
    """A BROKER lead hook: a tie to a licensed 人事代理/人才服务 agency is context, one band lower."""
    if rows[0].get("intermediary_kind") in LICENSED:
        return {"高": "中", "中": "低", "低": "低"}[default]
    return default


VIA_REL = {"agent": "SUBMITTED_VIA", "link": "LINKED", "legal_rep": "LEGAL_REP_OF", "contact": "HAS_CONTACT"}


def via_rel(via: str) -> str:
    """A tie's kind as the graph model's relationship type (and so its Chinese caption in every diagram)."""
    return VIA_REL[via]


def text_fields(rows):
    """A BROKER lead hook: how the tie was seen, in words."""
    via = {"agent": "代理申报", "link": "关联线索", "legal_rep": "法定代表人", "contact": "共用联系方式"}
    return {"vias": "、".join(sorted({via[r["via"]] for r in rows if r.get("via")}))}
