"""Scenario files: the shipped ones validate and run; extends; every class of bad input gets a clear message."""

from __future__ import annotations

import textwrap

import pytest

from hlssim.params import scenarios
from hlssim.cli import main
from hlssim.params import Params, ParameterError
from hlssim.store import Store

SHIPPED = ("npm-targets", "hls-devolved", "closed-system", "complex-lives",
           "hybrid-hls-frontline-npm-governance", "goodhart-demo")
SMALL = ["--weeks", "6", "--seed", "1", "--set", "population.citizens=120", "--quiet"]


def write(folder, name: str, text: str):
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return path


def error_of(path) -> str:
    with pytest.raises(ParameterError) as info:
        scenarios.load(path)
    return str(info.value)


def cli_error(capsys, args: list[str]) -> str:
    """Run the CLI, expect exit code 2 and a one-line message without a traceback; return stderr."""
    code = main(args)
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    assert err.startswith("hlssim: error: ")
    return err


# --------------------------------------------------------------------------- shipped scenarios


def test_the_issue_s_scenarios_are_shipped():
    assert set(SHIPPED) <= set(scenarios.shipped())


@pytest.mark.parametrize("name", sorted(scenarios.shipped()))
def test_shipped_scenario_validates_and_describes_its_question(name, capsys):
    s = scenarios.load(name)
    assert s.name == name, "a shipped scenario's name is its file name"
    assert len(s.description) > 80 and "?" in s.description, "the description says what question it answers"
    assert s.audience
    assert isinstance(s.params, Params)
    assert main(["validate", str(s.path)]) == 0
    assert f"ok: {s.path}" in capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(scenarios.shipped()))
def test_shipped_scenario_runs(name, tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'r.db'}"
    assert main(["run", name, "--db", db, *SMALL]) == 0, capsys.readouterr().err
    assert "flourishing_mean" in capsys.readouterr().out
    with Store(db) as store:
        frame = store.runs()
        assert frame.scenario.tolist() == [name]
        assert store.counts()["timeseries"] == 6


def test_shipped_scenarios_ask_what_they_say():
    closed = scenarios.load("closed-system").params
    assert (closed.world.uniqueness, closed.world.interdependence, closed.world.dynamism) == (0, 0, 0)
    assert closed.population.smd_share == 0
    assert scenarios.load("complex-lives").params.population.smd_share >= 0.4
    assert scenarios.load("npm-targets").regime == "npm"
    assert scenarios.load("hls-devolved").regime == "hls"
    hybrid = scenarios.load("hybrid-hls-frontline-npm-governance")
    assert hybrid.regime == "mix"
    assert hybrid.params.practices.public_facing == 1.0 and hybrid.params.practices.governance == 0.0
    demo = scenarios.load("goodhart-demo")
    assert demo.params.targets.pressure >= 0.9 and demo.params.targets.ratchet > 0
    assert demo.params.incentives.inspection_rate <= 0.05 and demo.regime == "npm"
    for key in ("goodhart_gap", "data_integrity", "report_true_corr", "misreport_rate",
                "measured_effort_share", "parked_share"):
        assert key in demo.description


def test_a_key_not_given_takes_its_default(tmp_path):
    path = write(tmp_path, "only-one.yaml", "name: only-one\ndescription: d\nworld:\n  uniqueness: 0.3\n")
    s = scenarios.load(path)
    expected = Params().flat() | {"world.uniqueness": 0.3}
    assert s.params.flat() == expected
    assert s.name == "only-one" and s.seeds is None and s.weeks is None


# --------------------------------------------------------------------------- extends


def test_extends_overrides_keys_and_inherits_the_rest(tmp_path):
    write(tmp_path, "base.yaml", """\
        name: base
        description: the base question
        audience: analysts
        regime: hls
        seeds: 4
        world: {uniqueness: 0.3, dynamism: 0.2}
        targets: {pressure: 0.4}
        """)
    child = write(tmp_path, "child.yaml", """\
        name: child
        extends: base
        world: {uniqueness: 0.9}
        """)
    s = scenarios.load(child)
    assert s.params.world.uniqueness == 0.9          # overridden
    assert s.params.world.dynamism == 0.2            # inherited
    assert s.params.targets.pressure == 0.4
    assert s.regime == "hls" and s.params.practices.learning == 1.0
    assert s.seeds == 4 and s.description == "the base question" and s.audience == "analysts"
    assert [p.name for p in s.chain] == ["child.yaml", "base.yaml"]


def test_extends_chains_paths_and_shipped_names(tmp_path):
    sub = tmp_path / "team"
    sub.mkdir()
    write(tmp_path, "a.yaml", "name: a\ndescription: a\nextends: npm-targets\npopulation: {smd_share: 0.3}\n")
    write(sub, "b.yaml", "name: b\nextends: ../a.yaml\nworld: {dynamism: 0.1}\n")
    c = write(sub, "c.yaml", "name: c\nextends: b\ntargets: {pressure: 0.95}\n")
    s = scenarios.load(c)
    assert (s.params.population.smd_share, s.params.world.dynamism, s.params.targets.pressure) == (0.3, 0.1, 0.95)
    assert s.regime == "npm"
    assert [p.name for p in s.chain] == ["c.yaml", "b.yaml", "a.yaml", "npm-targets.yaml"]


def test_a_regime_in_the_child_replaces_the_parent_s_practice_mix(tmp_path):
    child = write(tmp_path, "all-hls.yaml", "name: all-hls\nextends: hybrid-hls-frontline-npm-governance\nregime: hls\n")
    assert scenarios.load(child).params.practices.governance == 1.0
    one = write(tmp_path, "one.yaml", "name: one\nextends: hls-devolved\npractices: {governance: npm}\n")
    s = scenarios.load(one)
    assert s.params.practices.governance == 0.0 and s.params.practices.learning == 1.0 and s.regime == "mix"


def test_flags_apply_on_top_of_the_file(tmp_path):
    s = scenarios.load("complex-lives").with_changes(regime="hls", overrides={"population.smd_share": 0.6})
    assert s.regime == "hls" and s.params.population.smd_share == 0.6 and s.params.population.complex_share == 0.4
    with pytest.raises(ParameterError, match="--set: population.smd_share"):
        scenarios.load("complex-lives").with_changes(overrides={"population.smd_share": 2})


def test_extends_a_missing_scenario_suggests_one(tmp_path, capsys):
    path = write(tmp_path, "x.yaml", "name: x\nextends: npm-targts\n")
    message = error_of(path)
    assert str(path) in message and "extends" in message and "did you mean 'npm-targets'" in message
    cli_error(capsys, ["validate", str(path)])


def test_extends_cycle_is_named(tmp_path, capsys):
    write(tmp_path, "a.yaml", "name: a\nextends: b\n")
    b = write(tmp_path, "b.yaml", "name: b\nextends: a.yaml\n")
    message = error_of(b)
    assert "extends" in message and "circle" in message and "b.yaml -> a.yaml -> b.yaml" in message
    self_ref = write(tmp_path, "self.yaml", "name: self\nextends: self\n")
    assert "circle" in error_of(self_ref)
    cli_error(capsys, ["run", str(b), "--db", f"sqlite:///{tmp_path / 'r.db'}"])
    assert not (tmp_path / "r.db").exists(), "nothing runs, nothing is stored, before validation passes"


def test_an_error_in_an_extended_file_names_that_file(tmp_path):
    parent = write(tmp_path, "parent.yaml", "name: parent\nworld: {uniqueness: 7}\n")
    child = write(tmp_path, "child.yaml", "name: child\nextends: parent\n")
    message = error_of(child)
    assert message.startswith(f"{parent.resolve()}: world.uniqueness")


# --------------------------------------------------------------------------- bad input, one class at a time


@pytest.mark.parametrize("text, expected", [
    ("world:\n  uniquenes: 0.5\n", ["world.uniquenes", "unknown key", "did you mean 'world.uniqueness'"]),
    ("wrold:\n  uniqueness: 0.5\n", ["wrold", "unknown key", "did you mean 'world'", "allowed at the top level"]),
    ("descripton: typo\n", ["descripton", "did you mean 'description'"]),
    ("targets.presure: 0.5\n", ["targets.presure", "did you mean 'targets.pressure'"]),
    ("world:\n  zzzzzz: 1\n", ["world.zzzzzz", "unknown key", "allowed in world: uniqueness, interdependence"]),
], ids=["nested", "top-level", "meta", "dotted", "no-suggestion"])
def test_unknown_key_with_did_you_mean(tmp_path, capsys, text, expected):
    path = write(tmp_path, "bad.yaml", "name: bad\n" + text)
    message = error_of(path)
    assert message.startswith(f"{path.resolve()}: ")
    for part in expected:
        assert part in message
    err = cli_error(capsys, ["validate", str(path)])
    assert expected[0] in err and str(path) in err


@pytest.mark.parametrize("text, key, expected", [
    ("world:\n  uniqueness: high\n", "world.uniqueness", ["valid number", "'high'", "allowed: float"]),
    ("crisis:\n  enabled: maybe\n", "crisis.enabled", ["valid boolean", "allowed"]),
    ("population:\n  citizens: 12.5\n", "population.citizens", ["valid integer", "allowed: int"]),
    ("world:\n  uniqueness: [0.1, 0.2]\n", "world.uniqueness", ["single value", "a list"]),
    ("world: 0.5\n", "world", ["must be a mapping", "allowed keys: uniqueness"]),
    ("seeds: many\n", "seeds", ["whole number from 1"]),
    ("weeks: 5.5\n", "weeks", ["whole number from 1"]),
    ("description: [a, b]\n", "description", ["non-empty piece of text", "a list"]),
    ("regime: tory\n", "regime", ["unknown regime 'tory'", "allowed: npm, hls"]),
    ("practices:\n  governance: tory\n", "practices.governance", ["'npm', 'hls' or a number"]),
], ids=["float", "bool", "int", "list", "group", "seeds", "weeks", "text", "regime", "practice"])
def test_wrong_type(tmp_path, capsys, text, key, expected):
    path = write(tmp_path, "bad.yaml", "name: bad\n" + text)
    message = error_of(path)
    assert message.startswith(f"{path.resolve()}: {key}: "), message
    for part in expected:
        assert part in message, message
    assert key in cli_error(capsys, ["validate", str(path)])


@pytest.mark.parametrize("text, key, expected", [
    ("world:\n  uniqueness: 1.5\n", "world.uniqueness", ["less than or equal to 1", "got 1.5", "<= 1.0"]),
    ("population:\n  citizens: 5\n", "population.citizens", ["greater than or equal to 10", ">= 10"]),
    ("seeds: 0\n", "seeds", ["from 1 to", "got 0"]),
    ("weeks: 999999\n", "weeks", ["from 1 to 5,200"]),
    ("practices:\n  learning: 2\n", "practices.learning", ["<= 1.0"]),
], ids=["share", "citizens", "seeds", "weeks", "practice"])
def test_value_out_of_range(tmp_path, capsys, text, key, expected):
    path = write(tmp_path, "bad.yaml", "name: bad\n" + text)
    message = error_of(path)
    assert message.startswith(f"{path.resolve()}: {key}: "), message
    for part in expected:
        assert part in message, message
    err = cli_error(capsys, ["run", str(path), "--db", f"sqlite:///{tmp_path / 'r.db'}"])
    assert key in err


@pytest.mark.parametrize("content, expected", [
    (b"", "the file is empty"),
    (b"# only a comment\n\n", "the file is empty"),
    (b"world: [1, 2\n", "not valid YAML (line"),
    (b"name: x\n  bad indent: 1\n", "not valid YAML"),
    (b"- a\n- list\n", "the top level must be a mapping"),
    (b"just some words\n", "the top level must be a mapping"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "not a text file"),
    (b"name: a\nname: b\n", "given twice"),
    (b"? [a, b]\n: 1\n", "not a plain value"),
], ids=["empty", "comment-only", "syntax", "indent", "list", "text", "binary", "duplicate", "complex-key"])
def test_not_a_scenario_file(tmp_path, capsys, content, expected):
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    message = error_of(path)
    assert expected in message and str(path) in message
    assert expected in cli_error(capsys, ["validate", str(path)])


def test_huge_file_is_refused_before_reading(tmp_path, capsys):
    path = tmp_path / "huge.yaml"
    path.write_text("name: huge\ndescription: " + "x" * 1_100_000 + "\n")
    message = error_of(path)
    assert "at most 1,000,000 bytes" in message and str(path) in message
    cli_error(capsys, ["run", str(path)])


def test_yaml_is_read_safely_no_objects_are_built(tmp_path, capsys):
    marker = tmp_path / "PWNED"
    path = write(tmp_path, "evil.yaml", f"""\
        name: evil
        description: !!python/object/apply:os.system ["touch {marker}"]
        """)
    message = error_of(path)
    assert "YAML tag that builds objects" in message
    assert not marker.exists()
    cli_error(capsys, ["validate", str(path)])
    assert not marker.exists()


def test_missing_file_and_unknown_name(tmp_path, capsys):
    assert "no scenario" in error_of(tmp_path / "nope.yaml")
    assert "did you mean 'closed-system'" in error_of("closed-sytem")
    err = cli_error(capsys, ["run", "closed-sytem"])
    assert "did you mean 'closed-system'" in err


def test_validate_reports_every_file_and_fails_if_any_is_bad(tmp_path, capsys):
    good = write(tmp_path, "good.yaml", "name: good\nextends: goodhart-demo\nseeds: 2\n")
    bad = write(tmp_path, "bad.yaml", "name: bad\nworld: {uniqueness: 3}\n")
    assert main(["validate", str(good), str(bad), "npm-targets"]) == 2
    out, err = capsys.readouterr()
    assert f"ok: {good}" in out and "npm-targets" in out
    assert f"{bad.resolve()}: world.uniqueness" in err
