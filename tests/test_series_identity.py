"""A comparison never silently pairs the wrong runs: each series has a short id and knows what was set on
top of its scenario file, `list`/`show` say so, and `compare` refuses series that differ in more than
their scenario files (issue 11)."""

from __future__ import annotations

import json
import re
import shutil

import pytest
import sqlalchemy as sa

from hlssim.cli import build_parser, main
from hlssim.experiments.runner import RunSpec
from hlssim.params import scenarios
from hlssim.store import Store, database, schema
from hlssim.store.batch import run_missing
from hlssim.store.series import series_id

SHORT = ["--weeks", "8", "--jobs", "1", "--quiet"]
TINY = ["--set", "population.citizens=150", *SHORT]


def call(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def series_of(err: str, label: str) -> str:
    """The series id `hlssim run` printed for a scenario."""
    return re.search(rf"{re.escape(label)}: series ([0-9a-f]+)", err).group(1)


def series_lines(capsys) -> dict[str, str]:
    """`hlssim list --series`: series id -> its line."""
    code, out, _ = call(capsys, "list", "--series")
    assert code == 0
    lines = out.strip().splitlines()[1:]
    return {line.split()[0]: line for line in lines}


# --------------------------------------------------------------------------- the issue's case


def test_compare_refuses_the_300_citizen_series_against_the_2000_citizen_one(no_default_store, capsys):
    """The issue's case: after `run npm-targets --set population.citizens=300 --set world.uniqueness=0.1`,
    `compare npm-targets hls-devolved` paired that series with the 2,000-citizen HLS series without a word."""
    code, _, err = call(capsys, "run", "npm-targets", "hls-devolved", "--seed", "1", *SHORT)
    assert code == 0, err
    plain, hls = series_of(err, "npm-targets"), series_of(err, "hls-devolved")
    code, _, err = call(capsys, "run", "npm-targets", "--seed", "1", "--set", "population.citizens=300",
                        "--set", "world.uniqueness=0.1", *SHORT)
    assert code == 0, err
    changed = series_of(err, "npm-targets")

    code, out, err = call(capsys, "compare", "npm-targets", "hls-devolved")
    assert code == 2 and out == ""
    assert f"npm-targets (series {changed})" in err and f"hls-devolved (series {hls})" in err
    assert "population.citizens: 300 vs 2000 (A set it on top of npm-targets.yaml, which gives 2000)" in err
    assert "world.uniqueness: 0.1 vs 0.8" in err and "--allow-different" in err and "Traceback" not in err
    assert err.count("\n") == 1 and "\\n" not in err, "bad input is one readable line"
    assert "practices." not in err, "the regimes are what the scenario files set: what is being compared"

    code, out, err = call(capsys, "compare", "npm-targets", "hls-devolved", "--allow-different")
    assert code == 0 and "paired on 1 seed(s)" in out
    assert err.startswith("warning: ") and "population.citizens: 300 vs 2000" in err
    code, out, _ = call(capsys, "compare", "npm-targets", "hls-devolved", "--allow-different", "--json")
    assert any(line.startswith("population.citizens: 300 vs 2000") for line in json.loads(out)["different"])

    # `list` tells the three series apart: each one's overrides, and a short id `compare` accepts
    lines = series_lines(capsys)
    assert set(lines) == {plain, hls, changed} and all(len(i) == 10 for i in lines)
    assert lines[changed].endswith("world.uniqueness=0.1, population.citizens=300")
    assert lines[plain].endswith("none") and lines[hls].endswith("none")
    code, out, _ = call(capsys, "list")
    assert code == 0 and "world.uniqueness=0.1, population.citizens=300" in out and "overrides" in out
    code, out, err = call(capsys, "compare", plain, hls)
    assert code == 0 and f"A: npm-targets (series {plain})" in out, err
    assert call(capsys, "compare", plain[:6], "hls-devolved")[0] == 0, "a unique prefix of a series id is enough"

    with Store(no_default_store) as st:
        run_id = int(st.runs(series=changed).run_id.iloc[0])
    code, out, _ = call(capsys, "show", str(run_id))
    assert code == 0 and f"series {changed}" in out
    assert "set on top of its scenario file (npm-targets.yaml):" in out
    assert "population.citizens = 300 (the file gives 2000)" in out and "world.uniqueness = 0.1 (the file gives 0.8)" in out
    data = json.loads(call(capsys, "show", str(run_id), "--json")[1])
    assert data["series_id"] == changed and data["scenario_diff"]["population.citizens"] == {"run": 300, "file": 2000}
    assert data["scenario_diff_read_now"] is False


def test_weeks_and_code_version_that_differ_are_named(no_default_store, capsys):
    assert call(capsys, "run", "npm-targets", "--seed", "1", *TINY)[0] == 0
    assert call(capsys, "run", "hls-devolved", "--seed", "1", "--set", "population.citizens=150", "--weeks", "6",
                "--jobs", "1", "--quiet")[0] == 0
    code, _, err = call(capsys, "compare", "npm-targets", "hls-devolved")
    assert code == 2 and "weeks: 8 vs 6" in err and "population.citizens" not in err, \
        "the same --set on both sides is no difference"
    with Store(no_default_store) as st, st.engine.begin() as conn:    # as if stored by other model code
        conn.execute(sa.update(schema.runs).where(schema.runs.c.scenario == "npm-targets")
                     .values(code_version="0.0.1+0123456789ab"))
    code, _, err = call(capsys, "compare", "npm-targets", "hls-devolved")
    assert code == 2 and "code version: 0.0.1+0123456789ab vs " in err


def test_a_regime_switched_on_top_of_a_file_is_an_override(no_default_store, capsys):
    code, err = call(capsys, "run", "npm-targets", "--regime", "hls", "--seed", "1", *TINY)[::2]
    assert code == 0, err
    assert call(capsys, "run", "hls-devolved", "--seed", "1", *TINY)[0] == 0
    switched = series_of(err, "npm-targets")
    assert series_lines(capsys)[switched].endswith("regime=hls, population.citizens=150")
    code, _, err = call(capsys, "compare", "hls-devolved", "npm-targets")
    assert code == 0, "both run HLS on the same world: no parameter differs"


def test_runs_without_a_file_are_measured_from_the_default_world_under_their_regime(no_default_store, capsys):
    assert call(capsys, "run", "--regime", "npm", "--seed", "1", *TINY)[0] == 0
    assert call(capsys, "run", "--regime", "hls", "--seed", "1", *TINY)[0] == 0
    code, out, err = call(capsys, "compare", "default@npm", "default@hls")
    assert code == 0, err
    assert all(line.endswith("population.citizens=150") for line in series_lines(capsys).values())


def test_compare_help_examples_work_on_the_store_make_run_fills(no_default_store, capsys, tmp_path):
    """`make run` runs `hlssim run npm-targets hls-devolved --seeds 10 --compare --out results/headline`."""
    code, _, err = call(capsys, "run", "npm-targets", "hls-devolved", "--seeds", "10", "--compare",
                        "--out", str(tmp_path / "headline"), *TINY)
    assert code == 0, err
    with pytest.raises(SystemExit):
        main(["compare", "--help"])
    help_text = capsys.readouterr().out
    examples = [re.split(r"\s{2,}", line.strip())[0].split()[1:]
                for line in help_text.splitlines() if line.strip().startswith("hlssim compare ")]
    assert len(examples) >= 3
    for example in examples:
        code, out, err = call(capsys, *example)
        assert code == 0, (example, err)
        assert "paired on" in out or json.loads(out)["seeds"]


# --------------------------------------------------------------------------- the store: both databases


def small(name: str, seed: int = 1, **overrides) -> RunSpec:
    scenario = scenarios.load(name).with_changes(overrides={"population.citizens": 120, **overrides})
    return RunSpec.from_scenario(scenario, seed=seed, weeks=4)


def test_each_run_records_its_departures_from_its_scenario_file(db_url):
    with Store(db_url) as st:
        done = run_missing(st, [small("npm-targets"), small("goodhart-demo", **{"world.uniqueness": 0.2})], jobs=1)
        plain, changed = (st.identity(d.run_id) for d in done)
        every = st.identities()
    assert plain.departures == {"population.citizens": 2000} and not plain.derived
    assert changed.departures == {"population.citizens": 2000, "world.uniqueness": 0.8}
    assert changed.file.endswith("goodhart-demo.yaml"), "measured from the scenario's own file, not what it extends"
    assert changed.overrides() == {"population.citizens": 120, "world.uniqueness": 0.2}
    assert set(every) == {d.spec.series_key for d in done}
    assert changed.series_id == series_id(done[1].spec.series_key) == done[1].spec.series_key[:10]


def test_runs_stored_before_0003_read_their_departures_off_the_file(db_url, tmp_path):
    """A store written before this was recorded: the column is added empty, and the departures are read
    off the scenario file as it is now; a file that is gone leaves them unknown, and compare refuses."""
    mine = tmp_path / "mine.yaml"
    shutil.copy(scenarios.find("npm-targets"), mine)
    mine.write_text(mine.read_text().replace("name: npm-targets", "name: mine"))
    with Store(db_url) as st:
        done = run_missing(st, [small("hls-devolved"), small(str(mine), **{"world.uniqueness": 0.3})], jobs=1)
        database.migrate(st.engine, "0002", downgrade=True)
        assert "scenario_diff" not in {c["name"] for c in sa.inspect(st.engine).get_columns("runs")}
    with Store(db_url) as st:                      # opening upgrades: the runs are kept, their departures empty
        assert st.schema_version() == "0003" and st.counts()["runs"] == 2
        hls, old = (st.identity(d.run_id) for d in done)
        assert old.derived and old.departures == {"population.citizens": 2000, "world.uniqueness": 0.8}
        assert "(read off the file now)" in old.describe()
        assert old.describe(width=40).endswith("... (read off the file now)"), "cut short, the note stays"
        mine.unlink()
        assert st.identity(done[1].run_id).departures is None
        assert st.identity(done[1].run_id).describe().startswith("unknown")
        assert hls.departures == {"population.citizens": 2000}


def test_departures_unknown_refuse_a_comparison_naming_why(no_default_store, capsys, tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text("name: mine\ndescription: NPM with a bigger caseload.\nregime: npm\ncaseload:\n  npm_cap: 40\n")
    assert call(capsys, "run", str(mine), "npm-targets", "--seed", "1", *TINY)[0] == 0
    with Store(no_default_store) as st, st.engine.begin() as conn:      # as a store from before 0003
        conn.execute(sa.update(schema.runs).values(scenario_diff=None))
    assert call(capsys, "compare", "npm-targets", "mine")[0] == 0, "read off the file, which is still there"
    mine.unlink()
    code, _, err = call(capsys, "compare", "npm-targets", "mine")
    assert code == 2 and "B's scenario file cannot be read now" in err and "caseload.npm_cap" in err


def test_list_series_and_runs_are_exclusive(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["list", "--series", "--runs"])
    capsys.readouterr()


def test_selecting_a_run_names_its_series(db_url):
    from hlssim.cli.selectors import select
    with Store(db_url) as st:
        (done,) = run_missing(st, [small("closed-system")], jobs=1)
        label, _ = select(st, str(done.run_id))
    assert label == f"run {done.run_id} (closed-system, series {done.spec.series_key[:10]})"



def test_plot_and_report_pair_stored_series_only_as_compare_would(no_default_store, tmp_path, capsys):
    """Figures of two stored series are a comparison too: the same refusal, the same --allow-different."""
    assert call(capsys, "run", "hls-devolved", "--seed", "1", *SHORT)[0] == 0
    assert call(capsys, "run", "npm-targets", "--seed", "1", "--set", "population.citizens=300", *SHORT)[0] == 0
    for command in ("plot", "report"):
        code, _, err = call(capsys, command, "npm-targets", "hls-devolved", "--out", str(tmp_path / command))
        assert code == 2 and "population.citizens: 300 vs 2000" in err and "--allow-different" in err
        assert not (tmp_path / command).exists()
    code, _, err = call(capsys, "plot", "npm-targets", "hls-devolved", "--allow-different", "--out",
                        str(tmp_path / "anyway"))
    assert code == 0 and err.startswith("warning: ") and any((tmp_path / "anyway").rglob("*.png"))


def test_a_series_id_that_starts_with_digits_is_not_taken_for_a_run_id(no_default_store, capsys):
    """About 6% of 6-character series prefixes are all digits (CI met one): `compare 305189 ...` said
    "no run 305189". A number that is no run id is tried as a series prefix; a run id still wins."""
    assert call(capsys, "run", "npm-targets", "hls-devolved", "--seed", "1", *TINY)[0] == 0
    with Store(no_default_store) as st, st.engine.begin() as conn:    # give npm-targets an all-digit series id
        key = conn.execute(sa.select(schema.runs.c.series_key).where(schema.runs.c.scenario == "npm-targets")).scalar()
        conn.execute(sa.update(schema.runs).where(schema.runs.c.series_key == key)
                     .values(series_key="3051891234" + key[10:]))
    code, out, err = call(capsys, "compare", "305189", "hls-devolved")
    assert code == 0 and "A: npm-targets (series 3051891234)" in out, err
    code, out, err = call(capsys, "compare", "1", "2")                # small numbers are run ids, as before
    assert code == 0 and "A: run 1" in out, err
    code, _, err = call(capsys, "compare", "999999", "hls-devolved")  # neither a run nor a series
    assert code == 2 and "no such run id and no such series" in err
