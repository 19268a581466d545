"""Structural zeros are said, not shown as findings: n/a in tables, a list in JSON (issue: an even-handed model)."""

from __future__ import annotations

import json

import hlssim
from hlssim.cli import main
import numpy as np
import pytest

from hlssim.outputs.applicability import DID_NOT_HAPPEN, INERT, NEEDS_BASELINE, not_applicable, reasons
from hlssim.params.scenarios import shipped

TINY = ("--weeks", "8", "--set", "population.citizens=150", "--jobs", "1", "--quiet")


def test_a_mechanism_that_cannot_act_is_not_applicable():
    hls, npm = not_applicable(hlssim.resolve("hls")), not_applicable(hlssim.resolve("npm"))
    assert {"misreport_rate", "turned_away_share", "closed_early_share", "gaming_provider_share"} <= set(hls)
    assert not {"misreport_rate", "turned_away_share", "gaming_provider_share", "parked_share"} & set(npm)
    assert "parked_share" not in hls, "a case can be starved of time with nothing riding on it"
    nothing_reads = hlssim.resolve("npm", {"targets.pressure": 0.0, "contract.share_at_risk": 0.0})
    assert "misreport_rate" in not_applicable(nothing_reads)
    assert "misreport_rate" not in not_applicable(hlssim.resolve("npm", {"targets.pressure": 0.0})), \
        "payment by results reads the record without any target"
    off = not_applicable(hlssim.resolve("npm", {"service.enabled": False}))
    assert {"true_success_rate", "burnout_share", "data_integrity"} <= set(off)
    assert "dropout_share" in not_applicable(hlssim.resolve("hls", {"queue.dropout_rate": 0.0}))
    assert "closed_at_review_share" in npm, "every NPM case times out before its first review"
    assert "closed_at_review_share" not in hls
    assert "provider_concentration" in npm and "provider_concentration" in hls, "one provider: no market"
    assert "provider_margin_share" in hls and "provider_margin_share" not in npm, "a block pays as providers spend"
    market = hlssim.resolve("npm", {"market.providers": 4, "population.citizens": 4000})
    assert "provider_concentration" not in not_applicable(market)


def test_renewal_that_reads_learning_reports_is_a_stake_under_hls():
    learning = hlssim.load_scenario("funding-for-learning").params
    assert "misreport_rate" not in not_applicable(learning)
    unread = hlssim.load_scenario("funding-for-learning").with_changes(overrides={"contract.report_weight": 0.0})
    assert "misreport_rate" in not_applicable(unread.params)


def test_what_never_happened_in_a_run_is_not_applicable_in_it():
    """Nobody waited, so nobody could give up waiting: n/a in that run, with its reason."""
    p = hlssim.resolve("npm")
    assert "dropout_share" not in not_applicable(p)
    assert reasons(p, {"waiting_mean": 0.0})["dropout_share"] == DID_NOT_HAPPEN
    assert "dropout_share" not in not_applicable(p, {"waiting_mean": 0.4})
    assert reasons(p)["crisis_cost_avoided_per_smd_citizen_year"] == NEEDS_BASELINE


@pytest.mark.parametrize("name", sorted(shipped()))
def test_no_key_that_moved_in_a_run_is_marked_n_a_in_it(name):
    """The rule never hides a finding: in every shipped scenario, each n/a key holds the value its mechanism
    leaves when it cannot act (0, undefined, or applicability.INERT), never one that moved: a summary key in
    the summary, a weekly column a mechanism declares n/a (state/books.py, ``cannot_act``) in every week."""
    scenario = hlssim.load_scenario(name).with_changes(overrides={"population.citizens": 1500})
    result = hlssim.simulate(None, seed=2, weeks=60, overrides=scenario.overrides)
    held_values = {k: held(result, k) for k in not_applicable(result.params, result.summary)}
    moved = {k: values for k, values in held_values.items()
             if not all(np.isnan(v) or v == INERT.get(k, 0.0) for v in values)}
    assert not moved, f"{name}: n/a keys that moved: {moved}"


def held(result, key: str) -> list[float]:
    """What an n/a key held in a run: its summary value, or each week of a weekly column."""
    if key in result.summary:
        return [result.summary[key]]
    assert key in result.timeseries, f"n/a names {key!r}, neither a summary key nor a weekly column"
    return result.timeseries[key].astype(float).tolist()


def test_no_stable_case_opens_behind_an_npm_front_door():
    """Under the NPM eligibility threshold (below the low threshold) every served case has a low assessed
    domain, so the stable tier's keys are n/a, and the run agrees: no tier-0 case ever opens."""
    assert {"hours_per_case_week_stable", "parked_share_stable"} <= set(not_applicable(hlssim.resolve("npm")))
    assert "hours_per_case_week_stable" not in not_applicable(hlssim.resolve("hls"))
    result = hlssim.simulate("npm", seed=2, weeks=30, overrides={"population.citizens": 400})
    assert len(result.cases) > 0 and (result.cases["intake_tier"] > 0).all()

def test_tables_print_n_a_and_json_lists_the_keys(no_default_store, capsys):
    assert main(["run", "--regime", "hls", "--seed", "1", *TINY]) == 0
    table = capsys.readouterr().out
    misreport = next(line for line in table.splitlines() if line.startswith("misreport_rate"))
    assert misreport.split()[-1] == "n/a" and "n/a: the mechanism behind this key" in table
    assert main(["run", "--regime", "hls", "--seed", "1", "--json", *TINY]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["misreport_rate"] == 0.0 and "misreport_rate" in data["not_applicable"]


def test_compare_marks_a_key_n_a_when_either_side_cannot_move_it(no_default_store, capsys):
    assert main(["run", "npm-targets", "hls-devolved", "--seeds", "2", *TINY]) == 0
    capsys.readouterr()
    assert main(["compare", "npm-targets", "hls-devolved"]) == 0
    lines = {line.split()[0]: line.split() for line in capsys.readouterr().out.splitlines() if line.strip()}
    assert lines["misreport_rate"][2:] == ["n/a"] * 5 and lines["misreport_rate"][1] != "n/a"
    assert "n/a" not in lines["goodhart_gap"]
    assert main(["compare", "npm-targets", "hls-devolved", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "misreport_rate" in data["not_applicable"]["b"] and "misreport_rate" not in data["not_applicable"]["a"]


def test_the_validation_report_says_how_many_patterns_hold_by_role(tmp_path, capsys):
    out = tmp_path / "validation"
    assert main(["validate-model", "--seeds", "1", "--weeks", "13", "--citizens", "200", "--quiet", "--jobs", "1",
                 "--pattern", "courtesy_bias", "--pattern", "smd_crisis_cost_at_entry", "--out", str(out)]) == 0
    report = (out / "report.md").read_text()
    table = (out / "validation.csv").read_text().splitlines()
    assert report.splitlines()[2].startswith("**Validation (independent): none run.")
    assert "Calibration targets (a fit): " in report and "Mechanism checks: " in report
    assert "Dunsch" in report and "Fulfilling Lives" in report
    assert len(table) == 3 and table[0].startswith("pattern,role,title,source,quantity,expected,band_low,band_high,"
                                                   "median,p10,p90,verdict,holds")
