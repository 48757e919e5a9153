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

__all__ = ["is_workday", "count_workdays", "calendar_params"]


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
