"""Every entry point behaves like the CLI (issue 11): the `hlssim` commands and the scripts in experiments/
check their input before any work (exit 2, one line), say what Ctrl-C left (exit 130), never replace earlier
results without --force, and the smaller faults the issue lists stay fixed."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from hlssim.cli import main
from hlssim.cli.common import EXIT_INTERRUPTED
from hlssim.reports.money import pounds
from hlssim.store import Store
from helpers import ctrl_c_as_in_a_terminal
from test_cli import call, db  # noqa: F401 - db is the fixture: each test's own store in a temporary folder

ROOT = Path(__file__).resolve().parents[1]
SMALL = ["--weeks", "4", "--set", "population.citizens=150", "--jobs", "1", "--quiet"]


def script(name: str):
    """One of the experiments/ scripts, imported as a module (its work runs only under __main__)."""
    spec = importlib.util.spec_from_file_location(f"experiment_{name}", ROOT / "experiments" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def refused(capsys, call) -> str:
    """The message of an argparse refusal: exit 2, one 'error:' line, no traceback."""
    with pytest.raises(SystemExit) as stop:
        call()
    err = capsys.readouterr().err
    assert stop.value.code == 2 and "Traceback" not in err
    (line,) = [x for x in err.splitlines() if "error:" in x]
    return line


# --------------------------------------------------------------------------- the scripts check before work


@pytest.mark.parametrize("name, argv, expected", [
    ("goodhart_demo", ["--weeks", "0"], "--weeks must be a whole number from 13 to 5,200; got 0"),
    ("goodhart_demo", ["--seeds", "-1"], "--seeds must be a whole number from 1 to 10,000"),
    ("sensitivity", ["--trajectories", "0"], "--trajectories must be a whole number from 2 to 1,000; got 0"),
    ("sensitivity", ["--citizens", "5"], "--citizens sets population.citizens: Input should be greater than or "
                                         "equal to 10; got 5"),
    ("sensitivity", ["--seed", str(2**70)], "--seed must be a whole number from 0 to 2,147,483,647"),
    ("ema_adapter_example", ["--weeks", "0"], "--weeks must be a whole number from 1 to 5,200; got 0"),
    ("ema_adapter_example", ["--citizens", "many"], "--citizens sets population.citizens"),
], ids=lambda v: v if isinstance(v, str) and not v.startswith("--") else None)
def test_scripts_refuse_bad_arguments_before_any_work(name, argv, expected, capsys):
    """goodhart_demo.py --weeks 0 and sensitivity.py --trajectories 0 / --citizens 5 ended in tracebacks."""
    line = refused(capsys, lambda: script(name).parse(argv))
    assert expected in line and line.startswith(f"{name}.py: error:")


def test_a_script_interrupted_exits_130_in_one_line(tmp_path, capsys, monkeypatch):
    goodhart = script("goodhart_demo")

    def stopped(**kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(goodhart, "sweep", stopped)
    code = goodhart.guarded(lambda: goodhart.demo(goodhart.parse(["--out", str(tmp_path)])), prog="goodhart_demo.py")
    assert code == EXIT_INTERRUPTED == 130
    assert capsys.readouterr().err == "goodhart_demo.py: interrupted\n"
    assert not list(tmp_path.iterdir())


# --------------------------------------------------------------------------- hlssim: before any run


def test_a_seed_the_store_cannot_hold_is_refused_before_running(db, capsys):
    """--seed 1180591620717411303424 simulated, then failed with OverflowError when storing."""
    line = refused(capsys, lambda: main(["run", "npm-targets", "--seed", "1180591620717411303424", *SMALL]))
    assert "--seed must be a whole number from 0 to 2,147,483,647; got 1180591620717411303424" in line
    assert not db.exists()
    assert call(capsys, "run", "npm-targets", "--seed", str(2**31 - 1), *SMALL)[0] == 0
    with Store(db) as st:
        assert st.runs().seed.tolist() == [2**31 - 1]


def test_compare_with_three_scenarios_and_a_bad_out_are_refused_before_any_run(db, tmp_path, capsys):
    code, _, err = call(capsys, "run", "npm-targets", "hls-devolved", "closed-system", "--compare", *SMALL)
    assert code == 2 and err == ("hlssim: error: --compare compares two scenarios (the second minus the first); "
                                 "got 3: npm-targets, hls-devolved, closed-system\n")
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    code, _, err = call(capsys, "run", "npm-targets", "--out", str(a_file / "headline"), *SMALL)
    assert code == 2 and f"{a_file} is a file, not a folder" in err
    assert not db.exists(), "nothing ran, nothing was stored"


def test_run_out_never_replaces_earlier_files_without_force(db, tmp_path, capsys):
    out = tmp_path / "headline"
    assert call(capsys, "run", "npm-targets", "--out", str(out), *SMALL)[0] == 0
    before = (out / "summary.csv").read_text()
    (out / "summary.csv").write_text("kept")
    code, _, err = call(capsys, "run", "npm-targets", "--seed", "2", "--out", str(out), *SMALL)
    assert code == 2 and "earlier results are there (summary.csv, summary_stats.csv, timeseries.csv, " in err
    assert "add --force to replace them" in err and (out / "summary.csv").read_text() == "kept"
    with Store(db) as st:
        assert st.runs().seed.tolist() == [1], "refused before running"
    code, _, err = call(capsys, "run", "npm-targets", "--out", str(out), "--force", *SMALL)
    assert code == 0 and "as --force asked" in err and (out / "summary.csv").read_text() == before


def test_run_interrupted_says_what_is_stored_and_how_to_finish(db, capsys, monkeypatch):
    """The interrupt message said 'runs not yet stored were not kept' for every command; `run` now counts."""
    from hlssim.store import batch
    from hlssim.store.batch import run_missing

    def one_then_stop(store, specs, **kwargs):
        run_missing(store, specs[:1], jobs=1)
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(batch, "run_missing", one_then_stop)      # `hlssim run` imports it when it runs
        code, out, err = call(capsys, "run", "npm-targets", "--seeds", "3", *SMALL)
    assert code == 130 and out == ""
    assert err == "hlssim: interrupted: 1 of 3 run(s) stored, 2 not run; run the same command again to finish\n"
    code, _, err = call(capsys, "run", "npm-targets", "--seeds", "3", *SMALL)
    assert code == 0 and "2 new, 1 already there" in err


def test_a_command_that_stores_nothing_just_says_interrupted(capsys, monkeypatch):
    from hlssim.experiments import simulate as simulation

    def stopped(**kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(simulation, "simulate", stopped)
    assert call(capsys, "compare-regimes", "--weeks", "2") == (130, "", "hlssim: interrupted\n")


def test_a_reader_that_stops_early_is_not_an_error(db, capsys, monkeypatch):
    """`hlssim list | head -1` exited 1 with BrokenPipeError."""
    class Gone:
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self):
            raise BrokenPipeError(32, "Broken pipe")

    with monkeypatch.context() as patched:
        patched.setattr(sys, "stdout", Gone())
        assert main(["list"]) == 0
    assert capsys.readouterr().err == ""


def test_a_closed_pipe_on_stdout_exits_0_quietly(tmp_path):
    script_path = Path(sys.executable).with_name("hlssim")
    proc = subprocess.Popen([str(script_path), "list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
                            env={**os.environ, "HLSSIM_DB": str(tmp_path / "none.db")})
    proc.stdout.close()                       # the reader has gone before hlssim writes a line
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=600) == 0 and err == ""


def test_version(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    out = capsys.readouterr().out
    assert stop.value.code == 0
    version = r"\d+\.\d+\.\d+"
    assert re.fullmatch(rf"hlssim {version} \(code {version}\+[0-9a-f]{{12}}, git ([0-9a-f]{{12}}|commit unknown)\)\n",
                        out), out


def test_a_folder_given_as_a_scenario_says_it_is_a_folder(db, tmp_path, capsys):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "less-heat.yaml").write_text("name: less-heat\n")
    code, _, err = call(capsys, "run", str(folder), *SMALL)
    assert code == 2 and "is a folder, not a scenario file" in err and "no scenario" not in err
    assert f"name one of them, e.g. {folder / 'less-heat.yaml'}" in err
    code, _, err = call(capsys, "validate", "mine")
    assert code == 2 and "'mine' is a folder, not a scenario file; expected one YAML file" in err


@pytest.mark.parametrize("text, expected", [
    ("regime: []\n", "regime: must be npm or hls (or set a per-practice mix under 'practices:'); got a list"),
    ('"\\r": 1\n', "'\\r': keys must be names"),
    ('world: {"a\\nb": 1}\n', "world.'a\\nb': keys must be names"),
], ids=["regime-list", "key-return", "key-newline"])
def test_what_the_fuzz_test_found_is_one_line_and_exit_2(text, expected, db, tmp_path, capsys):
    """tests/test_fuzz.py found these: `regime: []` failed with TypeError (exit 1), and a key holding a line break
    printed a message over two lines."""
    path = tmp_path / "found.yaml"
    path.write_text(text)
    code, _, err = call(capsys, "validate", str(path))
    assert code == 2 and err.count("\n") == 1 and expected in err, err
    code, _, err = call(capsys, "run", "npm-targets", "--set", "world.\runiqueness=0.5", *SMALL)
    assert code == 2 and err.count("\n") == 1 and "'world.\\runiqueness=0.5': the key must be" in err, err


def test_run_help_says_the_default_regime_is_npm(capsys):
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    assert "(default npm)" in " ".join(capsys.readouterr().out.split())


# --------------------------------------------------------------------------- scale-up


@pytest.mark.parametrize("population", ["1e30", "1180591620717411303424", "100000001"])
def test_scale_up_refuses_a_headcount_beyond_any_nation(population, capsys):
    """scale-up --population 1e30 was accepted and printed a 34-digit figure to the pound."""
    line = refused(capsys, lambda: main(["scale-up", "--population", population]))
    assert "--population must be a whole number from 1 to 100,000,000" in line


def test_money_is_printed_to_three_significant_figures():
    assert pounds(4_478_312_345.67) == "£4,480,000,000"
    assert pounds(-1234.5) == "-£1,230"
    assert pounds(999.6) == "£1,000" and pounds(0.0) == "£0" and pounds(float("nan")) == "n/a"


def test_scale_up_prints_no_false_precision(capsys):
    code = main(["scale-up", "--population", "123456", "--design", "hls-devolved", "--seeds", "2",
                 "--weeks", "4"])
    out = capsys.readouterr().out
    assert code == 0
    figures = re.findall(r"£([\d,]+)", out)
    assert len(figures) == 8, "six simulated figures and the seed's claim, per person and national"
    for figure in figures:
        digits = figure.replace(",", "").rstrip("0")
        assert len(digits) <= 3, f"£{figure} claims more precision than the simulation has"


# --------------------------------------------------------------------------- reports are replaced only with --force


def test_sweep_report_replaces_an_earlier_report_only_with_force(db, tmp_path, capsys):
    from sweep_helpers import write_sweep
    path = write_sweep(tmp_path, points=1, seeds=1, weeks=4)
    out = tmp_path / "report"
    out.mkdir()
    (out / "report.md").write_text("an earlier report")
    code, _, err = call(capsys, "sweep", str(path), "--report", "--out", str(out), "--jobs", "1", "--quiet")
    assert code == 2 and "earlier results are there (report.md); add --force" in err
    assert not db.exists(), "refused before any run"
    code, _, err = call(capsys, "sweep", str(path), "--report", "--out", str(out), "--force", "--jobs", "1",
                        "--quiet")
    assert code == 0 and "(replaced the earlier report.md, as --force asked)" in err
    assert (out / "report.md").read_text() != "an earlier report"
    code, _, err = call(capsys, "sweep-report", "tiny", "--out", str(out))
    assert code == 2 and "add --force to replace them" in err


def test_validate_model_keeps_an_earlier_report_without_force(db, tmp_path, capsys):
    out = tmp_path / "validation"
    out.mkdir()
    (out / "report.md").write_text("the earlier report")
    code, _, err = call(capsys, "validate-model", "--out", str(out), "--seeds", "1", "--weeks", "13")
    assert code == 2 and "earlier results are there (report.md); add --force" in err
    assert (out / "report.md").read_text() == "the earlier report"


# Sends the process Ctrl-C (SIGINT) the moment it starts to import MODULE: while hlssim's heavy modules load.
CTRL_C_WHILE_LOADING = """
import os, signal, sys

class CtrlC:
    def find_spec(self, name, path=None, target=None):
        if name == sys.argv[1]:
            sys.meta_path.remove(self)
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, CtrlC())
from hlssim.cli import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize("module, argv", [("pandas", ["list"]), ("hlssim.params.groups", ["--help"])],
                         ids=["loading-pandas", "building-the-parser"])
def test_ctrl_c_while_hlssim_is_still_loading_ends_in_one_line(module, argv, tmp_path):
    """A Ctrl-C in the first moments, while numpy, numba and pandas load, gave Python's traceback. The Ctrl-C
    comes when the import starts (an event), not after a guessed delay that a busy machine stretches."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "HLSSIM_DB": str(tmp_path / "none.db")}
    proc = subprocess.run([sys.executable, "-c", CTRL_C_WHILE_LOADING, module, *argv], capture_output=True,
                          text=True, env=env, cwd=tmp_path, preexec_fn=ctrl_c_as_in_a_terminal, timeout=300)
    assert proc.returncode == 130, (proc.returncode, proc.stderr)
    assert proc.stderr == "hlssim: interrupted\n" and "Traceback" not in proc.stderr


@pytest.mark.parametrize("command", ["plot", "report", "export"])
def test_figures_reports_and_exports_never_replace_earlier_files_without_force(db, tmp_path, capsys, command):
    """plot, report and export --out replaced what an earlier run had written there without a word."""
    assert call(capsys, "run", "npm-targets", "hls-devolved", "--seed", "1", *SMALL)[0] == 0
    out = tmp_path / "out"
    earlier = {"plot": out / "figures" / "success_rates.png", "report": out / "report.html",
               "export": out / "runs.csv"}[command]
    earlier.parent.mkdir(parents=True)
    earlier.write_bytes(b"an earlier result")
    args = {"plot": ["plot", "npm-targets", "hls-devolved"], "report": ["report", "npm-targets", "hls-devolved"],
            "export": ["export", "--all"]}[command]
    code, _, err = call(capsys, *args, "--out", str(out))
    assert code == 2 and "earlier results are there" in err and "--force" in err
    assert earlier.read_bytes() == b"an earlier result"
    code, _, err = call(capsys, *args, "--out", str(out), "--force")
    assert code == 0 and "as --force asked" in err
    assert earlier.read_bytes() != b"an earlier result"


def test_sweep_report_never_creates_a_store(tmp_path, capsys, monkeypatch):
    """`hlssim sweep-report` with no store made one, as `show 99999` did."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HLSSIM_DB", raising=False)
    code, _, err = call(capsys, "sweep-report")
    assert code == 2 and "no sweeps to report: no store at" in err
    assert not any(tmp_path.iterdir())
