"""Write a :class:`~zcgraph.graph.store.Store` into Neo4j, idempotently.

Constraints and indexes first (``CREATE CONSTRAINT ... IF NOT EXISTS`` on every
node key), then batched ``UNWIND $rows ... MERGE`` in managed write
transactions. Labels and relationship types come only from the graph model and
are backtick-quoted; every value is a parameter. Each relationship carries a
content id (``_rid``: a hash of its type, ends and properties, never of the file
row), so loading the same folder twice changes nothing and loading a new year
adds only what is new.

The library receives a driver; only the CLI opens and closes one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable

import numpy as np
import pandas as pd

from .model import NODES, RELS

if TYPE_CHECKING:  # neo4j is imported lazily: embedded use needs no server
    from neo4j import Driver

    from .store import Store

__all__ = ["write_store", "ensure_schema", "schema_statements", "WriteReport", "quote", "PROVENANCE", "sync_store",
           "data_held", "clear_graph", "SyncReport", "META_LABEL"]

BATCH = int(os.environ.get("ZCGRAPH_NEO4J_BATCH", "5000"))
WRITERS = int(os.environ.get("ZCGRAPH_NEO4J_WRITERS", "2"))  # concurrent sessions for large relationship sets
PARALLEL_FROM = 50_000
CHUNK = 200_000  # relationships turned into Bolt rows at a time
PROVENANCE = {"_file": "source_file", "_row": "source_row"}
REL_BASE = ("src", "dst", "src_label", "dst_label")


def quote(name: str) -> str:
    """Backtick-quote a label, type or property name taken from the graph model."""
    if name not in NODES and name not in RELS and not name.replace("_", "").isalnum():
        raise ValueError(f"not a graph-model name: {name!r}")
    return "`" + name.replace("`", "``") + "`"


def _value(v: Any) -> Any:
    """A Python value the Bolt driver stores as itself (dates as Neo4j dates, tuples as lists)."""
    if v is None or v is pd.NaT or v is pd.NA:
        return None
    if isinstance(v, float):
        return None if math.isnan(v) else v
    if isinstance(v, pd.Timestamp):
        return v.date() if (v.hour, v.minute, v.second) == (0, 0, 0) else v.to_pydatetime()
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return None if np.isnan(v) else float(v)
    if isinstance(v, (np.bool_,)):
        return bool(v)
    if isinstance(v, (list, tuple, np.ndarray)):
        items = [_value(x) for x in v]
        return [x for x in items if x is not None] or None
    if isinstance(v, (str, int, bool, dt.date)):
        return v
    return str(v)


def _column(col: pd.Series) -> list[Any]:
    """One column as Bolt values, converted column-wise where the dtype allows (the per-value path is slow)."""
    if pd.api.types.is_datetime64_any_dtype(col):
        ts = col.dt.tz_localize(None) if getattr(col.dt, "tz", None) is not None else col
        if bool((ts.dropna() == ts.dropna().dt.normalize()).all()):
            return [d if d == d else None for d in ts.dt.date.where(ts.notna(), None)]
        return [None if v is pd.NaT else v.to_pydatetime() for v in ts]
    if pd.api.types.is_bool_dtype(col) or pd.api.types.is_integer_dtype(col):
        return col.astype(object).where(col.notna(), None).tolist()
    if pd.api.types.is_float_dtype(col):
        return col.astype(object).where(col.notna(), None).tolist()
    if pd.api.types.infer_dtype(col, skipna=True) in ("string", "empty"):
        return col.astype(object).where(col.notna(), None).tolist()
    return [_value(v) for v in col.tolist()]


def _props(df: pd.DataFrame, skip: Iterable[str]) -> list[dict[str, Any]]:
    """Each row's properties; empty values are left out (a later load never erases what an earlier one set)."""
    cols = [c for c in df.columns if c not in set(skip)]
    names = [PROVENANCE.get(c, c) for c in cols]
    values = [_column(df[c]) for c in cols]
    return [{k: v for k, v in zip(names, row) if v is not None} for row in zip(*values)] if cols else [{} for _ in range(len(df))]


def rel_ids(rtype: str, df: pd.DataFrame) -> list[str]:
    """Content ids: type, ends and properties (not the source row, which changes on re-export).

    pandas' row hash is deterministic (fixed key) and vectorised; the type is mixed in by prefix.
    """
    cols = [c for c in df.columns if c not in PROVENANCE]
    h = pd.util.hash_pandas_object(df[cols].astype(str), index=False).to_numpy()
    prefix = hashlib.sha1(rtype.encode()).hexdigest()[:4]
    return [f"{prefix}{x:016x}" for x in h.tolist()]


@dataclass
class WriteReport:
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(self.nodes.values()) + sum(self.relationships.values())

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


# Relationship property indexes the rules' Cypher relies on (named in a USING INDEX hint, so they must exist):
# a recusal for one application is found from that application's key, not by scanning every recusal of its
# meeting (PROC-PASS-THRESHOLD: thousands of recusals per meeting at province scale).
QUERY_INDEXES: tuple[tuple[str, str], ...] = (("RECUSED", "application_key"),)


def schema_statements(rid_types: Iterable[str] | None = None) -> list[str]:
    """The constraints and indexes zcgraph's graph has: a uniqueness constraint on every node key (which also
    indexes it), the ``_rid`` index of each relationship type in ``rid_types`` (all by default), and the indexes
    the rules' Cypher names (:data:`QUERY_INDEXES`). Also written as ``schema.cypher`` for an imported database."""
    out = [f"CREATE CONSTRAINT {quote('zc_' + label + '_key')} IF NOT EXISTS "
           f"FOR (n:{quote(label)}) REQUIRE n.{quote(nt.key)} IS UNIQUE" for label, nt in NODES.items()]
    out += [f"CREATE INDEX {quote('zc_' + rtype + '_rid')} IF NOT EXISTS FOR ()-[r:{quote(rtype)}]-() ON (r._rid)"
            for rtype in (RELS if rid_types is None else rid_types)]
    out += [f"CREATE INDEX {quote('zc_' + rtype + '_' + prop)} IF NOT EXISTS "
            f"FOR ()-[r:{quote(rtype)}]-() ON (r.{quote(prop)})" for rtype, prop in QUERY_INDEXES]
    return out + ["CALL db.awaitIndexes(300)"]


def ensure_schema(driver: "Driver", database: str | None = None, rid_types: Iterable[str] | None = None) -> None:
    """Create :func:`schema_statements` (idempotent). :func:`write_store` indexes a type that is still empty only
    after filling it: building an index once over the loaded relationships costs less than updating it with
    every one."""
    for statement in schema_statements(rid_types):
        driver.execute_query(statement, database_=database)


def _batches(rows: list[Any], size: int = BATCH) -> Iterable[list[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def write_store(store: "Store", driver: "Driver", database: str | None = None,
                progress: Callable[[str, int, int], None] | None = None) -> WriteReport:
    """Write every node and relationship of the store; safe to repeat."""
    t0 = time.perf_counter()

    labels = {r[0] for r in driver.execute_query("CALL db.labels()", database_=database).records}
    types = {r[0] for r in driver.execute_query("CALL db.relationshipTypes()", database_=database).records}

    def empty(pattern: str, token: str) -> bool:  # a name the database has never seen is empty (and unmatched:
        # MATCHing it would make the server warn that it does not exist)
        known = token in labels or token in types
        return not known or not driver.execute_query(f"MATCH {pattern} RETURN 1 LIMIT 1", database_=database).records

    # A label or type with nothing in the database yet (a first load) is CREATEd outright: there is nothing to
    # merge with, and the store holds each node and relationship once (keys are unique, relationships are
    # deduplicated by content when built). Those types get their _rid index after they are filled.
    fresh = {rtype for rtype in RELS if empty(f"()-[:{quote(rtype)}]->()", rtype)}
    ensure_schema(driver, database, rid_types=[t for t in RELS if t not in fresh])
    report = WriteReport()
    with driver.session(database=database) as session, _Pipeline() as pipe:
        for label, nt in NODES.items():
            df = store.nodes.get(label)
            if df is None or df.empty:
                continue
            keys = df[nt.key].astype(str).tolist()
            cols = [c for c in df.columns if c != nt.key]
            if empty(f"(:{quote(label)})", label) and len(set(keys)) == len(keys):  # as for relationships below
                inline = "".join(f", {quote(PROVENANCE.get(c, c))}: row[{i + 1}]" for i, c in enumerate(cols))
                query = f"UNWIND $rows AS row CREATE (n:{quote(label)} {{{quote(nt.key)}: row[0]{inline}}})"
                rows = [[k, *v] for k, v in zip(keys, zip(*[_column(df[c]) for c in cols]))] if cols else [[k] for k in keys]
            else:
                query = f"UNWIND $rows AS row MERGE (n:{quote(label)} {{{quote(nt.key)}: row[0]}}) SET n += row[1]"
                rows = [[k, p] for k, p in zip(keys, _props(df, [nt.key]))]
            pipe.submit(_write_rows, driver, database, session, query, rows,
                        (lambda n, t=len(rows), lb=label: progress(lb, n, t)) if progress else None, 0)
            report.nodes[label] = len(rows)
        for rtype in RELS:
            df = store.rels.get(rtype)
            if df is None or df.empty:
                continue
            df = df.dropna(subset=["src", "dst"])
            total = 0
            verb = "CREATE" if rtype in fresh else "MERGE"
            for (sl, dl), part in df.groupby(["src_label", "dst_label"], sort=True):
                # Rows are lists, not maps: no key strings to encode and decode for every relationship.
                # CREATE names each property in the pattern (row[3:], in column order; a null sets nothing);
                # MERGE sets the map of the non-empty ones (row[3]).
                cols = [c for c in part.columns if c not in REL_BASE]
                ends = (f"UNWIND $rows AS row "
                        f"MATCH (a:{quote(sl)} {{{quote(NODES[sl].key)}: row[0]}}) "
                        f"MATCH (b:{quote(dl)} {{{quote(NODES[dl].key)}: row[1]}}) ")
                if verb == "CREATE":
                    inline = "".join(f", {quote(PROVENANCE.get(c, c))}: row[{i + 3}]" for i, c in enumerate(cols))
                    query = ends + f"CREATE (a)-[r:{quote(rtype)} {{_rid: row[2]{inline}}}]->(b)"
                else:
                    query = ends + f"MERGE (a)-[r:{quote(rtype)} {{_rid: row[2]}}]->(b) SET r += row[3]"
                # Bolt rows are built a slice at a time: millions of rows at once would cost gigabytes
                for lo in range(0, len(part), CHUNK):
                    piece = part.iloc[lo:lo + CHUNK]
                    ends_ids = zip(piece["src"].astype(str), piece["dst"].astype(str), rel_ids(rtype, piece))
                    if verb == "CREATE":
                        rows = [[*e, *v] for e, v in zip(ends_ids, zip(*[_column(piece[c]) for c in cols]))] \
                            if cols else [list(e) for e in ends_ids]
                    else:
                        rows = [[*e, p] for e, p in zip(ends_ids, _props(piece, REL_BASE))]
                    pipe.submit(_write_rows, driver, database, session, query, rows,
                                (lambda n, t=total, r=rtype, m=len(df): progress(r, t + n, m)) if progress else None, 1)
                    total += len(rows)
            report.relationships[rtype] = total
    ensure_schema(driver, database)  # the _rid indexes of the types just filled
    report.seconds = time.perf_counter() - t0
    return report


class _Pipeline:
    """Writes one slice while the caller builds the next: building Bolt rows is client CPU, writing them is
    mostly the server's, and on two cores they overlap. One slice at a time is in flight, and it finishes before
    the next starts, so writes keep their order (nodes before the relationships that MATCH them)."""

    def __init__(self) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(1, thread_name_prefix="zcgraph-write")
        self._last: Any = None

    def submit(self, fn: Callable[..., int], *args: Any) -> None:
        self.wait()
        self._last = self._pool.submit(fn, *args)

    def wait(self) -> None:
        if self._last is not None:
            last, self._last = self._last, None
            last.result()  # a failed write raises here, in the caller's thread

    def __enter__(self) -> "_Pipeline":
        return self

    def __exit__(self, *exc: Any) -> None:
        try:
            if exc[0] is None:
                self.wait()
        finally:
            self._pool.shutdown(wait=True)


def _write_rows(driver: "Driver", database: str | None, session: Any, query: str, rows: list[list],
                progress: Callable[[int], None] | None, by: int) -> int:
    """Large sets go through ``WRITERS`` sessions at once, split on ``row[by]`` (a node's key; a relationship's
    end node), so no two transactions write the same node or relationship (a lock wait on a shared start node
    is retried by the driver). ``progress`` gets the rows written so far by all of them."""
    import threading

    lock, done = threading.Lock(), [0]

    def run(part: list[list], s: Any) -> int:
        for batch in _batches(part):
            s.execute_write(lambda tx, b=batch: tx.run(query, rows=b).consume())
            with lock:
                done[0] += len(batch)
                if progress:
                    progress(done[0])
        return len(part)

    if len(rows) < PARALLEL_FROM or WRITERS < 2:
        return run(rows, session)
    from concurrent.futures import ThreadPoolExecutor

    slot = pd.util.hash_array(np.array([r[by] for r in rows], dtype=object)) % WRITERS
    parts = [[r for r, k in zip(rows, slot) if k == w] for w in range(WRITERS)]

    def own(part: list[list]) -> int:
        with driver.session(database=database) as s:
            return run(part, s)

    with ThreadPoolExecutor(WRITERS) as pool:
        return sum(pool.map(own, parts))


def count_graph(driver: "Driver", database: str | None = None) -> tuple[dict[str, int], dict[str, int]]:
    """Node counts per model label and relationship counts per model type, read back from Neo4j."""
    from neo4j import RoutingControl

    nodes = {}
    for label in NODES:
        recs, _, _ = driver.execute_query(f"MATCH (n:{quote(label)}) RETURN count(n) AS c",
                                          database_=database, routing_=RoutingControl.READ)
        nodes[label] = recs[0]["c"]
    rels = {}
    for rtype in RELS:
        recs, _, _ = driver.execute_query(f"MATCH ()-[r:{quote(rtype)}]->() RETURN count(r) AS c",
                                          database_=database, routing_=RoutingControl.READ)
        rels[rtype] = recs[0]["c"]
    return nodes, rels


# --------------------------------------------------------------------------- which data the database holds

META_LABEL = "ZcgraphData"  # one node: the data fingerprint and files of what the database holds (not a model label)


@dataclass
class SyncReport:
    # "unchanged" (it already held this data), "loaded" (it was empty), "replaced" (it held other data, or data
    # with no record of its files: cleared and written whole), "updated" (an earlier load of zcgraph's: what the
    # changed files contributed replaced, nothing else touched)
    action: str
    held_before: dict[str, Any] | None
    write: WriteReport | None = None
    cleared_seconds: float = 0.0
    seconds: float = 0.0
    digest_seconds: float = 0.0  # of ``seconds``: computing what each file and label holds
    files: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # file -> (added, changed, removed)
    unchanged_files: int = 0
    labels: dict[str, tuple[int, int]] = field(default_factory=dict)  # label -> (written, removed)

    def describe(self) -> str:
        if self.action == "unchanged":
            return f"Neo4j 中已是本数据(数据指纹 {self.held_before and self.held_before.get('data_fingerprint')}),未写入"
        if self.action == "updated":
            rows = sum(a + c + r for a, c, r in self.files.values()) + sum(w + r for w, r in self.labels.values())
            write = max(self.seconds - self.digest_seconds, 1e-9)
            return (f"Neo4j 按文件更新:{len(self.files)} 个文件有变化,{self.unchanged_files} 个文件未变(未写入);"
                    f"{rows:,} 行,{self.seconds:.1f} 秒(比对 {self.digest_seconds:.1f} 秒,写入 {write:.1f} 秒,"
                    f"{rows / write:,.0f} 行/秒)")
        w = self.write or WriteReport()
        head = ("Neo4j 中原有其他数据(数据指纹 "
                f"{(self.held_before or {}).get('data_fingerprint') or '未记录'}),已清除({self.cleared_seconds:.1f} 秒)并"
                if self.action == "replaced" else "")
        return (f"{head}写入本数据:{w.rows:,} 行(节点 {sum(w.nodes.values()):,},关系 "
                f"{sum(w.relationships.values()):,}),{w.seconds:.1f} 秒,{w.rows_per_second:,.0f} 行/秒")

    def file_lines(self) -> list[str]:
        return [f"  {f}:新增 {a:,},改动 {c:,},删除 {r:,}" for f, (a, c, r) in sorted(self.files.items())]


def data_held(driver: "Driver", database: str | None = None) -> dict[str, Any] | None:
    """What the database says it holds (fingerprint, files, when), or None: empty, or data of unknown origin
    (``{"data_fingerprint": None}`` when it has zcgraph's nodes but no record of them)."""
    from neo4j import RoutingControl

    labels = {r[0] for r in driver.execute_query("CALL db.labels()", database_=database,
                                                 routing_=RoutingControl.READ).records}
    if META_LABEL in labels:
        recs = driver.execute_query(f"MATCH (m:{META_LABEL}) RETURN m {{.*}} AS m LIMIT 1", database_=database,
                                    routing_=RoutingControl.READ).records
        if recs:
            m = dict(recs[0]["m"])
            return {k: (v.iso_format() if hasattr(v, "iso_format") else v) for k, v in m.items()}
    for label in NODES:
        if label in labels and driver.execute_query(f"MATCH (n:{quote(label)}) RETURN 1 LIMIT 1", database_=database,
                                                    routing_=RoutingControl.READ).records:
            return {"data_fingerprint": None}
    return None


def clear_graph(driver: "Driver", database: str | None = None) -> None:
    """Remove zcgraph's record of its data first, then every node of the model's labels, in batches: a run cut
    off midway leaves a database that says it holds nothing known, never one that claims data it lost."""
    labels = {r[0] for r in driver.execute_query("CALL db.labels()", database_=database).records}
    with driver.session(database=database) as session:
        if META_LABEL in labels:
            session.run(f"MATCH (m:{META_LABEL}) DELETE m").consume()
        for label in NODES:
            if label in labels:
                session.run(f"MATCH (n:{quote(label)}) CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF 10000 ROWS"
                            ).consume()


def _digest(values: Iterable[str]) -> str:
    h = hashlib.sha256()
    for v in sorted(values):
        h.update(v.encode())
        h.update(b"\n")
    return h.hexdigest()[:24]


def _rel_rows(store: "Store") -> dict[str, pd.DataFrame]:
    """Per type: the store's relationships with their content id and file (what the database holds as
    ``_rid`` and ``source_file``)."""
    out = {}
    for rtype in RELS:
        df = store.rels.get(rtype)
        if df is None or df.empty:
            continue
        df = df.dropna(subset=["src", "dst"])
        out[rtype] = df.assign(_rid=rel_ids(rtype, df), _f=df["_file"].astype(str))
    return out


def digests(store: "Store") -> dict[str, dict[str, str]]:
    """What each file contributed (its relationships' content ids) and each label's nodes (keys and every
    property, provenance included), as digests: equal digests, nothing to write."""
    files: dict[str, list[str]] = {}
    for rtype, df in _rel_rows(store).items():
        for f, rids in df.groupby("_f")["_rid"]:
            files.setdefault(str(f), []).extend(rtype + ":" + r for r in rids)
    labels = {}
    for label, nt in NODES.items():
        df = store.nodes.get(label)
        if df is None or df.empty:
            continue
        h = pd.util.hash_pandas_object(df.astype(str), index=False)
        labels[label] = _digest(f"{k}|{x:016x}" for k, x in zip(df[nt.key].astype(str), h))
    return {"files": {f: _digest(v) for f, v in files.items()}, "labels": labels}


def _write_meta(store: "Store", driver: "Driver", database: str | None, dg: dict[str, dict[str, str]]) -> None:
    files = sorted({f"{f['file']}" + (f"[{f['sheet']}]" if f.get("sheet") else "") for f in store.files})
    driver.execute_query(f"MERGE (m:{META_LABEL} {{id: 'zcgraph'}}) SET m.data_fingerprint = $fp, m.files = $files, "
                         "m.data_dir = $dir, m.digests = $digests, m.loaded_at = datetime()",
                         parameters_={"fp": store.meta.get("data_fingerprint"), "files": files,
                                      "dir": store.meta.get("data_dir"), "digests": json.dumps(dg, sort_keys=True)},
                         database_=database)


def _update(store: "Store", driver: "Driver", database: str | None, old: dict[str, dict[str, str]],
            new: dict[str, dict[str, str]], rep: SyncReport) -> None:
    """Replace what changed files contributed, and the nodes of labels that changed; leave the rest."""
    from types import SimpleNamespace

    from neo4j import RoutingControl

    with driver.session(database=database) as session:
        session.run(f"MATCH (m:{META_LABEL}) DELETE m").consume()  # claims nothing until it is all there again
    for label, nt in NODES.items():
        if new["labels"].get(label) == old.get("labels", {}).get(label):
            continue
        df = store.nodes.get(label)
        df = df if df is not None else pd.DataFrame(columns=[nt.key])
        have = {r[0] for r in driver.execute_query(f"MATCH (n:{quote(label)}) RETURN n.{quote(nt.key)}",
                                                   database_=database, routing_=RoutingControl.READ).records}
        gone = sorted(have - set(df[nt.key].astype(str)))
        for part in _batches(gone):
            driver.execute_query(f"UNWIND $keys AS k MATCH (n:{quote(label)} {{{quote(nt.key)}: k}}) DETACH DELETE n",
                                 parameters_={"keys": part}, database_=database)
        keys = df[nt.key].astype(str).tolist()
        rows = [[k, p] for k, p in zip(keys, _props(df, [nt.key]))]
        q = (f"UNWIND $rows AS row MERGE (n:{quote(label)} {{{quote(nt.key)}: row[0]}}) "
             f"SET n = row[1] SET n.{quote(nt.key)} = row[0]")  # every property as the file now says, no stale one
        for part in _batches(rows):
            driver.execute_query(q, parameters_={"rows": part}, database_=database)
        rep.labels[label] = (len(rows), len(gone))
    changed = sorted(f for f in set(new["files"]) | set(old.get("files", {}))
                     if new["files"].get(f) != old.get("files", {}).get(f))
    rep.unchanged_files = len(set(new["files"]) - set(changed))
    rows_by_type = _rel_rows(store)
    for f in changed:
        added = removed = changed_rows = 0
        gones: dict[str, list[str]] = {}
        adds: dict[str, pd.DataFrame] = {}
        for rtype in RELS:
            df = rows_by_type.get(rtype)
            mine = df[df["_f"] == f] if df is not None else pd.DataFrame(columns=["_rid", "_row"])
            db = driver.execute_query(f"MATCH ()-[r:{quote(rtype)}]->() WHERE r.source_file = $f "
                                      "RETURN r._rid AS rid, r.source_row AS row", parameters_={"f": f},
                                      database_=database, routing_=RoutingControl.READ).records
            old_rows = {r["rid"]: r["row"] for r in db}
            new_rids = set(mine["_rid"])
            gone = [rid for rid in old_rows if rid not in new_rids]
            add = mine[~mine["_rid"].isin(set(old_rows))]
            if gone:
                gones[rtype] = gone
            if len(add):
                adds[rtype] = add.drop(columns=["_f"])
            same_row = len({old_rows[g] for g in gone} & set(add["_row"].tolist())) if len(add) and gone else 0
            changed_rows += same_row
            added += len(add) - same_row
            removed += len(gone) - same_row
        size = sum(map(len, gones.values())) + sum(map(len, adds.values()))
        if size <= ATOMIC_ROWS:  # the usual correction: the file's old rows out and new rows in, one transaction
            with driver.session(database=database) as session:
                session.execute_write(_swap, gones, adds)
        else:  # a whole new year's file: too large for one transaction; the record protects the reader
            for rtype, gone in gones.items():
                for part in _batches(gone):
                    driver.execute_query(f"UNWIND $rids AS rid MATCH ()-[r:{quote(rtype)} {{_rid: rid}}]->() DELETE r",
                                         parameters_={"rids": part}, database_=database)
            write_store(SimpleNamespace(nodes={}, rels={t: a.drop(columns=["_rid"]) for t, a in adds.items()}),
                        driver, database)  # type: ignore[arg-type]
        rep.files[f] = (added, changed_rows, removed)


ATOMIC_ROWS = int(os.environ.get("ZCGRAPH_NEO4J_ATOMIC_ROWS", "200000"))  # a file's swap in one transaction up to this


def _swap(tx: Any, gones: dict[str, list[str]], adds: dict[str, pd.DataFrame]) -> None:
    """One file's replacement inside one transaction: the database is before it or after it, never between."""
    for rtype, gone in gones.items():
        tx.run(f"UNWIND $rids AS rid MATCH ()-[r:{quote(rtype)} {{_rid: rid}}]->() DELETE r", rids=gone).consume()
    for rtype, add in adds.items():
        for (sl, dl), part in add.groupby(["src_label", "dst_label"], sort=True):
            rows = [[a, b, rid, p] for a, b, rid, p in zip(part["src"].astype(str), part["dst"].astype(str),
                                                          part["_rid"], _props(part.drop(columns=["_rid"]), REL_BASE))]
            tx.run(f"UNWIND $rows AS row MATCH (a:{quote(sl)} {{{quote(NODES[sl].key)}: row[0]}}) "
                   f"MATCH (b:{quote(dl)} {{{quote(NODES[dl].key)}: row[1]}}) "
                   f"CREATE (a)-[r:{quote(rtype)}]->(b) SET r = row[3], r._rid = row[2]", rows=rows).consume()


def sync_store(store: "Store", driver: "Driver", database: str | None = None,
               progress: Callable[[str, int, int], None] | None = None) -> SyncReport:
    """Bring the database to exactly the store's data. Nothing to write when it already holds it (the same data
    fingerprint); the whole store when it is empty; when it holds an earlier load of zcgraph's (with the record
    of what each file contributed), only what changed files contributed and the nodes of labels that changed;
    when it holds anything else, a clear and the whole store. The record of which data it holds is deleted
    before anything is written and written last, so it never names data that is not all there."""
    held = data_held(driver, database)
    fp = store.meta.get("data_fingerprint")
    if held and fp and held.get("data_fingerprint") == fp:
        return SyncReport("unchanged", held)
    t0 = time.perf_counter()
    new = digests(store)
    old = json.loads(held["digests"]) if held and held.get("digests") else None
    if held is not None and old is not None:
        rep = SyncReport("updated", held, digest_seconds=time.perf_counter() - t0)
        _update(store, driver, database, old, new, rep)
        _write_meta(store, driver, database, new)
        rep.seconds = time.perf_counter() - t0
        return rep
    cleared = 0.0
    if held is not None:
        clear_graph(driver, database)
        cleared = time.perf_counter() - t0
    w = write_store(store, driver, database, progress=progress)
    _write_meta(store, driver, database, new)
    return SyncReport("replaced" if held is not None else "loaded", held, w, cleared,
                      seconds=time.perf_counter() - t0)
