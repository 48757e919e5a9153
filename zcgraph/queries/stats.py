"""Statistics shared by the statistical rules (rules.md "Random-draw baselines"): tails, runs, BH.

Backends hand over counts (how many chances an expert had, at which probability, and how
many times it happened); everything here is computed once, above the backends, so both
give the same p and q.

>>> round(poibin_sf(2, [(2, 0.5)]), 4)   # two fair coins, both heads
0.25
>>> round(poibin_sf(1, [(1, 0.5), (1, 0.2)]), 4)
0.6
>>> [round(x, 3) for x in bh([0.01, 0.04, 0.03, 0.5])]
[0.04, 0.053, 0.053, 0.5]
"""

from __future__ import annotations

import math
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import stats as sps

__all__ = ["poibin_sf", "bh", "tarone_testable", "run_sf", "welch_greater", "strength_from_p", "sig", "tested"]

EXACT_LIMIT = 5000  # trials: exact convolution below, refined normal approximation above


def poibin_sf(k: int, groups: Iterable[tuple[int, float]]) -> float:
    """P(X ≥ k) for X a sum of independent Bernoulli trials, given as (count, probability) groups.

    One probability: the binomial tail. Several: the exact Poisson-binomial by convolving each
    group's binomial pmf, or, beyond ``EXACT_LIMIT`` trials, the refined normal approximation
    (Volkova 1996), which is accurate to well under 1e-3 there.
    """
    gs = [(int(n), float(p)) for n, p in groups if n > 0 and p > 0]
    if k <= 0:
        return 1.0
    total = sum(n for n, _ in gs)
    if k > total:
        return 0.0
    ps = {p for _, p in gs}
    if len(ps) == 1:
        return float(sps.binom.sf(k - 1, total, ps.pop()))
    if total <= EXACT_LIMIT:
        pmf = np.array([1.0])
        for n, p in gs:
            pmf = np.convolve(pmf, sps.binom.pmf(np.arange(n + 1), n, min(p, 1.0)))
        return float(min(1.0, max(0.0, pmf[k:].sum())))
    mu = sum(n * p for n, p in gs)
    var = sum(n * p * (1 - p) for n, p in gs)
    if var <= 0:
        return 1.0 if k <= mu else 0.0
    sd = math.sqrt(var)
    gamma = sum(n * p * (1 - p) * (1 - 2 * p) for n, p in gs) / sd ** 3
    x = (k - 0.5 - mu) / sd
    cdf = sps.norm.cdf(x) + gamma * (1 - x * x) * sps.norm.pdf(x) / 6
    return float(min(1.0, max(0.0, 1.0 - cdf)))


def bh(pvalues: Sequence[float]) -> list[float]:
    """Benjamini–Hochberg q-values, in the input order."""
    if len(pvalues) == 0:
        return []
    return [float(q) for q in sps.false_discovery_control(np.asarray(pvalues, dtype=float), method="bh")]


def tarone_testable(min_p: Sequence[float], alpha: float) -> np.ndarray:
    """Which discrete tests can be discoveries at all (Tarone 1990), as used by BH for discrete data (Gilbert 2005).

    A discrete test has a smallest p it can reach (``min_p``: every chance taken). K is the smallest number
    with at most K tests of ``min_p ≤ alpha / K``; those m(K) are the family, and BH over them keeps the
    false-discovery rate at ``alpha`` (Gilbert 2005). A test whose smallest p exceeds ``alpha / K`` can never
    be a discovery, so a rare event is not drowned by a million pairs that could never have been rare.

    >>> tarone_testable([0.001, 0.4, 0.2], 0.05).tolist()   # two of the three could never reach 0.05
    [True, False, False]
    >>> [round(x, 4) for x in bh([0.001, 0.5, 0.3])][:1]       # plain BH would pay for all three
    [0.003]
    """
    mp = np.asarray(min_p, dtype=float)
    n = len(mp)
    if n == 0:
        return np.zeros(0, dtype=bool)
    ks = np.arange(1, n + 1)
    m_k = np.searchsorted(np.sort(mp), alpha / ks, side="right")  # m(K), non-increasing in K
    k = int(ks[np.argmax(m_k <= ks)])  # m(n) ≤ n always holds, so there is a first
    return mp <= alpha / k


def run_sf(length: int, probs: Sequence[float]) -> float:
    """P(some run of ≥ ``length`` consecutive successes) for independent trials with these probabilities."""
    if length <= 0:
        return 1.0
    # state[j] = P(current run is j and no run of `length` yet)
    state = np.zeros(length)
    state[0] = 1.0
    hit = 0.0
    for p in probs:
        new = np.zeros(length)
        new[0] = state.sum() * (1 - p)
        new[1:] = state[:-1] * p
        hit += state[-1] * p
        state = new
    return float(min(1.0, hit))


def welch_greater(n1: int, s1: float, ss1: float, n2: int, s2: float, ss2: float) -> float | None:
    """One-sided Welch test that group 1's mean exceeds group 2's, from counts, sums and sums of squares."""
    if n1 < 2 or n2 < 2:
        return None
    m1, m2 = s1 / n1, s2 / n2
    v1 = max(0.0, (ss1 - n1 * m1 * m1) / (n1 - 1))
    v2 = max(0.0, (ss2 - n2 * m2 * m2) / (n2 - 1))
    if v1 + v2 <= 1e-12:
        return 0.0 if m1 - m2 > 1e-9 else 1.0
    res = sps.ttest_ind_from_stats(m1, math.sqrt(v1), n1, m2, math.sqrt(v2), n2, equal_var=False,
                                   alternative="greater")
    return float(res.pvalue)


def strength_from_p(p: float | None) -> float:
    """rules.md: for statistical rules the score's strength is −log10(p) / 6."""
    if p is None:
        return 0.0
    return min(1.0, -math.log10(max(p, 1e-300)) / 6)


def sig(x: float | None, digits: int = 4) -> float | None:
    """A statistic as reported: four significant digits (both backends agree to far more)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return float(f"{x:.{digits}g}")


def tested(frame: pd.DataFrame, n: int) -> pd.DataFrame:
    """A statistical rule's lead rows, carrying how many pairs it tested (its Benjamini–Hochberg family), which
    the run summary reports beside the leads raised: what did not survive is counted, never listed."""
    frame.attrs["tested"] = int(n)
    return frame
