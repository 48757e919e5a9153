"""GOV-COMMITTEE-SIZE: an even member count, or fewer than the minimum for how it was formed
(按系列 25, 按专业 or unknown 11)."""

from __future__ import annotations

from zcgraph.queries.leads import step


def facts(ctx, params):
    c = ctx.nodes["Committee"]
    c = c[c["member_count"].notna()].copy()
    c["minimum"] = c["formed_by"].map(lambda f: params["min_members_series"] if f == "按系列"
                                      else params["min_members_specialty"])
    n = c["member_count"].astype(int)
    c["even"] = n % 2 == 0
    c["small"] = n < c["minimum"]
    c = c[c["even"] | c["small"]]
    return c[["committee_id", "member_count", "formed_by", "minimum", "even", "small", "_file", "_row"]].rename(
        columns={"_file": "committee_file", "_row": "committee_row"})


def text_fields(rows):
    r = rows[0]
    parts = (["为双数"] if r["even"] else []) + ([f"少于{r['minimum']}人"] if r["small"] else [])
    return {"problems": "、".join(parts)}


def path(rows, reveal):
    r = rows[0]
    return [step("Committee", r["committee_id"], None)]
