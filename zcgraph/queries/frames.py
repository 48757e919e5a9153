"""Frame idioms that behave the same on empty data as on full data.

Rules are written against frames that may be empty: a table given header-only, a tie nobody recorded, a
filter that keeps nothing. Two pandas idioms change meaning there, and every rule goes through these helpers
instead of using them directly:

- ``df[list_of_bools]`` with an empty list (or ``df[series_of_objects]``) selects zero *columns*, not zero
  rows; the next column access raises ``KeyError``. :func:`rows` always selects rows.
- ``keys.map(table)`` raises when ``table`` is an empty datetime Series (pandas casts its values to the empty
  result's float64). :func:`lookup` gives an empty or all-missing column of the table's dtype instead.

>>> df = pd.DataFrame({"a": pd.Series([], dtype=object)})
>>> list(rows(df, [x == 1 for x in df["a"]]).columns)
['a']
>>> lookup(pd.Series(["k"]), pd.Series([], dtype="datetime64[s]")).dtype
dtype('<M8[s]')
"""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np
import pandas as pd

__all__ = ["rows", "lookup"]


def rows(df: pd.DataFrame, mask: Iterable[Any] | pd.Series | np.ndarray) -> pd.DataFrame:
    """The rows of ``df`` where ``mask`` holds (a list, array or Series of truth values aligned with ``df``;
    missing counts as false). Always a row selection, on an empty frame too."""
    if isinstance(mask, pd.Series):
        m = mask.astype(object).fillna(False).astype(bool).to_numpy()
    else:
        m = np.fromiter((bool(x) for x in mask), dtype=bool)
    if len(m) != len(df):
        raise ValueError(f"row mask of length {len(m)} for a frame of {len(df)} rows")
    return df.loc[m] if len(df) else df


def lookup(keys: pd.Series, table: pd.Series) -> pd.Series:
    """``keys.map(table)`` that works where the table or the keys are empty: the result has the table's dtype
    and is missing where a key is not in the table."""
    if len(table) == 0 or len(keys) == 0:
        missing = None if table.dtype == object else pd.NA if not pd.api.types.is_datetime64_any_dtype(table) else pd.NaT
        return pd.Series(missing, index=keys.index, dtype=table.dtype)
    return keys.map(table)
