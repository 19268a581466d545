"""The live page as a person uses it: served for real by `hlssim app`, driven in Debian's chromium.

These tests fail (never skip) when chromium cannot start (see tests/conftest.py). The screenshot
they take goes to results/app.png for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from hlssim.cli import main

SCREENSHOT = Path(__file__).resolve().parents[1] / "results" / "app.png"


def percent(page: Page, css: str) -> float:
    return float(page.locator(css).inner_text().rstrip("%"))


def settled(page: Page) -> None:
    """Wait until the page is as a person sees it: Solara's loading fade gone and every animation finished."""
    expect(page.locator(".solara-page-loading")).to_have_count(0)
    page.wait_for_function("document.getAnimations().every(a => a.playState === 'finished')")


def counters_at(page: Page, week_now: int) -> None:
    """Wait until the counters (drawn in the same render as the chart) show ``week_now``: an event, not a time."""
    expect(page.locator(".hlssim-counters-week")).to_have_text(f"at week {week_now}")


def test_the_room_sees_lines_at_once_steps_a_frame_and_plays_to_the_horizon(page: Page, app_url: str):
    """The page opened empty; STEP went one week with '13 weeks a frame' chosen; PLAY never stopped; the first
    week's axis was 0.96-1.04; the charts could not be enlarged for a room."""
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.set_viewport_size({"width": 1400, "height": 1150})
    page.goto(app_url)
    expect(page.locator(".hlssim-week")).to_have_text("Week 13 of 260")
    counters_at(page, 13)
    chart = page.locator(".hlssim-chart img")
    expect(chart).to_be_visible()
    for side in ("npm", "hls"):
        assert int(page.locator(f".hlssim-{side}-closures").inner_text().replace(",", "")) > 0
        assert page.locator(f".hlssim-{side}-reported").inner_text().endswith("%")
    settled(page)
    page.screenshot(path=str(SCREENSHOT.with_name("app-on-load.png")))

    slider = page.locator(".v-input", has_text="target pressure").locator("[role=slider]")
    before = float(slider.get_attribute("aria-valuenow"))
    slider.focus()
    for _ in range(4):
        slider.press("ArrowRight")
    expect(slider).to_have_attribute("aria-valuenow", re.compile(rf"^{before + 0.2:.2g}"))
    # the server has started the run again with the new dial (wait, so a Step is not undone by a late restart)
    expect(page.locator(".hlssim-run")).to_contain_text(f"targets.pressure = {before + 0.2:.2g},")
    expect(page.locator(".hlssim-week")).to_have_text("Week 13 of 260")

    expect(page.locator(".hlssim-speed button.v-btn--active")).to_have_text(re.compile(r"^\s*13\s*$"))
    page.get_by_role("button", name="Step").click()
    expect(page.locator(".hlssim-week")).to_have_text("Week 26 of 260")
    counters_at(page, 26)

    page.get_by_role("button", name="Play").click()
    expect(page.locator(".hlssim-week")).to_have_text("Week 260 of 260", timeout=600_000)
    expect(page.get_by_role("button", name="Play")).to_be_disabled()     # stopped at the horizon
    expect(page.get_by_role("button", name="Step")).to_be_disabled()
    counters_at(page, 260)
    assert percent(page, ".hlssim-npm-reported") > percent(page, ".hlssim-npm-true")

    small = chart.bounding_box()["width"]
    page.get_by_text("large charts (for a room)").click()          # as a person does: the label
    large = page.locator(".hlssim-chart-large img")
    expect(large).to_be_visible()
    assert large.bounding_box()["width"] > 1.3 * small
    settled(page)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 10_000
    assert not failed, f"requests that failed (the page must work offline): {failed}"


def test_a_policy_team_runs_a_what_if_and_sees_the_differences(page: Page, app_url: str, tmp_path, capsys):
    page.set_viewport_size({"width": 1400, "height": 1300})
    page.goto(app_url)
    page.get_by_role("tab", name="What-if").click()

    bad = b"name: my-question\nworld:\n  uniquenes: 0.5\n"
    (tmp_path / "my-question.yaml").write_bytes(bad)
    assert main(["validate", str(tmp_path / "my-question.yaml")]) == 2
    cli = capsys.readouterr().err.strip().removeprefix("hlssim: error: ").replace(f"{tmp_path}/", "")
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "my-question.yaml", "mimeType": "text/yaml", "buffer": bad}])
    expect(page.locator(".hlssim-upload-error")).to_contain_text(cli)
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "less-heat.yaml", "mimeType": "text/yaml",
                "buffer": b"name: less-heat\nextends: npm-targets\ntargets:\n  pressure: 0.5\n"}])
    expect(page.get_by_text("using the uploaded file: less-heat")).to_be_visible()
    expect(page.locator(".hlssim-upload-error")).to_have_count(0)

    seeds = page.locator(".v-input", has_text="seeds").locator("[role=slider]")
    seeds.focus()
    seeds.press("ArrowLeft")
    expect(seeds).to_have_attribute("aria-valuenow", "2")
    pressure = page.locator(".v-window-item--active .v-input", has_text="target pressure").locator("[role=slider]")
    pressure.focus()
    for _ in range(8):
        pressure.press("ArrowLeft")
    page.get_by_role("button", name=re.compile("Run A and B on 2 seed")).click()
    expect(page.locator(".hlssim-sentence").first).to_be_visible(timeout=300_000)   # four runs of 104 weeks
    text = page.locator(".hlssim-differences").inner_text()
    assert "In brief" in text and "less-heat + your dials ahead on the truth of the record: Goodhart gap" in text
    assert "lower under less-heat + your dials" in text
    expect(page.locator(".v-window-item--active img")).to_have_count(3)
    page.screenshot(path=str(SCREENSHOT.with_name("app-whatif.png")), full_page=True)
