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


def week(page: Page) -> int:
    return int(re.search(r"\d+", page.locator(".hlssim-week").inner_text()).group())


def test_the_room_watches_the_record_part_from_the_truth(page: Page, app_url: str):
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.set_viewport_size({"width": 1400, "height": 1150})
    page.goto(app_url)
    expect(page.locator(".hlssim-week")).to_have_text("Week 0", timeout=60_000)

    slider = page.locator(".v-input", has_text="target pressure").locator("[role=slider]")
    before = float(slider.get_attribute("aria-valuenow"))
    slider.focus()
    for _ in range(4):
        slider.press("ArrowRight")
    expect(slider).to_have_attribute("aria-valuenow", re.compile(rf"^{before + 0.2:.2g}"))
    # the server has started the run again with the new dial (wait, so Play is not undone by a late restart)
    expect(page.locator(".hlssim-run")).to_contain_text(f"targets.pressure = {before + 0.2:.2g},", timeout=30_000)
    expect(page.locator(".hlssim-week")).to_have_text("Week 0")

    page.locator(".hlssim-speed button", has_text=re.compile(r"^\s*4\s*$")).click()
    page.get_by_role("button", name="Play").click()
    expect(page.locator(".hlssim-week")).to_have_text(re.compile(r"Week ([2-9]\d|\d{3})"), timeout=60_000)
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Play")).to_be_visible()
    page.wait_for_timeout(1500)                   # the last frame's figure and counters arrive
    assert week(page) >= 20

    assert percent(page, ".hlssim-npm-reported") > percent(page, ".hlssim-npm-true")
    assert int(page.locator(".hlssim-npm-closures").inner_text().replace(",", "")) > 0
    expect(page.locator("img").first).to_be_visible()
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
    expect(page.locator(".hlssim-upload-error")).to_contain_text(cli, timeout=30_000)
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "less-heat.yaml", "mimeType": "text/yaml",
                "buffer": b"name: less-heat\nextends: npm-targets\ntargets:\n  pressure: 0.5\n"}])
    expect(page.get_by_text("using the uploaded file: less-heat")).to_be_visible(timeout=30_000)
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
    expect(page.locator(".hlssim-sentence").first).to_be_visible(timeout=90_000)
    text = page.locator(".hlssim-differences").inner_text()
    assert "Goodhart gap" in text and "lower under less-heat + your dials" in text
    expect(page.locator(".v-window-item--active img")).to_have_count(3)
    page.screenshot(path=str(SCREENSHOT.with_name("app-whatif.png")), full_page=True)
