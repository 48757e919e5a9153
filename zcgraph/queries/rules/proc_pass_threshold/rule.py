"""PROC-PASS-THRESHOLD: with vote rows, D = experts present minus those recused for the application (no attendance
rows: the votes cast, 弃权 included). 通过 with 3·同意 < 2·D is 高; 未通过 with 3·同意 ≥ 2·D is 低 (a 公示
objection can lawfully reverse a result)."""

from __future__ import annotations


from zcgraph.queries.frames import rows
from zcgraph.queries.leads import mask_key, step
from zcgraph.queries.ties import person_cols


def facts(ctx, params):
    a = ctx.applications
    a = a[a["result"].isin(["通过", "未通过"])]
    v = ctx.rels["REVIEWED"]
    v = v[(v["stage"] == "投票") & v["dst"].isin(set(a["application_key"]))]
    g = v.assign(agree=(v["vote"] == "同意").astype(int), cast=v["vote"].notna().astype(int))
    g = g.groupby(["dst", g["meeting_id"].fillna("\x00")])[["agree", "cast"]].sum().reset_index()
    g = g.rename(columns={"dst": "application_key"})
    g["meeting_id"] = g["meeting_id"].replace("\x00", None)
    att = ctx.rels["ATTENDED"]
    present = att.groupby("dst")["src"].nunique()
    g["present"] = g["meeting_id"].map(present).fillna(0).astype(int)
    rc = ctx.recusals
    sat = set(zip(att["src"], att["dst"]))
    rc = rows(rc, [(e, m) in sat for e, m in zip(rc["expert_key"], rc["meeting_id"])])
    # recused for (meeting, application): those recused from the whole meeting, plus those recused from this
    # application only who are not among them (counted as frames: a province has ~200k applications)
    whole = rc.loc[rc["application_key"].isna(), ["meeting_id", "expert_key"]].drop_duplicates()
    one = rc.loc[rc["application_key"].notna(), ["meeting_id", "application_key", "expert_key"]].drop_duplicates()
    one = one.merge(whole.assign(_w=True), on=["meeting_id", "expert_key"], how="left")
    extra = one[one["_w"].isna()].groupby(["meeting_id", "application_key"]).size().rename("_extra").reset_index()
    g = g.merge(extra, on=["meeting_id", "application_key"], how="left")
    g["recused"] = (g["meeting_id"].map(whole.groupby("meeting_id").size()).fillna(0)
                    + g["_extra"].fillna(0)).astype(int)
    g = g.drop(columns=["_extra"])
    g["counted"] = g["cast"].where(g["present"] == 0, g["present"] - g["recused"])
    g = g.merge(a[["application_key", "application_id", "year", "applicant_key", "result", "_file", "_row"]],
                on="application_key")
    bad = ((g["result"] == "通过") & (3 * g["agree"] < 2 * g["counted"])) | (
        (g["result"] == "未通过") & (3 * g["agree"] >= 2 * g["counted"]))
    g = person_cols(g[bad], ctx, "applicant_key", "applicant")
    return g.rename(columns={"_file": "application_file", "_row": "application_row"})


def severity(rows, default):
    return "高" if any(r["result"] == "通过" for r in rows) else "低"


def strength(rows):
    r = rows[0]
    need = 2 * r["counted"]
    return 3 * abs(need - 3 * r["agree"]) / need if need else 1.0


def text_fields(rows):
    r = rows[0]
    basis = f"出席{r['present']}人,回避{r['recused']}人" if r["present"] else f"无出席记录,按投票{r['cast']}张计"
    return {"basis_text": basis}


def path(rows, reveal):
    r = rows[0]
    return [step("Person", mask_key(r["applicant_key"], reveal), "APPLIED"),
            step("Application", r["application_key"], None, result=r["result"], source_file=r["application_file"],
                 source_row=r["application_row"])]
