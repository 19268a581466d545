"""'In brief' (issue 19): a comparison's report opens with at most six bullets, each naming the side that comes
out ahead, both values and the difference with its interval; keys the two sides cannot be compared on are
flagged, never stated as findings."""

from __future__ import annotations

import pandas as pd
import pytest

from hlssim.outputs.comparability import CLOSING_KEYS, not_comparable
from hlssim.params import scenarios as scen
from hlssim.reports.brief import LESS, LIVES, MORE, NEARER_ZERO, PER_SIDE, THEMES, brief
from hlssim.reports.keys import SUMMARY
from hlssim.reports.runs import Comparison, Group

SEEDS = [1, 2, 3, 4, 5]


def group(label: str, scenario: str, values: dict[str, list[float]]) -> Group:
    """A group of five seeds with the given summaries, on a shipped scenario's parameters."""
    summaries = pd.DataFrame(values, index=pd.Index(SEEDS, name="seed"))
    return Group(label=label, scenario=scenario, description="", regime=scen.load(scenario).regime,
                 summaries=summaries, timeseries=pd.DataFrame(columns=["seed", "week"]),
                 params=scen.load(scenario).params.flat(), weeks=(52,))


def pair(a: dict, b: dict, scenarios=("npm-targets", "hls-devolved")) -> Comparison:
    return Comparison.of(group("npm-side", scenarios[0], a), group("hls-side", scenarios[1], b))


BASE = {"flourishing_gain": [0.03, 0.031, 0.029, 0.03, 0.032], "dropout_share": [0.01, 0.0, 0.02, 0.01, 0.0],
        "cost_per_citizen_year": [5000, 5100, 4900, 5050, 4950], "true_success_rate": [0.25, 0.26, 0.24, 0.25, 0.27],
        "data_integrity": [0.5, 0.52, 0.49, 0.51, 0.5], "between_worker_share": [0.01, 0.012, 0.011, 0.01, 0.013]}
HLS = {"flourishing_gain": [0.05, 0.052, 0.049, 0.051, 0.05], "dropout_share": [0.45, 0.4, 0.5, 0.44, 0.47],
       "cost_per_citizen_year": [5100, 5000, 4950, 5200, 4900], "true_success_rate": [0.74, 0.73, 0.75, 0.72, 0.76],
       "data_integrity": [0.93, 0.92, 0.94, 0.93, 0.95], "between_worker_share": [0.04, 0.05, 0.03, 0.045, 0.04]}


def test_each_side_is_named_with_its_gains_and_the_other_sides_costs():
    said = brief(pair(BASE, HLS))
    leads = [b.lead for b in said.bullets]
    assert 1 <= len(said.bullets) <= 2 * PER_SIDE
    assert leads[0] == f"hls-side ahead on {LIVES}", "people's lives lead where a side is ahead on them"
    assert "npm-side ahead on waiting and giving up" in leads
    assert "hls-side ahead on the truth of the record" in leads
    assert "npm-side ahead on consistency and quality" in leads
    waiting = next(b for b in said.bullets if b.theme == "waiting and giving up")
    assert "gave up waiting: 45.0% under hls-side against 1.0% under npm-side" in waiting.text
    assert "+44.0 percentage points" in waiting.text and "10th-90th percentile" in waiting.text
    assert "higher under hls-side in 5 of 5 seeds" in waiting.text


def test_keys_that_cannot_be_compared_are_flagged_never_stated():
    comparison = pair(BASE, HLS)
    assert set(comparison.not_comparable) == {"true_success_rate"}           # the only closing key given here
    said = brief(comparison)
    assert not any("true_success_rate" in b.keys for b in said.bullets)
    assert any(line.startswith("Not compared, so not stated: true success rate") for line in said.lines())


def test_a_difference_the_seeds_disagree_on_is_not_a_finding():
    said = brief(pair(BASE, HLS))
    assert not any("cost_per_citizen_year" in b.keys for b in said.bullets)
    assert said.unclear == ["cost_per_citizen_year"]


def test_at_most_three_bullets_a_side_and_at_least_one():
    many = {k: [1.0, 1.1, 0.9, 1.0, 1.05] for k, _ in (kb for keys in THEMES.values() for kb in keys)}
    better = {k: [v * 2 for v in values] for k, values in many.items()}
    said = brief(pair(many, better, ("npm-targets", "npm-targets")))
    sides = [b.side for b in said.bullets]
    assert sides.count("hls-side") <= PER_SIDE and sides.count("npm-side") <= PER_SIDE
    assert brief(pair(BASE, BASE, ("npm-targets", "npm-targets"))).bullets[0].lead == "No clear difference"


def test_the_gap_between_record_and_truth_is_better_nearer_zero_either_way():
    a = {"goodhart_gap": [0.05, 0.06, 0.05, 0.04, 0.05]}
    b = {"goodhart_gap": [-0.3, -0.31, -0.29, -0.3, -0.32]}                 # far below: a worse record
    said = brief(pair(a, b, ("npm-targets", "npm-targets")))
    assert [bullet.lead for bullet in said.bullets] == ["npm-side ahead on the truth of the record"]


def test_closing_rules_decide_comparability():
    npm, hls, demo = (scen.load(n).params for n in ("npm-targets", "hls-devolved", "goodhart-demo"))
    assert set(not_comparable(npm, hls)) == set(CLOSING_KEYS)
    assert not_comparable(npm, demo) == {}, "two NPM sides close cases alike: the Goodhart demo compares their rates"
    assert "16 weeks against none" in not_comparable(npm, hls)["true_success_rate"]


def test_every_key_in_a_theme_is_a_summary_key():
    assert {k for keys in THEMES.values() for k, _ in keys} <= set(SUMMARY)
    assert {better for keys in THEMES.values() for _, better in keys} <= {MORE, LESS, NEARER_ZERO}
