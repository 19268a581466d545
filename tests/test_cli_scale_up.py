"""`hlssim scale-up`: a national interval from per-person SMD differences, and clear errors."""

import json

import numpy as np
import pytest

from hlssim.cli import main


def test_scale_up_json_gives_an_interval_and_the_figures_it_comes_from(capsys):
    code = main(["scale-up", "--population", "1000", "--design", "hls-devolved", "--baseline", "npm-targets",
                 "--seeds", "3", "--weeks", "26", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["low"] <= out["median"] <= out["high"]
    per_person = np.array(out["per_person"])
    assert len(per_person) == 3
    assert out["median"] == pytest.approx(np.median(per_person) * 1000)
    assert out["seed_claim_per_person"] == 50_000


def test_scale_up_preset_uses_the_seed_report_headcount(capsys):
    code = main(["scale-up", "--preset", "scotland-two-of-three", "--design", "hls-devolved", "--seeds", "2",
                 "--weeks", "13", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["population"] == 28_000 and out["baseline"] == "business-as-usual"


@pytest.mark.parametrize("argv", [["scale-up", "--preset", "wales"], ["scale-up", "--population", "0"],
                                  ["scale-up"], ["scale-up", "--population", "5", "--preset", "england-smd"]])
def test_scale_up_bad_input_exits_2(argv, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2


def test_scale_up_unknown_design_is_bad_input(capsys):
    assert main(["scale-up", "--population", "5", "--design", "no-such-design"]) == 2
    assert "no-such-design" in capsys.readouterr().err
