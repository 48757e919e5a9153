"""From loaded tables to one resolved graph (node and relationship tables).

The canonical form of the graph is a set of tables: one per node label (key
column + properties + ``_file``/``_row`` provenance) and one per relationship
type (``src``, ``dst``, their labels, properties, provenance). The embedded
store builds NetworkX from them and the Neo4j writer UNWINDs them, so both
stores hold the same graph by construction.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd

from ..loaders.identity import PersonResolver, resolve_units
from ..loaders.load import REJECT, WARN, LoadResult, _Rejects
from ..loaders.normalize import is_mobile, norm_unit_name
from ..loaders.schema import TABLES
from .model import NODES, RELS
from .store import Store

__all__ = ["build_store"]

PROV = ["_file", "_row"]


def _rel(df: pd.DataFrame, src: str | pd.Series, dst: str | pd.Series, src_label: str | pd.Series,
         dst_label: str | pd.Series, props: list[str] | dict[str, str] | None = None) -> pd.DataFrame:
    out = pd.DataFrame({
        "src": df[src].to_numpy() if isinstance(src, str) else np.asarray(src),
        "dst": df[dst].to_numpy() if isinstance(dst, str) else np.asarray(dst),
        "src_label": src_label if isinstance(src_label, str) else np.asarray(src_label),
        "dst_label": dst_label if isinstance(dst_label, str) else np.asarray(dst_label),
    }, index=df.index)
    if isinstance(props, dict):
        for new, old in props.items():
            out[new] = df[old] if old in df.columns else None
    else:
        for p in props or []:
            out[p] = df[p] if p in df.columns else None
    out["_file"] = df["_file"]
    out["_row"] = df["_row"]
    return out.dropna(subset=["src", "dst"]).reset_index(drop=True)


def _cols(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    return df[[c for c in cols if c in df.columns] + PROV].copy()


def _extras(df: pd.DataFrame, table: str) -> list[str]:
    known = {c.name for c in TABLES[table].columns}
    return [c for c in df.columns if not c.startswith("_") and c not in known
            and not c.endswith(("_prec", "_valid")) and c not in ("person_key", "application_key", "unit_key",
                                                                   "rollup_key", "relation_raw", "category")]


def _fingerprint(result: LoadResult) -> str:
    h = hashlib.sha256()
    for p in sorted(result.data_dir.iterdir()):
        if p.is_file():
            st = p.stat()
            h.update(f"{p.name}\0{st.st_size}\0".encode())
            with p.open("rb") as f:
                h.update(f.read(1 << 16))
    if result.mapping is not None:  # the same files read under another mapping are other data
        h.update(f"mapping\0{result.mapping.fingerprint}".encode())
    return h.hexdigest()[:16]


def _identifier_rows(df: pd.DataFrame, owner: pd.Series, owner_label: str, since: pd.Series | None,
                     table: str) -> list[pd.DataFrame]:
    parts = []
    for col, kind in (("phone", "phone"), ("email", "email"), ("address", "address")):
        if col not in df.columns:
            continue
        vals = df[col]
        frame = pd.DataFrame({"owner": owner.to_numpy(), "v": vals.to_numpy(), "_file": df["_file"].to_numpy(),
                              "_row": df["_row"].to_numpy(),
                              "since": since.to_numpy() if since is not None else pd.NaT})
        frame = frame[frame["v"].notna() & frame["owner"].notna()]
        if kind == "phone":
            frame = frame.explode("v")
            frame = frame[frame["v"].notna()]
            frame["kind"] = frame["v"].map(lambda p: "mobile" if is_mobile(p) else "phone")
        elif kind == "address":
            frame["v"] = frame["v"].map(norm_unit_name)
            frame["kind"] = "address"
        else:
            frame["kind"] = "email"
        frame["identifier_key"] = frame["kind"] + ":" + frame["v"].astype(str)
        frame["owner_label"] = owner_label
        frame["source_table"] = table
        parts.append(frame)
    return parts


def _derive_meeting_year(t: dict[str, pd.DataFrame], present: dict[str, set[str]], notes: list[str]) -> None:
    """A meeting's evaluation year, where ``meetings.year`` is absent or empty, as the contract derives it: the
    year most of the applications it decided carry (ties: the earliest), else the year of ``held_on``. The
    column then counts as given: a derivable value is never missing data."""
    if "meetings" not in t:
        return
    mt = t["meetings"]
    year = mt["year"] if "year" in mt else pd.Series(pd.NA, index=mt.index, dtype="Int64")
    todo = year.isna()
    if not todo.any():
        return
    derived = pd.Series(pd.NA, index=mt.index, dtype="Int64")
    if "reviews" in t and "applications" in t and len(t["reviews"]):
        rv = t["reviews"][["meeting_id", "application_key"]].dropna().drop_duplicates()
        app_year = t["applications"].set_index("application_key")["year"]
        rv = rv.assign(y=rv["application_key"].map(app_year)).dropna(subset=["y"])
        if len(rv):
            counts = rv.groupby(["meeting_id", "y"]).size().reset_index(name="n")
            best = counts.sort_values(["meeting_id", "n", "y"], ascending=[True, False, True]).drop_duplicates("meeting_id")
            derived = mt["meeting_id"].map(best.set_index("meeting_id")["y"]).astype("Int64")
    if "held_on" in mt:
        derived = derived.fillna(pd.to_datetime(mt["held_on"]).dt.year.astype("Int64"))
    filled = int((todo & derived.notna()).sum())
    mt["year"] = year.where(~todo, derived).astype("Int64")
    if filled:
        present.setdefault("meetings", set()).add("year")
        notes.append(f"评审会议的评审年度缺失 {int(todo.sum())} 个,按其评审的申报多数所属年度(否则按会议日期)推定 {filled} 个")


def build_store(result: LoadResult) -> Store:
    """Resolve identities and build the graph tables from a :class:`LoadResult`."""
    t = {k: v.copy() for k, v in result.tables.items()}
    rej = _Rejects()
    notes = list(result.notes)

    # ---------------------------------------------------------------- units
    units = resolve_units(t.get("units"))

    def unit_col(df: pd.DataFrame, name: str, code: str | None) -> pd.Series:
        if name not in df.columns and (code is None or code not in df.columns):
            return pd.Series([None] * len(df), index=df.index, dtype=object)
        from stdnum.cn import uscc

        codes = df[code] if code and code in df.columns else None
        valid = codes.map(lambda c: isinstance(c, str) and uscc.is_valid(c)) if codes is not None else None
        names = df[name] if name in df.columns else pd.Series([None] * len(df), index=df.index, dtype=object)
        return units.resolve_many(names, codes, valid, df["_file"], df["_row"])

    for name, col, code in (("applications", "employer", "employer_code"), ("experts", "employer", "employer_code"),
                            ("employment", "employer", "employer_code"), ("staff_actions", "unit", None),
                            ("committees", "organizer", None)):
        if name in t:
            t[name]["unit_key"] = unit_col(t[name], col, code)

    # ---------------------------------------------------------------- committees
    committee_names: dict[str, str] = {}
    if "committees" in t:
        c = t["committees"]
        for cid, nm in zip(c["committee_id"], c.get("name", pd.Series([None] * len(c)))):
            if isinstance(nm, str):
                committee_names[norm_unit_name(nm) or nm] = cid
    if "applications" in t and committee_names:
        a = t["applications"]
        known = set(t["committees"]["committee_id"])
        a["committee_id"] = a["committee_id"].map(
            lambda v: v if v in known else committee_names.get(norm_unit_name(v) or "", v) if isinstance(v, str) else v)

    # ---------------------------------------------------------------- persons
    pr = PersonResolver()
    slices: dict[str, slice] = {}
    if "applications" in t:
        slices["applications"] = pr.add("applications", t["applications"], unit_key="unit_key")
    if "experts" in t:
        slices["experts"] = pr.add("experts", t["experts"], expert_id="expert_id", unit_key="unit_key")
    if "employment" in t:
        slices["employment"] = pr.add("employment", t["employment"], birth_date=None, gender=None,
                                      unit_key="unit_key")
    if "relations" in t:
        r = t["relations"]
        slices["relations_a"] = pr.add("relations", r, name="a_name", id_number="a_id_number", birth_date=None,
                                       gender=None, role="relations_a")
        slices["relations_b"] = pr.add("relations", r, name="b_name", id_number="b_id_number", birth_date=None,
                                       gender=None, role="relations_b")
    if "staff_actions" in t:
        slices["staff_actions"] = pr.add("staff_actions", t["staff_actions"], birth_date=None, gender=None,
                                         staff_id="staff_id", unit_key="unit_key")
    if "sanctions" in t:
        s = t["sanctions"]
        is_person = s.get("id_number", pd.Series([None] * len(s))).notna() | (
            s.get("credit_code", pd.Series([None] * len(s))).isna()
            & s.get("committee_id", pd.Series([None] * len(s))).isna()
            & ~s["kind"].isin(["暂停评审", "收回评审权"]))
        s["_is_person"] = is_person.to_numpy()
        slices["sanctions"] = pr.add("sanctions", s[s["_is_person"]], birth_date=None, gender=None)
    if "complaints" in t and ("subject_name" in t["complaints"] or "subject_id_number" in t["complaints"]):
        c = t["complaints"]
        c["_has_subject"] = (c.get("subject_name", pd.Series([None] * len(c))).notna()
                             | c.get("subject_id_number", pd.Series([None] * len(c))).notna()).to_numpy()
        slices["complaints"] = pr.add("complaints", c[c["_has_subject"]], name="subject_name",
                                      id_number="subject_id_number", birth_date=None, gender=None)
    if "intermediaries" in t and "legal_rep_name" in t["intermediaries"]:
        i = t["intermediaries"]
        i["_has_rep"] = (i["legal_rep_name"].notna() | i.get("legal_rep_id_number", pd.Series([None] * len(i))).notna()).to_numpy()
        slices["intermediaries"] = pr.add("intermediaries", i[i["_has_rep"]], name="legal_rep_name",
                                          id_number="legal_rep_id_number", birth_date=None, gender=None)
    if "links" in t:
        lk = t["links"]
        for side in ("from", "to"):
            m = lk[f"{side}_kind"].eq("person").to_numpy()
            sub = lk[m].rename(columns={f"{side}_name": "_n", f"{side}_key": "_k"})
            from ..loaders.normalize import id_is_valid, norm_id_number, norm_name
            sub = sub.assign(_n=sub["_n"].map(lambda v: norm_name(v).value) if "_n" in sub else None,
                             _k=sub["_k"].map(lambda v: norm_id_number(v).value) if "_k" in sub else None)
            sub["_k_valid"] = sub["_k"].map(id_is_valid) if "_k" in sub else False
            lk[f"_{side}_person"] = m
            slices[f"links_{side}"] = pr.add("links", sub, name="_n", id_number="_k", birth_date=None, gender=None,
                                             role=f"links_{side}")

    mentions, persons, merges, possibly = pr.resolve()
    pkeys = mentions["person_key"].to_numpy()

    def keys_for(sl: str) -> np.ndarray:
        return pkeys[slices[sl]]

    for name in ("applications", "experts", "employment", "staff_actions"):
        if name in slices:
            t[name]["person_key"] = keys_for(name)
    if "relations" in t:
        t["relations"]["a_key"] = keys_for("relations_a")
        t["relations"]["b_key"] = keys_for("relations_b")
    if "sanctions" in slices:
        s = t["sanctions"]
        s["person_key"] = None
        s.loc[s["_is_person"], "person_key"] = keys_for("sanctions")
    if "complaints" in slices:
        c = t["complaints"]
        c["person_key"] = None
        c.loc[c["_has_subject"], "person_key"] = keys_for("complaints")
    if "intermediaries" in slices:
        i = t["intermediaries"]
        i["person_key"] = None
        i.loc[i["_has_rep"], "person_key"] = keys_for("intermediaries")
    if "links" in t:
        lk = t["links"]
        for side in ("from", "to"):
            lk[f"{side}_person_key"] = None
            lk.loc[lk[f"_{side}_person"], f"{side}_person_key"] = keys_for(f"links_{side}")

    # expert_id -> person_key
    expert_person: dict[str, str] = {}
    if "experts" in t:
        e = t["experts"]
        expert_person = dict(zip(e["expert_id"], e["person_key"]))

    # ---------------------------------------------------------------- applications index
    app_by_id: dict[str, list[tuple[int, str, str | None]]] = {}
    if "applications" in t:
        a = t["applications"]
        for aid, yr, key, cid in zip(a["application_id"], a["year"], a["application_key"], a["committee_id"]):
            app_by_id.setdefault(aid, []).append((int(yr), key, cid))
    meeting_year: dict[str, int] = {}
    meeting_committee: dict[str, str] = {}
    meeting_date: dict[str, pd.Timestamp] = {}
    if "meetings" in t:
        mt = t["meetings"]
        for mid, cid, yr, held in zip(mt["meeting_id"], mt["committee_id"], mt.get("year", [None] * len(mt)),
                                      mt.get("held_on", [pd.NaT] * len(mt))):
            meeting_committee[mid] = cid
            if pd.notna(held):
                meeting_date[mid] = held
            if yr is not None and not pd.isna(yr):
                meeting_year[mid] = int(yr)
            elif pd.notna(held):
                meeting_year[mid] = held.year if held.month > 6 else held.year - 1

    single = {aid: cands[0][1] for aid, cands in app_by_id.items() if len(cands) == 1}

    def resolve_app(df: pd.DataFrame, table: str, date_col: str | None = None) -> pd.Series:
        """application_id -> application_key, using the meeting's year where numbering restarts.

        An id held by one application maps directly (a province's millions of review rows); only ids that
        several years share go through the meeting's or the row's date, row by row."""
        ids = df["application_id"]
        if pd.api.types.infer_dtype(ids, skipna=True) in ("string", "empty"):
            given = (ids.notna() & (ids.fillna("") != "")).to_numpy(dtype=bool)
        else:
            given = np.fromiter((isinstance(x, str) and bool(x) for x in ids.tolist()), dtype=bool, count=len(ids))
        known = ids.isin(list(app_by_id)).to_numpy(dtype=bool) & given
        out = ids.map(single).astype(object).where(known, None).to_numpy(dtype=object)
        bad = given & ~known
        shared = np.flatnonzero(known & pd.isna(out))
        if len(shared):
            sub = df.iloc[shared]
            mids = sub["meeting_id"].tolist() if "meeting_id" in df.columns else [None] * len(sub)
            dates = sub[date_col].tolist() if date_col and date_col in df.columns else [None] * len(sub)
            for i, aid, mid, d in zip(shared, sub["application_id"].tolist(), mids, dates):
                yr = meeting_year.get(mid) if isinstance(mid, str) else None
                if yr is None and d is not None and not pd.isna(d):
                    yr = d.year if d.month > 6 else d.year - 1
                hit = [c for c in app_by_id[aid] if c[0] == yr]
                out[i] = hit[0][1] if len(hit) == 1 else None
                bad[i] = len(hit) != 1
        return pd.Series(out, index=df.index, dtype=object), np.asarray(bad, dtype=bool)

    def apply_app(name: str, required: bool, date_col: str | None = None) -> None:
        if name not in t or "application_id" not in t[name]:
            return
        df = t[name]
        keys, bad = resolve_app(df, name, date_col)
        df["application_key"] = keys
        reason = "申报编号在申报记录中找不到(或在多个年度重复且无法确定年度)"
        if required:
            rej.add(df, bad, "application_id", df["application_id"], reason, REJECT)
            t[name] = df.loc[~bad].reset_index(drop=True)
        else:
            rej.add(df, bad, "application_id", df["application_id"], reason + ",关联已忽略", WARN)

    apply_app("reviews", True, "reviewed_on")
    apply_app("staff_actions", True, "on")
    apply_app("recusals", False, "requested_on")
    apply_app("complaints", False, "received_on")
    present = {k: set(v) for k, v in result.present.items()}
    _derive_meeting_year(t, present, notes)

    # ---------------------------------------------------------------- expert references
    pool_names: dict[str, dict[str, set[str]]] = {}
    if "experts" in t:
        e = t["experts"]
        for cid, nm, eid in zip(e["committee_id"], e["name"], e["expert_id"]):
            if isinstance(nm, str):
                pool_names.setdefault(cid, {}).setdefault(nm, set()).add(eid)
    app_committee = {}
    if "applications" in t:
        app_committee = dict(zip(t["applications"]["application_key"], t["applications"]["committee_id"]))

    def resolve_expert(name: str) -> None:
        if name not in t:
            return
        df = t[name]
        # An id in the expert pool is itself (nearly every row); only the others are looked at one by one.
        out = df["expert_id"].astype(object).to_numpy(dtype=object).copy()
        reasons = np.full(len(df), None, dtype=object)
        rest = np.flatnonzero(~df["expert_id"].isin(list(expert_person)).to_numpy(dtype=bool))
        sub = df.iloc[rest]
        mids = sub["meeting_id"].tolist() if "meeting_id" in df.columns else [None] * len(sub)
        akeys = sub["application_key"].tolist() if "application_key" in df.columns else [None] * len(sub)
        cache: dict[tuple, tuple[str | None, str | None]] = {}
        for i, ref, mid, ak in zip(rest, sub["expert_id"].tolist(), mids, akeys):
            ck = (ref, mid, ak)
            if ck not in cache:
                if ref in expert_person:
                    cache[ck] = (ref, None)
                elif isinstance(ref, str) and any("\u3400" <= ch <= "\u9fff" for ch in ref) and not any(ch.isdigit() for ch in ref):
                    from ..loaders.normalize import norm_name
                    nm = norm_name(ref).value
                    cid = meeting_committee.get(mid) if isinstance(mid, str) else None
                    cid = cid or app_committee.get(ak)
                    hits = pool_names.get(cid, {}).get(nm, set())
                    if len(hits) == 1:
                        cache[ck] = (next(iter(hits)), None)
                    elif len(hits) > 1:
                        cache[ck] = (None, f"专家姓名在评委会{cid}的专家库中对应{len(hits)}名专家,无法确定是谁")
                    else:
                        cache[ck] = (None, f"专家姓名在评委会{cid}的专家库中找不到")
                else:
                    cache[ck] = (ref, "unknown")
            out[i], reasons[i] = cache[ck]
        rs = pd.Series(reasons, index=df.index, dtype=object)
        bad = rs.notna() & rs.ne("unknown")
        rej.add(df, bad.to_numpy(), "expert_id", df["expert_id"], rs, REJECT)
        unknown = rs.eq("unknown")
        rej.add(df, unknown.to_numpy(), "expert_id", df["expert_id"], "专家编号不在专家库中(按库外人员处理)", WARN)
        df["expert_id"] = out
        df = df.loc[~bad.to_numpy()].reset_index(drop=True)
        pk = df["expert_id"].map(expert_person)
        df["person_key"] = pk.where(pk.notna(), "expert:" + df["expert_id"].astype(str))
        t[name] = df

    for name in ("reviews", "attendance", "recusals"):
        resolve_expert(name)

    # Out-of-pool experts named only in reviews/attendance become person nodes of their own.
    extra_persons = set()
    for name in ("reviews", "attendance", "recusals"):
        if name in t:
            extra_persons |= set(t[name]["person_key"]) - set(persons["person_key"])
    if extra_persons:
        add = pd.DataFrame({"person_key": sorted(extra_persons)})
        add["expert_ids"] = add["person_key"].map(lambda k: [k.split(":", 1)[1]])
        add["mentions"] = 0
        persons = pd.concat([persons, add], ignore_index=True)

    # ---------------------------------------------------------------- unit parents / rollup
    for key, node in units.nodes.items():
        node["rollup_key"] = units.rollup(key)
    for name in ("applications", "experts", "employment", "staff_actions"):
        if name in t:
            t[name]["rollup_key"] = t[name]["unit_key"].map(lambda k: units.rollup(k) if isinstance(k, str) else None)

    # ---------------------------------------------------------------- nodes
    nodes: dict[str, pd.DataFrame] = {}
    nodes["Person"] = persons
    if "applications" in t:
        a = t["applications"]
        cols = ["application_key", "application_id", "year", "series", "specialty", "level", "committee_id",
                "current_title", "entrusted", "publicity_start", "publicity_end", "agent", "eligible", "result",
                "employer"] + _extras(a, "applications")
        nodes["Application"] = _cols(a, cols)
    comm_ids: set[str] = set()
    for name in ("applications", "experts", "meetings"):
        if name in t and "committee_id" in t[name]:
            comm_ids |= set(t[name]["committee_id"].dropna())
    if "committees" in t:
        c = t["committees"]
        cn = _cols(c, ["committee_id", "name", "organizer", "series", "levels", "region", "approved_on",
                       "valid_until", "member_count", "formed_by", "self_evaluating"] + _extras(c, "committees"))
        cn["listed"] = True
        missing = sorted(comm_ids - set(cn["committee_id"]))
    else:
        cn = pd.DataFrame(columns=["committee_id", "listed"] + PROV)
        missing = sorted(comm_ids)
    if missing:
        cn = pd.concat([cn, pd.DataFrame({"committee_id": missing, "listed": False})], ignore_index=True)
    nodes["Committee"] = cn
    meet_ids: set[str] = set()
    for name in ("reviews", "attendance", "recusals"):
        if name in t and "meeting_id" in t[name]:
            meet_ids |= set(t[name]["meeting_id"].dropna())
    if "meetings" in t:
        mt = _cols(t["meetings"], [c.name for c in TABLES["meetings"].columns]
                   + _extras(t["meetings"], "meetings"))
        mt["listed"] = True
        missing_m = sorted(meet_ids - set(mt["meeting_id"]))
    else:
        mt = pd.DataFrame(columns=["meeting_id", "listed"] + PROV)
        missing_m = sorted(meet_ids)
    if missing_m:
        mt = pd.concat([mt, pd.DataFrame({"meeting_id": missing_m, "listed": False})], ignore_index=True)
    voted = set(t["reviews"].loc[t["reviews"]["stage"] == "投票", "meeting_id"].dropna()) if "reviews" in t else set()
    mt["has_votes"] = mt["meeting_id"].isin(voted)
    # Attendance acts (rules.md, Acts): sitting counts as acting only in a meeting with no vote rows that does
    # have review rows (its year's export is not missing) and whose recusals somebody recorded (presence alone
    # proves nothing where nobody wrote down who left the room).
    reviewed = set(t["reviews"]["meeting_id"].dropna()) if "reviews" in t else set()
    recused = set(t["recusals"]["meeting_id"].dropna()) if "recusals" in t else set()
    mt["attendance_acts"] = ~mt["has_votes"] & mt["meeting_id"].isin(reviewed) & mt["meeting_id"].isin(recused)
    nodes["Meeting"] = mt
    if "intermediaries" in t:
        im = t["intermediaries"]
        nodes["Intermediary"] = _cols(im, ["intermediary_id", "name", "credit_code", "kind", "status", "source",
                                           "legal_rep_name"] + _extras(im, "intermediaries")).drop(
            columns=["legal_rep_name"], errors="ignore")
    else:
        nodes["Intermediary"] = pd.DataFrame(columns=["intermediary_id"] + PROV)
    if "complaints" in t:
        nodes["Complaint"] = _cols(t["complaints"], ["complaint_id", "received_on", "accepted_on", "extended",
                                                     "channel", "application_id", "committee_id", "summary",
                                                     "responded_on", "status", "finding"])
    else:
        nodes["Complaint"] = pd.DataFrame(columns=["complaint_id"] + PROV)

    # ---------------------------------------------------------------- relationships
    rels: dict[str, list[pd.DataFrame]] = {k: [] for k in RELS}
    if "applications" in t:
        a = t["applications"]
        rels["APPLIED"].append(_rel(a, "person_key", "application_key", "Person", "Application", ["year"]))
        rels["EVALUATED_BY"].append(_rel(a, "application_key", "committee_id", "Application", "Committee"))
        rels["WORKS_AT"].append(_rel(a, "person_key", "unit_key", "Person", "Unit", {"basis": "_basis", "year": "year"}
                                     ).assign(basis="declared", source_table="applications"))
    if "experts" in t:
        e = t["experts"]
        rels["IN_POOL"].append(_rel(e, "person_key", "committee_id", "Person", "Committee",
                                    ["expert_id", "pool_from", "pool_to", "title", "title_level", "specialty"]))
        rels["WORKS_AT"].append(_rel(e, "person_key", "unit_key", "Person", "Unit", {"start": "pool_from",
                                                                                    "end": "pool_to"}
                                     ).assign(basis="declared", source_table="experts"))
    if "employment" in t:
        rels["WORKS_AT"].append(_rel(t["employment"], "person_key", "unit_key", "Person", "Unit",
                                     ["start", "end", "position"]).assign(basis="history", source_table="employment"))
    if "staff_actions" in t:
        s = t["staff_actions"]
        rels["HANDLED"].append(_rel(s, "person_key", "application_key", "Person", "Application",
                                    ["staff_id", "action", "on"]))
        su = s.drop_duplicates(["person_key", "unit_key"])
        rels["WORKS_AT"].append(_rel(su, "person_key", "unit_key", "Person", "Unit").assign(
            basis="declared", source_table="staff_actions"))
    if "reviews" in t:
        rels["REVIEWED"].append(_rel(t["reviews"], "person_key", "application_key", "Person", "Application",
                                     ["expert_id", "meeting_id", "stage", "assignment", "score", "vote",
                                      "reviewed_on"]))
    # DECIDED_IN: the meeting(s) an application's review rows name; without any, for an application with a
    # result, the committee's only meeting of that evaluation year (two meetings that year: unknown).
    if "applications" in t:
        a = t["applications"]
        dec = []
        if "reviews" in t and t["reviews"]["meeting_id"].notna().any():
            rv = t["reviews"].dropna(subset=["meeting_id", "application_key"])
            first = rv.drop_duplicates(["application_key", "meeting_id"])
            dec.append(pd.DataFrame({"src": first["application_key"], "dst": first["meeting_id"],
                                     "_file": first["_file"], "_row": first["_row"]}))
        if "meetings" in t:
            mt = t["meetings"].assign(_y=t["meetings"]["year"])  # given or derived (_derive_meeting_year)
            one = mt.groupby(["committee_id", "_y"])["meeting_id"].agg(lambda s: s.iloc[0] if len(s) == 1 else None)
            decided = set(dec[0]["src"]) if dec else set()
            rest = a[~a["application_key"].isin(decided) & a["result"].notna()]  # undecided: no meeting decided it
            mid = [one.get((c, int(y)) if pd.notna(y) else None) for c, y in zip(rest["committee_id"], rest["year"])]
            dec.append(pd.DataFrame({"src": rest["application_key"].to_numpy(), "dst": mid,
                                     "_file": rest["_file"].to_numpy(), "_row": rest["_row"].to_numpy()}))
        if dec:
            d = pd.concat(dec, ignore_index=True).dropna(subset=["dst"])
            rels["DECIDED_IN"].append(d.assign(src_label="Application", dst_label="Meeting"))
    if "meetings" in t:
        rels["OF_COMMITTEE"].append(_rel(t["meetings"], "meeting_id", "committee_id", "Meeting", "Committee"))
    if "attendance" in t:
        rels["ATTENDED"].append(_rel(t["attendance"], "person_key", "meeting_id", "Person", "Meeting",
                                     ["expert_id", "role", "selection", "draw_scope"]))
    if "recusals" in t:
        rels["RECUSED"].append(_rel(t["recusals"], "person_key", "meeting_id", "Person", "Meeting",
                                    ["expert_id", "application_key", "initiated_by", "requested_on", "reason"]))
    if "relations" in t:
        rels["RELATED"].append(_rel(t["relations"], "a_key", "b_key", "Person", "Person",
                                    ["relation", "category", "start", "end", "source"]))
    if len(possibly):
        rels["POSSIBLY_SAME"].append(pd.DataFrame({"src": possibly["a"], "dst": possibly["b"], "src_label": "Person",
                                                   "dst_label": "Person", "reason": possibly["reason"],
                                                   "_file": None, "_row": None}))
    if "committees" in t:
        rels["ORGANIZED_BY"].append(_rel(t["committees"], "committee_id", "unit_key", "Committee", "Unit"))
    if "applications" in t and "agent" in t["applications"] and "intermediaries" in t:
        a = t["applications"]
        im = t["intermediaries"]
        by_name = {norm_unit_name(n): i for n, i in zip(im["name"], im["intermediary_id"]) if isinstance(n, str)}
        by_id = set(im["intermediary_id"])
        agent_key = a["agent"].map(lambda v: v if v in by_id else by_name.get(norm_unit_name(v)) if isinstance(v, str) else None)
        rels["SUBMITTED_VIA"].append(_rel(a.assign(_ik=agent_key), "application_key", "_ik", "Application",
                                          "Intermediary", ["year"]))
    if "intermediaries" in t and "person_key" in t["intermediaries"]:
        rels["LEGAL_REP_OF"].append(_rel(t["intermediaries"], "person_key", "intermediary_id", "Person",
                                         "Intermediary"))
    # Links: parties resolved by kind.
    if "links" in t:
        lk = t["links"]
        im_ids = set(t["intermediaries"]["intermediary_id"]) if "intermediaries" in t else set()
        im_names = {norm_unit_name(n): i for n, i in zip(t["intermediaries"]["name"], t["intermediaries"]["intermediary_id"])
                    if isinstance(n, str)} if "intermediaries" in t else {}
        ends = {}
        for side in ("from", "to"):
            kind = lk[f"{side}_kind"]
            key = pd.Series([None] * len(lk), index=lk.index, dtype=object)
            key[kind.eq("person")] = lk.loc[kind.eq("person"), f"{side}_person_key"]
            um = kind.eq("unit")
            if um.any():
                from ..loaders.normalize import norm_credit_code
                codes = lk.loc[um, f"{side}_key"].map(lambda v: norm_credit_code(v).value if isinstance(v, str) else None) \
                    if f"{side}_key" in lk else None
                key[um] = unit_col(lk.loc[um].assign(_c=codes), f"{side}_name", "_c").to_numpy()
            imm = kind.eq("intermediary")
            if imm.any():
                k = lk.loc[imm, f"{side}_key"] if f"{side}_key" in lk else pd.Series(None, index=lk.index[imm])
                n = lk.loc[imm, f"{side}_name"] if f"{side}_name" in lk else pd.Series(None, index=lk.index[imm])
                key[imm] = [kk if kk in im_ids else im_names.get(norm_unit_name(nn)) if isinstance(nn, str) else None
                            for kk, nn in zip(k, n)]
            ends[side] = key
        lab = {"person": "Person", "unit": "Unit", "intermediary": "Intermediary"}
        unresolved = (ends["from"].isna() | ends["to"].isna()).to_numpy()
        rej.add(lk, unresolved, "from_key/to_key", None, "关联线索的一方无法对应到已知的人员、单位或中介机构", REJECT)
        rels["LINKED"].append(_rel(lk, ends["from"], ends["to"], lk["from_kind"].map(lab), lk["to_kind"].map(lab),
                                   ["link", "amount", "on", "source"]))
    # Sanctions and complaints.
    if "sanctions" in t:
        s = t["sanctions"].copy()
        s["sanction_key"] = [hashlib.sha256(json.dumps([str(x) for x in r], ensure_ascii=False).encode()).hexdigest()[:16]
                             for r in s[[c for c in ("kind", "name", "id_number", "credit_code", "committee_id", "start",
                                                     "end") if c in s.columns]].itertuples(index=False)]
        nodes["Sanction"] = _cols(s, ["sanction_key", "kind", "start", "end", "source", "committee_id"])
        target = pd.Series([None] * len(s), index=s.index, dtype=object)
        tlabel = pd.Series([None] * len(s), index=s.index, dtype=object)
        pm = s["_is_person"]
        target[pm] = s.loc[pm, "person_key"]
        tlabel[pm] = "Person"
        cm = ~pm & s.get("committee_id", pd.Series([None] * len(s), index=s.index)).notna()
        target[cm] = s.loc[cm, "committee_id"]
        tlabel[cm] = "Committee"
        um = ~pm & ~cm
        if um.any():
            target[um] = unit_col(s.loc[um], "name", "credit_code").to_numpy()
            tlabel[um] = "Unit"
        rels["AGAINST"].append(_rel(s, "sanction_key", target, "Sanction", tlabel, ["kind", "start", "end"]))
    else:
        nodes["Sanction"] = pd.DataFrame(columns=["sanction_key"] + PROV)
    if "complaints" in t:
        c = t["complaints"]
        if "application_key" in c:
            rels["ABOUT"].append(_rel(c, "complaint_id", "application_key", "Complaint", "Application"))
        if "committee_id" in c:
            rels["ABOUT"].append(_rel(c, "complaint_id", "committee_id", "Complaint", "Committee"))
        if "person_key" in c:
            rels["ABOUT"].append(_rel(c, "complaint_id", "person_key", "Complaint", "Person"))

    # ---------------------------------------------------------------- identifiers
    id_parts: list[pd.DataFrame] = []
    if "applications" in t:
        a = t["applications"]
        id_parts += _identifier_rows(a, a["application_key"], "Application", None, "applications")
    if "experts" in t:
        e = t["experts"]
        id_parts += _identifier_rows(e, e["person_key"], "Person", e.get("pool_from"), "experts")
    if "intermediaries" in t:
        im = t["intermediaries"]
        id_parts += _identifier_rows(im, im["intermediary_id"], "Intermediary", None, "intermediaries")
    if "units" in t:
        u = t["units"]
        ukeys = units.resolve_many(u["name"], u.get("credit_code"), None)
        id_parts += _identifier_rows(u, ukeys, "Unit", None, "units")
    if id_parts:
        ids = pd.concat(id_parts, ignore_index=True)
        nodes["Identifier"] = ids.drop_duplicates("identifier_key")[["identifier_key", "kind", "v", "_file", "_row"]] \
            .rename(columns={"v": "value"}).reset_index(drop=True)
        rels["HAS_CONTACT"].append(pd.DataFrame({
            "src": ids["owner"], "dst": ids["identifier_key"], "src_label": ids["owner_label"],
            "dst_label": "Identifier", "since": ids["since"], "source_table": ids["source_table"],
            "_file": ids["_file"], "_row": ids["_row"]}).drop_duplicates(["src", "dst", "src_label", "_file", "_row"]))
    else:
        nodes["Identifier"] = pd.DataFrame(columns=["identifier_key", "kind", "value"] + PROV)

    # Units last: every mention above may have created one.
    un = pd.DataFrame(list(units.nodes.values()))
    if un.empty:
        un = pd.DataFrame(columns=["unit_key", "name", "credit_code", "kind", "rollup_key"] + PROV)
    nodes["Unit"] = un
    part_of = pd.DataFrame([(k, p) for k, p in units.parent.items()], columns=["src", "dst"])
    if len(part_of):
        prov = un.set_index("unit_key")[["_file", "_row"]]
        part_of = part_of.assign(src_label="Unit", dst_label="Unit").join(prov, on="src")
        rels["PART_OF"].append(part_of)

    # WORKS_AT as of a date: an application's employer holds from 1 January of its year to 30 June of the next,
    # a pool record's over its period; a person with employment history is answered by the history alone.
    if any(len(p) for p in rels["WORKS_AT"]):
        w = pd.concat([p for p in rels["WORKS_AT"] if len(p)], ignore_index=True)
        year = pd.to_numeric(w.get("year"), errors="coerce") if "year" in w else pd.Series(np.nan, index=w.index)
        start = pd.to_datetime(w["start"]) if "start" in w else pd.Series(pd.NaT, index=w.index)
        end = pd.to_datetime(w["end"]) if "end" in w else pd.Series(pd.NaT, index=w.index)
        by_year = year.notna() & start.isna()
        y = year.where(by_year)
        w["valid_from"] = start.where(~by_year, pd.to_datetime(
            {"year": y.fillna(2000), "month": 1, "day": 1}).where(by_year))
        w["valid_to"] = end.where(~by_year, pd.to_datetime(
            {"year": y.fillna(2000) + 1, "month": 6, "day": 30}).where(by_year))
        with_history = set(w.loc[w["basis"] == "history", "src"])
        w["effective"] = (w["basis"] == "history") | ~w["src"].isin(with_history)
        rels["WORKS_AT"] = [w]
    else:
        rels["WORKS_AT"] = [pd.DataFrame(columns=["src", "dst", "src_label", "dst_label", "basis", "valid_from",
                                                  "valid_to", "effective", *PROV])]

    rel_frames = {}
    for k, parts in rels.items():
        parts = [p for p in parts if len(p)]
        df = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
            columns=["src", "dst", "src_label", "dst_label"] + PROV)
        # A relationship is its content: two rows saying the same thing are one relationship
        # (the first keeps its provenance), as in Neo4j, where the writer MERGEs on a content id.
        content = [c for c in df.columns if c not in PROV]
        rel_frames[k] = df.loc[~df[content].astype(str).duplicated()].reset_index(drop=True)
    for label, nt in NODES.items():
        df = nodes.get(label, pd.DataFrame(columns=[nt.key] + PROV))
        nodes[label] = df.drop_duplicates(nt.key).reset_index(drop=True)

    # The latest date of any act in the data: the default as-of date for questions like "not answered yet".
    stamps = []
    for table, cols in (("meetings", ("held_on", "filed_on", "publicity_end", "notice_published_on")),
                        ("reviews", ("reviewed_on",)), ("staff_actions", ("on",)),
                        ("complaints", ("received_on", "accepted_on", "responded_on"))):
        for col in cols:
            if table in t and col in t[table]:
                stamps.append(pd.to_datetime(t[table][col]).max())
    stamps = [d for d in stamps if pd.notna(d)]
    latest = max(stamps).date().isoformat() if stamps else None
    rejects = pd.concat([result.rejects, rej.frame()], ignore_index=True) if len(rej.parts) else result.rejects
    return Store(nodes=nodes, rels=rel_frames, tables=t, merges=merges, mentions=mentions, rejects=rejects,
                 files=[f.__dict__ for f in result.files], errors=[str(e) for e in result.errors], notes=notes,
                 meta={"data_dir": str(result.data_dir), "data_fingerprint": _fingerprint(result),
                       "present": {k: sorted(v) for k, v in present.items()}, "latest_date": latest,
                       "file_errors": [{"file": e.file, "reason": e.message} for e in result.errors],
                       "read_as": [{"file": v.file, "sheet": v.sheet, "table": v.table, "how": v.how, "score": v.score,
                                    "reason": v.reason, "mapping_lines": v.mapping_lines} for v in result.read_as],
                       "mapping": ({"file": str(result.mapping.path), "fingerprint": result.mapping.fingerprint}
                                   if result.mapping is not None else None),
                       "other_files": list(result.unknown_files)})
