"""Answers over plausible worlds (issue 18): seed s draws one particle by weight, the same for every regime and
scenario; explicit settings win; practices are never drawn; stored runs keep the draw and their own series."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import hlssim
from hlssim.cli import main
from hlssim.experiments.posterior import load_posterior
from hlssim.experiments.runner import RunSpec
from hlssim.params.scenarios import ScenarioError
from hlssim.store import Store
from hlssim.store.batch import run_missing


def _others(result) -> dict:
    return {k: v for k, v in result.params.flat().items() if not k.startswith("practices.")}


def test_every_regime_on_a_seed_draws_the_same_particle_and_another_seed_another():
    npm = hlssim.simulate("npm", seed=1, weeks=1, posterior="default")
    hls = hlssim.simulate("hls", seed=1, weeks=1, posterior="default")
    other = hlssim.simulate("hls", seed=2, weeks=1, posterior="default")
    defaults = {k: v for k, v in hlssim.Params().flat().items() if not k.startswith("practices.")}
    assert _others(npm) == _others(hls)
    assert _others(other) != _others(hls)
    assert _others(hls) != defaults and _others(other) != defaults
    drawn = hls.provenance["posterior"]
    assert drawn["name"] == "default" and len(drawn["sha256"]) == 64 and drawn["drawn"]
    assert all(hls.params.flat()[k] == v for k, v in drawn["drawn"].items())


def test_explicit_settings_beat_the_draw_and_practices_are_never_drawn():
    posterior = load_posterior("default")
    key = posterior.keys[0]
    run = hlssim.simulate("hls", seed=3, weeks=1, overrides={key: 0.123}, posterior="default")
    assert run.params.flat()[key] == 0.123 and key not in run.provenance["posterior"]["drawn"]
    assert not any(k.startswith("practices.") for k in posterior.keys)
    assert all(v == 1.0 for k, v in run.params.flat().items() if k.startswith("practices."))


def test_the_draw_depends_on_the_seed_alone_and_follows_the_weights(tmp_path):
    path = tmp_path / "p.csv"
    pd.DataFrame({"weight": [0.9, 0.1, 0.0], "crisis.base_rate": [0.2, 0.3, 0.4]}).to_csv(path, index=False)
    posterior = load_posterior(path)
    picks = [posterior.index(seed) for seed in range(1, 401)]
    assert picks == [load_posterior(path).index(seed) for seed in range(1, 401)]
    assert 2 not in picks and 0.8 < picks.count(0) / 400 < 0.97


BAD = [
    ({"weight": [1.0], "crisis.base_rat": [0.2]}, "crisis.base_rat", "not a parameter (did you mean"),
    ({"weight": [1.0], "practices.governance": [0.2]}, "practices.governance", "never drawn"),
    ({"weight": [0.5, 0.2], "crisis.base_rate": [0.2, 0.3]}, "weight", "the weights sum to 0.7"),
    ({"crisis.base_rate": [0.2]}, "weight", "missing"),
    ({"weight": [1.0], "crisis.base_rate": [1.7]}, "crisis.base_rate", "row 2"),
]


@pytest.mark.parametrize("columns, key, message", BAD, ids=[b[1] + str(i) for i, b in enumerate(BAD)])
def test_a_bad_posterior_is_refused_naming_the_file_and_the_column(tmp_path, capsys, columns, key, message):
    path = tmp_path / "bad.csv"
    pd.DataFrame(columns).to_csv(path, index=False)
    with pytest.raises(ScenarioError, match=re.escape(message)) as err:
        load_posterior(path)
    assert str(err.value).startswith(f"{path.resolve()}: {key}: ")
    assert main(["run", "--seed", "1", "--weeks", "1", "--posterior", str(path), "--db", str(tmp_path / "s.db")]) == 2
    assert capsys.readouterr().err.count("\n") == 1 and not (tmp_path / "s.db").exists()


def test_posterior_runs_are_their_own_series_and_keep_what_they_drew(tmp_path):
    posterior = load_posterior("default")
    plain = [RunSpec.build("x", "npm", {"population.citizens": 200}, seed, 2) for seed in (1, 2)]
    drawn = [RunSpec.build("x", "npm", {"population.citizens": 200}, seed, 2, posterior=posterior) for seed in (1, 2)]
    assert drawn[0].series_key == drawn[1].series_key != plain[0].series_key == plain[1].series_key
    assert drawn[0].params != drawn[1].params and drawn[0].run_key != plain[0].run_key
    assert plain[0].posterior is None and plain[0].run_key == RunSpec.build("x", "npm", {"population.citizens": 200},
                                                                            1, 2).run_key
    with Store(tmp_path / "s.db") as store:
        done = run_missing(store, drawn, jobs=1)
        stored = store.load(done[0].run_id)
        assert stored.provenance["posterior"]["sha256"] == posterior.sha256
        assert all(stored.params_dict[k] == v for k, v in stored.provenance["posterior"]["drawn"].items())
        assert stored.identity.posterior == posterior.label
        assert not set(stored.identity.departures or {}) & set(posterior.keys)
