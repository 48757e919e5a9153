"""The notice's 随机抽查: a reproducible random sample, by committee and year, written as a checklist workbook.

``zcgraph sample`` draws ``size`` items from every (committee, year) stratum — leads (after the rules ran) or
applications — with a seed. Each stratum draws from its own generator seeded by the seed and the stratum's name,
over its ids in sorted order: the same data and seed give the same sample, and a stratum's draw does not change
when another stratum gains or loses items. The checklist has the columns an investigator fills in; a lead
checklist is a dispositions file (线索编号 + 核查状态), so ``find-conflicts --dispositions`` takes it back.
"""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path
from typing import Any

__all__ = ["draw", "write_checklist", "SampleError"]


class SampleError(ValueError):
    pass


def draw(items: list[dict[str, Any]], id_field: str, size: int, seed: int,
         by: tuple[str, ...] = ("committee_id", "year")) -> tuple[list[dict[str, Any]], list[list[Any]]]:
    """``size`` items from each stratum of ``by`` (every item when a stratum has fewer). Returns the sample (in
    stratum, then id order) and one row per stratum: its values, population, sampled."""
    if size < 1:
        raise SampleError(f"--size 应为正整数(收到 {size})")
    strata: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for x in items:
        strata[tuple("—" if x.get(f) in (None, "") else str(x[f]) for f in by)].append(x)
    picked: list[dict[str, Any]] = []
    summary: list[list[Any]] = []
    for key in sorted(strata):
        members = sorted(strata[key], key=lambda x: str(x[id_field]))
        rng = random.Random(f"{seed}:{'|'.join(key)}")
        chosen = sorted(rng.sample(range(len(members)), min(size, len(members))))
        picked += [members[i] for i in chosen]
        summary.append([*key, len(members), len(chosen)])
    return picked, summary


def write_checklist(path: Path, kind: str, rows: list[list[Any]], heads: list[str], summary: list[list[Any]],
                    by: tuple[str, ...], info: list[list[Any]]) -> Path:
    from openpyxl import Workbook

    from .export import _sheet, _status_dropdown
    from .fields import header

    if path.suffix.lower() != ".xlsx":
        raise SampleError(f"抽查清单应为 .xlsx(收到 {path.suffix or '无扩展名'})")
    wb = Workbook()
    ws = wb.active
    ws.title = "抽查清单"
    _sheet(ws, heads, rows, [18 if i == 0 else 60 if h in ("证据说明",) else 14 for i, h in enumerate(heads)])
    _status_dropdown(ws, heads.index(header("status")) + 1, len(rows), "zh")
    names = {"committee_id": "评委会编号", "year": "评审年度"}
    _sheet(wb.create_sheet("抽样说明"), ["项目", "值"], info, [18, 60])
    _sheet(wb.create_sheet("分层"), [*(names.get(f, f) for f in by), "总数", "抽取数"], summary, [16] * (len(by) + 2))
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
