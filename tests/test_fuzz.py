"""Fuzzing scenario files and --set values (issue 11): whatever a user writes, hlssim exits 0 or 2, prints
no traceback, and never changes a stored run.

Hypothesis writes YAML (random keys, values and types; real keys with wrong types or out-of-range values;
broken YAML) and ``--set KEY=VALUE`` strings, and calls ``hlssim validate`` and a tiny ``hlssim run``
in-process against a store that already holds a run.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from hlssim.cli import main
from hlssim.params import Params, bounds, field_info
from hlssim.params.scenarios import GROUPS, META_KEYS
from hlssim.store import Store
from hlssim.store.schema import runs, summaries, timeseries

set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "hlssim-hypothesis")   # its caches, outside the repository
DEFAULTS = Params().flat()
PARAMS = sorted(DEFAULTS)
TINY = ["--weeks", "2", "--seed", "1", "--jobs", "1", "--quiet"]
SMALL_WORLD = ["--set", "population.citizens=50"]      # last, so no generated --set makes a run large
FUZZ = settings(deadline=None, derandomize=True, database=None,      # the same examples every time, no files kept
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# --------------------------------------------------------------------------- what a user might write

plain_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=20)
numbers = st.one_of(st.integers(min_value=-(10**30), max_value=10**30), st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from([0, 1, -1, 0.5, 1.0000001, 2**31, 2**63, 1e308]))
scalars = st.one_of(st.none(), st.booleans(), numbers, plain_text,
                    st.sampled_from(["npm", "hls", "mix", "yes", "off", "~", "1e3", "NaN", ".inf", "2024-01-01"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                        st.dictionaries(plain_text, inner, max_size=3)), max_leaves=6)
real_keys = st.sampled_from(PARAMS)
group_keys = st.sampled_from(GROUPS)
keys = st.one_of(real_keys, group_keys, st.sampled_from(META_KEYS), plain_text,
                 st.integers(-5, 5), st.booleans())
# extends: shipped names, relative paths and nonsense (never an arbitrary system file)
extends = st.one_of(st.sampled_from(["npm-targets", "hls-devolved", "no-such", "fuzz.yaml", "./fuzz.yaml",
                                     "../x.yaml", "sub/", ""]), st.from_regex(r"[a-z\-]{1,12}", fullmatch=True))


def in_range(key: str) -> st.SearchStrategy:
    """Any value the parameter allows, its extremes included (what a valid but unusual file may hold)."""
    default, info = DEFAULTS[key], field_info(key)
    limits = bounds(info)
    low, high = limits.get("ge", limits.get("gt")), limits.get("le", limits.get("lt"))
    if isinstance(default, bool):
        return st.booleans()
    if info.annotation is int:
        return st.integers(low if low is not None else -(10**6), high if high is not None else 10**6)
    if info.annotation is float:
        return st.floats(low if low is not None else -1e6, high if high is not None else 1e6,
                         exclude_min="gt" in limits, exclude_max="lt" in limits, allow_nan=False)
    return st.just(default)


@st.composite
def valid_data(draw) -> dict:
    """A scenario a careful user might write: a name, a question, a regime, real keys within their ranges."""
    data: dict = {"name": "fuzzed", "description": "a fuzzed question"}
    if draw(st.booleans()):
        data["regime"] = draw(st.sampled_from(["npm", "hls"]))
    if draw(st.integers(0, 3)) == 0:
        data["extends"] = draw(st.sampled_from(["npm-targets", "hls-devolved", "closed-system", "funding-market"]))
    for key in draw(st.lists(real_keys, max_size=5, unique=True)):
        group, _, field = key.partition(".")
        data.setdefault(group, {})[field] = draw(in_range(key))
    return data


@st.composite
def scenario_data(draw) -> dict:
    """A mapping shaped like a scenario file, with some real keys given wrong or out-of-range values."""
    data: dict = {}
    if draw(st.booleans()):
        data["name"] = draw(st.one_of(st.just("fuzzed"), values))
    if draw(st.booleans()):
        data["description"] = draw(st.one_of(st.just("a fuzzed question"), values))
    for _ in range(draw(st.integers(0, 3))):             # real parameters, as groups or dotted keys
        key = draw(real_keys)
        value = draw(st.one_of(values, st.just(Params().flat()[key])))
        group, _, field = key.partition(".")
        if draw(st.booleans()):
            data.setdefault(group, {})
            if isinstance(data[group], dict):
                data[group][field] = value
        else:
            data[key] = value
    for _ in range(draw(st.integers(0, 2))):             # anything at all
        data[draw(keys)] = draw(values)
    for meta in ("regime", "seeds", "weeks"):
        if draw(st.integers(0, 3)) == 0:
            data[meta] = draw(values)
    if draw(st.integers(0, 4)) == 0:
        data["extends"] = draw(extends)
    return data


@st.composite
def scenario_text(draw) -> str:
    """Mostly YAML dumped from scenario-shaped data, sometimes hand-broken YAML or plain text."""
    kind = draw(st.integers(0, 9))
    if kind >= 5:
        return yaml.safe_dump(draw(valid_data()), allow_unicode=True, sort_keys=False)
    if kind == 0:
        return draw(st.text(max_size=200))
    if kind == 1:
        return draw(st.sampled_from(["", "---\n", "[1, 2", "a: b: c", "name: x\nname: y\n", "? [a]\n: 1\n",
                                     "!!python/object/apply:os.system ['true']\n", "&a [*a]\n", "world: *x\n",
                                     "world:\n  uniqueness: !!float nan\n", "\x00", "regime: |\n  npm\n"]))
    text = yaml.safe_dump(draw(scenario_data()), allow_unicode=True, sort_keys=False)
    if kind == 2:       # a line changed by hand
        lines = text.splitlines() or [""]
        at = draw(st.integers(0, len(lines) - 1))
        lines[at] = draw(st.sampled_from(["  - x", "\t", "}", "key", ": :", lines[at] + " # note", lines[at] * 2]))
        text = "\n".join(lines)
    return text


valid_set = real_keys.flatmap(lambda key: in_range(key).map(lambda value: f"{key}={value}"))
hostile_sets = st.lists(st.one_of(
    st.builds(lambda k, v: f"{k}={v}", st.one_of(real_keys, plain_text), st.one_of(scalars, plain_text)),
    st.builds(lambda k, v: f"{k}={v}", real_keys, st.sampled_from(["", "nan", "inf", "-inf", "1e400", "-1", "0",
                                                                   "1_000", "true", "npm", "[1, 2]", "{a: 1}",
                                                                   " 3 ", "0x10", "1" * 5000])),
    plain_text,                                           # no '=' at all
), min_size=1, max_size=3)
set_flags = st.one_of(st.just([]), st.lists(valid_set, min_size=1, max_size=3), hostile_sets)


# --------------------------------------------------------------------------- the store a fuzzed command must not touch


def _rows(store: Store) -> dict:
    with store.engine.connect() as conn:
        return {t.name: sorted(tuple(map(repr, row)) for row in conn.execute(sa.select(t)))
                for t in (runs, summaries, timeseries)}


class Stored:
    """A store with one run in it, and what its tables held then."""

    def __init__(self, db: Path, before: dict):
        self.db, self.before = db, before

    def __repr__(self) -> str:
        return f"Stored({self.db})"

    def unchanged(self) -> dict:
        """Every row stored before is still there as it was; returns the rows now."""
        with Store(self.db) as store:
            now = _rows(store)
        for table, rows in self.before.items():
            assert set(rows) <= set(now[table]), f"a stored row of {table} changed or went"
        return now


@pytest.fixture
def stored(no_default_store, capsys) -> Stored:
    assert main(["run", "npm-targets", *TINY, *SMALL_WORLD]) == 0
    capsys.readouterr()
    with Store(no_default_store) as store:
        return Stored(no_default_store, _rows(store))


def _call(capsys, argv: list[str]) -> tuple[int, str, str]:
    """hlssim in-process; a flag argparse refuses (e.g. a --set value that looks like a flag) exits 2 too."""
    try:
        code = main(argv)
    except SystemExit as stop:
        code = stop.code
    out, err = capsys.readouterr()
    assert code in (0, 2), f"exit {code}: {err}"
    event(f"{argv[0]}: exit {code}")
    assert "Traceback" not in out + err
    if code == 2 and err.startswith("usage: "):       # argparse: the usage, then one error line
        assert err.splitlines()[-1].startswith("hlssim run: error: "), err
    elif code == 2:
        assert err.endswith("\n") and all(line.startswith("hlssim: error: ") for line in err.splitlines()), err
    return code, out, err


# --------------------------------------------------------------------------- the properties


@settings(FUZZ, max_examples=150)
@given(text=scenario_text())
def test_validate_exits_0_or_2_whatever_the_file_holds(text, stored, tmp_path, capsys):
    path = tmp_path / "fuzz.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = _call(capsys, ["validate", str(path)])
    assert (code == 0) == out.startswith("ok: ")
    assert stored.unchanged() == stored.before


@settings(FUZZ, max_examples=60)
@given(text=scenario_text(), sets=set_flags)
def test_run_exits_0_or_2_and_never_changes_a_stored_run(text, sets, stored, tmp_path, capsys):
    path = tmp_path / "fuzz.yaml"
    path.write_text(text, encoding="utf-8")
    flags = [part for value in sets for part in ("--set", value)]
    with Store(stored.db) as store:
        just_before = _rows(store)
    code, _, _ = _call(capsys, ["run", str(path), *TINY, *flags, *SMALL_WORLD])
    now = stored.unchanged()
    if code == 2:
        assert now == just_before, "refused input stores nothing"
