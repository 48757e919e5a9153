"""The embedded store: node and relationship tables, canonical tables, and NetworkX on demand.

A workspace folder holds one store, so later commands need not re-parse the
input. Bulk relationship types (millions of REVIEWED rows) stay as tables that
pandas joins; :meth:`Store.to_networkx` builds a NetworkX MultiDiGraph over the
types a rule asks for (by default, all).
"""

from __future__ import annotations

import json
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import networkx as nx
import pandas as pd

from .model import NODES, RELS, conform

__all__ = ["Store", "WORKSPACE_FORMAT"]

WORKSPACE_FORMAT = 1
PROV = ("_file", "_row")
REL_BASE = ("src", "dst", "src_label", "dst_label", *PROV)


@dataclass
class Store:
    nodes: dict[str, pd.DataFrame]
    rels: dict[str, pd.DataFrame]
    tables: dict[str, pd.DataFrame]
    merges: pd.DataFrame
    mentions: pd.DataFrame
    rejects: pd.DataFrame
    files: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.conform()

    def conform(self) -> None:
        """Every label and type the model declares has a frame with its declared columns and kinds, whatever
        the input held (``model.conform``): absent and header-only tables give empty frames of the full shape."""
        for label, nt in NODES.items():
            self.nodes[label] = conform(self.nodes.get(label, pd.DataFrame()), nt.key, nt.props, PROV)
        for rtype, rt in RELS.items():
            self.rels[rtype] = conform(self.rels.get(rtype, pd.DataFrame()), None, rt.props, REL_BASE)

    # ------------------------------------------------------------------ counts
    def node_counts(self) -> dict[str, int]:
        return {k: len(v) for k, v in self.nodes.items()}

    def rel_counts(self) -> dict[str, int]:
        return {k: len(v) for k, v in self.rels.items()}

    def merge_counts(self) -> dict[str, int]:
        if self.merges.empty:
            return {}
        return {str(k): int(v) for k, v in self.merges.groupby("reason_zh").size().items()}

    def stats(self) -> dict:
        persons = self.nodes["Person"]
        units = self.nodes["Unit"]
        return {
            "nodes": self.node_counts(),
            "relationships": self.rel_counts(),
            "merges": self.merge_counts(),
            "possibly_same": len(self.rels.get("POSSIBLY_SAME", [])),
            "persons": len(persons),
            "units": len(units),
            "units_after_rollup": int(units["rollup_key"].nunique()) if len(units) else 0,
            "rejected_rows": int((self.rejects["action"] == "拒绝").sum()) if len(self.rejects) else 0,
            "warnings": int((self.rejects["action"] == "警告").sum()) if len(self.rejects) else 0,
        }

    # ------------------------------------------------------------------ workspace
    def save(self, workspace: Path | str) -> Path:
        ws = Path(workspace)
        ws.mkdir(parents=True, exist_ok=True)
        with (ws / "store.pkl").open("wb") as f:
            pickle.dump(self, f, protocol=pickle.HIGHEST_PROTOCOL)
        (ws / "manifest.json").write_text(json.dumps(
            {"format": WORKSPACE_FORMAT, **self.meta, "stats": self.stats()}, ensure_ascii=False, indent=2,
            default=str), encoding="utf-8")
        return ws

    @classmethod
    def open(cls, workspace: Path | str) -> "Store":
        ws = Path(workspace)
        manifest = ws / "manifest.json"
        if not manifest.exists():
            raise FileNotFoundError(f"{ws} 不是zcgraph工作区(缺少manifest.json);请先运行 zcgraph load")
        fmt = json.loads(manifest.read_text(encoding="utf-8")).get("format")
        if fmt != WORKSPACE_FORMAT:
            raise ValueError(f"工作区格式{fmt}与本版本({WORKSPACE_FORMAT})不符,请重新运行 zcgraph load")
        with (ws / "store.pkl").open("rb") as f:
            store = pickle.load(f)
        assert isinstance(store, cls)
        store.conform()  # unpickling skips __post_init__
        return store

    # ------------------------------------------------------------------ graph
    def to_networkx(self, rel_types: Iterable[str] | None = None) -> nx.MultiDiGraph:
        """A MultiDiGraph whose nodes are ``(label, key)`` with their properties and provenance."""
        g = nx.MultiDiGraph()
        for label, df in self.nodes.items():
            key = NODES[label].key
            recs = df.to_dict("records")
            g.add_nodes_from(((label, r[key]), {"label": label, **r}) for r in recs)
        for rtype in (rel_types or RELS):
            df = self.rels.get(rtype)
            if df is None or df.empty:
                continue
            props = [c for c in df.columns if c not in ("src", "dst", "src_label", "dst_label")]
            g.add_edges_from(
                ((sl, s), (dl, d), rtype, {"type": rtype, **dict(zip(props, vals))})
                for s, d, sl, dl, *vals in df[["src", "dst", "src_label", "dst_label", *props]].itertuples(
                    index=False, name=None))
        return g

    # ------------------------------------------------------------------ time-aware employment
    def employers_as_of(self, person_key: str, on: pd.Timestamp) -> set[str]:
        """Units (rolled up) a person worked for on a date.

        Reads the periods the builder stamps on WORKS_AT: ``effective`` (a person with employment history is
        answered by the history alone, so it beats a stale employer column) and ``valid_from``/``valid_to`` (an
        application's employer for its evaluation window, a pool record's over its period).
        """
        w = self.rels["WORKS_AT"]
        rows = w[(w["src"] == person_key) & w["effective"].astype(bool)]
        start, end = pd.to_datetime(rows["valid_from"]), pd.to_datetime(rows["valid_to"])
        rows = rows[(start.isna() | (start <= on)) & (end.isna() | (on <= end))]
        units = self.nodes["Unit"].set_index("unit_key")["rollup_key"]
        return {units.get(u, u) for u in rows["dst"]}
