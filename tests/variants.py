"""Export folders varied the way real exports vary: a table absent, header-only, one row, a column dropped,
every optional value empty. Each variant is a copy of a CSV folder with one change (or several), so the
robustness harness and the metamorphic tests can draw them."""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass
from pathlib import Path

from zcgraph.loaders.load import discover
from zcgraph.loaders.schema import TABLES

OPS = ("drop", "header_only", "single_row", "blank_optional")


@dataclass(frozen=True)
class Change:
    table: str
    op: str  # one of OPS, or "drop_column"
    column: str | None = None

    def __str__(self) -> str:
        return f"{self.table}:{self.op}" + (f":{self.column}" if self.column else "")


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def tables(folder: Path) -> dict[str, list[Path]]:
    return {t: [p for p, _ in files] for t, files in discover(folder)[0].items()}


def columns(folder: Path) -> dict[str, set[str]]:
    """The contract columns each table's files give (canonical names)."""
    out: dict[str, set[str]] = {}
    for t, files in tables(folder).items():
        for p in files:
            header, _ = _read(p)
            out.setdefault(t, set()).update(c for c in (TABLES[t].match_header(h) for h in header) if c)
    return out


def structural(table: str, column: str) -> bool:
    """A column a row cannot be loaded without (the table's keys and the contract's required headers)."""
    c = TABLES[table].column(column)
    return c.key or c.required


def apply(folder: Path, changes: list[Change] | tuple[Change, ...]) -> Path:
    """Apply changes in place to a CSV folder; returns it."""
    found = tables(folder)
    for ch in changes:
        for p in found.get(ch.table, []):
            if not p.exists():
                continue
            if ch.op == "drop":
                p.unlink()
                continue
            header, rows = _read(p)
            names = [TABLES[ch.table].match_header(h) for h in header]
            if ch.op == "header_only":
                rows = []
            elif ch.op == "single_row":
                rows = rows[:1]
            elif ch.op == "blank_optional":
                keep = [n is None or structural(ch.table, n) for n in names]
                rows = [[v if k else "" for v, k in zip(r, keep)] for r in rows]
            elif ch.op == "drop_column":
                idx = [i for i, n in enumerate(names) if n != ch.column]
                header, rows = [header[i] for i in idx], [[r[i] for i in idx if i < len(r)] for r in rows]
            else:
                raise ValueError(ch.op)
            _write(p, header, rows)
    return folder


def variant(src: Path, dst: Path, changes: list[Change] | tuple[Change, ...]) -> Path:
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)
    return apply(dst, changes)


def sweep(folder: Path) -> list[Change]:
    """Every single change the fixed sweep makes: each optional table dropped, each table header-only, one row,
    its optional values emptied; each optional column present dropped."""
    out: list[Change] = []
    cols = columns(folder)
    for t in sorted(cols):
        if not TABLES[t].required_table:
            out.append(Change(t, "drop"))
        out += [Change(t, "header_only"), Change(t, "single_row"), Change(t, "blank_optional")]
        out += [Change(t, "drop_column", c) for c in sorted(cols[t]) if not structural(t, c)]
    return out
