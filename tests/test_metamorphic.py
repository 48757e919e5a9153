"""What must not change a lead: the order of rows, how a table is split over files, the file's encoding, and
an unrelated applicant. Every existing lead keeps its id and its evidence fingerprint."""

from __future__ import annotations

import csv
import io
import random
import shutil
from pathlib import Path

import pytest

from zcgraph.graph.build import build_store
from zcgraph.loaders.load import load_folder
from zcgraph.queries.backends import EmbeddedBackend
from zcgraph.queries.catalog import load_catalog
from zcgraph.synth.generator import generate
from zcgraph.queries.runner import run_rules

CATALOG = load_catalog()


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("demo")
    generate(d, scale="demo", seed=6)
    return d


@pytest.fixture(scope="module")
def baseline(demo) -> dict[str, str]:
    return _leads(demo)


def _leads(folder: Path) -> dict[str, str]:
    res = run_rules(EmbeddedBackend(build_store(load_folder(folder))), CATALOG)
    assert not res["rules_failed"]
    return {x["lead_id"]: x["fingerprint"] for x in res["leads"]}


def _copy(demo: Path, tmp: Path) -> Path:
    d = tmp / "d"
    shutil.copytree(demo, d)
    return d


def _plain_csvs(d: Path) -> list[Path]:
    """The CSVs written as UTF-8 with the header on the first line (the GB18030 one has a banner)."""
    return [p for p in sorted(d.glob("*.csv")) if _utf8(p)]


def _utf8(p: Path) -> bool:
    try:
        p.read_text(encoding="utf-8-sig")
        return True
    except UnicodeDecodeError:
        return False


def _rows(p: Path) -> tuple[list[str], list[list[str]], str]:
    enc = "utf-8-sig" if p.read_bytes().startswith(b"\xef\xbb\xbf") else "utf-8"
    rows = list(csv.reader(io.StringIO(p.read_text(encoding=enc), newline="")))
    return rows[0], rows[1:], enc


def _write(p: Path, header: list[str], rows: list[list[str]], enc: str = "utf-8") -> None:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    p.write_bytes(buf.getvalue().encode(enc))


def test_row_order_changes_no_lead(demo, baseline, tmp_path):
    d = _copy(demo, tmp_path)
    rng = random.Random(1)
    for p in _plain_csvs(d):
        header, rows, enc = _rows(p)
        rng.shuffle(rows)
        _write(p, header, rows, enc)
    assert _leads(d) == baseline


def test_splitting_a_table_over_files_differently_changes_no_lead(demo, baseline, tmp_path):
    d = _copy(demo, tmp_path)
    parts = sorted(d.glob("reviews-*.csv"))
    header, rows = _rows(parts[0])[0], [r for p in parts for r in _rows(p)[1]]
    for p in parts:
        p.unlink()
    half = len(rows) // 2
    _write(d / "reviews_a.csv", header, rows[:half])
    _write(d / "reviews.第二部分.csv", header, rows[half:])
    assert _leads(d) == baseline


def test_re_encoding_changes_no_lead(demo, baseline, tmp_path):
    d = _copy(demo, tmp_path)
    for p in d.glob("*.csv"):
        raw = p.read_bytes()
        if _utf8(p):  # UTF-8 -> GB18030, as Chinese Excel writes it
            p.write_bytes(raw.decode("utf-8-sig").encode("gb18030"))
        else:  # the GB18030 export -> UTF-8
            p.write_bytes(raw.decode("gb18030").encode("utf-8"))
    assert _leads(d) == baseline


def test_an_unrelated_applicant_changes_no_lead(demo, baseline, tmp_path):
    from stdnum.cn import ric

    d = _copy(demo, tmp_path)
    p = sorted(d.glob("applications-*.csv"))[-1]
    header, rows, enc = _rows(p)
    new = dict(zip(header, rows[0]))
    body = "53250119770707042"
    new.update({"application_id": "SB-UNRELATED-1", "name": "无关者", "id_number": body + ric.calc_check_digit(body + "0"),
                "birth_date": "1977-07-07", "gender": "女", "employer": "某县无关单位", "phone": "", "agent": "",
                "result": "", "eligible": "是", "publicity_start": "", "publicity_end": ""})
    _write(p, header, rows + [[new[h] for h in header]], enc)
    after = _leads(d)
    assert {k: after.get(k) for k in baseline} == baseline
