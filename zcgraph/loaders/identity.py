"""Identity resolution: one Person per real person, one Unit per real unit.

Persons: same valid id number -> same person (certain); same expert_id or
staff_id -> same person (certain); without a valid id on one side, same name +
full birth date (+ gender where both give it) -> probable, unless that would
join two different valid id numbers. Anything weaker (same name and employer)
never merges: it becomes a ``possibly_same`` link. Every merge records its
reason and confidence.

Units: one per valid credit code, else per normalised name; ``units.aliases``
map other spellings to the unit; a 内设机构 rolls up to its first ancestor that
is not a 内设机构.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from stdnum.cn import uscc

from .normalize import name_is_lossy, norm_unit_name

__all__ = ["UnitIndex", "resolve_units", "PersonResolver", "MERGE_REASONS"]

MERGE_REASONS = {
    "id_number": ("身份证号一致", 1.0),
    "expert_id": ("专家编号一致", 1.0),
    "staff_id": ("工作人员编号一致", 1.0),
    "name_birth": ("姓名与出生日期一致", 0.9),
}


# --------------------------------------------------------------------------- units

@dataclass
class UnitIndex:
    by_code: dict[str, str] = field(default_factory=dict)
    by_name: dict[str, str] = field(default_factory=dict)
    nodes: dict[str, dict] = field(default_factory=dict)  # unit_key -> properties
    parent: dict[str, str] = field(default_factory=dict)

    def _new(self, key: str, name: str | None, code: str | None, **props: object) -> str:
        node = self.nodes.setdefault(key, {"unit_key": key, "name": name, "credit_code": code, "kind": None,
                                           "region": None, "aliases": [], "listed": False,
                                           "_file": props.pop("_file", None), "_row": props.pop("_row", None)})
        for k, v in props.items():
            if v is not None and (node.get(k) in (None, [], False)):
                node[k] = v
        if name and not node.get("name"):
            node["name"] = name
        return key

    def resolve(self, name: object, code: object = None, code_valid: bool = False, _file: str | None = None,
                _row: int | None = None) -> str | None:
        """The unit a (name, credit code) mention means, creating one if unknown."""
        n = norm_unit_name(name) if isinstance(name, str) else None
        c = code if isinstance(code, str) and code_valid else None
        if c and c in self.by_code:
            key = self.by_code[c]
            if n and n not in self.by_name:
                self.by_name[n] = key
            return key
        if n and n in self.by_name:
            key = self.by_name[n]
            if c and not self.nodes[key].get("credit_code"):
                self.nodes[key]["credit_code"] = c
                self.by_code[c] = key
            return key
        if not n and not c:
            return None
        key = f"uscc:{c}" if c else f"name:{n}"
        self._new(key, n, c, _file=_file, _row=_row)
        if c:
            self.by_code[c] = key
        if n:
            self.by_name.setdefault(n, key)
        return key

    def rollup(self, key: str | None) -> str | None:
        """Climb 内设机构 parents to the first unit that is not a 内设机构."""
        seen = set()
        while key is not None and self.nodes.get(key, {}).get("kind") == "内设机构" and key in self.parent:
            if key in seen:
                break
            seen.add(key)
            key = self.parent[key]
        return key

    def resolve_many(self, names: pd.Series, codes: pd.Series | None = None,
                     valid: pd.Series | None = None, files: pd.Series | None = None,
                     rows: pd.Series | None = None) -> pd.Series:
        """Vectorised over distinct (name, code) pairs."""
        codes = codes if codes is not None else pd.Series(None, index=names.index, dtype=object)
        valid = valid if valid is not None else pd.Series(False, index=names.index)
        frame = pd.DataFrame({"n": names, "c": codes, "v": valid.fillna(False).astype(bool)})
        key = frame["n"].map(str) + "\x1f" + frame["c"].map(str) + "\x1f" + frame["v"].map(str)
        first = ~key.duplicated()
        lookup: dict[str, str | None] = {}
        for i in np.flatnonzero(first.to_numpy()):
            r = frame.iloc[i]
            lookup[key.iat[i]] = self.resolve(r.n, r.c, bool(r.v),
                                              files.iat[i] if files is not None else None,
                                              int(rows.iat[i]) if rows is not None else None)
        return key.map(lookup)


def resolve_units(units: pd.DataFrame | None) -> UnitIndex:
    """Seed the index with the units table (names, codes, aliases, parents, kinds)."""
    idx = UnitIndex()
    if units is None or units.empty:
        return idx
    pending_parent: list[tuple[str, str]] = []
    for r in units.to_dict("records"):
        code = r.get("credit_code")
        key = idx.resolve(r["name"], code, isinstance(code, str) and uscc.is_valid(code), r["_file"], int(r["_row"]))
        assert key is not None
        node = idx.nodes[key]
        node["listed"] = True
        for prop in ("kind", "region", "phone", "address"):
            v = r.get(prop)
            if v is not None and not (isinstance(v, float) and np.isnan(v)) and node.get(prop) is None:
                node[prop] = v
        for a in (r.get("aliases") or ()):
            na = norm_unit_name(a)
            if na:
                idx.by_name.setdefault(na, key)
                if na not in node["aliases"]:
                    node["aliases"].append(na)
        p = r.get("parent")
        if isinstance(p, str) and p:
            pending_parent.append((key, p))
    for key, p in pending_parent:
        pk = idx.resolve(p)
        if pk and pk != key:
            idx.parent[key] = pk
    return idx


# --------------------------------------------------------------------------- persons

class _UF:
    """Union-find that refuses to join two different valid id numbers."""

    def __init__(self, ids: list[str | None]) -> None:
        self.p = list(range(len(ids)))
        self.ids: list[set[str]] = [{i} if i else set() for i in ids]
        self.genders: list[set[str]] = [set() for _ in ids]

    def find(self, a: int) -> int:
        p = self.p
        while p[a] != a:
            p[a] = p[p[a]]
            a = p[a]
        return a

    def union(self, a: int, b: int, check_gender: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if self.ids[ra] and self.ids[rb] and self.ids[ra] != self.ids[rb]:
            return False
        if check_gender and self.genders[ra] and self.genders[rb] and self.genders[ra] != self.genders[rb]:
            return False
        if len(self.ids[ra]) < len(self.ids[rb]):
            ra, rb = rb, ra
        self.p[rb] = ra
        self.ids[ra] |= self.ids[rb]
        self.genders[ra] |= self.genders[rb]
        return True


MENTION_COLUMNS = ["table", "role", "_file", "_row", "name", "id_number", "id_valid", "birth_date", "birth_prec",
                   "gender", "expert_id", "staff_id", "unit_key"]


class PersonResolver:
    """Collects person mentions from every table, then resolves them at once."""

    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []

    def add(self, table: str, df: pd.DataFrame, *, name: str = "name", id_number: str = "id_number",
            birth_date: str | None = "birth_date", gender: str | None = "gender",
            expert_id: str | None = None, staff_id: str | None = None, unit_key: str | None = None,
            role: str | None = None) -> slice:
        """Register one mention per row; returns the slice of mention ids for these rows. ``role`` tells apart
        two people one row names (a relation's a and b sides): an unresolved mention's key is
        ``m:ROLE:file:row``, so the two sides of one row never become one person."""
        start = sum(len(p) for p in self.parts)
        n = len(df)

        def col(c: str | None, default: object = None) -> pd.Series:
            if c and c in df.columns:
                return df[c].reset_index(drop=True)
            return pd.Series([default] * n, dtype=object)

        part = pd.DataFrame({
            "table": table, "role": role or table, "_file": col("_file"), "_row": col("_row"),
            "name": col(name), "id_number": col(id_number),
            "id_valid": col(f"{id_number}_valid", False).fillna(False).astype(bool),
            "birth_date": col(birth_date) if birth_date else pd.Series([pd.NaT] * n),
            "birth_prec": col(f"{birth_date}_prec") if birth_date else pd.Series([None] * n, dtype=object),
            "gender": col(gender), "expert_id": col(expert_id), "staff_id": col(staff_id),
            "unit_key": col(unit_key),
        })
        self.parts.append(part)
        return slice(start, start + n)

    def resolve(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Returns ``(mentions with person_key, persons, merges, possibly_same)``."""
        m = pd.concat(self.parts, ignore_index=True) if self.parts else pd.DataFrame(columns=MENTION_COLUMNS)
        n = len(m)
        valid_id = m["id_number"].where(m["id_valid"], None)
        uf = _UF(valid_id.tolist())
        for i, g in enumerate(m["gender"].tolist()):
            if isinstance(g, str) and g in ("男", "女"):
                uf.genders[i].add(g)
        merges: list[tuple[int, int, str]] = []

        def union_groups(keys: pd.Series, reason: str, check_gender: bool = False) -> None:
            ok = keys.notna()
            if not ok.any():
                return
            sub = pd.DataFrame({"k": keys[ok], "i": np.flatnonzero(ok.to_numpy())})
            firsts = sub.groupby("k", sort=False)["i"].transform("first").to_numpy()
            for a, b in zip(firsts, sub["i"].to_numpy()):
                if a != b:
                    ra, rb = uf.find(a), uf.find(b)
                    if uf.union(a, b, check_gender):
                        merges.append((int(ra), int(rb), reason))

        union_groups(valid_id, "id_number")
        union_groups(m["expert_id"].where(m["expert_id"].astype(str).str.len() > 0), "expert_id")
        union_groups(m["staff_id"].where(m["staff_id"].astype(str).str.len() > 0), "staff_id")

        # Name + full birth date: only where no two different valid ids would be joined (the
        # union-find refuses those) and the genders agree.
        clean_name = m["name"].where(m["name"].map(lambda s: isinstance(s, str) and not name_is_lossy(s)), None)
        full_bd = m["birth_prec"].eq("D") & m["birth_date"].notna()
        nb_key = (clean_name + "|" + pd.to_datetime(m["birth_date"]).dt.strftime("%Y-%m-%d")).where(full_bd & clean_name.notna())
        # Ambiguity: if a (name, birth date) group holds two or more different valid ids, a
        # mention without an id cannot tell which one it is: it merges with neither.
        if nb_key.notna().any():
            grp = pd.DataFrame({"k": nb_key, "id": valid_id})
            nid = grp.dropna(subset=["k"]).groupby("k")["id"].nunique()
            ambiguous = set(nid[nid > 1].index)
            union_groups(nb_key.where(~nb_key.isin(ambiguous)), "name_birth", check_gender=True)
        else:
            ambiguous = set()

        roots = np.fromiter((uf.find(i) for i in range(n)), dtype=np.int64, count=n)
        m["_root"] = roots
        # Person key: the valid id; else the expert/staff id; else name+birth date; else the mention.
        def first_nonnull(col: pd.Series) -> pd.Series:
            return col.groupby(roots).first()

        kid = first_nonnull(valid_id)
        kexp = first_nonnull(m["expert_id"].where(m["expert_id"].astype(str).str.len() > 0))
        kstaff = first_nonnull(m["staff_id"].where(m["staff_id"].astype(str).str.len() > 0))
        knb = first_nonnull(nb_key)
        kmention = pd.Series(
            (m["role"] + ":" + m["_file"].astype(str) + ":" + m["_row"].astype(str)).groupby(roots).first())
        key = ("id:" + kid).where(kid.notna(), None)
        key = key.where(key.notna(), ("expert:" + kexp).where(kexp.notna()))
        key = key.where(key.notna(), ("staff:" + kstaff).where(kstaff.notna()))
        key = key.where(key.notna(), ("nb:" + knb).where(knb.notna()))
        key = key.where(key.notna(), "m:" + kmention)
        m["person_key"] = key.reindex(roots).to_numpy()

        # Person nodes: best values across mentions (valid id first, then the first given).
        order = m.assign(_v=~m["id_valid"]).sort_values(["_v"], kind="stable")
        g = order.groupby("person_key", sort=True)
        persons = pd.DataFrame({
            "name": g["name"].first(),
            "id_number": g["id_number"].first(),
            "id_valid": g["id_valid"].max(),
            "gender": g["gender"].first(),
            "birth_date": g["birth_date"].first(),
            "expert_ids": g["expert_id"].agg(lambda s: sorted({x for x in s if isinstance(x, str) and x})),
            "staff_ids": g["staff_id"].agg(lambda s: sorted({x for x in s if isinstance(x, str) and x})),
            "mentions": g.size(),
            "_file": g["_file"].first(),
            "_row": g["_row"].first(),
        }).reset_index()

        root_key = dict(zip(roots.tolist(), m["person_key"].tolist()))
        mg = pd.DataFrame(merges, columns=["a", "b", "reason"])
        if len(mg):
            mg["person_key"] = mg["a"].map(lambda r: root_key.get(uf.find(r)))
            mg["reason_zh"] = mg["reason"].map(lambda r: MERGE_REASONS[r][0])
            mg["confidence"] = mg["reason"].map(lambda r: MERGE_REASONS[r][1])
            where = m["_file"].astype(str) + ":" + m["_row"].astype(str)  # a mention as file:row
            mg["mention_a"] = mg["a"].map(where)
            mg["mention_b"] = mg["b"].map(where)
            mg = mg.drop(columns=["a", "b"])
        else:
            mg = pd.DataFrame(columns=["reason", "person_key", "reason_zh", "confidence", "mention_a", "mention_b"])

        # possibly_same: same clean name and same unit, or an ambiguous name+birth date, but different persons.
        ps_parts = []
        for keycol, reason in ((clean_name + "|" + m["unit_key"].astype(str)).where(clean_name.notna() & m["unit_key"].notna()),
                               "姓名与单位相同"), (nb_key.where(nb_key.isin(ambiguous)), "姓名与出生日期相同但身份证号不同或缺失"):
            sub = pd.DataFrame({"k": keycol, "p": m["person_key"]}).dropna().drop_duplicates()
            multi = sub[sub.duplicated("k", keep=False)]
            for _, grp in multi.groupby("k"):
                ps = sorted(grp["p"])
                for i in range(len(ps)):
                    for j in range(i + 1, len(ps)):
                        ps_parts.append((ps[i], ps[j], reason))
        possibly = pd.DataFrame(ps_parts, columns=["a", "b", "reason"]).drop_duplicates(["a", "b"])
        return m.drop(columns=["_root"]), persons, mg, possibly
