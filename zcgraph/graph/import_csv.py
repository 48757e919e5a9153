"""The store as ``neo4j-admin database import full`` input: the initial bulk load of a large (province or
national) database, which writes the store files directly instead of going through Bolt transactions.

One CSV per node label (``nodes-<Label>.csv``) and one per relationship type and end labels
(``rels-<TYPE>-<Src>-<Dst>.csv``), UTF-8, RFC 4180 quoting, typed headers. The graph is the one
:func:`~zcgraph.graph.neo4j_writer.write_store` writes: the same labels, keys, property names and value types
(dates as dates, lists as arrays), the same content id ``_rid`` on every relationship, so a later
``zcgraph load --neo4j`` of a new year MERGEs into an imported database exactly as into a Bolt-loaded one.

The import does not create constraints or indexes: ``schema.cypher`` holds them (and the writer's
``ensure_schema`` creates them on the next Bolt load). ``import.sh`` is the command line.
"""

from __future__ import annotations

import datetime as dt
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .model import NODES, RELS
from .neo4j_writer import PROVENANCE, REL_BASE, _column, rel_ids, schema_statements
from .store import Store

__all__ = ["ARRAY_DELIMITER", "ImportCsvError", "ImportFiles", "write_import_csv"]

ARRAY_DELIMITER = ";"


class ImportCsvError(ValueError):
    """A value the import format cannot carry as the Bolt writer would store it (named: file, column)."""


@dataclass
class ImportFiles:
    out_dir: Path
    nodes: dict[str, tuple[Path, int]] = field(default_factory=dict)  # label -> (file, rows)
    relationships: dict[str, list[tuple[Path, int]]] = field(default_factory=dict)  # type -> [(file, rows)]

    @property
    def rows(self) -> int:
        return sum(n for _, n in self.nodes.values()) + sum(n for fs in self.relationships.values() for _, n in fs)

    def command(self, database: str = "neo4j", admin: str = "neo4j-admin") -> list[str]:
        """The ``neo4j-admin database import full`` arguments for these files (paths relative to out_dir)."""
        # the database name comes first: --nodes/--relationships take several values and would swallow it
        args = [admin, "database", "import", "full", database, f"--array-delimiter={ARRAY_DELIMITER}",
                "--multiline-fields=true", "--id-type=string"]
        args += [f"--nodes={label}={f.name}" for label, (f, _) in self.nodes.items()]
        return args + [f"--relationships={t}={f.name}" for t, fs in self.relationships.items() for f, _ in fs]


def _type_of(values: list[Any], where: str, dtype: Any = None) -> str:
    """The neo4j-admin header type that stores these Python values as the Bolt driver would (an empty column
    takes its pandas dtype's, so a later year's values land in a column of the right type)."""
    kinds = {type(v) for v in values if v is not None}
    if not kinds:
        if dtype is None:
            return "string"
        for test, name in ((pd.api.types.is_bool_dtype, "boolean"), (pd.api.types.is_integer_dtype, "long"),
                           (pd.api.types.is_float_dtype, "double"), (pd.api.types.is_datetime64_any_dtype, "date")):
            if test(dtype):
                return name
        return "string"
    if kinds <= {bool}:
        return "boolean"
    if kinds <= {int}:
        return "long"
    if kinds <= {int, float}:
        return "double"
    if kinds <= {dt.date}:
        return "date"
    if kinds <= {dt.datetime}:
        return "localdatetime"
    if kinds <= {str}:
        return "string"
    if kinds <= {list}:
        inner = _type_of([x for v in values if v for x in v], where)
        if inner.endswith("[]"):
            raise ImportCsvError(f"{where}: nested lists cannot be imported")
        return inner + "[]"
    raise ImportCsvError(f"{where}: mixed value types {sorted(k.__name__ for k in kinds)}; the import needs one "
                         "type per column (the Bolt load keeps each value's own type)")


def _cell(v: Any, kind: str, where: str) -> str:
    if kind.endswith("[]"):
        items = [_cell(x, kind[:-2], where) for x in v]
        if any(ARRAY_DELIMITER in x for x in items):
            raise ImportCsvError(f"{where}: a list item contains the array delimiter {ARRAY_DELIMITER!r}")
        return ARRAY_DELIMITER.join(items)
    if kind == "boolean":
        return "true" if v else "false"
    if kind in ("date", "localdatetime"):
        return v.isoformat()
    if kind == "double":
        return repr(float(v))
    return str(v)


def _write(path: Path, header: list[str], columns: list[list[Any]], kinds: list[str]) -> int:
    """Column-wise formatting (each column once), then one joined line per row."""
    text = []
    for col, kind, name in zip(columns, kinds, header):
        where = f"{path.name}, column {name}"
        # None -> an empty unquoted field: no property (the Bolt writer leaves empty values out); a real empty
        # string is quoted so it stays a value.
        text.append(["" if v is None else (_quote(_cell(v, kind, where)) or '""') for v in col])
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(",".join(header) + "\n")
        f.writelines(",".join(row) + "\n" for row in zip(*text))
    return len(columns[0]) if columns else 0


def _quote(cell: str) -> str:
    if cell and (cell[0] in " \t" or cell[-1] in " \t" or any(c in cell for c in ',"\n\r')):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def write_import_csv(store: Store, out_dir: Path, database: str = "neo4j") -> ImportFiles:
    """Write the import CSVs, ``schema.cypher`` and ``import.sh`` for ``database``; returns what was written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = ImportFiles(out_dir)
    for label, nt in NODES.items():
        df = store.nodes.get(label)
        if df is None or df.empty:
            continue
        path = out_dir / f"nodes-{label}.csv"
        cols = [nt.key] + [c for c in df.columns if c != nt.key]
        names = [PROVENANCE.get(c, c) for c in cols]
        values = [df[nt.key].astype(str).tolist()] + [_column(df[c]) for c in cols[1:]]
        kinds = ["string"] + [_type_of(v, f"{path.name}, column {n}", df[c].dtype)
                              for v, n, c in zip(values[1:], names[1:], cols[1:])]
        header = [f"{nt.key}:ID({label})"] + [f"{n}:{k}" for n, k in zip(names[1:], kinds[1:])]
        files.nodes[label] = (path, _write(path, header, values, ["string"] + kinds[1:]))
    for rtype in RELS:
        df = store.rels.get(rtype)
        if df is None or df.empty:
            continue
        df = df.dropna(subset=["src", "dst"])
        for (sl, dl), part in df.groupby(["src_label", "dst_label"], sort=True):
            path = out_dir / f"rels-{rtype}-{sl}-{dl}.csv"
            cols = [c for c in part.columns if c not in REL_BASE]
            names = [PROVENANCE.get(c, c) for c in cols]
            values = [_column(part[c]) for c in cols]
            kinds = [_type_of(v, f"{path.name}, column {n}", part[c].dtype) for v, n, c in zip(values, names, cols)]
            header = ([f":START_ID({sl})", f":END_ID({dl})", "_rid:string"]
                      + [f"{n}:{k}" for n, k in zip(names, kinds)])
            columns = [part["src"].astype(str).tolist(), part["dst"].astype(str).tolist(), rel_ids(rtype, part)] + values
            n = _write(path, header, columns, ["string", "string", "string"] + kinds)
            files.relationships.setdefault(rtype, []).append((path, n))
    (out_dir / "schema.cypher").write_text("".join(f"{q};\n" for q in schema_statements()), encoding="utf-8")
    script = "#!/bin/sh\n# Run with the database stopped; then run schema.cypher (cypher-shell -f schema.cypher).\n"
    script += 'cd "$(dirname "$0")" && exec ' + " ".join(shlex.quote(a) for a in files.command(database)) + ' "$@"\n'
    (out_dir / "import.sh").write_text(script, encoding="utf-8")
    (out_dir / "import.sh").chmod(0o755)
    return files
