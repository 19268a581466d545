"""Plausible ranges (issue 18): every parameter that is not structural has one, inside its hard bounds, with a
source or the word assumption; they are what calibration, sweeps and sensitivity analysis draw from."""

from __future__ import annotations

import math

import hlssim
from hlssim.params import PRACTICES, is_whole_number, plausible


def _numeric(table):
    return table[table.default.map(lambda v: isinstance(v, int | float) and not isinstance(v, bool))]


def test_the_parameter_table_is_a_frame_with_the_documented_columns():
    table = hlssim.parameter_table()
    assert {"key", "default", "low", "high", "plausible_low", "plausible_high", "unit", "source"} <= set(table.columns)
    assert table.key.is_unique and len(table) == len(hlssim.Params().flat())


def test_at_least_80_percent_of_numeric_parameters_have_a_plausible_range():
    numeric = _numeric(hlssim.parameter_table())
    assert numeric.plausible_low.notna().mean() >= 0.8


def test_each_default_lies_inside_its_plausible_range_and_that_inside_the_hard_bounds():
    table = hlssim.parameter_table()
    ranged = table[table.plausible_low.notna()]
    assert len(ranged) > 0
    for row in ranged.itertuples():
        assert row.plausible_low < row.plausible_high, row.key
        assert row.plausible_low <= row.default <= row.plausible_high, row.key
        assert math.isnan(row.low) or row.low <= row.plausible_low, row.key
        assert math.isnan(row.high) or row.plausible_high <= row.high, row.key
        assert row.plausible_source and row.plausible_source.strip(), row.key
        if is_whole_number(row.key):
            assert float(row.plausible_low).is_integer() and float(row.plausible_high).is_integer(), row.key


def test_what_makes_a_regime_a_regime_has_no_plausible_range():
    assert all(plausible(f"practices.{p}") is None for p in PRACTICES)
    assert plausible("population.citizens") is None
    assert plausible("no.such_key") is None
