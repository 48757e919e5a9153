"""BROKER-ORGANIZER: a committee's organizer (unit) has a links row to an intermediary."""

from __future__ import annotations

import pandas as pd

from zcgraph.queries.leads import step


def facts(ctx, params):
    org = ctx.rels["ORGANIZED_BY"][["src", "dst"]].rename(columns={"src": "committee_id", "dst": "unit"})
    lk = ctx.rels["LINKED"].reindex(columns=["src", "dst", "src_label", "dst_label", "link", "amount", "on", "_file",
                                             "_row"])
    parts = []
    for a, b in (("src", "dst"), ("dst", "src")):
        m = lk[(lk[f"{a}_label"] == "Unit") & (lk[f"{b}_label"] == "Intermediary")]
        parts.append(pd.DataFrame({"unit": m[a], "intermediary_id": m[b], "link": m["link"], "amount": m["amount"],
                                   "on": m["on"], "link_file": m["_file"], "link_row": m["_row"]}))
    f = org.merge(pd.concat(parts, ignore_index=True), on="unit")
    kinds = ctx.nodes["Intermediary"].set_index("intermediary_id")["kind"] if "kind" in ctx.nodes["Intermediary"] \
        else pd.Series(dtype=object)
    return f.assign(unit_name=f["unit"].map(ctx.unit_names), intermediary_kind=f["intermediary_id"].map(kinds))


def strength(rows):
    return len({(r["link_file"], r["link_row"]) for r in rows}) / 2


def text_fields(rows):
    return {"links": "、".join(sorted({f"{r['link'] or '关联'}{'(' + str(r['amount']) + '元)' if r['amount'] else ''}"
                                      for r in rows}))}


def path(rows, reveal):
    r = rows[0]
    return [step("Committee", r["committee_id"], "ORGANIZED_BY"),
            step("Unit", r["unit"], "LINKED", link=r["link"], on=r["on"], source_file=r["link_file"],
                 source_row=r["link_row"]),
            step("Intermediary", r["intermediary_id"])]
