"""Sweeps: design sizes, every lever on the same seeds at every point, strict sweep files, dry runs,
stored and resumable runs (also after SIGKILL), progress, and the shipped sweep files."""

from __future__ import annotations

import re
import signal
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers import wait_for_line
from sweep_helpers import hlssim_cli, kill_group, write_sweep

from hlssim.cli import main
from hlssim.experiments.sweeps.file import load, shipped
from hlssim.experiments.sweeps.plan import make_plan
from hlssim.params import is_whole_number, plausible
from hlssim.store import Store, database
from hlssim.store import sweeps as stored
from hlssim.store.runs import HOLD_AFTER_ENV
from hlssim.store.schema import runs


def call(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- designs and plans


@pytest.mark.parametrize("design, points, size", [
    ("grid", 3, 9),          # 3 values per parameter, 2 parameters
    ("lhs", 5, 5),
    ("sobol", 4, 16),        # Saltelli, first and total order: N x (k + 2)
    ("morris", 3, 9),        # r x (k + 1)
])
def test_design_sizes_and_every_lever_on_the_same_seeds(tmp_path, design, points, size):
    plan = make_plan(load(write_sweep(tmp_path, design=design, points=points, seeds=3)))
    assert len(plan.points) == plan.info["design_points"] == size
    assert len(plan.runs) == size * 2 * 3
    cells = Counter((r.point, r.lever, r.seed) for r in plan.runs)
    assert set(cells) == {(p, lever, s) for p in range(size) for lever in ("npm", "hls") for s in (1, 2, 3)}
    assert set(cells.values()) == {1}
    for (point, seed), pair in _by_point_and_seed(plan).items():
        npm, hls = pair["npm"].spec, pair["hls"].spec
        assert npm.seed == hls.seed == seed
        differ = {k for k in npm.params if npm.params[k] != hls.params[k]}
        assert differ and all(k.startswith("practices.") for k in differ), "levers meet the same world"
        for key, (low, high) in plan.sweep.uncertainties.items():
            value = npm.params[key]
            assert value == plan.points.loc[point, key] and low <= value <= high
            assert isinstance(value, int) == is_whole_number(key)


def _by_point_and_seed(plan):
    out = {}
    for r in plan.runs:
        out.setdefault((r.point, r.seed), {})[r.lever] = r
    return out


def test_the_same_file_gives_the_same_design_and_id_and_a_change_gives_a_new_id(tmp_path):
    first, again = (make_plan(load(write_sweep(tmp_path))) for _ in range(2))
    assert first.sweep_id == again.sweep_id and first.sweep_id.startswith("tiny-")
    assert first.points.equals(again.points)
    assert [r.spec.run_key for r in first.runs] == [r.spec.run_key for r in again.runs]
    wider = make_plan(load(write_sweep(tmp_path, uncertainties={"world.uniqueness": [0.5, 1.0],
                                                                "caseload.npm_cap": [20, 40]})))
    assert wider.sweep_id != first.sweep_id
    reworded = make_plan(load(write_sweep(tmp_path, description="Other words, same runs.")))
    assert reworded.sweep_id == first.sweep_id


def test_levers_can_be_scenarios_and_practice_mixes_and_the_point_comes_last(tmp_path):
    levers = ["funding-block", {"name": "hls-front", "regime": "npm", "practices": {"public_facing": "hls"},
                                "set": {"targets.pressure": 0.2}}]
    plan = make_plan(load(write_sweep(tmp_path, levers=levers, base="funding-market",
                                      uncertainties={"contract.share_at_risk": [0.1, 0.5]}, points=3, seeds=1)))
    block = next(r.spec for r in plan.runs if r.lever == "funding-block")
    front = next(r.spec for r in plan.runs if r.lever == "hls-front")
    assert block.params["contract.measure"] == "activity" and block.params["market.providers"] == 4
    assert block.params["contract.share_at_risk"] == plan.points.loc[0, "contract.share_at_risk"] > 0
    assert front.params["practices.public_facing"] == 1.0 and front.params["practices.governance"] == 0.0
    assert front.params["targets.pressure"] == 0.2 and front.params["population.citizens"] == 200
    assert block.scenario == "tiny:funding-block" and block.chain[0].endswith("funding-market.yaml")


def test_plausible_ranges_by_name_and_ranges_beyond_them_only_with_a_reason(tmp_path):
    plan = make_plan(load(write_sweep(tmp_path, uncertainties={"world.uniqueness": "plausible",
                                                               "caseload.npm_cap": [20, 40]})))
    assert plan.sweep.uncertainties["world.uniqueness"] == plausible("world.uniqueness")
    wide = load(write_sweep(tmp_path, uncertainties={"world.uniqueness": [0.0, 1.0]},
                            outside_plausible={"world.uniqueness": "the closed system is part of the question"}))
    assert wide.outside_plausible == {"world.uniqueness": "the closed system is part of the question"}
    assert make_plan(wide).info["outside_plausible"] == wide.outside_plausible


def test_the_shipped_sweeps_stay_inside_the_plausible_ranges_or_say_why():
    for name in shipped():
        sweep = load(name)
        for key, (low, high) in sweep.uncertainties.items():
            span = plausible(key)
            if span is not None and (low < span[0] or high > span[1]):
                assert sweep.outside_plausible.get(key), f"{name}: {key}"
    where = load("where-hls-wins")
    assert not where.outside_plausible
    decided = [where.decide.outcome, *(d.outcome for d in where.also_decide)]
    assert "cost_per_citizen_year" in decided and any(o.startswith("flourishing") for o in decided)


def test_several_bases_are_a_dimension_of_the_design(tmp_path):
    plan = make_plan(load(write_sweep(tmp_path, base=["default", "complex-lives"], points=2, seeds=1)))
    assert len(plan.runs) == 2 * 2 * 2
    assert {r.spec.scenario for r in plan.runs} >= {"tiny:default:npm", "tiny:complex-lives:hls"}
    smd = {r.base: r.spec.params["population.smd_share"] for r in plan.runs}
    assert smd["complex-lives"] == 0.45 and smd["default"] == 0.2


# --------------------------------------------------------------------------- bad sweep files


BAD = [
    ({"seed": 3}, "seed", "unknown key (did you mean 'seeds'?)"),
    ({"outcomes": None}, "outcomes", "missing; a sweep file needs"),
    ({"levers": ["npm", "hsl"]}, "levers[1].scenario", "no scenario 'hsl' (did you mean 'hls'?)"),
    ({"levers": ["npm", "npm"]}, "levers", "two levers are named 'npm'"),
    ({"levers": [{"name": "x", "practices": {"governanc": "hls"}}]}, "levers[0].practices.governanc",
     "unknown practice (did you mean 'governance'?)"),
    ({"uncertainties": {"world.uniqueness": [0.0, 1.5]}}, "uncertainties.world.uniqueness",
     "[0.0, 1.5] goes outside what the parameter allows: float >= 0.0 and <= 1.0"),
    ({"uncertainties": {"world.uniquenes": [0.0, 1.0]}}, "uncertainties.world.uniquenes",
     "unknown parameter (did you mean 'world.uniqueness'?)"),
    ({"uncertainties": {"targets.measured_domains": [0, 1]}}, "uncertainties.targets.measured_domains",
     "only number parameters can be varied"),
    ({"uncertainties": {"world.uniqueness": [0.8, 0.2]}}, "uncertainties.world.uniqueness", "low must be below high"),
    ({"uncertainties": {"caseload.npm_cap": [10.5, 20]}}, "uncertainties.caseload.npm_cap", "whole number"),
    ({"design": "lsh"}, "design", "unknown design 'lsh' (did you mean 'lhs'?); allowed: grid, lhs, sobol, morris"),
    ({"design": "sobol", "points": 6}, "points", "a sobol design needs N a power of 2"),
    ({"design": "grid", "points": 30}, "uncertainties.caseload.npm_cap", "a grid of 30 values needs 30 whole numbers"),
    ({"seeds": 0}, "seeds", "must be a whole number from 1 to 10,000; got 0"),
    ({"outcomes": ["flourishing_gian"]}, "outcomes.flourishing_gian", "not a summary key (did you mean 'flourishing_gain'?)"),
    ({"fixed": {"population.citizens": 5}}, "fixed.population.citizens", "greater than or equal to 10"),
    ({"fixed": {"world.uniqueness": 0.5}}, "fixed.world.uniqueness", "is also an uncertainty"),
    ({"decide": {"outcome": "goodhart_gap"}}, "decide.outcome", "is not one of this sweep's outcomes"),
    ({"decide": {"threshold": 0.5}}, "decide.threshold", "only for a sweep with one lever"),
    ({"base": "complex-lifes"}, "base", "no scenario 'complex-lifes' (did you mean 'complex-lives'?)"),
    ({"heatmap": ["world.uniqueness", "world.dynamism"]}, "heatmap", "must be two different uncertainties"),
    ({"uncertainties": {"world.uniqueness": [0.0, 1.0]}}, "uncertainties.world.uniqueness",
     "[0, 1] goes outside the plausible range [0.4, 1]"),
    ({"outside_plausible": {"world.uniqueness": "because"}}, "outside_plausible.world.uniqueness",
     "its range is inside the plausible one"),
    ({"outside_plausible": {"world.dynamism": "because"}}, "outside_plausible.world.dynamism",
     "not an uncertainty of this sweep"),
    ({"uncertainties": {"population.citizens": "plausible"}}, "uncertainties.population.citizens",
     "has no plausible range"),
    ({"decide": [{"outcome": "data_integrity"}, {"outcome": "data_integrity"}]}, "decide", "names an outcome twice"),
    ({"decide": [{"outcome": "data_integrity"}, {"outcome": "goodhart_gap"}]}, "decide[1].outcome",
     "is not one of this sweep's outcomes"),
]


@pytest.mark.parametrize("changes, key, message", BAD, ids=[b[1] for b in BAD])
def test_a_bad_sweep_file_is_refused_in_one_line_naming_file_key_and_what_is_allowed(
        tmp_path, capsys, no_default_store, changes, key, message):
    path = write_sweep(tmp_path, **changes)
    code, out, err = call(capsys, "sweep", str(path))
    assert code == 2 and out == ""
    assert err.count("\n") == 1, err
    assert err.startswith(f"hlssim: error: {path}: {key}: "), err
    assert message in err, err
    assert not no_default_store.exists(), "nothing is stored when the file is refused"


@pytest.mark.parametrize("text, message", [
    ("", "the file is empty; a sweep needs"),
    ("name: [unclosed", "not valid YAML"),
    ("name: !!python/object:os.system x", "a YAML tag that builds objects"),
    ("- a list", "the top level must be a mapping"),
])
def test_a_file_that_is_not_a_sweep_is_refused(tmp_path, capsys, text, message):
    path = tmp_path / "broken.yaml"
    path.write_text(text)
    code, _, err = call(capsys, "sweep", str(path), "--dry-run")
    assert code == 2 and err.count("\n") == 1 and err.startswith(f"hlssim: error: {path}: file: ")
    assert message in err and "scenario" not in err, err


def test_a_bad_scheduler_address_is_refused(tmp_path, capsys, no_default_store):
    code, _, err = call(capsys, "sweep", str(write_sweep(tmp_path)), "--scheduler", "my-cluster")
    assert code == 2 and "--scheduler 'my-cluster': expected a Dask scheduler address, tcp://HOST:PORT" in err


# --------------------------------------------------------------------------- running, storing, resuming


def test_dry_run_prints_the_size_and_an_estimate_and_stores_nothing(tmp_path, capsys, no_default_store):
    code, out, _ = call(capsys, "sweep", str(write_sweep(tmp_path)), "--dry-run", "--jobs", "2")
    assert code == 0
    assert "lhs design, 4 points over 2 parameter(s) x 2 lever(s) (npm, hls) x 1 base(s) x seeds 1-2 = 16 runs" in out
    assert re.search(r"estimated time: about \d+ s on 2 local process\(es\)", out), out
    assert not no_default_store.exists()


def test_a_sweep_is_stored_under_its_id_with_its_points_and_a_rerun_makes_nothing(tmp_path, capsys, no_default_store):
    path = write_sweep(tmp_path)
    plan = make_plan(load(path))
    code, _, err = call(capsys, "sweep", str(path), "--jobs", "1", "--quiet")
    assert code == 0 and "16 new run(s), 0 already there; 16 of 16 complete" in err
    with Store(no_default_store) as st:
        frame = stored.frame(st, plan.sweep_id)
        record = stored.record(st, plan.sweep_id)
    assert len(frame) == 16 and frame.run_id.is_unique
    assert sorted(frame.groupby(["point", "lever"]).seed.apply(list).map(sorted).map(tuple).unique()) == [(1, 2)]
    expected = plan.points.loc[frame.point, "world.uniqueness"].to_numpy()
    assert frame["world.uniqueness"].to_numpy() == pytest.approx(expected)       # each run beside its point
    assert record["source"] == path.read_text() and record["info"]["levers"] == ["npm", "hls"]
    assert record["git_commit"] and record["code_version"] == plan.runs[0].spec.code

    code, out, _ = call(capsys, "sweep", str(path), "--status")
    assert code == 0 and f"sweep {plan.sweep_id}: 16 of 16 runs stored (100%), 0 failed, 0 to run" in out
    code, _, err = call(capsys, "sweep", str(path), "--jobs", "1", "--quiet")
    assert code == 0 and "0 new run(s), 16 already there" in err
    with Store(no_default_store) as st:
        assert st.counts()["runs"] == 16


def test_status_before_a_sweep_starts(tmp_path, capsys, no_default_store):
    code, out, _ = call(capsys, "sweep", str(write_sweep(tmp_path)), "--status")
    assert code == 0 and "not started" in out and not no_default_store.exists()


def _stored_runs(url: str) -> tuple[int, int]:
    with Store(url) as st, st.engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(runs)).scalar_one()
        keys = conn.execute(sa.select(sa.func.count(sa.distinct(runs.c.run_key)))).scalar_one()
    return total, keys


def test_a_killed_sweep_resumes_running_only_what_is_missing(tmp_path, sqlite_url):
    """SIGKILL a `hlssim sweep` mid-way: the finished runs stay, the rerun makes only the rest, nothing twice."""
    path = write_sweep(tmp_path, fixed={"population.citizens": 1000}, weeks=150, points=4, seeds=1)
    planned = len(make_plan(load(path)).runs)
    args = ["sweep", str(path), "--jobs", "1", "--db", sqlite_url, "--quiet"]
    with Store(sqlite_url):
        pass                                   # schema in place before the sweep starts
    proc = hlssim_cli(*args, cwd=tmp_path, env={HOLD_AFTER_ENV: "600"})
    try:
        wait_for_line(proc.stderr, "holding after storing run")    # one run stored, the next not begun
        kill_group(proc)
    finally:
        kill_group(proc)
    assert proc.returncode == -signal.SIGKILL
    before, _ = _stored_runs(sqlite_url)
    assert before == 1 < planned, "killed mid-way: the finished run stored, none of the others"

    rerun = hlssim_cli(*args, cwd=tmp_path)
    _, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    assert f"{planned - before} new run(s), {before} already there; {planned} of {planned} complete" in err
    assert _stored_runs(sqlite_url) == (planned, planned), "every run stored once"


def test_a_run_that_fails_is_reported_and_exits_1(tmp_path, capsys, no_default_store, monkeypatch):
    from hlssim.experiments import simulate as simulation

    def broken(**_):
        raise RuntimeError("engine broke")
    monkeypatch.setattr(simulation, "simulate", broken)
    code, _, err = call(capsys, "sweep", str(write_sweep(tmp_path, points=1, seeds=1)), "--jobs", "1", "--quiet")
    assert code == 1 and "failed: RuntimeError: engine broke" in err and "2 run(s) of the sweep failed" in err


def test_migration_0002_adds_the_sweep_tables_to_an_existing_store(sqlite_url, tmp_path):
    with Store(sqlite_url) as st:
        stored.run_sweep(st, make_plan(load(write_sweep(tmp_path, points=1, seeds=1))), jobs=1)
        database.migrate(st.engine, "0001", downgrade=True)
        names = set(sa.inspect(st.engine).get_table_names())
        assert "sweeps" not in names and "sweep_runs" not in names and st.counts()["runs"] == 2
    with Store(sqlite_url) as st:              # opening upgrades: the runs are still there
        assert st.schema_version() == database.head_revision() and st.counts()["runs"] == 2
        assert {"sweeps", "sweep_points", "sweep_runs"} <= set(sa.inspect(st.engine).get_table_names())


# --------------------------------------------------------------------------- shipped sweeps


def test_the_shipped_sweeps_are_valid_and_modest():
    files = shipped()
    assert set(files) == {"where-hls-wins", "integrity-vs-pressure", "contract-designs"}
    for name, path in files.items():
        plan = make_plan(load(path))
        assert plan.sweep.name == name and plan.sweep.description
        assert len(plan.runs) <= 1000, f"{name}: keep the shipped sweeps small enough for a 2-core machine"
    designs = make_plan(load(files["contract-designs"])).sweep
    assert [lever.name for lever in designs.levers] == ["funding-block", "funding-pbr-flat",
                                                       "funding-pbr-differential", "funding-for-learning"]
    assert {"cost_per_flourishing_gain", "hardest_tier_spend_share", "parked_share",
            "gaming_provider_share"} <= set(designs.outcomes)
    assert Path(files["where-hls-wins"]).read_text().count("world.") >= 4
