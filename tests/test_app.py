"""The live page's parts, rendered in this process (``solara.render``) and clicked like a person would.

The page itself is served and driven in a real browser in tests/test_app_browser.py.
"""

from __future__ import annotations

import dataclasses
import time

import ipyvuetify as vw
import ipywidgets
import numpy as np
import pytest
import solara

from hlssim.app import live, page, whatif
from hlssim.app.sizes import SIZES
from hlssim.cli import main


def text(rc, css: str) -> str:
    return rc.find(vw.Html, class_=css).widget.children[0]


def percent(rc, css: str) -> float:
    return float(text(rc, css).rstrip("%"))


def wait_until(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the page did not get there in time"
        time.sleep(0.05)


# --------------------------------------------------------------------------- the two models behind the page


def test_npm_and_hls_meet_the_same_citizens():
    pair = live.LivePair(seed=4)
    npm, hls = (pair.models[side] for side in live.SIDES)
    assert np.array_equal(npm.citizens.wellbeing, hls.citizens.wellbeing)
    assert npm.citizens.count == SIZES.citizens
    pair.step(3)
    assert pair.week == 3 and len(pair.rows("npm")) == len(pair.rows("hls")) == 3


def test_the_governance_dial_moves_the_npm_side_only():
    pair = live.LivePair({"practices.governance": 0.6, "targets.pressure": 0.9})
    assert pair.params["npm"].practices.governance == 0.6
    assert pair.params["hls"].practices.governance == 1.0
    assert pair.params["npm"].targets.pressure == pair.params["hls"].targets.pressure == 0.9


def test_counters_read_the_models_books():
    pair = live.LivePair({"targets.pressure": 0.9})
    pair.step(15)
    counters = pair.counters("npm")
    total = pair.models["npm"].ledger.total
    assert counters["closures"] == total["closures"] > 0
    assert counters["misreports"] == total["misreports"]
    rows = pair.rows("npm").tail(13)
    assert counters["true_success_rate"] == pytest.approx(rows.true_successes.sum() / rows.closures.sum())


# --------------------------------------------------------------------------- Goodhart, live


@pytest.fixture
def rendered():
    pair = solara.reactive(live.LivePair())
    box, rc = solara.render(page.GoodhartLive(pair=pair), handle_error=False)
    yield pair, rc
    rc.close()


def test_step_moves_both_sides_one_week(rendered):
    pair, rc = rendered
    assert text(rc, "hlssim-week") == "Week 0"
    rc.find(vw.Btn, children=["Step"]).widget.click()
    assert text(rc, "hlssim-week") == "Week 1"
    assert pair.value.week == 1 and len(pair.value.rows("hls")) == 1


def test_a_dial_starts_again_from_week_0_with_the_new_value(rendered):
    pair, rc = rendered
    rc.find(vw.Btn, children=["Step"]).widget.click()
    rc.find(vw.Slider, label="target pressure").widget.v_model = 0.95
    assert text(rc, "hlssim-week") == "Week 0"
    assert pair.value.dials["targets.pressure"] == 0.95
    assert pair.value.params["npm"].targets.pressure == 0.95
    assert "targets.pressure = 0.95" in text(rc, "hlssim-run")


def test_play_20_weeks_and_the_record_rises_above_the_truth_then_reset(rendered):
    pair, rc = rendered
    rc.find(vw.Slider, label="target pressure").widget.v_model = 0.9
    rc.find(vw.BtnToggle).widget.v_model = page.SPEEDS.index(13)
    rc.find(vw.Btn, children=["Play"]).widget.click()
    wait_until(lambda: pair.value.week >= 20)
    rc.find(vw.Btn, children=["Pause"]).widget.click()
    wait_until(lambda: rc.find(vw.Btn, children=["Play"]).widgets)
    wait_until(lambda: text(rc, "hlssim-week") == f"Week {pair.value.week}")
    assert pair.value.week >= 20 and pair.value.week % 13 == 0      # whole frames of 13 weeks
    assert percent(rc, "hlssim-npm-reported") > percent(rc, "hlssim-npm-true")
    assert int(text(rc, "hlssim-npm-misreports")) == pair.value.models["npm"].ledger.total["misreports"]
    rc.find(vw.Btn, children=["Reset"]).widget.click()
    assert text(rc, "hlssim-week") == "Week 0"
    assert pair.value.dials["targets.pressure"] == 0.9          # Reset keeps the dials


def test_each_goodhart_variant_has_its_line_and_indicator(rendered):
    _, rc = rendered
    names = [w.children[0] for w in rc.find(vw.Html, class_="hlssim-variant").widgets]
    assert names == ["causal", "adversarial", "regressional", "extremal"]
    for side in live.SIDES:
        for name in names:
            assert " / " in text(rc, f"hlssim-{side}-{name}")


# --------------------------------------------------------------------------- What-if


def test_a_what_if_runs_both_sides_and_shows_the_differences():
    def runner(what):       # small and in this process, for the test
        return dataclasses.replace(what, weeks=30).run(jobs=1)

    box, rc = solara.render(page.WhatIf(runner=runner), handle_error=False)
    try:
        rc.find(vw.Slider, label="target pressure").widget.v_model = 0.1
        rc.find(vw.Slider, label="seeds").widget.v_model = 2
        rc.find(vw.Btn, children=["Run A and B on 2 seed(s)"]).widget.click()
        wait_until(lambda: rc.find(vw.Html, class_="hlssim-sentence").widgets)
        lines = [w.children[0] for w in rc.find(vw.Html, class_="hlssim-sentence").widgets]
        assert any(line.startswith("Goodhart gap") and "lower under npm-targets + your dials" in line
                   for line in lines)
        images = rc.find(ipywidgets.Image).widgets
        assert len(images) == 3 and all(i.value[:8] == b"\x89PNG\r\n\x1a\n" for i in images)
    finally:
        rc.close()


BAD_FILES = {
    "unknown-key": b"name: my-question\nworld:\n  uniquenes: 0.5\n",
    "out-of-range": b"name: my-question\ntargets:\n  pressure: 1.5\n",
    "not-yaml": b"name: my-question\nworld: [1\n",
    "empty": b"",
    "object-tag": b"!!python/object/apply:os.system ['true']\n",
}


@pytest.mark.parametrize("content", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_an_uploaded_file_is_refused_with_the_clis_message(tmp_path, capsys, content):
    path = tmp_path / "my-question.yaml"
    path.write_bytes(content)
    assert main(["validate", str(path)]) == 2
    cli = capsys.readouterr().err.strip().removeprefix("hlssim: error: ").replace(f"{tmp_path}/", "")
    with pytest.raises(whatif.UploadError) as refused:
        whatif.read_upload("my-question.yaml", content)
    assert str(refused.value) == cli


def test_an_uploaded_file_that_is_good_becomes_the_scenario():
    scenario = whatif.read_upload("less-heat.yaml", b"name: less-heat\nextends: npm-targets\n"
                                                    b"targets:\n  pressure: 0.3\n")
    assert scenario.name == "less-heat" and scenario.params.targets.pressure == 0.3
    assert whatif.dial_values(scenario)["targets.pressure"] == 0.3
