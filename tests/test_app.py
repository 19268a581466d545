"""The live page's parts, rendered in this process (``solara.render``) and clicked like a person would.

The page itself is served and driven in a real browser in tests/test_app_browser.py.
"""

from __future__ import annotations

import dataclasses
import io
import time

import ipyvuetify as vw
import ipywidgets
import numpy as np
import pytest
import solara
from PIL import Image

from hlssim.app import live, page, whatif
from hlssim.app.sizes import SIZES
from hlssim.reports.brief import brief
from hlssim.cli import main


def text(rc, css: str) -> str:
    return rc.find(vw.Html, class_=css).widget.children[0]


def percent(rc, css: str) -> float:
    return float(text(rc, css).rstrip("%"))


def wait_until(condition, seconds: float = 300) -> None:
    """Wait for ``condition`` (the event); ``seconds`` only bounds a failure on a very busy machine."""
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


def test_the_page_opens_with_both_sides_played_to_the_first_target_period():
    """The page opened on empty charts ('n/a: no case closes in these runs') at week 0."""
    box, rc = solara.render(page.GoodhartLive(), handle_error=False)
    try:
        assert text(rc, "hlssim-week") == f"Week {SIZES.opening_weeks} of {SIZES.horizon}"
        assert text(rc, "hlssim-counters-week") == f"at week {SIZES.opening_weeks}"
        for side in live.SIDES:
            assert int(text(rc, f"hlssim-{side}-closures")) > 0
            assert text(rc, f"hlssim-{side}-reported").endswith("%")
        assert rc.find(ipywidgets.Image).widget.value[:8] == b"\x89PNG\r\n\x1a\n"
    finally:
        rc.close()


def test_step_moves_both_sides_the_chosen_frame(rendered):
    """STEP advanced one week even with '13 weeks a frame' chosen."""
    pair, rc = rendered
    assert text(rc, "hlssim-week") == f"Week 0 of {SIZES.horizon}"
    rc.find(vw.Btn, children=["Step"]).widget.click()
    assert text(rc, "hlssim-week") == f"Week 13 of {SIZES.horizon}"
    assert pair.value.week == 13 and len(pair.value.rows("hls")) == 13
    rc.find(vw.BtnToggle).widget.v_model = page.SPEEDS.index(4)
    rc.find(vw.Btn, children=["Step"]).widget.click()
    assert pair.value.week == 17 and text(rc, "hlssim-counters-week") == "at week 17"


def test_play_stops_at_the_runs_horizon(monkeypatch):
    """PLAY ran past week 260 and never stopped."""
    short = dataclasses.replace(SIZES, horizon=30, play_seconds=0.0)
    monkeypatch.setattr(live, "SIZES", short)
    monkeypatch.setattr(page, "SIZES", short)
    pair = solara.reactive(live.LivePair())
    box, rc = solara.render(page.GoodhartLive(pair=pair), handle_error=False)
    try:
        rc.find(vw.Btn, children=["Play"]).widget.click()
        wait_until(lambda: pair.value.finished and rc.find(vw.Btn, children=["Play"]).widgets)
        assert pair.value.week == 30, "the last frame stops at the horizon, not past it"
        wait_until(lambda: text(rc, "hlssim-week") == "Week 30 of 30")
        assert rc.find(vw.Btn, children=["Step"]).widget.disabled
        assert rc.find(vw.Btn, children=["Play"]).widget.disabled
    finally:
        rc.close()


def test_the_charts_week_axis_runs_to_the_end_of_the_year_from_the_first_week():
    """At week 1 NPM showed 'reported 100% / true 0%' on an x-axis of 0.96-1.04."""
    pair = live.LivePair()
    for weeks, axis in ((1, 52), (51, 52), (1, 104), (52, 156), (200, SIZES.horizon)):
        pair.step(weeks)
        assert pair.axis_weeks == axis, pair.week
    fresh = live.LivePair()
    fresh.step(1)
    chart = page.success_rates_chart(fresh.groups(), horizon=fresh.axis_weeks)
    assert all(ax.get_xlim() == (0, 52) and ax.get_ylim() == (0, 1) for ax in chart.figure.axes)


def test_a_presenter_can_enlarge_the_charts(rendered):
    _, rc = rendered
    small = rc.find(ipywidgets.Image).widget.value
    rc.find(vw.Switch, label="large charts (for a room)").widget.v_model = True
    assert rc.find(vw.Html, class_="hlssim-chart hlssim-chart-large").widgets
    large = rc.find(ipywidgets.Image).widget.value
    assert Image.open(io.BytesIO(large)).width >= 1.9 * Image.open(io.BytesIO(small)).width


def test_a_dial_starts_again_from_the_opening_with_the_new_value(rendered):
    pair, rc = rendered
    rc.find(vw.Btn, children=["Step"]).widget.click()
    rc.find(vw.Slider, label="target pressure").widget.v_model = 0.95
    assert text(rc, "hlssim-week") == f"Week {SIZES.opening_weeks} of {SIZES.horizon}"
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
    wait_until(lambda: text(rc, "hlssim-week") == f"Week {pair.value.week} of {SIZES.horizon}")
    assert pair.value.week >= 20 and pair.value.week % 13 == 0      # whole frames of 13 weeks
    assert percent(rc, "hlssim-npm-reported") > percent(rc, "hlssim-npm-true")
    assert int(text(rc, "hlssim-npm-misreports")) == pair.value.models["npm"].ledger.total["misreports"]
    rc.find(vw.Btn, children=["Reset"]).widget.click()
    assert text(rc, "hlssim-week") == f"Week {SIZES.opening_weeks} of {SIZES.horizon}"
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
        runner.last = dataclasses.replace(what, weeks=30).run(jobs=1)
        return runner.last

    box, rc = solara.render(page.WhatIf(runner=runner), handle_error=False)
    try:
        rc.find(vw.Slider, label="target pressure").widget.v_model = 0.1
        rc.find(vw.Slider, label="seeds").widget.v_model = 2
        rc.find(vw.Btn, children=["Run A and B on 2 seed(s)"]).widget.click()
        wait_until(lambda: rc.find(vw.Html, class_="hlssim-sentence").widgets)
        lines = [w.children[0] for w in rc.find(vw.Html, class_="hlssim-sentence").widgets]
        assert lines[:len(brief(runner.last).lines())] == brief(runner.last).lines(), "the report's In brief"
        assert any(line.startswith("npm-targets + your dials ahead on the truth of the record: Goodhart gap")
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
