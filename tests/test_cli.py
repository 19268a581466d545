"""The hlssim command line: the engine issue's contract, every command, exit codes and help."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from hlssim.cli import build_parser, main
from hlssim.outputs.metrics import SUMMARY_KEYS
from hlssim.params import Params
from hlssim.store import Store

TINY = ["--weeks", "6", "--set", "population.citizens=120", "--quiet"]
COMMANDS = ("run", "compare-regimes", "list", "show", "compare", "export", "validate")


def hlssim_command() -> list[str]:
    script = Path(sys.executable).with_name("hlssim")
    return [str(script)] if script.exists() else [sys.executable, "-m", "hlssim.cli"]


def run_cli(*args: str, cwd: Path, db: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ}
    if db is not None:
        env["HLSSIM_DB"] = str(db)
    return subprocess.run([*hlssim_command(), *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


@pytest.fixture
def db(no_default_store):
    """Every test's own store, through $HLSSIM_DB, in a temporary working folder."""
    return no_default_store


def call(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- the engine issue's contract


def test_json_prints_one_object_and_nothing_else_on_stdout(tmp_path):
    proc = run_cli("run", "--regime", "npm", "--seed", "1", "--weeks", "5", "--set", "population.citizens=100",
                   "--set", "targets.pressure=0.9", "--json", cwd=tmp_path, db=tmp_path / "r.db")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)          # the whole of stdout is one JSON object
    assert isinstance(summary, dict) and set(SUMMARY_KEYS) <= set(summary)
    assert proc.stdout.strip().count("\n") == 0
    with Store(tmp_path / "r.db") as st:
        (row,) = st.runs().itertuples()
        assert (row.scenario, row.regime, row.seed, row.weeks) == ("default", "npm", 1, 5)
        assert st.load(row.run_id).params.targets.pressure == 0.9


@pytest.mark.parametrize("args, expected", [
    (["--set", "world.uniquenes=0.5"], ["world.uniquenes", "unknown key", "did you mean 'world.uniqueness'"]),
    (["--set", "world.uniqueness=1.5"], ["world.uniqueness", "less than or equal to 1", "allowed: float"]),
    (["--set", "population.citizens=abc"], ["population.citizens", "valid integer", "allowed: int"]),
    (["--set", "world.uniqueness"], ["--set 'world.uniqueness': expected KEY=VALUE"]),
], ids=["unknown", "range", "type", "format"])
def test_bad_set_exits_2_naming_the_key_and_what_is_allowed(tmp_path, args, expected):
    proc = run_cli("run", "--regime", "npm", "--weeks", "5", *args, "--json", cwd=tmp_path, db=tmp_path / "r.db")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    for part in expected:
        assert part in proc.stderr


@pytest.mark.parametrize("args", [["--weeks", "0"], ["--seed", "1", "--seeds", "3"], ["--seeds", "0"],
                                  ["--regime", "tory"], ["--seed", "x"], ["--no-such-flag"]])
def test_bad_flags_exit_2(db, capsys, args):
    with pytest.raises(SystemExit) as info:
        main(["run", *args])
    assert info.value.code == 2
    assert "error" in capsys.readouterr().err


def test_compare_regimes_still_works(tmp_path, capsys):
    code, out, _ = call(capsys, "compare-regimes", "--seed", "2", "--weeks", "5", "--set", "population.citizens=100",
                        "--out", str(tmp_path / "headline"))
    assert code == 0 and "npm" in out and "hls" in out and "flourishing_mean" in out
    assert (tmp_path / "headline" / "summary.csv").exists()


# --------------------------------------------------------------------------- run


def test_run_several_seeds_prints_medians_and_percentiles_and_stores_every_run(db, capsys):
    code, out, err = call(capsys, "run", "npm-targets", "--seeds", "3", "--jobs", "2", *TINY)
    assert code == 0, err
    assert "npm-targets (n=3)" in out and "median [10th, 90th percentile] over seeds" in out
    assert "stored 3 run(s)" in err and "3 new" in err
    with Store(db) as st:
        assert sorted(st.runs().seed) == [1, 2, 3]
    code, out2, err = call(capsys, "run", "npm-targets", "--seeds", "3", *TINY)
    assert code == 0 and "0 new, 3 already there" in err and out2 == out


def test_run_without_a_scenario_is_the_default_world_as_params_has_it(db, capsys):
    """Issue 11: Params() is NPM (business as usual) while `hlssim run` defaulted to HLS; now both are NPM."""
    code, out, _ = call(capsys, "run", "--seed", "4", *TINY)
    assert code == 0 and "default" in out
    with Store(db) as st:
        (row,) = st.runs().itertuples()
        assert (row.scenario, row.regime, row.seed) == ("default", "npm", 4)
        assert st.load(row.run_id).params.practices == Params().practices


def test_run_json_for_several_runs_is_one_object(db, capsys):
    code, out, _ = call(capsys, "run", "npm-targets", "hls-devolved", "--seeds", "2", "--json", "--compare",
                        "--jobs", "1", *TINY)
    assert code == 0
    data = json.loads(out)
    groups = data["groups"]
    assert set(groups) == {"npm-targets", "hls-devolved"}
    assert groups["npm-targets"]["seeds"] == [1, 2] and len(groups["npm-targets"]["runs"]) == 2
    assert {"median", "p10", "p90"} <= set(groups["hls-devolved"])
    assert data["comparison"]["seeds"] == [1, 2]
    assert "B-A median" in data["comparison"]["keys"]["flourishing_mean"]


def test_run_regime_flag_switches_a_scenario_s_practices(db, capsys):
    assert call(capsys, "run", "closed-system", "--regime", "hls", "--seed", "1", *TINY)[0] == 0
    with Store(db) as st:
        (row,) = st.runs().itertuples()
        run = st.load(row.run_id)
    assert row.regime == "hls" and run.params.practices.governance == 1.0
    assert run.params.world.uniqueness == 0.0


def test_run_out_writes_files_for_people(db, tmp_path, capsys):
    out_dir = tmp_path / "headline"
    code, out, err = call(capsys, "run", "npm-targets", "hls-devolved", "--seeds", "2", "--compare", "--jobs", "1",
                          "--out", str(out_dir), *TINY)
    assert code == 0, err
    assert "paired on 2 seed(s)" in out
    names = {p.name for p in out_dir.iterdir()}
    assert names == {"summary.csv", "summary_stats.csv", "timeseries.csv", "provenance.json", "comparison.csv"}
    summary = pd.read_csv(out_dir / "summary.csv")
    assert summary.group.tolist() == ["npm-targets"] * 2 + ["hls-devolved"] * 2
    stats = pd.read_csv(out_dir / "summary_stats.csv")
    assert set(stats.statistic) == {"median", "p10", "p90"}
    assert len(pd.read_csv(out_dir / "timeseries.csv")) == 4 * 6


def test_a_failing_run_exits_1_and_is_stored_as_failed(db, capsys, monkeypatch):
    import importlib
    sim = importlib.import_module("hlssim.experiments.simulate")

    def broken(*args, **kwargs):
        raise RuntimeError("engine broke")

    monkeypatch.setattr(sim, "simulate", broken)
    code, _, err = call(capsys, "run", "npm-targets", "--seed", "1", *TINY)
    assert code == 1
    assert "engine broke" in err and "1 of 1 run(s) failed" in err and "Traceback" not in err
    with Store(db) as st:
        assert st.runs(status="failed").seed.tolist() == [1]


def test_bad_database_urls(tmp_path, capsys):
    code, _, err = call(capsys, "run", "npm-targets", "--db", "nosuchdb://x/y", *TINY)
    assert code == 2 and "unsupported database" in err
    code, _, err = call(capsys, "list", "--db", "postgresql+psycopg://u:secret@127.0.0.1:1/x?connect_timeout=3")
    assert code == 1 and "cannot open the results store" in err and "secret" not in err


def test_run_on_postgresql(pg_url, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = call(capsys, "run", "goodhart-demo", "--seeds", "2", "--jobs", "1", "--db", pg_url, *TINY)
    assert code == 0, err
    assert "goodhart-demo (n=2)" in out and "postgresql+psycopg://" in err
    code, out, _ = call(capsys, "list", "--runs-only", "--db", pg_url)
    assert code == 0 and "goodhart-demo" in out


# --------------------------------------------------------------------------- list, show, compare, export, validate


def test_list_shows_shipped_scenarios_and_stored_runs(db, capsys):
    code, out, _ = call(capsys, "list")
    assert code == 0 and "npm-targets" in out and "goodhart-demo" in out and "none yet" in out
    assert not db.exists(), "listing does not create a store"
    call(capsys, "run", "complex-lives", "--seeds", "2", "--jobs", "1", *TINY)
    code, out, _ = call(capsys, "list")
    assert code == 0 and "Stored runs" in out and "complex-lives" in out and "1-2" in out
    code, out, _ = call(capsys, "list", "--runs", "--runs-only")
    assert code == 0 and "Scenarios" not in out and out.count("complex-lives") == 2


def test_list_says_how_many_it_left_out_and_how_to_see_them(db, capsys):
    """`hlssim list --series` stopped at 50 lines without a word: after one sweep the scenarios' series vanished."""
    for seed in (1, 2, 3):
        call(capsys, "run", "npm-targets", "--seed", str(seed), "--set", f"targets.pressure=0.{seed}", *TINY)
    code, out, err = call(capsys, "list", "--series", "--limit", "2")
    assert code == 0 and out.count("npm-targets") == 2 and "pressure=0.1" not in out
    assert "1 older series not shown (the 2 most recent of 3 are); --limit 3 or --all shows every one" in err
    code, out, err = call(capsys, "list", "--series", "--all")
    assert code == 0 and out.count("npm-targets") == 3 and "not shown" not in err
    code, out, _ = call(capsys, "list", "--limit", "1")
    assert code == 0 and "2 older series not shown" in out
    code, out, err = call(capsys, "list", "--runs", "--limit", "2")
    assert "1 older run not shown (the 2 most recent of 3 are)" in err
    assert call(capsys, "list", "--limit", "3")[2] == ""


def test_show(db, capsys):
    call(capsys, "run", "goodhart-demo", "--seed", "2", *TINY)
    code, out, _ = call(capsys, "show", "1")
    assert code == 0
    assert "run 1: goodhart-demo (npm), seed 2, 6 weeks: complete" in out
    assert "targets.pressure = 0.9" in out and "population.citizens = 120" in out
    assert "goodhart_gap" in out and "extends npm-targets.yaml" in out
    code, out, _ = call(capsys, "show", "1", "--json")
    data = json.loads(out)
    assert data["seed"] == 2 and data["changed_params"]["targets.pressure"] == 0.9 and "goodhart_gap" in data["summary"]
    assert call(capsys, "show", "99")[0] == 2
    assert "must be a whole number" in call(capsys, "show", "one")[2]


def test_compare_gives_paired_differences_on_the_same_seeds(db, capsys):
    call(capsys, "run", "npm-targets", "--seeds", "3", "--jobs", "1", *TINY)
    call(capsys, "run", "hls-devolved", "--seeds", "2", "--jobs", "1", *TINY)
    code, out, err = call(capsys, "compare", "npm-targets", "hls-devolved")
    assert code == 0, err
    assert "paired on 2 seed(s) (1-2)" in out and "B-A median" in out and "B-A p10" in out
    code, out, _ = call(capsys, "compare", "npm-targets", "hls-devolved", "--json")
    data = json.loads(out)
    with Store(db) as st:
        frame = st.runs().set_index(["scenario", "seed"])
    expected = [frame.loc[("hls-devolved", s), "flourishing_mean"] - frame.loc[("npm-targets", s), "flourishing_mean"]
                for s in (1, 2)]
    assert data["seeds"] == [1, 2]
    assert data["keys"]["flourishing_mean"]["B-A median"] == pytest.approx(sum(expected) / 2)
    code, out, _ = call(capsys, "compare", "1", "4")        # two runs on seed 1
    assert code == 0 and "paired on 1 seed(s)" in out


def test_compare_without_common_seeds_or_runs_exits_2(db, capsys):
    call(capsys, "run", "npm-targets", "--seed", "1", *TINY)
    call(capsys, "run", "hls-devolved", "--seed", "2", *TINY)
    code, _, err = call(capsys, "compare", "npm-targets", "hls-devolved")
    assert code == 2 and "none in common" in err
    code, _, err = call(capsys, "compare", "npm-targets", "no-such-scenario")
    assert code == 2 and "no completed runs" in err


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_export(db, tmp_path, capsys, fmt):
    call(capsys, "run", "npm-targets", "--seeds", "2", "--jobs", "1", *TINY)
    code, out, _ = call(capsys, "export", "2", "--format", fmt, "--out", str(tmp_path / "one"))
    assert code == 0
    runs = getattr(pd, f"read_{fmt}")(tmp_path / "one" / f"runs.{fmt}")
    assert runs.run_id.tolist() == [2]
    code, out, _ = call(capsys, "export", "--all", "--format", fmt, "--out", str(tmp_path / "all"))
    assert code == 0 and f"timeseries.{fmt}" in out
    assert len(getattr(pd, f"read_{fmt}")(tmp_path / "all" / f"timeseries.{fmt}")) == 12
    assert call(capsys, "export", "--format", fmt)[0] == 2
    assert "no run(s) 7" in call(capsys, "export", "7")[2]


def test_help_on_every_command_has_an_example(capsys):
    for command in COMMANDS:
        with pytest.raises(SystemExit) as info:
            main([command, "--help"])
        assert info.value.code == 0
        out = capsys.readouterr().out
        assert "example" in out and f"hlssim {command}" in out, command
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "hlssim run npm-targets hls-devolved" in capsys.readouterr().out
    assert set(COMMANDS) <= set(build_parser()._subparsers._group_actions[0].choices)


# The libraries a command loads only when it runs (issue 19: `hlssim --help` took 3.4 s, `import pandas` 0.5 s).
HEAVY = ("pandas", "numpy", "seaborn", "matplotlib", "numba", "mesa", "sqlalchemy", "scipy", "solara")
WHAT_IS_LOADED = """
import json, sys
from hlssim.cli import build_parser, main
parser = build_parser()
names = list(parser._subparsers._group_actions[0].choices)
for argv in [["--help"], *[[name, "--help"] for name in names]]:
    try:
        main(argv)
    except SystemExit as stop:
        assert stop.code == 0, argv
code = main(["run", "no-such-scenario"])
print(json.dumps({"names": names, "code": code, "loaded": sorted(m.split(".")[0] for m in sys.modules)}))
"""


def test_help_and_argument_errors_load_none_of_the_heavy_libraries(tmp_path):
    """Building the parser, `--help` for every command and an argument error import neither pandas, numpy,
    seaborn, numba nor mesa: a command loads them when it runs (benchmarks/bench_cli_start.py times it)."""
    proc = subprocess.run([sys.executable, "-c", WHAT_IS_LOADED], capture_output=True, text=True, cwd=tmp_path,
                          env={**os.environ, "HLSSIM_DB": str(tmp_path / "none.db")}, timeout=300)
    assert proc.returncode == 0, proc.stderr
    found = json.loads(proc.stdout.splitlines()[-1])
    assert found["code"] == 2 and "no-such-scenario" in proc.stderr
    assert len(found["names"]) >= 10
    assert not set(HEAVY) & set(found["loaded"]), sorted(set(HEAVY) & set(found["loaded"]))
    assert not (tmp_path / "none.db").exists()


def test_what_if_walkthrough_from_the_readme(db, tmp_path, capsys):
    """Copy a scenario, change two keys, run both on the same seeds, compare (README, "A what-if walk-through")."""
    mine = tmp_path / "less-heat.yaml"
    shutil.copy(Path(__file__).parents[1] / "scenarios" / "npm-targets.yaml", mine)
    text = mine.read_text().replace("name: npm-targets", "name: less-heat")
    mine.write_text(text + "targets:\n  pressure: 0.3\nincentives:\n  inspection_rate: 0.3\n")
    code, out, _ = call(capsys, "validate", str(mine))
    assert code == 0 and "less-heat (npm, 8 parameter(s) set)" in out
    assert call(capsys, "run", "npm-targets", str(mine), "--seeds", "2", "--jobs", "1", *TINY)[0] == 0
    code, out, _ = call(capsys, "compare", "npm-targets", "less-heat")
    assert code == 0 and "paired on 2 seed(s)" in out and "goodhart_gap" in out
    with Store(db) as st:
        frame = st.runs(with_params=True).groupby("scenario").first()
    assert frame.loc["less-heat", "targets.pressure"] == 0.3 and frame.loc["npm-targets", "targets.pressure"] == 0.7
    assert frame.loc["less-heat", "incentives.inspection_rate"] == 0.3
