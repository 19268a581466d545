"""A sweep's report: paired differences and their intervals, who is ahead, PRIM boxes, sensitivity indices,
figures that leave undefined values out, and the folder `hlssim sweep-report` writes."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sweep_helpers import write_sweep

from hlssim.cli import main
from hlssim.experiments.sweeps.design import sample
from hlssim.experiments.sweeps.file import load
from hlssim.experiments.sweeps.plan import make_plan
from hlssim.reports import figures
from hlssim.reports.discovery import find_box
from hlssim.reports.choices import CHOICES
from hlssim.reports.paired import differences, point_means, robustness, winners
from hlssim.reports.sensitivity import indices
from hlssim.store import Store
from hlssim.store import sweeps as stored

INFO = {"levers": ["npm", "hls"], "outcomes": ["gain"], "uncertainties": {"u": [0.0, 1.0]}, "weeks": 52,
        "decide": {"outcome": "gain", "better": "higher", "threshold": None}}


def _frame(values: dict[tuple[int, str], list[float]]) -> pd.DataFrame:
    rows = [{"base": "default", "point": p, "lever": lever, "seed": s + 1, "u": p / 10, "gain": v}
            for (p, lever), vs in values.items() for s, v in enumerate(vs)]
    frame = pd.DataFrame(rows)
    frame["lever"] = pd.Categorical(frame.lever, categories=INFO["levers"], ordered=True)
    return frame


def test_paired_differences_are_taken_seed_by_seed_with_a_t_interval():
    frame = _frame({(0, "npm"): [1.0, 2.0, 3.0], (0, "hls"): [1.5, 2.0, 4.0],
                    (1, "npm"): [1.0, np.nan, 1.0], (1, "hls"): [0.0, 5.0, 0.5]})
    d = differences(frame, INFO).set_index("point")
    seedwise = np.array([0.5, 0.0, 1.0])
    half = stats.t.ppf(0.95, 2) * seedwise.std(ddof=1) / np.sqrt(3)
    assert d.loc[0, "mean"] == pytest.approx(0.5)
    assert (d.loc[0, "low"], d.loc[0, "high"]) == pytest.approx((0.5 - half, 0.5 + half))
    assert d.loc[1, "seeds"] == 2 and d.loc[1, "mean"] == pytest.approx(-0.75), "a NaN seed is left out, not zero"
    assert d.loc[0, "u"] == 0.0 and d.loc[0, "baseline"] == "npm" and d.loc[0, "lever"] == "hls"


def test_who_is_ahead_and_regret_leave_undefined_values_out():
    frame = _frame({(0, "npm"): [1.0], (0, "hls"): [2.0], (1, "npm"): [3.0], (1, "hls"): [np.nan],
                    (2, "npm"): [np.nan], (2, "hls"): [np.nan], (3, "npm"): [1.0], (3, "hls"): [1.0]})
    means = point_means(frame, INFO)
    ahead = winners(means, "gain", "higher").set_index("point").winner
    assert ahead.iloc[:2].tolist() == ["hls", "npm"]
    assert ahead.iloc[2:].isna().all(), "no value cannot win; a tie has no winner"
    lower = winners(means, "gain", "lower").set_index("point").winner
    assert lower.iloc[:2].tolist() == ["npm", "npm"] and lower.iloc[2:].isna().all()
    table = robustness(means, INFO).set_index("lever")
    assert table.loc["hls", "ahead_share"] == 0.25 and table.loc["npm", "ahead_share"] == 0.25
    assert table.loc["hls", "na_share"] == 0.5 and table.loc["npm", "regret_p90"] == pytest.approx(0.8)


def test_prim_finds_the_region_where_something_holds():
    rng = np.random.default_rng(3)
    x = pd.DataFrame({"a": rng.uniform(0, 1, 400), "b": rng.uniform(0, 1, 400), "c": rng.integers(1, 10, 400)})
    box = find_box(x, (x.a > 0.6) & (x.b < 0.5), "a high and b low")
    assert box.found and box.coverage > 0.8 and box.density > 0.8
    assert set(box.limits) == {"a", "b"}, "c, which does not matter, is not restricted"
    assert box.limits["a"][0] == pytest.approx(0.6, abs=0.05) and box.limits["b"][1] == pytest.approx(0.5, abs=0.05)
    assert box.trajectory["chosen"].sum() == 1
    assert box.describe().startswith("a high and b low: ") and " <= a <= " in box.describe()
    rare = find_box(x, x.index < 3, "three points")
    assert not rare.found and "too few for PRIM" in rare.describe()


def test_sobol_indices_rank_the_parameters_of_a_known_function():
    info = {"design": "sobol", "uncertainties": {"x1": [0.0, 1.0], "x2": [0.0, 1.0], "x3": [0.0, 1.0]},
            "design_seed": 1, "levels": 4}
    x = sample("sobol", {k: tuple(v) for k, v in info["uncertainties"].items()}, 64, seed=1)
    info["design_points"] = len(x)
    y = 4 * x["x1"] + x["x2"] ** 2
    table = indices(info, x, y).query("measure == 'ST'").set_index("parameter")["value"]
    assert table["x1"] > table["x2"] > table["x3"] and table["x3"] == pytest.approx(0.0, abs=0.02)
    missing = indices(info, x, y.drop(index=[0, 5]))
    assert missing["value"].isna().all() and "no value at 2 of" in missing["note"].iloc[0]


def test_an_empty_heatmap_cell_is_empty_not_zero():
    frame = pd.DataFrame({"a": [0.05, 0.93, 0.95], "b": [0.05, 0.07, 0.95], "v": [1.0, 2.0, 3.0]})
    table = figures.heatmap_table(frame, "v", "a", "b", {"a": (0.0, 1.0), "b": (0.0, 1.0)})
    assert table.shape == (CHOICES.bins, CHOICES.bins)
    assert table.notna().sum().sum() == 3 and not (table == 0).any().any()
    assert table.index[0] > table.index[-1], "high values of the y parameter at the top"


def test_sweep_report_writes_tables_boxes_and_figures_with_provenance(tmp_path, capsys, no_default_store):
    path = write_sweep(tmp_path, points=6, seeds=2)
    plan = make_plan(load(path))
    out = tmp_path / "report"
    assert main(["sweep", str(path), "--jobs", "1", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["sweep-report", plan.sweep_id[:8], "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "ahead of npm on flourishing_gain_per_1000_gbp" in printed
    runs = pd.read_csv(out / "runs.csv")
    assert len(runs) == 6 * 2 * 2 and {"point", "lever", "seed", "world.uniqueness", "data_integrity",
                                       "flourishing_gain_per_1000_gbp"} <= set(runs.columns)
    assert pd.read_parquet(out / "runs.parquet").shape == runs.shape
    diffs = pd.read_csv(out / "differences.csv")
    assert set(diffs.outcome) == set(plan.sweep.outcomes) and (diffs.seeds <= 2).all()
    summary = json.loads((out / "summary.json").read_text())
    assert [b["label"] for b in summary["boxes"]] == [
        "npm ahead of hls on flourishing_gain_per_1000_gbp", "hls ahead of npm on flourishing_gain_per_1000_gbp",
        *(f"{a} clearly ahead of {b} on flourishing_gain_per_1000_gbp (90% interval of the paired difference clear "
          "of zero)" for a, b in (("hls", "npm"), ("npm", "hls")))]
    assert summary["progress"] == {"planned": 24, "complete": 24, "failed": 0}
    provenance = json.loads((out / "provenance.json").read_text())
    assert provenance["git_commit"] and provenance["code_version"] and provenance["sweep_file"] == str(path)
    assert (out / "sweep.yaml").read_text() == path.read_text()
    report = (out / "report.md").read_text()
    assert "## Who is ahead where" in report and "PRIM boxes" in report and plan.sweep_id in report
    for name in ("heatmap.png", "sensitivity.png", "response.png"):
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
    with Store(no_default_store) as st:
        record = stored.record(st, plan.sweep_id)
    line = figures.caption(record["info"], record, 24)
    assert "Sweep tiny" in line and "seeds 1-2" in line and "20 weeks" in line
    assert record["git_commit"][:10] in line and "\n" not in line


def test_sweep_report_of_an_unknown_sweep_names_the_stored_ones(capsys, no_default_store, tmp_path):
    assert main(["sweep", str(write_sweep(tmp_path, points=1, seeds=1)), "--jobs", "1", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["sweep-report", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "sweep 'nope' is not a stored sweep" in err and "tiny-" in err
    assert main(["sweep-report"]) == 0 and "tiny-" in capsys.readouterr().out


def test_one_lever_with_a_threshold_gets_boxes_on_either_side(tmp_path, no_default_store):
    path = write_sweep(tmp_path, levers=["npm"], design="grid", points=4, seeds=1,
                       uncertainties={"targets.pressure": [0.0, 1.0], "practices.governance": [0.0, 1.0]},
                       outside_plausible={"targets.pressure": "the whole dial is the question"},
                       outcomes=["data_integrity"], decide={"outcome": "data_integrity", "threshold": 0.8})
    plan = make_plan(load(path))
    from hlssim.reports.sweep_report import build
    with Store(no_default_store) as st:
        stored.run_sweep(st, plan, jobs=1)
        report = build(st, plan.sweep_id)
    assert report.differences.empty and report.threshold == 0.8
    below, above = report.boxes
    assert below.label == "data_integrity below 0.8" and above.label == "data_integrity at or above 0.8"
    assert below.cases + above.cases == 16


def test_a_sweep_with_nothing_stored_yet_gets_a_report_that_says_so(tmp_path, no_default_store):
    from hlssim.reports.sweep_report import build, write
    plan = make_plan(load(write_sweep(tmp_path, design="sobol", points=2)))
    with Store(no_default_store) as st:
        stored.register(st, plan)
        report = build(st, plan.sweep_id)
    paths = write(report, tmp_path / "out")
    assert report.progress.planned == 32 and report.progress.complete == 0
    assert not any(p.suffix == ".png" for p in paths), "no figures of nothing"
    assert "0 of 32 runs complete (the report covers what is stored)" in (tmp_path / "out" / "report.md").read_text()
    assert report.sensitivity["value"].isna().all() and "no value at 8 of 8 design points" in report.sensitivity.note[0]


def test_a_key_a_lever_cannot_move_is_n_a_in_the_report_not_a_lead(tmp_path, no_default_store):
    """Nothing rides on HLS's records, so it cannot misreport (its stored misreport_rate is a structural 0): the
    report blanks it, and with one lever left that can misreport there is no contest, rather than "hls ahead at
    every point"."""
    from hlssim.reports.sweep_report import build, markdown
    path = write_sweep(tmp_path, points=2, seeds=1, outcomes=["flourishing_gain_per_1000_gbp", "misreport_rate"])
    plan = make_plan(load(path))
    with Store(no_default_store) as st:
        stored.run_sweep(st, plan, jobs=1)
        raw = stored.frame(st, plan.sweep_id)
        report = build(st, plan.sweep_id)
    assert (raw.loc[raw.lever == "hls", "misreport_rate"] == 0).all(), "the store keeps the number"
    hls = report.runs.lever == "hls"
    assert report.runs.loc[hls, "misreport_rate"].isna().all()
    assert report.runs.loc[~hls, "misreport_rate"].notna().all()
    gaming = report.robustness[report.robustness.outcome == "misreport_rate"].set_index("lever")
    assert gaming.ahead_share.isna().all(), "one lever that can misreport is no contest"
    assert gaming.loc["hls", "na_share"] == 1 and gaming.loc["npm", "na_share"] == 0
    assert "| misreport_rate | lower | hls | n/a |" in markdown(report)


def test_a_lever_that_cannot_move_a_key_is_left_out_of_its_contest():
    info = {**INFO, "levers": ["npm", "hls", "mix"]}
    values = {(0, "npm"): 1.0, (0, "hls"): np.nan, (0, "mix"): 2.0, (1, "npm"): 3.0, (1, "hls"): np.nan, (1, "mix"): 2.0}
    frame = pd.DataFrame([{"base": "default", "point": p, "lever": lever, "seed": 1, "u": p / 10, "gain": v}
                          for (p, lever), v in values.items()])
    frame["lever"] = pd.Categorical(frame.lever, categories=info["levers"], ordered=True)
    table = robustness(point_means(frame, info), info).set_index("lever")
    assert table.loc["npm", "ahead_share"] == 0.5 and table.loc["mix", "ahead_share"] == 0.5
    assert table.loc["hls", "na_share"] == 1 and np.isnan(table.loc["hls", "ahead_share"])


def test_two_answers_each_get_the_share_of_worlds_each_lever_leads_and_prim_boxes(tmp_path, no_default_store):
    path = write_sweep(tmp_path, points=6, seeds=1, outcomes=["cost_per_citizen_year", "flourishing_gain"],
                       decide=[{"outcome": "cost_per_citizen_year", "better": "lower"},
                               {"outcome": "flourishing_gain", "better": "higher"}])
    plan = make_plan(load(path))
    from hlssim.reports.sweep_report import build, markdown, summary
    with Store(no_default_store) as st:
        stored.run_sweep(st, plan, jobs=1)
        report = build(st, plan.sweep_id)
    answers = summary(report)["answers"]
    assert [a["outcome"] for a in answers] == ["cost_per_citizen_year", "flourishing_gain"]
    for answer in answers:
        shares = answer["ahead_share"]
        assert set(shares) == {"npm", "hls", "no one (tie or undefined)"}
        assert sum(shares.values()) == pytest.approx(1.0)
    labels = [b.label for b in report.boxes]
    assert any(label.endswith("on cost_per_citizen_year") for label in labels)
    assert any(label.endswith("on flourishing_gain") for label in labels)
    text = markdown(report)
    assert "## Who is ahead where: `cost_per_citizen_year` (lower is better)" in text
    assert "## Who is ahead where: `flourishing_gain` (higher is better)" in text
