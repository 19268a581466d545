"""Figures and the report: files that open, captions that say what was run, and data that match the runs.

Checks read what each figure was drawn from (``Chart.data``) and the lines on its axes, and compare
them with the stored runs and with ``hlssim compare``; never pixels.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
import socket
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import pytest
from PIL import Image

import hlssim
from hlssim.cli import main
from hlssim.cli.selectors import select
from hlssim.experiments.goodhart import sweep
from hlssim.outputs.metrics import SUMMARY_KEYS
from hlssim.params import scenarios as scen
from hlssim.reports import document, keys, odd, style
from hlssim.reports.differences import differences_chart
from hlssim.reports.goodhart import goodhart_chart
from hlssim.reports.runs import Comparison, Group
from hlssim.reports.series import success_rates_chart, timeseries_chart
from hlssim.store import Store

REPO = Path(__file__).resolve().parents[1]
SMALL = ["--seeds", "3", "--weeks", "40", "--set", "population.citizens=300", "--jobs", "1", "--quiet"]
PAIR = ["npm-targets", "hls-devolved"]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """A store holding NPM and HLS on seeds 1-3: small runs, enough weeks for cases to close."""
    path = tmp_path_factory.mktemp("store") / "runs.db"
    assert main(["run", *PAIR, *SMALL, "--db", str(path)]) == 0
    return str(path)


@pytest.fixture(scope="module")
def groups(db):
    with Store(db) as store:
        return [Group.from_store(store, name, select(store, name)[1]) for name in PAIR]


def weekly_rate(frame: pd.DataFrame, count: str, week: int, window: int = 13) -> float:
    """The test's own reading of a success rate: successes over closures in the window ending at ``week``."""
    rates = []
    for _, run in frame.groupby("seed"):
        last = run[(run.week > week - window) & (run.week <= week)]
        if last.closures.sum() > 0:                  # a seed where nothing closed has no rate yet
            rates.append(last[count].sum() / last.closures.sum())
    return float(np.median(rates)) if rates else float("nan")


# --------------------------------------------------------------------------- files


def test_plot_writes_every_figure_as_png_and_svg_captioned_with_what_was_run(db, tmp_path, capsys):
    assert main(["plot", *PAIR, "--db", db, "--out", str(tmp_path), "--quiet"]) == 0
    printed = capsys.readouterr().out.split()
    names = ("success_rates", "timeseries", "differences")
    assert sorted(printed) == sorted(str(tmp_path / "figures" / f"{n}.{ext}") for n in names for ext in ("png", "svg"))
    with Store(db) as store:
        commit = store.runs().git_commit.dropna().iloc[0]
    for name in names:
        png = Image.open(tmp_path / "figures" / f"{name}.png")
        png.verify()
        caption = Image.open(tmp_path / "figures" / f"{name}.png").text["Description"]
        for part in ("npm-targets (A)", "hls-devolved (B)", "seeds 1-3", "40 weeks", f"git {commit[:10]}"):
            assert part in caption
        svg = (tmp_path / "figures" / f"{name}.svg").read_text()
        assert ElementTree.fromstring(svg).tag.endswith("svg")
        assert "npm-targets (A)" in svg                     # the caption is text in the SVG too
    assert "?" in Image.open(tmp_path / "figures" / "success_rates.png").text["Title"]   # a question


def test_make_run_draws_the_headline_figures_from_exactly_its_runs():
    lines = (REPO / "Makefile").read_text().split("\nrun:")[1].split("\n\n")[0]
    assert "hlssim run npm-targets hls-devolved --seeds 10" in lines
    assert "hlssim plot npm-targets hls-devolved --seeds 10 --out results/headline" in lines


# --------------------------------------------------------------------------- data match the runs


def test_truth_and_record_lines_are_the_runs_success_rates(groups):
    chart = success_rates_chart(groups)
    for group, ax in zip(groups, chart.figure.axes, strict=False):
        mine = chart.data[chart.data.group == group.label]
        for key, count in (("true_success_rate", "true_successes"), ("reported_success_rate", "reported_successes")):
            drawn = mine[mine.key == key].set_index("week")["median"]
            for week in (13, 25, 40):
                assert drawn[week] == pytest.approx(weekly_rate(group.timeseries, count, week))
        lines = {line.get_label(): line for line in ax.get_lines()}
        truth = lines["true (citizens' own lives)"]
        expected = mine[mine.key == "true_success_rate"]["median"].to_numpy()
        np.testing.assert_allclose(truth.get_ydata(), expected, equal_nan=True)
    npm = chart.data[(chart.data.group == "npm-targets") & (chart.data.week == 40)].set_index("key")["median"]
    assert npm["reported_success_rate"] > npm["true_success_rate"]          # the Goodhart gap shows


def test_weekly_bands_span_the_seeds_and_leave_structural_na_out(groups):
    chart = timeseries_chart(groups, ["flourishing_mean", "closed_early"])
    data = chart.data.set_index(["group", "key", "week"])
    values = groups[0].timeseries.pivot(index="week", columns="seed", values="flourishing_mean")
    row = data.loc[("npm-targets", "flourishing_mean", 30)]
    assert row["median"] == pytest.approx(values.loc[30].median())
    assert row["low"] <= row["median"] <= row["high"]
    assert row["low"] == pytest.approx(np.percentile(values.loc[30], 10))
    assert ("npm-targets", "closed_early", 30) in data.index
    assert not ((chart.data.group == "hls-devolved") & (chart.data.key == "closed_early")).any()   # n/a: no zeros
    assert "hls-devolved: closed_early" in chart.caption


def test_paired_differences_are_those_of_hlssim_compare(db, groups, capsys):
    assert main(["compare", *PAIR, "--db", db, "--json"]) == 0
    compared = json.loads(capsys.readouterr().out)["keys"]
    comparison = Comparison.of(*groups)
    data = differences_chart(comparison).data.set_index("key")
    assert set(data.index) == set(comparison.shown_keys(data.index))
    for key in ("flourishing_gain", "goodhart_gap", "cost_per_citizen_year", "burnout_share"):
        assert data.loc[key, "median"] == pytest.approx(compared[key]["B-A median"])
        assert data.loc[key, "low"] == pytest.approx(compared[key]["B-A p10"])
        assert data.loc[key, "b_higher"] == round(compared[key]["B>A share"] * 3)
    for key in ("closed_early_share", "misreport_rate", "turned_away_share"):      # n/a under HLS: not drawn
        assert key not in data.index and key in comparison.not_applicable


def test_crisis_cost_avoided_is_filled_in_seed_by_seed(groups):
    comparison = Comparison.of(*groups)
    a, b = (g.summaries["crisis_cost_per_smd_citizen_year"] for g in groups)
    avoided = comparison.differences["crisis_cost_avoided_per_smd_citizen_year"]
    np.testing.assert_allclose(avoided.to_numpy(), (a - b).loc[comparison.seeds].to_numpy())
    assert "crisis_cost_avoided_per_smd_citizen_year" not in comparison.not_applicable
    line = document.sentence(comparison, "crisis_cost_avoided_per_smd_citizen_year")
    assert f"£{abs(np.median(a - b)):,.0f}" in line and "hls-devolved" in line


def test_groups_that_share_no_seed_are_refused(groups):
    later = Group(**{**groups[1].__dict__, "summaries": groups[1].summaries.set_axis([7, 8, 9])})
    with pytest.raises(ValueError, match="none in common"):
        Comparison.of(groups[0], later)


def test_goodhart_figure_has_a_band_per_variant_over_seeds_and_no_structural_zero():
    table = sweep(seeds=(1, 2), weeks=40, citizens=300, pressures=(0.0, 1.0), n_jobs=1)
    chart = goodhart_chart(table, 40, 300)
    assert [ax.get_title().split(":")[0] for ax in chart.figure.axes] == ["Causal", "Adversarial", "Regressional",
                                                                       "Extremal"]
    data = chart.data.set_index(["indicator", "pressure"])
    for pressure in (0.0, 1.0):
        row = data.loc[("causal.true_success_rate", pressure)]
        values = table[table["targets.pressure"] == pressure]["causal.true_success_rate"]
        assert row["median"] == pytest.approx(values.median())
        assert row["low"] == pytest.approx(np.percentile(values, 10))
    assert ("adversarial.misreport_rate", 0.0) not in data.index          # nothing to misreport at pressure 0
    assert ("adversarial.misreport_rate", 1.0) in data.index
    assert "misreport_rate at pressure 0" in chart.caption and "seeds 1-2" in chart.caption


# --------------------------------------------------------------------------- the report


class _Resources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images, self.fetched = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.images.append(attrs.get("src", ""))
        if tag in ("script", "link", "iframe") or (tag in ("img", "source") and not attrs.get("src", "").startswith(
                "data:")):
            self.fetched.append((tag, attrs))


def test_report_is_one_self_contained_file_that_says_what_was_asked_and_run(db, tmp_path, capsys):
    out = tmp_path / "report"
    assert main(["report", *PAIR, "--db", db, "--out", str(out), "--quiet"]) == 0
    assert capsys.readouterr().out.split() == [str(out / "report.html"), str(out / "report.md")]
    html = (out / "report.html").read_text()
    resources = _Resources()
    resources.feed(html)
    assert len(resources.images) == 3 and all(s.startswith("data:image/png;base64,") for s in resources.images)
    assert not resources.fetched, f"the report would fetch {resources.fetched}"
    for name in PAIR:
        first_words = " ".join(scen.load(name).description.split()[:8])
        assert first_words in html                                         # the question, from the file
    for part in ("seeds", "1-3", "40", "300", "practices.governance", "Not a forecast", "Crisis cost avoided",
                 "section 7.0 The six practices of Figure 1 and what they drive",
                 f'href="#{odd.anchor("7.0 The six practices of Figure 1 and what they drive")}"'):
        assert part in html
    markdown = (out / "report.md").read_text()
    figures = re.findall(r"!\[[^]]*\]\(([^)]+)\)", markdown)
    assert len(figures) == 3 and all((out / f).is_file() for f in figures)
    assert "| practices.governance" not in markdown and "`practices.governance`" in markdown


def test_the_report_opens_with_in_brief_and_flags_what_cannot_be_compared(db, tmp_path, capsys):
    """The report buried HLS's largest cost (giving up waiting) in the full table, said '0.161 against 0.121'
    without naming the sides, stated true_success_rate as a finding, and linked to ../../docs/ODD.md."""
    out = tmp_path / "report"
    assert main(["report", *PAIR, "--db", db, "--out", str(out), "--quiet"]) == 0
    markdown = (out / "report.md").read_text()
    sections = re.findall(r"^## (.+)$", markdown, flags=re.M)
    assert sections[0] == "In brief"
    opening = markdown.split("## In brief", 1)[1].split("\n## ", 1)[0]
    bullets = re.findall(r"^- \*\*(.+?)\*\*: (.+)$", opening, flags=re.M)
    assert 1 <= len(bullets) <= 6
    assert all(lead.startswith(("hls-devolved ahead on", "npm-targets ahead on")) for lead, _ in bullets)
    assert {lead.split(" ahead")[0] for lead, _ in bullets} == set(PAIR), "each side named"
    assert all(re.search(r"under hls-devolved against .+ under npm-targets", text) and "percentile" in text
               for _, text in bullets)
    giving_up = dict(bullets).get("npm-targets ahead on waiting and giving up", "")
    assert "gave up waiting" in giving_up
    assert "true success rate" not in " ".join(text for _, text in bullets)
    assert "**Not compared**" in opening and "true success rate" in opening
    plain = markdown.split("## What changes, in plain words", 1)[1].split("\n## ", 1)[0]
    assert "- **True success rate** (not compared): not compared, so not a finding" in plain
    assert "| true success rate | share (0-1) |" in markdown and "| not compared |" in markdown

    html = (out / "report.html").read_text()
    assert html.index('id="in-brief"') < html.index('id="question"')
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(h.startswith("#") for h in hrefs), f"links that break when the file travels: {hrefs}"
    targets = set(re.findall(r'id="([^"]+)"', html))
    assert {h[1:] for h in hrefs} <= targets, "every link lands inside the file"
    assert "docs/ODD.md, section 7.0 The six practices" in html


def test_level_axes_start_at_zero_and_weeks_are_never_a_sliver(groups):
    """The flourishing panel started at 0.55, making a 0.019 difference look large; the live page's first week
    showed on an x-axis of 0.96-1.04."""
    chart = timeseries_chart(groups, ["flourishing_mean", "waiting", "crisis_cost"])
    for ax in chart.figure.axes[:3]:
        assert ax.get_ylim()[0] <= 0 < ax.get_ylim()[1]
        assert ax.get_xlim() == (0, 40)
    one_week = [dataclasses.replace(g, timeseries=g.timeseries[g.timeseries.week == 1]) for g in groups]
    assert success_rates_chart(one_week).figure.axes[0].get_xlim() == (0, 1)
    assert success_rates_chart(one_week, horizon=260).figure.axes[0].get_xlim() == (0, 260)


def test_report_runs_missing_scenarios_first_with_seeds(tmp_path, capsys):
    for name, base in (("small-npm", "npm-targets"), ("small-hls", "hls-devolved")):
        (tmp_path / f"{name}.yaml").write_text(f"name: {name}\nextends: {base}\nweeks: 30\n"
                                               "population:\n  citizens: 200\n")
    db = str(tmp_path / "r.db")
    args = ["report", str(tmp_path / "small-npm.yaml"), str(tmp_path / "small-hls.yaml"), "--db", db,
            "--out", str(tmp_path / "out"), "--quiet"]
    assert main(args[:-3] + ["--quiet"]) == 2
    assert "--seeds N" in capsys.readouterr().err
    assert main([*args, "--seeds", "2", "--jobs", "1"]) == 0
    with Store(db) as store:
        assert len(store.runs()) == 4
    assert "small-hls against small-npm" in (tmp_path / "out" / "report.html").read_text()


@pytest.mark.parametrize("args, expected", [
    (["plot", "npm-targets", "--keys", "flourish"], "did you mean 'flourishing_mean'"),
    (["plot", "npm-targets", "npm-targets"], "the same selection given twice"),
    (["report", "npm-targets", "no-such-scenario"], "or add --seeds N"),
    (["plot", "npm-targets", "--window", "0"], "--window must be a whole number"),
], ids=["unknown-key", "twice", "unknown-selection", "window"])
def test_bad_input_exits_2_naming_what_to_fix(db, capsys, args, expected):
    with pytest.raises(SystemExit) if "--window" in args else contextlib.nullcontext():   # argparse exits 2
        assert main([*args, "--db", db]) == 2
    assert expected in capsys.readouterr().err


def test_app_refuses_a_port_in_use(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["app", "--port", str(port)]) == 2
    assert f"--port {port}: already in use" in capsys.readouterr().err


# --------------------------------------------------------------------------- what the figures rest on


def test_every_key_and_weekly_column_has_a_label_and_a_unit():
    result = hlssim.simulate("npm", seed=1, weeks=3, overrides={"population.citizens": 200})
    missing = [k for k in result.summary if k not in keys.SUMMARY]
    missing += [c for c in result.timeseries.columns if c != "week" and c not in keys.WEEKLY]
    assert not missing, f"add these to hlssim/reports/keys.py: {missing}"
    assert set(SUMMARY_KEYS) <= set(keys.SUMMARY)


def test_the_reports_odd_sections_exist_and_each_has_an_opening_to_quote():
    text = (REPO / "docs" / "ODD.md").read_text()
    headings = {line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("#")}
    for heading in (*document.ODD_OVERVIEW, *document.ODD_BY_GROUP.values()):
        assert heading in headings, f"docs/ODD.md has no heading {heading!r}"
        quoted = odd.excerpt(heading)
        assert quoted and len(quoted) > 80 and "```" not in quoted and not quoted.rstrip().endswith(":"), heading


def test_series_never_differ_by_colour_alone():
    for field in ("linestyle", "marker", "hatch"):
        values = [str(s[field]) for s in style.SERIES]
        assert len(set(values)) == len(values), f"two series share a {field}"


def test_the_experiment_scripts_write_their_figures(tmp_path):
    for script, args, files in (
            ("goodhart_demo.py", ["--seeds", "1", "--weeks", "20"], ("goodhart_demo.csv", "goodhart_variants.png",
                                                                       "goodhart_variants.svg")),):
        proc = subprocess.run([sys.executable, str(REPO / "experiments" / script), *args, "--out", str(tmp_path)],
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        for name in files:
            assert (tmp_path / name).stat().st_size > 0
    Image.open(tmp_path / "goodhart_variants.png").verify()


def test_with_no_service_the_services_own_series_are_not_drawn_as_zeros():
    from hlssim.experiments.runner import RunSpec, run_all
    specs = [RunSpec.build("no-service", None, {"service.enabled": False, "population.citizens": 200}, seed, 15)
             for seed in (1, 2)]
    group = Group.from_outcomes("no-service", specs, run_all(specs, jobs=1))
    chart = timeseries_chart([group], ["flourishing_mean", "waiting", "active_cases", "staff_cost", "crisis_cost"])
    assert set(chart.data.key) == {"flourishing_mean", "crisis_cost"}
    assert "no-service: waiting, active_cases, staff_cost" in chart.caption
    assert success_rates_chart([group]).data.empty


def test_hlssim_compare_fills_in_the_crisis_cost_avoided(db, groups, capsys):
    assert main(["compare", *PAIR, "--db", db, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    a, b = (g.summaries["crisis_cost_per_smd_citizen_year"] for g in groups)
    avoided = data["keys"]["crisis_cost_avoided_per_smd_citizen_year"]
    assert avoided["B-A median"] == pytest.approx(np.median(a - b))
    assert avoided["A"] == 0.0
    assert "crisis_cost_avoided_per_smd_citizen_year" not in data["not_applicable"]["a"] + data["not_applicable"]["b"]
    assert main(["compare", *PAIR, "--db", db]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("crisis_cost_avoided"))
    assert "n/a" not in line and "nan" not in line
