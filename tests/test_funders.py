"""`hlssim funders` and `hlssim.compare_funding` (issue 19): contract designs against business as usual on the
same seeds, every run stored, readings for people with SMD, money for people and a figure a funder can read."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from PIL import Image

import hlssim
from hlssim.cli import main
from hlssim.experiments import commissioning
from hlssim.params import scenarios
from hlssim.reports.funders import funders_chart, short_pounds
from hlssim.reports.funding import BASELINE, MEASURES, across_seeds, compare_funding
from hlssim.store import Store

SMALL = "population:\n  citizens: 300\n"
WEEKS = 20


@pytest.fixture
def designs(tmp_path):
    """Two shipped designs made small: payment by results at a flat price, and funding for learning."""
    paths = []
    for name in ("funding-pbr-flat", "funding-for-learning"):
        path = tmp_path / f"small-{name}.yaml"
        path.write_text(f"name: small-{name}\nextends: {name}\n{SMALL}")
        paths.append(str(path))
    return paths


@pytest.fixture
def comparison(designs, tmp_path):
    return compare_funding(designs, seeds=2, weeks=WEEKS, db=str(tmp_path / "store.db"), jobs=1)


def test_every_design_and_business_as_usual_run_on_the_same_seeds_and_are_stored(comparison, tmp_path, designs):
    with Store(tmp_path / "store.db") as store:
        runs = store.runs()
    assert sorted(runs.scenario.value_counts().items()) == [
        (BASELINE, 2), ("small-funding-for-learning", 2), ("small-funding-pbr-flat", 2)]
    assert set(runs.seed) == {1, 2} and set(runs.weeks) == {WEEKS}
    bau = runs[runs.scenario == BASELINE]
    assert set(bau.regime) == {"npm"}
    expected = commissioning.business_as_usual(scenarios.load(designs[1]).overrides)
    stored = hlssim.load(int(bau.run_id.iloc[0]), db=str(tmp_path / "store.db")).params.flat()
    assert all(stored[k] == v for k, v in expected.items()) and stored["population.citizens"] == 300
    again = compare_funding(designs, seeds=2, weeks=WEEKS, db=str(tmp_path / "store.db"), jobs=1)
    with Store(tmp_path / "store.db") as store:
        assert len(store.runs()) == 6, "a second call reuses the stored runs"
    pd.testing.assert_frame_equal(again.table, comparison.table)


def test_the_readings_are_paired_with_business_as_usual_seed_by_seed(comparison, tmp_path):
    with Store(tmp_path / "store.db") as store:
        runs = store.runs().set_index("run_id")
    years = WEEKS / 52
    for row in comparison.by_seed[comparison.by_seed.design != BASELINE].itertuples():
        mine, bau = runs.loc[row.design_run], runs.loc[row.baseline_run]
        assert mine.seed == bau.seed == row.seed
        extra = mine.flourishing_gain_smd - bau.flourishing_gain_smd
        assert row.flourishing_gain_smd_vs_bau == pytest.approx(extra)
        assert row.crisis_cost_avoided_per_smd_citizen_year == pytest.approx(
            bau.crisis_cost_per_smd_citizen_year - mine.crisis_cost_per_smd_citizen_year)
        assert row.cost_per_citizen_year == pytest.approx(mine.cost_per_citizen_year)
        cost = (mine.public_service_use_per_smd_citizen_year - bau.public_service_use_per_smd_citizen_year) * years
        if extra > 0:
            assert row.cost_per_smd_flourishing_point == pytest.approx(cost / extra)
        else:                                   # bought no extra SMD flourishing: nothing to divide by
            assert math.isnan(row.cost_per_smd_flourishing_point)
    table = comparison.table.set_index("design")
    learning = comparison.by_seed[comparison.by_seed.design == "small-funding-for-learning"]
    assert table.loc["small-funding-for-learning", "crisis_cost_avoided_per_smd_citizen_year"] == pytest.approx(
        learning.crisis_cost_avoided_per_smd_citizen_year.median())
    assert table.loc["small-funding-for-learning", "cost_per_citizen_year_p10"] == pytest.approx(
        np.percentile(learning.cost_per_citizen_year, 10))
    assert math.isnan(table.loc[BASELINE, "cost_per_smd_flourishing_point"]), "the baseline is not read against itself"


def test_a_design_where_nothing_rides_on_records_has_no_gaming_figure(comparison):
    """Funding for learning at this size has one provider: nothing paid by results, no targets, no renewal that
    reads its records, so gaming cannot act: its table is blank there, not a 0 that wins."""
    rows = comparison.by_seed.set_index("design")
    assert rows.loc["small-funding-for-learning", "gaming_provider_share"].isna().all()
    assert rows.loc["small-funding-pbr-flat", "gaming_provider_share"].notna().all()
    assert "gaming_provider_share" in comparison.not_applicable["small-funding-for-learning"]


def test_the_figure_draws_levels_with_the_baseline_and_differences_against_it(comparison, tmp_path):
    chart = funders_chart(comparison)
    data = chart.data.set_index(["measure", "label"])
    assert (("flourishing_gain_smd", BASELINE)) in data.index
    assert ("cost_per_smd_flourishing_point", BASELINE) not in data.index
    for design in comparison.designs:
        row = data.loc[("cost_per_smd_flourishing_point", design)]
        assert row["undefined"] == comparison.undefined(design, "cost_per_smd_flourishing_point")
    for ax in chart.figure.axes[:4]:
        low, high = ax.get_xlim()
        assert low <= 0 <= high, "levels are read from 0, differences against business as usual at 0"
    chart.figure.savefig(tmp_path / "funders.png")
    Image.open(tmp_path / "funders.png").verify()


def test_a_reading_undefined_on_most_seeds_has_no_median():
    """One seed's £58,700,000 per point is not the middle of ten seeds of which nine bought nothing."""
    assert np.isnan(across_seeds(pd.Series([5.8e7, *[np.nan] * 9])).median)
    assert across_seeds(pd.Series([1.0, 2.0, 3.0, np.nan])).median == 2.0


def test_money_labels_are_short_and_never_a_bare_float():
    assert [short_pounds(v) for v in (950, 1234, 12_000, 240_000, 1_500_000, -2_500)] == \
        ["£950", "£1.23k", "£12k", "£240k", "£1.5m", "-£2.5k"]


def test_hlssim_funders_writes_the_table_stores_the_runs_and_lists_them(designs, tmp_path, capsys):
    db, out = str(tmp_path / "cli.db"), tmp_path / "out"
    args = ["funders", *designs, "--seeds", "2", "--weeks", str(WEEKS), "--out", str(out), "--db", db,
            "--jobs", "1", "--quiet"]
    assert main(args) == 0
    printed, said = capsys.readouterr()
    assert "small-funding-for-learning" in printed and "£" in printed
    assert not re.search(r"\d\.\d{3} \[", printed), "money is for people, not '54.267 [-230.647, 402.442]'"
    assert re.search(r"£[\d,]+ \(-?£[\d,]+ to -?£[\d,]+\)", printed)
    csv = pd.read_csv(out / "funders.csv")
    for column in ("design", "flourishing_gain_smd", "cost_per_citizen_year", "cost_per_smd_flourishing_point",
                   "crisis_cost_avoided_per_smd_citizen_year"):
        assert column in csv and (column == "design" or f"{column}_p10" in csv and f"{column}_p90" in csv)
    assert list(csv.design) == [BASELINE, "small-funding-pbr-flat", "small-funding-for-learning"]
    avoided = csv.set_index("design").crisis_cost_avoided_per_smd_citizen_year
    assert not np.isnan(avoided["small-funding-for-learning"]), "a number against business as usual, not n/a"
    assert np.isnan(avoided[BASELINE])
    assert len(pd.read_csv(out / "funders_by_seed.csv")) == 6
    assert "| `small-funding-for-learning` |" in (out / "funders.md").read_text()
    Image.open(out / "funders.png").verify()

    assert main(["list", "--series", "--db", db]) == 0
    listed = capsys.readouterr().out
    for scenario in (BASELINE, "small-funding-pbr-flat", "small-funding-for-learning"):
        assert scenario in listed

    assert main(args) == 2, "earlier files are never replaced without --force, and nothing runs first"
    assert "earlier results are there" in capsys.readouterr().err


def test_a_design_that_is_not_a_scenario_is_refused_before_any_run(tmp_path, capsys):
    db = tmp_path / "none.db"
    code = main(["funders", "no-such-design", "--seeds", "1", "--db", str(db), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and "no-such-design" in err and len(err.strip().splitlines()) == 1
    assert not db.exists() and not (tmp_path / "out").exists()


def test_every_reading_has_a_meaning_and_a_unit_and_the_api_is_public():
    assert all(meaning and unit for meaning, unit, _ in MEASURES.values())
    assert hlssim.compare_funding is compare_funding
