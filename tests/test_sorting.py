"""The queue's fast stable sort gives exactly numpy's stable order: ties in position order."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from hlssim.util.sorting import stable_argsort, stable_ranks

SAME_EVERY_TIME = settings(deadline=None, derandomize=True, database=None, max_examples=300)

# Few distinct values, so ties are the rule; both zeros, which sort as equal.
tied_floats = st.sampled_from([-1.5, -0.0, 0.0, 0.25, 0.25000000000000006, 3.0, 1e300])
floats = st.floats(allow_nan=False, allow_infinity=True, width=64)


@SAME_EVERY_TIME
@given(arrays(np.float64, st.integers(0, 400), elements=st.one_of(tied_floats, floats)))
def test_floats_sort_as_numpys_stable_sort(values):
    assert np.array_equal(stable_argsort(values), np.argsort(values, kind="stable"))


@SAME_EVERY_TIME
@given(arrays(np.int64, st.integers(0, 400), elements=st.one_of(st.integers(-40, 40), st.integers(-(2**40), 2**40))))
def test_integers_sort_as_numpys_stable_sort(values):
    """Small integers take numpy's radix sort (as int16); large ones the fast sort with ties fixed."""
    assert np.array_equal(stable_argsort(values), np.argsort(values, kind="stable"))


def test_ties_keep_their_positions_whatever_the_fast_sort_did():
    values = np.array([2.0, 1.0, 2.0, 1.0, 2.0, 1.0] * 50)
    order = stable_argsort(values)
    ones, twos = order[:150], order[150:]
    assert (np.diff(ones) > 0).all() and (np.diff(twos) > 0).all()
    assert set(values[ones]) == {1.0} and set(values[twos]) == {2.0}


@SAME_EVERY_TIME
@given(arrays(np.int64, st.integers(0, 400), elements=st.one_of(st.integers(-40, 40), st.integers(-(2**40), 2**40))),
       st.booleans())
def test_ranks_are_the_inverse_of_the_stable_order(values, as_float):
    """Places in the stable order, whether counted (integers in a small range) or sorted."""
    values = values.astype(float) if as_float else values
    expected = np.empty(values.size, dtype=np.int64)
    expected[np.argsort(values, kind="stable")] = np.arange(values.size)
    assert np.array_equal(stable_ranks(values), expected)


@SAME_EVERY_TIME
@given(st.integers(0, 60), st.integers(0, 70), st.floats(0, 1), st.integers(0, 2**32 - 1))
def test_the_queue_takes_the_first_of_a_stable_sort_by_priority(n, count, lam, seed):
    """intake's one-pass pick is np.argsort(-priority, kind="stable")[:count] over those not yet taken,
    with ties (many: ranks on a coarse grid) in queue order; and it marks them taken."""
    from hlssim.mechanisms.demand import _first_by_priority
    rng = np.random.default_rng(seed)
    fair, ease = rng.integers(0, 4, n) / 4.0, rng.integers(0, 3, n) / 2.0
    taken = rng.random(n) < 0.3
    left = np.flatnonzero(~taken)
    priority = (1 - lam) * fair[left] + lam * ease[left]
    expected = left[np.argsort(-priority, kind="stable")[:count]]
    marks = taken.copy()
    assert np.array_equal(_first_by_priority(fair, ease, marks, lam, count), expected)
    assert marks[expected].all() and marks.sum() == taken.sum() + expected.size
