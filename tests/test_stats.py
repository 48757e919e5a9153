"""The statistics behind the statistical rules, against brute force."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zcgraph.queries import stats


def _brute_sf(k, probs):
    total = 0.0
    for outcome in itertools.product((0, 1), repeat=len(probs)):
        if sum(outcome) >= k:
            total += math.prod(p if o else 1 - p for o, p in zip(outcome, probs))
    return total


@pytest.mark.parametrize("k", range(0, 8))
def test_poisson_binomial_tail_is_exact_for_mixed_probabilities(k):
    groups = [(2, 0.1), (3, 0.375), (1, 0.9)]
    probs = [p for n, p in groups for _ in range(n)]
    assert stats.poibin_sf(k, groups) == pytest.approx(_brute_sf(k, probs), abs=1e-12)


def test_the_large_sample_approximation_stays_close_to_the_exact_tail(monkeypatch):
    groups = [(900, 0.2), (700, 0.375), (500, 0.6)]
    exact = stats.poibin_sf(760, groups)
    monkeypatch.setattr(stats, "EXACT_LIMIT", 10)
    approx = stats.poibin_sf(760, groups)
    assert 1e-4 < exact < 0.5 and approx == pytest.approx(exact, rel=0.05)


def test_longest_run_probability_matches_brute_force():
    probs = [0.3, 0.5, 0.2, 0.6, 0.4]
    brute = 0.0
    for outcome in itertools.product((0, 1), repeat=len(probs)):
        run = best = 0
        for o in outcome:
            run = run + 1 if o else 0
            best = max(best, run)
        if best >= 3:
            brute += math.prod(p if o else 1 - p for o, p in zip(outcome, probs))
    assert stats.run_sf(3, probs) == pytest.approx(brute, abs=1e-12)


def test_benjamini_hochberg_is_monotone_and_never_below_p():
    p = [0.001, 0.2, 0.01, 0.04, 0.03, 0.9]
    q = stats.bh(p)
    assert all(qi >= pi for pi, qi in zip(p, q))
    order = sorted(range(len(p)), key=p.__getitem__)
    assert [q[i] for i in order] == sorted(q)


def test_welch_from_sums_agrees_with_the_raw_samples():
    from scipy import stats as sps

    a, b = [8.0, 7.5, 8.5, 8.2, 7.9], [0.1, -0.4, 0.6, -1.0, 0.3, 0.2]
    got = stats.welch_greater(len(a), sum(a), sum(x * x for x in a), len(b), sum(b), sum(x * x for x in b))
    want = sps.ttest_ind(a, b, equal_var=False, alternative="greater").pvalue
    assert got == pytest.approx(want, rel=1e-9)
    assert stats.welch_greater(1, 8.0, 64.0, 5, 0.0, 1.0) is None  # one score says nothing about spread


@given(st.lists(st.floats(min_value=1e-9, max_value=1.0), min_size=1, max_size=60),
       st.sampled_from([0.01, 0.05, 0.2]))
def test_the_discrete_screen_keeps_exactly_the_tests_that_could_reach_alpha_over_k(min_p, alpha):
    keep = stats.tarone_testable(min_p, alpha).tolist()
    m = sum(keep)

    def count(k):
        return sum(x <= alpha / k for x in min_p)

    # K is the smallest number with m(K) ≤ K, and the family is exactly those tests
    k = next(k for k in range(1, len(min_p) + 1) if count(k) <= k)
    assert m == count(k) and m <= k
    assert all((x <= alpha / k) == kept for x, kept in zip(min_p, keep))
    # a test that could never reach alpha is never in the family
    assert not any(kept and x > alpha for x, kept in zip(min_p, keep))
