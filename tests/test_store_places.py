"""Where the store lives: commands that only read never create one, and a path that cannot hold a store
is refused in one line (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

import hlssim
from hlssim.cli import main
from hlssim.store import Store, StoreInputError
from hlssim.store.errors import StoreMissing

TINY = ["--weeks", "6", "--set", "population.citizens=120", "--jobs", "1", "--quiet"]


def call(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def empty_folder(tmp_path, monkeypatch) -> Path:
    """An empty working folder and no $HLSSIM_DB: the default store would be results/hlssim.db here."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.delenv("HLSSIM_DB", raising=False)
    return folder


def test_show_99999_in_an_empty_folder_creates_nothing(empty_folder, capsys):
    code, out, err = call(capsys, "show", "99999")
    assert code == 2 and out == ""
    assert err == (f"hlssim: error: no run 99999: no store at {empty_folder / 'results' / 'hlssim.db'} "
                   "(nothing has been run here yet; --db or $HLSSIM_DB names another)\n")
    assert list(empty_folder.iterdir()) == []


@pytest.mark.parametrize("args, starts", [
    (["compare", "npm-targets", "hls-devolved"], "nothing to compare npm-targets and hls-devolved with: no store at"),
    (["export", "--all"], "nothing to export: no store at"),
    (["export", "3", "--format", "parquet"], "nothing to export: no store at"),
    (["plot", "npm-targets", "hls-devolved"], "nothing stored to draw: no store at"),
    (["report", "npm-targets", "hls-devolved"], "nothing stored to draw: no store at"),
])
def test_read_only_commands_say_there_is_no_store_in_one_line(empty_folder, capsys, args, starts):
    code, _, err = call(capsys, *args)
    assert code == 2 and err.startswith(f"hlssim: error: {starts} {empty_folder / 'results' / 'hlssim.db'}"), err
    assert len(err.strip().splitlines()) == 1
    assert list(empty_folder.iterdir()) == []


def test_list_without_a_store_lists_the_scenarios_and_says_no_runs(empty_folder, capsys):
    code, out, _ = call(capsys, "list")
    assert code == 0 and "npm-targets" in out and "hls-devolved" in out
    assert f"Stored runs: none yet: no store at {empty_folder / 'results' / 'hlssim.db'}" in out
    code, out, _ = call(capsys, "list", "--series")
    assert code == 0 and "Stored runs: none yet" in out and "npm-targets " not in out
    assert list(empty_folder.iterdir()) == []


def test_loading_from_python_without_a_store_creates_nothing(empty_folder):
    for load in (lambda: hlssim.load(1), lambda: hlssim.load_runs(), lambda: hlssim.load_timeseries([1])):
        with pytest.raises(StoreMissing, match="no store at .*results/hlssim.db"):
            load()
    assert list(empty_folder.iterdir()) == []


def test_an_empty_file_or_database_is_no_store_and_stays_empty(db_url, tmp_path):
    """Reading never makes hlssim's tables either: an empty SQLite file, an empty PostgreSQL database."""
    if db_url.startswith("sqlite"):
        path = Path(db_url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True)
        path.touch()
    with pytest.raises(StoreMissing, match="holds no hlssim results yet"):
        Store(db_url, create=False)
    engine = sa.create_engine(db_url)
    try:
        assert sa.inspect(engine).get_table_names() == []
    finally:
        engine.dispose()
    with Store(db_url) as st:                      # a command that stores runs makes it
        assert st.schema_version() is not None


def test_a_store_is_made_where_a_command_stores_runs(empty_folder, capsys):
    code, _, err = call(capsys, "run", "npm-targets", "--seed", "1", *TINY)
    assert code == 0 and (empty_folder / "results" / "hlssim.db").exists(), err
    assert call(capsys, "show", "1")[0] == 0


def test_a_path_that_cannot_hold_a_store_is_one_line(tmp_path, capsys):
    """`--db /etc/passwd/x.db` said FileExistsError."""
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    for db, why in ((str(blocker / "x.db"), f"{blocker} is a file, not a folder"),
                    ("/etc/passwd/x.db", "/etc/passwd is a file, not a folder")):
        code, _, err = call(capsys, "run", "npm-targets", "--seed", "1", "--db", db, *TINY)
        assert code == 2 and err == f"hlssim: error: cannot make a store at {db}: {why}\n"
        code, _, err = call(capsys, "show", "1", "--db", db)           # reading: there is no store there
        assert code == 2 and err.startswith(f"hlssim: error: no run 1: no store at {db} ")
        code, out, _ = call(capsys, "list", "--db", db)
        assert code == 0 and f"Stored runs: none yet: no store at {db} " in out
    for command in (["run", "npm-targets", "--seed", "1", *TINY], ["show", "1"], ["list"]):
        code, _, err = call(capsys, *command, "--db", str(tmp_path))
        assert code == 2 and err == (f"hlssim: error: cannot use a store at {tmp_path}: it is a folder; give a file "
                                     f"such as {tmp_path / 'hlssim.db'}\n")
    assert blocker.read_text() == "in the way" and sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_an_export_folder_that_cannot_be_made_is_one_line(tmp_path, sqlite_url, capsys):
    """`--out` below a file said FileExistsError; it is bad input, one line, and nothing is written."""
    assert call(capsys, "run", "npm-targets", "--seed", "1", "--db", sqlite_url, *TINY)[0] == 0
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    code, _, err = call(capsys, "export", "--all", "--db", sqlite_url, "--out", str(blocker / "x" / "y"))
    assert code == 2 and err == (f"hlssim: error: --out {blocker / 'x' / 'y'}: {blocker} is a file, not a folder; "
                                 "give a folder to write into\n")
    code, _, err = call(capsys, "export", "--all", "--db", sqlite_url, "--out", str(blocker))
    assert code == 2 and err == f"hlssim: error: --out {blocker}: {blocker} is a file, not a folder; give a folder to write into\n"
    assert blocker.read_text() == "in the way"
