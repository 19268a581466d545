"""A damaged store is refused and left exactly as it is; every database error reaching a user is one line;
an export is written whole or not at all (issue 11)."""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from hlssim.cli import main
from hlssim.store import Store, StoreError, database
from hlssim.store import export as exporting

TINY = ["--weeks", "8", "--set", "population.citizens=150", "--jobs", "1", "--quiet"]
READERS = (["list"], ["list", "--series"], ["show", "4"], ["compare", "npm-targets", "hls-devolved"],
           ["export", "--all"])


def call(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def scribble(path: Path, size: int = 8192, seed: int = 11) -> None:
    """Write ``size`` random bytes into the middle of a file, as the issue did."""
    data = random.Random(seed).randbytes(size)
    with path.open("r+b") as f:
        f.seek(path.stat().st_size // 2 - size // 2)
        f.write(data)


THREE = ["--seeds", "1", "--weeks", "8", "--set", "population.citizens=300", "--jobs", "1", "--quiet"]
STORES = {   # different stores break differently: SQLite raises on one, and lists the broken pages of the other
    "four-runs": [["run", "npm-targets", "hls-devolved", "--seeds", "2", *TINY]],
    "three-runs": [["run", "npm-targets", *THREE, "--set", "world.uniqueness=0.1"], ["run", "npm-targets", *THREE],
                   ["run", "hls-devolved", *THREE]],
}


@pytest.fixture(params=list(STORES))
def damaged_store(tmp_path, monkeypatch, capsys, request) -> Path:
    """results/hlssim.db in the working folder with a few runs, then 8 KB of random bytes in its middle."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HLSSIM_DB", raising=False)
    for args in STORES[request.param]:
        assert call(capsys, *args)[0] == 0
    store = tmp_path / "results" / "hlssim.db"
    scribble(store)
    with sqlite3.connect(store) as conn:
        try:
            verdict = conn.execute("PRAGMA integrity_check").fetchall()
        except sqlite3.DatabaseError as err:
            verdict = [(str(err),)]
    assert verdict != [("ok",)], "the random bytes damaged the store, as PRAGMA integrity_check says"
    return store


def test_a_damaged_store_is_refused_by_every_command_and_left_untouched(damaged_store, tmp_path, capsys):
    before = fingerprint(damaged_store)
    for args in [*READERS, ["run", "npm-targets", "--seed", "3", *TINY]]:
        code, out, err = call(capsys, *args)
        assert code == 1, (args, err)
        assert err.startswith(f"hlssim: failed: the results store {damaged_store} is damaged"), (args, err)
        assert "left exactly as it is" in err and "To recover" in err and "Traceback" not in err, args
        assert err.count("\n") == 3 and "\\n" not in err, ("the advice reads as three lines", args, err)
        assert out == "" or not args[0].startswith(("show", "compare", "export")), args
        assert fingerprint(damaged_store) == before, f"{args} changed the damaged store"
    assert not (tmp_path / "results" / "export").exists(), "export left a folder behind"
    assert sorted(p.name for p in damaged_store.parent.iterdir()) == ["hlssim.db"]


def test_the_advice_to_recover_works(damaged_store, capsys):
    _, _, err = call(capsys, "show", "4")
    move = re.search(r"move it aside \((mv [^)]+)\)", err).group(1)
    salvage = re.search(r"runs may come back incomplete\): (.+), then use --db (\S+)", err)
    subprocess.run(move, shell=True, check=True)
    assert not damaged_store.exists()
    if shutil.which("sqlite3"):         # salvaging needs SQLite's own command-line shell
        subprocess.run(salvage.group(1), shell=True, check=True, capture_output=True)
        code, out, err = call(capsys, "list", "--series", "--db", salvage.group(2))
        assert code == 0 and "npm-targets" in out, err
    code, _, err = call(capsys, "run", "npm-targets", "--seed", "1", *TINY)      # a new store where it was
    assert code == 0 and damaged_store.exists(), err


def test_a_file_that_is_not_a_database_is_refused_and_untouched(tmp_path, capsys):
    notes = tmp_path / "notes.db"
    notes.write_text("these are my notes, not a results store\n" * 20)
    before = fingerprint(notes)
    for args in (["list", "--db", str(notes)], ["run", "npm-targets", "--seed", "1", "--db", str(notes), *TINY]):
        code, _, err = call(capsys, *args)
        assert code == 1 and "file is not a database" in err and str(notes) in err, err
    assert fingerprint(notes) == before


def test_a_database_error_while_reading_is_one_line(db_url, tmp_path, capsys, monkeypatch):
    """A table gone behind hlssim's back: `show` and `export` said a raw DatabaseError over several lines."""
    monkeypatch.chdir(tmp_path)
    assert call(capsys, "run", "npm-targets", "--seed", "1", "--db", db_url, *TINY)[0] == 0
    with Store(db_url) as st, st.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE summaries"))
    for args in (["show", "1"], ["export", "--all", "--out", str(tmp_path / "out")], ["list"]):
        code, out, err = call(capsys, *args, "--db", db_url)
        assert code == 1 and len(err.strip().splitlines()) == 1, (args, err)
        assert err.startswith("hlssim: failed: cannot read the results store at ") and "summaries" in err, err
        assert "[SQL:" not in err and "sqlalche.me" not in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_an_export_that_fails_half_way_leaves_nothing_half_written(tmp_path, sqlite_url, capsys, monkeypatch):
    assert call(capsys, "run", "npm-targets", "--seeds", "2", "--db", sqlite_url, *TINY)[0] == 0
    out = tmp_path / "new" / "export"
    real = pd.DataFrame.to_csv

    def disk_full(frame, path, **kwargs):
        if str(path).endswith("timeseries.csv"):
            Path(path).write_text("run_id,week\n1,")          # half a file, then the disk is full
            raise OSError(28, "No space left on device")
        return real(frame, path, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", disk_full)
    code, _, err = call(capsys, "export", "--all", "--db", sqlite_url, "--out", str(out))
    assert code == 1 and "No space left on device" in err
    assert not (tmp_path / "new").exists(), "no empty or half-written folder is left"

    monkeypatch.setattr(pd.DataFrame, "to_csv", real)
    assert call(capsys, "export", "1", "--db", sqlite_url, "--out", str(out))[0] == 0
    earlier = {p.name: p.read_bytes() for p in out.iterdir()}
    monkeypatch.setattr(pd.DataFrame, "to_csv", disk_full)
    assert call(capsys, "export", "--all", "--db", sqlite_url, "--out", str(out), "--force")[0] == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == earlier, "the earlier export is kept whole"
    assert [p.name for p in out.parent.iterdir()] == ["export"], "no staging folder is left"


def test_export_writes_a_new_folder_with_the_usual_permissions(tmp_path, sqlite_url, capsys):
    assert call(capsys, "run", "npm-targets", "--seed", "1", "--db", sqlite_url, *TINY)[0] == 0
    out = tmp_path / "fresh"
    with Store(sqlite_url, create=False) as st:
        paths = exporting.export(st, [1], "csv", out)
    assert [p.parent for p in paths] == [out, out] and all(p.exists() for p in paths)
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o777 & ~umask


def test_a_large_unchanged_store_is_not_checked_again(tmp_path, sqlite_url, monkeypatch, capsys):
    """quick_check reads the whole file; a store larger than the threshold that passed is remembered
    by (file, size, modification time), and any change brings the check back."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert call(capsys, "run", "npm-targets", "--seed", "1", "--db", sqlite_url, *TINY)[0] == 0
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    database.check_integrity(path, remember_above=0)
    assert str(path) in (tmp_path / "cache" / "hlssim" / "checked-stores.json").read_text()
    checks = []
    real_connect = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: checks.append(a) or real_connect(*a, **k))
    database.check_integrity(path, remember_above=0)
    assert checks == [], "unchanged since it passed: not read again"
    scribble(path)
    with pytest.raises(StoreError, match="is damaged"):
        database.check_integrity(path, remember_above=0)
    assert len(checks) == 1


def test_a_row_whose_stored_text_cannot_be_read_does_not_hide_the_rest(tmp_path, capsys):
    """A salvaged store can hold a row whose JSON or text was cut by the damage (SQLite's .recover keeps what
    it can): listing the store still works and shows the other runs."""
    db = tmp_path / "salvaged.db"
    assert call(capsys, "run", "npm-targets", "hls-devolved", "--seeds", "1", "--db", str(db), *TINY)[0] == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE runs SET params = ? WHERE id = 1", ('{"world.uniqueness": 0.\x01',))
        conn.execute("UPDATE runs SET description = CAST(? AS TEXT) WHERE id = 1", (b"npm-\xff\xfe",))
    code, out, err = call(capsys, "list", "--series", "--db", str(db))
    assert code == 0 and "hls-devolved" in out, err
