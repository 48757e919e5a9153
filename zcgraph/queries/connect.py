"""How are these two connected? Every shortest chain of ties between two parties, on both backends.

A **tie** is a relationship of the graph that means the two ends know of each other, with the dates it held:

============== ================================= ============ ===================================
group (--via)  relationship                      strength     held
============== ================================= ============ ===================================
kin/academic/  RELATED (by its category)         3 (other: 2) from ``start`` to ``end``
other
unit           WORKS_AT (the answered periods),  3            ``valid_from`` to ``valid_to``
               PART_OF (a department's unit)                  always
intermediary   SUBMITTED_VIA, LINKED,            3            LINKED from ``on``; else always
               LEGAL_REP_OF
contact        HAS_CONTACT to a phone or e-mail  2            from ``since`` (free-mail domains are
               (whole values)                                 never a tie: only whole addresses are)
review         REVIEWED                          3            from ``reviewed_on``
meeting        ATTENDED (the same meeting)       1            from the meeting's ``held_on``
same           POSSIBLY_SAME (a probable merge)  1            always
(always)       APPLIED (an applicant's own       3            always
               application)
============== ================================= ============ ===================================

A tie that is an event (an act, an attendance, a contact first seen) holds from its date on: it happened, and
stays known. ``--as-of D`` keeps the ties that held on D. Chains are the shortest (fewest ties) up to
``max_hops``; each pair of consecutive nodes is one step per distinct tie (kind and relation) between them,
shown by its earliest record. Chains rank shorter first, then by their weakest tie, then by the sum of their
ties, then by the nodes they pass (so both backends order them alike).

The embedded backend builds the tie graph once per store (a NetworkX ``Graph``, one edge a node pair, its
records in a frame) and searches it breadth-first from both ends at once; Neo4j runs ``allShortestPaths`` over
the same relationships with the dates and kinds in the query, values only as parameters. Both hand their
records to the same step and ranking code, so the same data gives the same chains.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..graph.model import LABELS_ZH, NODES
from ..graph.store import Store

if TYPE_CHECKING:
    from neo4j import Driver

__all__ = [
    "MAX_HOPS",
    "VIA",
    "Chain",
    "ConnectError",
    "Party",
    "Step",
    "TieGraph",
    "chains_embedded",
    "chains_neo4j",
    "rank",
    "resolve",
]

MAX_HOPS = 8  # the most a query may ask for (the Cypher pattern's upper bound)
CAP = 2000  # node paths enumerated at most (hubs make millions); the count of all of them is still given
CONTACT_KINDS = ("mobile", "phone", "email")
CATEGORIES = (None, "kin", "academic", "other")  # a relation's category by its code in the tie graph (0: none)
TIE_TYPES = ("RELATED", "WORKS_AT", "PART_OF", "SUBMITTED_VIA", "LINKED", "LEGAL_REP_OF", "HAS_CONTACT",
             "REVIEWED", "APPLIED", "ATTENDED", "POSSIBLY_SAME")
VIA: dict[str, tuple[str, ...]] = {  # --via group -> relationship types (RELATED by category)
    "kin": ("RELATED",), "academic": ("RELATED",), "other": ("RELATED",), "unit": ("WORKS_AT", "PART_OF"),
    "intermediary": ("SUBMITTED_VIA", "LINKED", "LEGAL_REP_OF"), "contact": ("HAS_CONTACT",),
    "review": ("REVIEWED",), "meeting": ("ATTENDED",), "same": ("POSSIBLY_SAME",),
}
VIA_ZH = {"kin": "亲属", "academic": "师生/合著", "other": "其他社会关系", "unit": "同单位", "intermediary": "中介",
          "contact": "共用联系方式", "review": "评审行为", "meeting": "同场会议", "same": "同一人(疑似)"}
STRENGTH = {"RELATED": 3, "WORKS_AT": 3, "PART_OF": 3, "SUBMITTED_VIA": 3, "LINKED": 3, "LEGAL_REP_OF": 3,
            "HAS_CONTACT": 2, "REVIEWED": 3, "APPLIED": 3, "ATTENDED": 1, "POSSIBLY_SAME": 1}
STRENGTH_ZH = {3: "记录在案", 2: "共用联系方式或其他关系", 1: "疑似同一人或同场会议"}
KEYS = {label: nt.key for label, nt in NODES.items()}


class ConnectError(ValueError):
    """A party that cannot be resolved (none, or several: the candidates are listed), or a bad option."""

    def __init__(self, message: str, candidates: list[Party] | None = None) -> None:
        super().__init__(message)
        self.candidates = candidates or []


@dataclass(frozen=True)
class Party:
    label: str
    key: str
    caption: str  # masked unless revealed
    how: str  # what the query text was read as


@dataclass
class Step:
    a: tuple[str, str]  # (label, key) of the step's first node, in chain order
    b: tuple[str, str]
    type: str
    relation: str | None  # RELATED: 配偶, 合著…; LINKED: its kind
    start: str | None  # ISO dates the tie held from / to (None: open)
    end: str | None
    source_file: str | None
    source_row: int | None
    forward: bool  # the relationship runs a → b (else b → a)
    records: int = 1  # records behind this step (acts in several stages, the same relation twice…)

    @property
    def strength(self) -> int:
        if self.type == "RELATED" and self.relation_category == "other":
            return 2
        return STRENGTH[self.type]

    relation_category: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"from": list(self.a), "to": list(self.b), "type": self.type, "type_zh": LABELS_ZH.get(self.type),
                "relation": self.relation, "start": self.start, "end": self.end, "source_file": self.source_file,
                "source_row": self.source_row, "forward": self.forward, "records": self.records,
                "strength": self.strength, "probable": self.type == "POSSIBLY_SAME"}


@dataclass
class Chain:
    nodes: list[tuple[str, str]]
    steps: list[Step] = field(default_factory=list)
    # persons the chain passes whose records were joined by a probable merge: (label, key) -> "reason (confidence)"
    probable_nodes: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def hops(self) -> int:
        return len(self.steps)

    @property
    def weakest(self) -> int:
        """Its weakest tie; passing through a probable identity merge is as weak as a probable tie."""
        return min([s.strength for s in self.steps] + ([1] if self.probable_nodes else []), default=3)

    def sort_key(self) -> tuple:
        return (self.hops, -self.weakest, -sum(s.strength for s in self.steps),
                tuple(self.nodes), tuple((s.type, s.relation or "") for s in self.steps))

    def as_dict(self) -> dict[str, Any]:
        return {"hops": self.hops, "weakest": self.weakest, "weakest_zh": STRENGTH_ZH[self.weakest],
                "probable": bool(self.probable_nodes) or any(s.type == "POSSIBLY_SAME" for s in self.steps),
                "probable_merges": [{"node": list(n), "reason": r} for n, r in sorted(self.probable_nodes.items())],
                "nodes": [list(n) for n in self.nodes], "steps": [s.as_dict() for s in self.steps]}


def _int(v: Any) -> int | None:
    try:
        return None if v is None or pd.isna(v) else int(v)
    except (TypeError, ValueError):
        return None


def _opt(v: Any) -> str | None:
    if v is None:
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return str(v)


# --------------------------------------------------------------------------- steps and ranking (both backends)

Record = tuple  # (type, relation, category, start, end, file, row, src(label,key), dst(label,key))


def _steps(u: tuple[str, str], v: tuple[str, str], records: Iterable[Record]) -> list[Step]:
    """The records between two consecutive nodes as steps: one per (type, relation), shown by its earliest
    record (start, then file and row)."""
    groups: dict[tuple[str, str | None], list[Record]] = {}
    for r in records:
        groups.setdefault((r[0], r[1]), []).append(r)
    out = []
    for (rtype, relation), recs in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        first = min(recs, key=lambda r: (r[3] is None, r[3] or "", r[5] or "", r[6] if r[6] is not None else -1,
                                         r[4] or ""))
        out.append(Step(u, v, rtype, relation, first[3], first[4], first[5], first[6], first[7] == u, len(recs),
                        relation_category=first[2]))
    return out


def _expand(nodes: list[tuple[str, str]], between: Any) -> list[Chain]:
    """A node path as chains: the product of the distinct ties between each consecutive pair."""
    chains = [Chain(list(nodes))]
    for u, v in itertools.pairwise(nodes):
        options = _steps(u, v, between(u, v))
        chains = [Chain(c.nodes, c.steps + [s]) for c in chains for s in options]
    return chains


def rank(chains: list[Chain], limit: int | None = None, probable: dict[tuple[str, str], str] | None = None
         ) -> list[Chain]:
    """Chains in rank order, each marked with the probable identity merges it passes through (a node the chain
    goes *through*: an end is who was asked about)."""
    for c in chains:
        c.probable_nodes = {n: probable[n] for n in c.nodes[1:-1] if probable and n in probable}
    out = sorted(chains, key=Chain.sort_key)
    return out if limit is None else out[:limit]


def probable_persons(store: Store) -> dict[tuple[str, str], str]:
    """Persons whose records were joined by a merge short of certain (name and birth date): the reason and
    confidence, as the chain shows them."""
    m = store.merges
    if m.empty or "confidence" not in m:
        return {}
    weak = m[m["confidence"].astype(float) < 1.0]
    return {("Person", str(k)): f"{r}(置信度 {c:.1f})"
            for k, r, c in zip(weak["person_key"], weak["reason_zh"], weak["confidence"].astype(float))}


def _check(max_hops: int, via: Iterable[str] | None) -> tuple[str, ...]:
    if not 1 <= max_hops <= MAX_HOPS:
        raise ConnectError(f"--max-hops 应为 1 到 {MAX_HOPS}(收到 {max_hops})")
    groups = tuple(via) if via else tuple(VIA)
    bad = [g for g in groups if g not in VIA]
    if bad:
        raise ConnectError(f"--via 只能是 {','.join(VIA)}(收到 {','.join(bad)})")
    return groups


# --------------------------------------------------------------------------- the embedded tie graph

class TieGraph:
    """The tie graph of a store as compressed adjacency arrays: nodes are numbered per label, each record (one
    relationship row that can be a tie) is one undirected edge, listed from both ends (``indptr``/``nbr``/
    ``rec``). Record columns are arrays (type, relation and file as codes, dates as datetime64), so ``--via``
    and ``--as-of`` become one vectorised mask over every record, and a search step is array arithmetic over a
    whole frontier. Built once per store. (A NetworkX graph of the province's 4.4 million records took 170 s and
    2.6 GB to build and 1.3 s a query; NetworkX stays the tests' oracle for the search.)"""

    def __init__(self, store: Store | None = None) -> None:
        if store is None:
            return
        self.store = store
        self._build(store)

    @classmethod
    def of(cls, store: Store) -> TieGraph:
        """The store's tie graph, built on first use and kept with the store (not saved: it is rebuilt)."""
        if "_tie_graph" not in store.__dict__:
            store.__dict__["_tie_graph"] = cls(store)
        return store.__dict__["_tie_graph"]

    @classmethod
    def from_edges(cls, n: int, u: np.ndarray, v: np.ndarray) -> TieGraph:
        """A bare graph of ``n`` nodes and one record per (u[i], v[i]) (the property test's)."""
        tg = cls()
        tg.labels = ["N"]
        tg.keys = {"N": np.array([str(x) for x in range(n)], dtype=object)}
        tg.offset = {"N": 0}
        tg.n = n
        tg._adjacency(np.asarray(u, dtype=np.int64), np.asarray(v, dtype=np.int64))
        return tg

    # ---------------------------------------------------------------- building
    def _build(self, store: Store) -> None:
        held = store.nodes["Meeting"].set_index("meeting_id")["held_on"] if len(store.nodes["Meeting"]) else None
        kinds = store.nodes["Identifier"].set_index("identifier_key")["kind"]
        parts = []
        for t, rtype in enumerate(TIE_TYPES):
            df = store.rels[rtype]
            if df.empty:
                continue
            keep = np.ones(len(df), dtype=bool)
            start = end = None
            relation = category = None
            if rtype == "RELATED":
                start, end, relation, category = df["start"], df["end"], df["relation"], df["category"]
            elif rtype == "WORKS_AT":
                keep = df["effective"].fillna(False).astype(bool).to_numpy()
                start, end = df["valid_from"], df["valid_to"]
            elif rtype == "LINKED":
                start, relation = df["on"], df["link"]
            elif rtype == "HAS_CONTACT":
                keep = df["dst"].map(kinds).isin(CONTACT_KINDS).to_numpy()
                start = df["since"]
            elif rtype == "REVIEWED":
                start = df["reviewed_on"]
            elif rtype == "ATTENDED" and held is not None:
                start = df["dst"].map(held)
            elif rtype == "POSSIBLY_SAME":
                relation = df["reason"]  # why the two records may be one person
            nat = pd.Series(pd.NaT, index=df.index, dtype="datetime64[s]")
            parts.append(pd.DataFrame({
                "type": np.int8(t), "src": df["src"].astype(str), "dst": df["dst"].astype(str),
                "src_label": df["src_label"].astype(str), "dst_label": df["dst_label"].astype(str),
                "relation": relation if relation is not None else None,
                "category": category if category is not None else None,
                "start": pd.to_datetime(start if start is not None else nat, errors="coerce").astype("datetime64[s]"),
                "end": pd.to_datetime(end if end is not None else nat, errors="coerce").astype("datetime64[s]"),
                "file": df["_file"], "row": pd.to_numeric(df["_row"], errors="coerce")})[keep])
        e = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
            columns=["type", "src", "dst", "src_label", "dst_label", "relation", "category", "start", "end", "file",
                     "row"])
        # nodes, numbered per label
        self.labels = sorted(set(e["src_label"]) | set(e["dst_label"]))
        self.keys, self.offset, self.n = {}, {}, 0
        for lab in self.labels:
            ks = pd.unique(pd.concat([e.loc[e["src_label"] == lab, "src"], e.loc[e["dst_label"] == lab, "dst"]]))
            self.keys[lab] = np.asarray(ks, dtype=object)
            self.offset[lab] = self.n
            self.n += len(ks)
        self._index = {lab: pd.Index(self.keys[lab]) for lab in self.labels}
        u = np.empty(len(e), dtype=np.int64)
        v = np.empty(len(e), dtype=np.int64)
        for lab in self.labels:
            m = (e["src_label"] == lab).to_numpy()
            u[m] = self._index[lab].get_indexer(e.loc[m, "src"]) + self.offset[lab]
            m = (e["dst_label"] == lab).to_numpy()
            v[m] = self._index[lab].get_indexer(e.loc[m, "dst"]) + self.offset[lab]
        # record columns as arrays and codes
        self.r_type = e["type"].to_numpy(dtype=np.int8)
        self.r_rel_codes, self.r_rel_names = pd.factorize(e["relation"].astype(object))
        self.r_cat_code = e["category"].map({c: i for i, c in enumerate(CATEGORIES) if c}).fillna(0) \
            .to_numpy(dtype=np.int8)
        self.r_start = e["start"].to_numpy(dtype="datetime64[D]")
        self.r_end = e["end"].to_numpy(dtype="datetime64[D]")
        self.r_file_codes, self.r_file_names = pd.factorize(e["file"].astype(object))
        self.r_row = e["row"].to_numpy(dtype=float)
        self._adjacency(u, v)

    def _adjacency(self, u: np.ndarray, v: np.ndarray) -> None:
        self.r_u, self.r_v = u, v
        rec = np.arange(len(u), dtype=np.int64)
        loop = u == v
        frm = np.concatenate([u[~loop], v[~loop]])
        to = np.concatenate([v[~loop], u[~loop]])
        rr = np.concatenate([rec[~loop], rec[~loop]])
        order = np.argsort(frm, kind="stable")
        self.nbr = to[order].astype(np.int64)
        self.rec = rr[order].astype(np.int64)
        self.indptr = np.zeros(self.n + 1, dtype=np.int64)
        np.cumsum(np.bincount(frm, minlength=self.n), out=self.indptr[1:])

    # ---------------------------------------------------------------- nodes
    def node(self, label: str, key: str) -> int | None:
        ids = self.__dict__.setdefault("_ids", {})
        if (label, key) in ids:
            return ids[(label, key)]
        ids[(label, key)] = self._node(label, key)
        return ids[(label, key)]

    def _node(self, label: str, key: str) -> int | None:
        idx = getattr(self, "_index", None)
        if idx is None:
            idx = self._index = {lab: pd.Index(self.keys[lab]) for lab in self.labels}
        if label not in idx:
            return None
        loc = idx[label].get_indexer([key])[0]
        return None if loc < 0 else int(loc + self.offset[label])

    def name(self, i: int) -> tuple[str, str]:
        names = self.__dict__.setdefault("_names", {})
        if i in names:
            return names[i]
        for lab in reversed(self.labels):
            if i >= self.offset[lab]:
                names[i] = (lab, str(self.keys[lab][i - self.offset[lab]]))
                return names[i]
        raise IndexError(i)

    @property
    def edge_count(self) -> int:
        """Distinct node pairs joined by at least one record."""
        lo, hi = np.minimum(self.r_u, self.r_v), np.maximum(self.r_u, self.r_v)
        keep = lo != hi
        return len(np.unique(lo[keep] * max(self.n, 1) + hi[keep]))

    # ---------------------------------------------------------------- filters
    def allowed(self, groups: tuple[str, ...], as_of: str | None) -> np.ndarray:
        """Which records are ties under ``--via`` and ``--as-of`` (vectorised over every record)."""
        types = {t for g in groups for t in VIA[g]} | {"APPLIED"}
        lut = np.zeros(len(TIE_TYPES), dtype=bool)
        lut[[TIE_TYPES.index(t) for t in types]] = True
        ok = lut[self.r_type]  # a table lookup per record, not a set test
        if "RELATED" in types:
            ok &= np.array([c is None or c in groups for c in CATEGORIES])[self.r_cat_code]
        if as_of is not None:
            on = np.datetime64(as_of, "D")
            ok &= (np.isnat(self.r_start) | (self.r_start <= on)) & (np.isnat(self.r_end) | (on <= self.r_end))
        return ok

    def record(self, i: int) -> Record:
        def day(d: np.datetime64) -> str | None:
            return None if np.isnat(d) else str(d)

        rel = self.r_rel_codes[i]
        f = self.r_file_codes[i]
        row = self.r_row[i]
        return (TIE_TYPES[self.r_type[i]], None if rel < 0 else str(self.r_rel_names[rel]),
                CATEGORIES[self.r_cat_code[i]],
                day(self.r_start[i]), day(self.r_end[i]), None if f < 0 else str(self.r_file_names[f]),
                None if np.isnan(row) else int(row), self.name(int(self.r_u[i])), self.name(int(self.r_v[i])))

    def between(self, ok: np.ndarray) -> Any:
        """The allowed records between two nodes, remembered for the query (paths share their pairs)."""
        memo: dict[tuple, list[Record]] = {}

        def records(u: tuple[str, str], v: tuple[str, str]) -> list[Record]:
            if (u, v) not in memo:
                iu, iv = self.node(*u), self.node(*v)
                sl = slice(self.indptr[iu], self.indptr[iu + 1])
                hit = self.rec[sl][(self.nbr[sl] == iv) & ok[self.rec[sl]]]
                memo[(u, v)] = [self.record(int(r)) for r in np.unique(hit)]
            return memo[(u, v)]
        return records

    # ---------------------------------------------------------------- search
    def _expand(self, front: np.ndarray, ok: np.ndarray, dist: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(new nodes, their predecessors) one step from the frontier over allowed records, each pair once."""
        starts, ends = self.indptr[front], self.indptr[front + 1]
        counts = ends - starts
        if not counts.sum():
            return np.empty(0, np.int64), np.empty(0, np.int64)
        idx = np.repeat(starts - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts) + np.arange(counts.sum())
        src = np.repeat(front, counts)
        nb = self.nbr[idx]
        keep = ok[self.rec[idx]] & (dist[nb] < 0)
        nb, src = nb[keep], src[keep]
        pair = np.unique(nb * self.n + src)
        return pair // self.n, pair % self.n  # sorted by node, then predecessor

    def shortest(self, a: Any, b: Any, ok: np.ndarray, max_hops: int, cap: int = CAP
                 ) -> tuple[list[list[Any]], bool]:
        """Every shortest node path from a to b within max_hops over allowed records, breadth-first from both
        ends (the frontier with fewer records to look at grows first); and whether ``cap`` cut the enumeration.
        Nodes are given and returned as ``(label, key)``, or as numbers in a bare graph."""
        named = isinstance(a, tuple)
        ia = self.node(*a) if named else int(a)
        ib = self.node(*b) if named else int(b)
        if ia is None or ib is None:
            return [], False
        if ia == ib:
            return [[a]], False
        dist = (np.full(self.n, -1, dtype=np.int32), np.full(self.n, -1, dtype=np.int32))
        dist[0][ia], dist[1][ib] = 0, 0
        levels: tuple[list, list] = ([None], [None])  # per side, per depth: (nodes sorted, their predecessors)
        front = [np.array([ia]), np.array([ib])]
        depth = [0, 0]
        while len(front[0]) and len(front[1]) and depth[0] + depth[1] < max_hops:
            work = [int((self.indptr[f + 1] - self.indptr[f]).sum()) for f in front]
            side = 0 if work[0] <= work[1] else 1
            nodes, preds = self._expand(front[side], ok, dist[side])
            depth[side] += 1
            new = np.unique(nodes)
            dist[side][new] = depth[side]
            levels[side].append((nodes, preds))
            front[side] = new
            meet = new[dist[1 - side][new] >= 0]
            if len(meet):
                total = dist[0][meet] + dist[1][meet]
                best = int(total.min())
                if best > max_hops:
                    return [], False
                paths: list[list[int]] = []
                mids = sorted(meet[total == best].tolist())
                memo: tuple[dict, dict] = ({}, {})
                self.last_count = sum(self._count(levels[0], dist[0], m, memo[0]) *
                                      self._count(levels[1], dist[1], m, memo[1]) for m in mids)
                for m in mids:
                    for left in self._walk(levels[0], dist[0], m):
                        for right in self._walk(levels[1], dist[1], m):
                            paths.append(left[::-1] + right[1:])
                            if len(paths) >= cap:  # cut only if there were more
                                return self._named(paths, named), self.last_count > cap
                return self._named(paths, named), False
        return [], False

    def _named(self, paths: list[list[int]], named: bool) -> list[list[Any]]:
        return [[self.name(i) for i in p] for p in paths] if named else paths

    @staticmethod
    def _count(levels: list, dist: np.ndarray, node: int, memo: dict) -> int:
        """How many shortest paths lead from node back to its side's end (without listing them)."""
        if node in memo:
            return memo[node]
        d = int(dist[node])
        if d == 0:
            return 1
        nodes, preds = levels[d]
        lo, hi = np.searchsorted(nodes, node, "left"), np.searchsorted(nodes, node, "right")
        memo[node] = sum(TieGraph._count(levels, dist, int(p), memo) for p in preds[lo:hi])
        return memo[node]

    @staticmethod
    def _walk(levels: list, dist: np.ndarray, node: int) -> Iterable[list[int]]:
        """Every path from node back to its side's end through the per-level predecessor arrays (node first)."""
        stack = [(node, [node])]
        while stack:
            n, path = stack.pop()
            d = int(dist[n])
            if d == 0:
                yield path
                continue
            nodes, preds = levels[d]
            lo, hi = np.searchsorted(nodes, n, "left"), np.searchsorted(nodes, n, "right")
            for p in sorted(preds[lo:hi].tolist(), reverse=True):
                stack.append((p, path + [p]))


@dataclass
class Found:
    chains: list[Chain]
    total: int  # chains before the limit
    truncated: bool  # the enumeration of paths was capped
    paths: int | None = None  # shortest node paths in all (counted, not listed), where known


def chains_embedded(store: Store, a: tuple[str, str], b: tuple[str, str], as_of: str | None = None,
                    max_hops: int = 4, via: Iterable[str] | None = None, limit: int | None = 50) -> Found:
    groups = _check(max_hops, via)
    tg = TieGraph.of(store)
    ok = tg.allowed(groups, as_of)
    tg.last_count = 0
    paths, cut = tg.shortest(a, b, ok, max_hops)
    between = tg.between(ok)
    chains = [c for p in paths for c in _expand(p, between)]
    return Found(rank(chains, limit, probable_persons(store)), len(chains), cut, tg.last_count if paths else 0)


# --------------------------------------------------------------------------- Neo4j

_NODE_KEY = ("CASE WHEN n:Person THEN n.person_key WHEN n:Application THEN n.application_key "
             "WHEN n:Unit THEN n.unit_key WHEN n:Intermediary THEN n.intermediary_id "
             "WHEN n:Identifier THEN n.identifier_key WHEN n:Meeting THEN n.meeting_id END")
_LABEL = ("CASE WHEN n:Person THEN 'Person' WHEN n:Application THEN 'Application' WHEN n:Unit THEN 'Unit' "
          "WHEN n:Intermediary THEN 'Intermediary' WHEN n:Identifier THEN 'Identifier' WHEN n:Meeting THEN 'Meeting' END")


def cypher(a_label: str, b_label: str, max_hops: int) -> str:
    """The query between a node of ``a_label`` and one of ``b_label``: labels, types and key names are the
    graph model's (quoted), the hop bound a checked integer (a quantifier takes no parameter), every value a
    parameter. ``ALL SHORTEST`` with the tie conditions inside the quantified pattern: Neo4j applies them while
    it searches (``allShortestPaths`` with the same conditions in a WHERE fell back to enumerating every path
    and ran out of time on the demo)."""
    from ..graph.neo4j_writer import quote

    if not isinstance(max_hops, int) or not 1 <= max_hops <= MAX_HOPS:
        raise ConnectError(f"--max-hops 应为 1 到 {MAX_HOPS}")
    types = "|".join(TIE_TYPES)  # the model's own names, never input
    start = ("CASE type(r) WHEN 'RELATED' THEN r.`start` WHEN 'WORKS_AT' THEN r.valid_from WHEN 'LINKED' THEN r.`on` "
             "WHEN 'HAS_CONTACT' THEN r.since WHEN 'REVIEWED' THEN r.reviewed_on "
             "WHEN 'ATTENDED' THEN CASE WHEN x:Meeting THEN x.held_on ELSE y.held_on END ELSE null END")
    end = "CASE type(r) WHEN 'RELATED' THEN r.`end` WHEN 'WORKS_AT' THEN r.valid_to ELSE null END"
    held = (f"type(r) IN $types AND (type(r) <> 'RELATED' OR r.category IN $categories) "
            f"AND (type(r) <> 'WORKS_AT' OR coalesce(r.effective, false)) "
            f"AND (NOT x:Identifier OR x.kind IN $contact_kinds) AND (NOT y:Identifier OR y.kind IN $contact_kinds) "
            f"AND ($on IS NULL OR (({start}) IS NULL OR ({start}) <= $on) AND (({end}) IS NULL OR $on <= ({end})))")
    out_start = start.replace("CASE WHEN x:Meeting THEN x.held_on ELSE y.held_on END", "endNode(r).held_on")
    return (
        f"MATCH (a:{quote(a_label)} {{{quote(KEYS[a_label])}: $a_key}}) "
        f"MATCH (b:{quote(b_label)} {{{quote(KEYS[b_label])}: $b_key}}) "
        f"MATCH p = ALL SHORTEST (a) ((x)-[r:{types}]-(y) WHERE {held}){{1,{max_hops}}} (b) "
        "WITH p LIMIT $cap "
        f"RETURN [n IN nodes(p) | [{_LABEL}, {_NODE_KEY}]] AS nodes, "
        f"[r IN relationships(p) | [type(r), CASE type(r) WHEN 'RELATED' THEN r.relation WHEN 'LINKED' THEN r.link "
        f"WHEN 'POSSIBLY_SAME' THEN r.reason ELSE null END, CASE type(r) WHEN 'RELATED' THEN r.category ELSE null END, "
        f"{out_start}, {end}, r.source_file, r.source_row, "
        f"[head([n IN [startNode(r)] | {_LABEL}]), head([n IN [startNode(r)] | {_NODE_KEY}])], "
        f"[head([n IN [endNode(r)] | {_LABEL}]), head([n IN [endNode(r)] | {_NODE_KEY}])]]] AS rels")


def chains_neo4j(driver: Driver, a: tuple[str, str], b: tuple[str, str], as_of: str | None = None,
                 max_hops: int = 4, via: Iterable[str] | None = None, limit: int | None = 50,
                 database: str | None = None, cap: int = CAP,
                 probable: dict[tuple[str, str], str] | None = None, timeout: float | None = 120) -> Found:
    """The chains by ``allShortestPaths`` on Neo4j. ``probable``: the persons resting on a probable merge
    (``probable_persons`` of the store that was written), to mark chains as the embedded backend does."""
    from neo4j import Query, RoutingControl

    from .leads import _plain  # a Neo4j Date as the ISO day the embedded records hold

    groups = _check(max_hops, via)
    if a == b:
        return Found([Chain([a])], 1, False)
    params = {"a_key": a[1], "b_key": b[1], "cap": cap,
              "types": sorted({t for g in groups for t in VIA[g]} | {"APPLIED"}),
              "categories": [g for g in ("kin", "academic", "other") if g in groups],
              "contact_kinds": list(CONTACT_KINDS), "on": dt.date.fromisoformat(as_of) if as_of else None}
    records, _, _ = driver.execute_query(Query(cypher(a[0], b[0], max_hops), timeout=timeout), parameters_=params,
                                         database_=database,
                                         routing_=RoutingControl.READ)
    by_path: dict[tuple, dict[frozenset, list[Record]]] = {}
    for rec in records:
        nodes = tuple((lab, str(key)) for lab, key in rec["nodes"])
        pairs = by_path.setdefault(nodes, {})
        for r in rec["rels"]:
            src, dst = (r[7][0], str(r[7][1])), (r[8][0], str(r[8][1]))
            row = (r[0], _opt(r[1]), _opt(r[2]), _plain(r[3]), _plain(r[4]), _opt(r[5]), _int(r[6]), src, dst)
            bucket = pairs.setdefault(frozenset((src, dst)), [])
            if row not in bucket:
                bucket.append(row)
    chains = []
    for nodes, pairs in by_path.items():
        chains += _expand(list(nodes), lambda u, v, pairs=pairs: pairs[frozenset((u, v))])
    return Found(rank(chains, limit, probable), len(chains), len(records) >= cap)


# --------------------------------------------------------------------------- who A and B are

def resolve(store: Store, text: str, reveal: bool = False) -> Party:
    """A party from what an investigator types: an id number, an expert or staff id, an application id, a unit
    name or credit code, an intermediary id or name, a phone or e-mail, or a person's name. Read through the
    loaders' normalisers (so ``５３０１…`` and a 15-digit number find the person); a name that several persons
    or units bear raises ``ConnectError`` with the candidates."""
    from ..loaders.normalize import norm_credit_code, norm_email, norm_id_number, norm_name, norm_phone, norm_unit_name

    q = str(text).strip()
    if not q:
        raise ConnectError("请给出要查询的人员、单位、中介或联系方式")
    found: list[Party] = []

    def add(label: str, key: Any, how: str) -> None:
        p = Party(label, str(key), caption(store, label, str(key), reveal), how)
        if p not in found:
            found.append(p)

    persons = store.nodes["Person"]
    idn = norm_id_number(q)
    if idn.value and idn.error is None and len(str(idn.value)) == 18:
        for k in persons.loc[persons["id_number"] == idn.value, "person_key"]:
            add("Person", k, "身份证号")
    if not found:
        for col, how in (("expert_ids", "专家编号"), ("staff_ids", "工作人员编号")):
            if col in persons:
                hit = persons[persons[col].map(lambda xs: isinstance(xs, (list, tuple, np.ndarray)) and q in list(xs))]
                for k in hit["person_key"]:
                    add("Person", k, how)
    apps = store.nodes["Application"]
    for k in apps.loc[(apps["application_id"].astype(str) == q) | (apps["application_key"].astype(str) == q),
                      "application_key"]:
        add("Application", k, "申报编号")
    inter = store.nodes["Intermediary"]
    for k in inter.loc[(inter["intermediary_id"].astype(str) == q) | (inter["name"].astype(str) == q),
                       "intermediary_id"]:
        add("Intermediary", k, "中介机构")
    units = store.nodes["Unit"]
    code = norm_credit_code(q)
    if code.value and code.error is None:
        for k in units.loc[units["credit_code"] == code.value, "unit_key"]:
            add("Unit", k, "统一社会信用代码")
    uname = norm_unit_name(q)
    if uname:
        names = units["name"].map(lambda n: norm_unit_name(n) if isinstance(n, str) else None)
        for k in units.loc[names == uname, "unit_key"]:
            add("Unit", k, "单位名称")
    ident = store.nodes["Identifier"]
    for norm, kinds in ((norm_phone, ("mobile", "phone")), (norm_email, ("email",))):
        v = norm(q)
        vals = v.value if isinstance(v.value, list) else [v.value] if v.value else []
        for x in vals:
            for kind in kinds:
                key = f"{kind}:{x}"
                if (ident["identifier_key"] == key).any():
                    add("Identifier", key, "联系方式")
    if not found:
        nm = norm_name(q).value
        if nm:
            for k in persons.loc[persons["name"] == nm, "person_key"]:
                add("Person", k, "姓名")
    if not found:
        raise ConnectError(f"“{q if reveal else _mask_query(q)}”在数据中找不到:可用身份证号、专家编号、申报编号、"
                           "单位名称或信用代码、中介编号、电话或邮箱、姓名")
    if len(found) > 1:
        raise ConnectError(f"“{q if reveal else _mask_query(q)}”对应{len(found)}个对象,请改用能唯一确定的编号", found)
    return found[0]


def _mask_query(q: str) -> str:
    from ..reports.masking import mask_id, mask_name

    return mask_id(q) if any(c.isdigit() for c in q) and len(q) >= 15 else mask_name(q) if len(q) <= 4 else q


def _by_key(store: Store, label: str) -> pd.DataFrame:
    """A label's nodes indexed by key, once per store (captions are asked node by node: re-indexing 160,000
    persons for each was most of a province query's time)."""
    cache = store.__dict__.setdefault("_nodes_by_key", {})
    if label not in cache:
        cache[label] = store.nodes[label].set_index(KEYS[label])
    return cache[label]


def caption(store: Store, label: str, key: str, reveal: bool = False) -> str:
    """What an investigator knows a node by, masked unless revealed."""
    from .leads import _masked_person, mask_identifier

    if label == "Person":
        p = _by_key(store, label)
        if key in p.index:
            r = p.loc[key]
            return _masked_person(r.get("name"), r.get("id_number"), reveal) or key
        return key
    if label == "Unit":
        u = _by_key(store, label)
        return str(u.at[key, "name"]) if key in u.index and isinstance(u.at[key, "name"], str) else key
    if label == "Intermediary":
        i = _by_key(store, label)
        name = i.at[key, "name"] if key in i.index else None
        return f"{key} {name}" if isinstance(name, str) else key
    if label == "Application":
        a = _by_key(store, label)
        return str(a.at[key, "application_id"]) if key in a.index else key
    if label == "Identifier":
        kind, _, value = key.partition(":")
        return f"{kind}:{mask_identifier(value, reveal)}"
    return key
