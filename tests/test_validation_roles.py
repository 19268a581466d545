"""The honest validation split (issue 18): roles, interval verdicts, at least 12 independent patterns."""

from __future__ import annotations

import math

from hlssim.experiments.validation import FAILS, HOLDS, ROLES, UNCLEAR, patterns, verdict
from hlssim.outputs.stats import Spread


def test_a_verdict_reads_the_whole_interval_never_the_median():
    band = (0.0, math.inf)
    assert verdict(Spread(0.01, 0.002, 0.02), band) == HOLDS
    assert verdict(Spread(0.004, -0.004, 0.009), band) == UNCLEAR       # a null effect's median > 0 is not enough
    assert verdict(Spread(-0.02, -0.03, -0.01), band) == FAILS
    assert verdict(Spread(0.5, 0.45, 0.76), (0.45, 0.75)) == UNCLEAR
    assert verdict(Spread(math.nan, math.nan, math.nan), band) == "n/a"


def test_every_pattern_has_a_role_and_the_tuned_targets_are_calibration():
    found = {p.key: p for p in patterns()}
    assert {p.role for p in found.values()} <= set(ROLES)
    for key in ("smd_crisis_cost_at_entry", "turnover_in_sector_range", "discretion_inconsistency"):
        assert found[key].role == "calibration"
    for key in ("courtesy_bias", "record_flatters_under_targets", "natural_recovery", "queue_harms"):
        assert found[key].role == "mechanism"
    for dial in ("uniqueness", "interdependence", "dynamism"):
        assert found[f"complexity_{dial}"].role == "seed_claim"


def test_at_least_12_independent_patterns_none_resting_on_the_seed():
    independent = [p for p in patterns() if p.role == "validation"]
    assert len(independent) >= 12
    assert not [p.key for p in independent if "seed" in p.source.lower()]
    assert all(p.band[0] < p.band[1] for p in patterns())
