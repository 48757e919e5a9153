"""Mainland China working days (statutory holidays and make-up workdays), from chinese-calendar.

Python rules call :func:`count_workdays`; Cypher rules receive the same calendar as the common
parameters ``$holidays`` (weekdays off) and ``$makeup_workdays`` (weekend days worked), so both
count alike. Years the calendar does not cover count Monday to Friday.

>>> import datetime as dt
>>> count_workdays(dt.date(2024, 6, 7), dt.date(2024, 6, 13))  # 端午 on Monday 10 June
4
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar
import pandas as pd

__all__ = ["is_workday", "count_workdays", "calendar_params", "short_publicity", "shortfall"]


@lru_cache(maxsize=None)
def is_workday(d: dt.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(d))
    except NotImplementedError:
        return d.weekday() < 5


def count_workdays(start: dt.date, end: dt.date) -> int:
    """Working days from start to end, both counted."""
    if end < start:
        return 0
    return sum(is_workday(start + dt.timedelta(days=i)) for i in range((end - start).days + 1))


@lru_cache(maxsize=None)
def calendar_params(first_year: int = 2004, last_year: int | None = None) -> dict[str, list[dt.date]]:
    last_year = last_year or dt.date.today().year + 1
    holidays, makeup = [], []
    d, end = dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)
    while d <= end:
        w = is_workday(d)
        if d.weekday() < 5 and not w:
            holidays.append(d)
        elif d.weekday() >= 5 and w:
            makeup.append(d)
        d += dt.timedelta(days=1)
    return {"holidays": holidays, "makeup_workdays": makeup}


def short_publicity(df: pd.DataFrame, min_workdays: int) -> pd.DataFrame:
    """Rows whose 公示 (``publicity_start``/``publicity_end``) is empty while other rows have one, or lasts fewer
    than ``min_workdays`` working days; with a ``workdays`` column (empty where there was no 公示)."""
    s, e = pd.to_datetime(df["publicity_start"]), pd.to_datetime(df["publicity_end"])
    both = s.notna() & e.notna()
    df = df.assign(workdays=[count_workdays(a.date(), b.date()) if ok else None for a, b, ok in zip(s, e, both)])
    others = bool(s.notna().any())
    return df[(~both & others) | (both & (df["workdays"].fillna(10**6) < min_workdays))]


def shortfall(rows: list[dict], need: int = 5) -> float:
    """Score strength of a publicity lead: the missing share of the working days (no 公示 at all: 1)."""
    r = rows[0]
    return 1.0 if r["workdays"] is None else (need - r["workdays"]) / need
