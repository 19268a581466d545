"""hlssim design (issue 20): a real search (EMA Workbench and Platypus, no mock) on a tiny place; its front beats a
deliberately poor design; a stopped search resumes and never makes a run twice; bad files are one line naming the
file, the key and what is allowed, before any run."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
import yaml

from hlssim.cli import main
from hlssim.experiments.design import front as fr
from hlssim.experiments.design import readings as rd
from hlssim.experiments.design.file import load
from hlssim.experiments.design.search import Generation, attach_progress, points, search
from hlssim.experiments.posterior import load_posterior
from hlssim.reports.design_runs import Worlds
from hlssim.store import Store

# A place small enough for a test, the levers that separate designs most (the way of working, the money at risk
# and what it pays, what renewal reads, checks on claims), and a budget ceiling every design can meet.
TINY = {
    "name": "tiny",
    "description": "A tiny design search for tests.",
    "base": "funding-market",
    "fixed": {"workforce.team_size": 2},
    "levers": {"practices": [0, 1], "contract.share_at_risk": "plausible",
               "contract.price_smd": {"range": [0, 6000], "step": 500},
               "contract.measure": ["reported_outcomes", "learning_accounts"],
               "incentives.inspection_rate": "plausible"},
    "outside_plausible": {"contract.price_smd": "a block pays nothing per outcome; the presets pay up to £6,000"},
    "objectives": {"flourishing_gain_smd_vs_bau": {"robust": ["mean"], "epsilon": 0.002},
                   "cost_per_citizen_year_vs_bau": {"robust": ["mean"], "epsilon": 25},
                   "data_integrity": {"robust": ["p10"], "epsilon": 0.02}},
    "constraints": {"spend_per_citizen_year": {"robust": "p90", "at_most": 5000}},
    "compare": ["funding-block", "funding-for-learning"],
    "posterior": "default",
    "budgets": {"small": {"citizens": 400, "weeks": 52, "seeds": 2, "evaluations": 40, "population": 8},
                "default": {"citizens": 400, "weeks": 52, "seeds": 2, "evaluations": 80, "population": 8}},
    "seed": 3,
}
# NPM with the most at risk, the highest SMD price, claims hardly checked and renewal on reported outcomes:
# dearer, less flourishing for people with SMD and a less truthful record than designs the search can find.
POOR = {"practices": 0.0, "contract.share_at_risk": 0.6, "contract.price_smd": 6000.0,
        "contract.measure": "reported_outcomes", "incentives.inspection_rate": 0.05}


def _write(folder, **changes) -> str:
    data = {**TINY, **changes}
    path = folder / "tiny.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return str(path)


def _runs(db) -> int:
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        count = conn.execute(sa.text("SELECT COUNT(*) FROM runs")).scalar_one()
    engine.dispose()
    return count


def test_a_tiny_search_finds_a_front_that_beats_a_poor_design_and_a_rerun_makes_no_run(tmp_path, capsys):
    path = _write(tmp_path)
    out, db = tmp_path / "out", tmp_path / "store.db"
    assert main(["design", path, "--budget", "small", "--jobs", "1", "--out", str(out), "--db", str(db),
                 "--quiet"]) == 0
    front = pd.read_csv(out / "pareto.csv")
    design = load(path)
    assert len(front) >= 3
    pts = points(design, front)
    assert not fr.dominated(pts).any(), "no design on the front is beaten on every objective by another"
    assert set(front.columns) >= {"practices", "contract.measure", "flourishing_gain_smd_vs_bau__mean",
                                  "flourishing_gain_smd_vs_bau__p10", "flourishing_gain_smd_vs_bau__p90"}
    for name in ("pareto", "tradeoff", "convergence"):
        assert (out / f"{name}.png").stat().st_size > 10_000
    report = (out / "report.md").read_text()
    for words in ("The best for SMD flourishing", "The best balance", "The shipped presets against the front",
                  "On fresh worlds the search never saw", "## Convergence"):
        assert words in report
    presets = pd.read_csv(out / "presets.csv").set_index("name")
    assert list(presets.index) == ["business-as-usual", "funding-block", "funding-for-learning"]

    # The deliberately poor design, on the same worlds: a design on the front beats it on every objective.
    with Store(db) as store:
        worlds = Worlds(store, design, design.budgets["small"], load_posterior("default"), jobs=1)
        (poor,) = worlds([POOR])
    from hlssim.experiments.design.search import score
    objectives, _, _ = score(design, poor)
    margin, _ = fr.behind(points(design, pd.DataFrame([objectives]))[0], pts, [0.002, 25, 0.02])
    assert margin > 0, f"the front should beat the poor design on every objective: {objectives}"

    # The same command again: every run is found in the store, none is made, and the front is the same; the
    # earlier files are replaced only with --force, and that is checked before anything runs.
    stored = _runs(db)
    capsys.readouterr()
    assert main(["design", path, "--budget", "small", "--out", str(out), "--db", str(db)]) == 2
    assert "earlier results are there" in capsys.readouterr().err
    assert main(["design", path, "--budget", "small", "--jobs", "1", "--out", str(out), "--db", str(db),
                 "--force"]) == 0
    assert _runs(db) == stored
    assert "0 runs made" in capsys.readouterr().err
    pd.testing.assert_frame_equal(pd.read_csv(out / "pareto.csv"), front)
    assert main(["design", path, "--budget", "small", "--db", str(db), "--status"]) == 0
    assert "finished" in capsys.readouterr().out


def test_a_stopped_search_resumes_and_makes_each_design_on_each_world_once(tmp_path):
    design = load(_write(tmp_path))
    budget = design.budgets["small"]
    posterior = load_posterior("default")

    def stop_after_two(_, generation):
        if generation.generation == 1:
            raise KeyboardInterrupt

    with Store(tmp_path / "stopped.db") as store:
        with pytest.raises(KeyboardInterrupt):
            search(design, budget, Worlds(store, design, budget, posterior, jobs=1), progress=stop_after_two)
        resumed = Worlds(store, design, budget, posterior, jobs=1)
        again = search(design, budget, resumed)
    with Store(tmp_path / "whole.db") as store:
        whole = search(design, budget, Worlds(store, design, budget, posterior, jobs=1))
    assert resumed.found_runs >= 16, "the first two generations' runs were found, not made again"
    assert _runs(tmp_path / "stopped.db") == _runs(tmp_path / "whole.db")
    pd.testing.assert_frame_equal(again.frame(), whole.frame())
    designs = again.frame()[[lv.key for lv in design.levers]].astype(str).drop_duplicates()
    assert _runs(tmp_path / "whole.db") == len(designs) * budget.seeds + budget.seeds, \
        "one run per distinct design and world, and business as usual once per world"


def test_the_epsilon_front_keeps_no_beaten_design_and_one_per_box():
    rng = np.random.default_rng(4)
    pts = rng.random((300, 3))
    chosen = fr.epsilon_front(pts, [0.1, 0.1, 0.1])
    assert not fr.dominated(pts[chosen]).any()
    boxes = {tuple(np.floor(p / 0.1)) for p in pts[chosen]}
    assert len(boxes) == len(chosen)
    assert set(chosen) <= set(fr.pareto_front(pts)), "a design on the epsilon front is on the Pareto front"
    box = (pts.min(axis=0), pts.max(axis=0))
    thinned, whole = fr.hypervolume(pts[chosen], *box), fr.hypervolume(pts[fr.pareto_front(pts)], *box)
    assert 0.8 * whole < thinned <= whole, "thinning to one design a box gives up a little of the front, no more"


def test_the_hypervolume_agrees_with_an_exact_one():
    """Two points in the unit square: exact area 0.5 * 0.8 + 0.5 * 0.3 - 0.5 * 0.3 = 0.4 + 0.35 - 0.15 = 0.6."""
    hv = fr.hypervolume(np.array([[0.2, 0.5], [0.5, 0.2]]), np.zeros(2), np.ones(2))
    assert hv == pytest.approx(0.8 * 0.5 + 0.5 * 0.8 - 0.5 * 0.5, abs=0.01)


BAD = [
    ({"levers": {**TINY["levers"], "contract.share_at_risk": [0, 1.5]}}, "levers.contract.share_at_risk",
     "[0, 1.5] goes outside what the parameter allows: float >= 0.0 and <= 1.0"),
    ({"levers": {**TINY["levers"], "contract.share_at_risk": [0, 0.9]}}, "levers.contract.share_at_risk",
     "[0, 0.9] goes outside the plausible range [0, 0.6]"),
    ({"levers": {**TINY["levers"], "contract.measure": ["reported_outcomes", "hearsay"]}}, "levers.contract.measure",
     "'hearsay' is not an option of contract.measure; allowed: reported_outcomes, activity, learning_accounts"),
    ({"levers": {**TINY["levers"], "practices": [0, 2]}}, "levers.practices", "[0, 2] must lie inside [0, 1]"),
    ({"levers": {**TINY["levers"], "contract.shar_at_risk": [0, 0.5]}}, "levers.contract.shar_at_risk",
     "unknown parameter (did you mean 'contract.share_at_risk'?)"),
    ({"fixed": {"contract.share_at_risk": 0.1}},
     "fixed.contract.share_at_risk", "is also a lever"),
    ({"objectives": {"flourishing_gain_smd_vs_bau": {"epsilon": 0.01}, "flourishing": {"epsilon": 0.01}}},
     "objectives.flourishing", "unknown objective (did you mean 'flourishing_gain'?); allowed: a reading"),
    ({"objectives": {"data_integrity": {"robust": ["p95"], "epsilon": 0.01}}}, "objectives.data_integrity.robust",
     "unknown statistic 'p95'"),
    ({"objectives": {"data_integrity": {"robust": ["mean"], "epsilon": 0}}}, "objectives.data_integrity.epsilon",
     "must be a number > 0"),
    ({"constraints": {"data_integrity": {"at_least": 1.5}}}, "constraints.data_integrity.at_least",
     "no design can meet at least 1.5: data_integrity (share of closed cases) lies from 0 to 1"),
    ({"constraints": {"spend_per_citizen_year": {"robust": "p90", "at_most": 100}}},
     "constraints.spend_per_citizen_year.at_most", "no design can meet at most £100: staff are always paid"),
    ({"budgets": {"small": {"citizens": 400, "weeks": 52, "seeds": 2, "evaluations": 4, "population": 8},
                  "default": TINY["budgets"]["default"]}}, "budgets.small.evaluations", "must be at least the population"),
    ({"colour": "blue"}, "colour", "unknown key"),
]


@pytest.mark.parametrize("changes, key, message", BAD, ids=[b[1] for b in BAD])
def test_a_bad_design_file_is_one_line_naming_file_and_key_before_any_run(tmp_path, capsys, changes, key, message):
    path = _write(tmp_path, **changes)
    assert main(["design", path, "--budget", "small", "--db", str(tmp_path / "s.db"), "--out",
                 str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{path}: {key}: {message}" in err, err
    assert not (tmp_path / "s.db").exists() and not (tmp_path / "out").exists()


def test_an_unknown_budget_and_a_bad_scheduler_are_refused(tmp_path, capsys):
    path = _write(tmp_path)
    assert main(["design", path, "--budget", "huge", "--db", str(tmp_path / "s.db")]) == 2
    assert "budgets.huge: no such budget; allowed: small, default" in capsys.readouterr().err
    assert main(["design", path, "--scheduler", "nowhere", "--db", str(tmp_path / "s.db")]) == 2
    assert "expected a Dask scheduler address" in capsys.readouterr().err
    assert not (tmp_path / "s.db").exists()


def test_the_shipped_design_file_reads_and_every_preset_lies_inside_its_levers():
    design = load("contracts")
    assert {"small", "default"} <= set(design.budgets)
    assert [o.reading for o in design.objectives][:1] == ["flourishing_gain_smd_vs_bau"]
    assert any(c.reading == "spend_per_citizen_year" and c.at_most for c in design.constraints)
    levers = {lv.key: lv for lv in design.levers}
    for preset in design.compare:
        flat = preset.params.flat()
        for key, lever in levers.items():
            if key == "practices":
                value = flat["practices.resource_allocation"]
                assert lever.low <= value <= lever.high
            elif lever.choices:
                assert flat[key] in lever.choices, (preset.name, key)
            else:
                assert lever.low <= flat[key] <= lever.high, (preset.name, key, flat[key])


def test_a_lever_reads_as_a_funder_would_write_it(tmp_path):
    design = load(_write(tmp_path))
    levers = {lv.key: lv for lv in design.levers}
    price = levers["contract.price_smd"]
    assert {price.decode(x) for x in np.linspace(*price.span, 500)} == set(np.arange(0, 6001, 500.0))
    measure = levers["contract.measure"]
    assert [measure.decode(x) for x in (0.0, 0.99, 1.0, 1.99)] == ["reported_outcomes"] * 2 + ["learning_accounts"] * 2
    assert rd.statistic([1.0, np.nan, np.nan], "mean") != rd.statistic([1.0, np.nan, np.nan], "mean"), \
        "a reading undefined on most worlds has no statistic"


def test_every_reading_a_design_file_may_name_is_in_docs_designs_md():
    from pathlib import Path
    text = (Path(__file__).resolve().parents[1] / "docs" / "designs.md").read_text(encoding="utf-8")
    missing = [key for key in rd.READINGS if f"`{key}`" not in text]
    assert not missing, f"readings not described in docs/designs.md: {missing}"


def test_a_search_on_a_dask_cluster_finds_the_front_local_processes_do(tmp_path, capsys):
    """The runs go to a real Dask cluster's worker processes; the numbers, and so the search, are the same."""
    from dask.distributed import LocalCluster
    small = {**TINY["budgets"]["small"], "evaluations": 16}
    path = _write(tmp_path, budgets={"small": small, "default": TINY["budgets"]["default"]})
    assert main(["design", path, "--budget", "small", "--jobs", "1", "--out", str(tmp_path / "local"), "--db",
                 str(tmp_path / "local.db"), "--quiet"]) == 0
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
                      host="127.0.0.1") as cluster:
        assert main(["design", path, "--budget", "small", "--scheduler", cluster.scheduler_address, "--out",
                     str(tmp_path / "dask"), "--db", str(tmp_path / "dask.db"), "--quiet"]) == 0
    assert f"on the Dask cluster at {cluster.scheduler_address}" in capsys.readouterr().err
    for name in ("pareto.csv", "designs.csv", "presets.csv"):
        pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "local" / name).drop(columns="runs", errors="ignore"),
                                      pd.read_csv(tmp_path / "dask" / name).drop(columns="runs", errors="ignore"))


def test_convergence_is_judged_on_the_last_quarter_of_the_evaluations():
    from hlssim.experiments.design.search import judge
    evaluations = np.arange(1, 21) * 40
    settled = pd.DataFrame({"evaluations": evaluations, "hypervolume": np.minimum(0.8, evaluations / 400),
                            "epsilon_progress": np.minimum(60, evaluations // 10)})
    growing = settled.assign(hypervolume=evaluations / 1000, epsilon_progress=evaluations // 10)
    assert judge(settled).stable and "stable" in judge(settled).text
    verdict = judge(growing)
    assert not verdict.stable and verdict.hypervolume_growth > 0.2 and "not yet stable" in verdict.text


def test_a_ceiling_no_design_tried_meets_is_a_failure_that_still_writes_what_was_found(tmp_path, capsys):
    """Above the least the place can spend (so not refused before any run), but below what any design spends."""
    small = {**TINY["budgets"]["small"], "evaluations": 16}
    path = _write(tmp_path, constraints={"spend_per_citizen_year": {"robust": "p90", "at_most": 400}},
                  budgets={"small": small, "default": TINY["budgets"]["default"]})
    assert main(["design", path, "--budget", "small", "--jobs", "1", "--out", str(tmp_path / "out"), "--db",
                 str(tmp_path / "s.db"), "--quiet"]) == 1
    assert "no design the search tried meets the constraints" in capsys.readouterr().err
    tried = pd.read_csv(tmp_path / "out" / "designs.csv")
    assert len(tried) and not tried.feasible.any() and (tried.violation > 0).all()


def test_a_larger_budget_carries_on_where_a_smaller_one_stopped(tmp_path):
    design = load(_write(tmp_path))
    posterior = load_posterior("default")
    shorter = dataclasses.replace(design.budgets["small"], evaluations=16)
    longer = dataclasses.replace(design.budgets["small"], evaluations=32)
    with Store(tmp_path / "store.db") as store:
        first = search(design, shorter, Worlds(store, design, shorter, posterior, jobs=1)).frame()
        worlds = Worlds(store, design, longer, posterior, jobs=1)
        then = search(design, longer, worlds).frame()
    assert len(then) > len(first)
    pd.testing.assert_frame_equal(then.iloc[:len(first)].reset_index(drop=True), first)
    assert worlds.found_runs >= len(first) * longer.seeds, "the first designs' runs were found, not made again"


def test_epsilon_progress_follows_evaluation_counts_when_a_restart_makes_one_step_of_two_batches():
    # Batches of 24, then a restart whose step evaluates two batches (56 and 24) at once: EMA Workbench records
    # one row for that step (nfe 152), and the run's last row twice.
    generations = [Generation(i, n, None, 1, 1) for i, n in enumerate([24, 48, 72, 128, 152])]
    steps = pd.DataFrame({"nfe": [24, 48, 72, 152, 152], "epsilon_progress": [3, 5, 6, 9, 9]})
    attach_progress(generations, steps)
    assert [g.epsilon_progress for g in generations] == [3, 5, 6, 6, 9]
    assert [g.nfe for g in generations] == [24, 48, 72, 72, 152]
