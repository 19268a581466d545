"""The live page (``hlssim app``): *Goodhart, live* for trainers and a *What-if* for policy teams.

Solara components with the report's own matplotlib figures (``hlssim.reports``), so the page needs
nothing from the internet. ``hlssim app`` serves this module with ``solara run``; tests render the
components in-process (``solara.render``) and in a real browser.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

import solara
from ipyvuetify.extra import FileInput
from solara import v

from ..params import scenarios as scen
from ..reports.brief import brief
from ..reports.charts import standard_charts
from ..reports.goodhart import VARIANTS
from ..reports.choices import CHOICES
from ..reports.series import success_rates_chart
from ..reports.style import LOOK, Chart
from . import live, whatif
from .sizes import SIZES

SPEEDS = [1, 4, 13]       # weeks a frame, for Step and Play (a figure takes a few tenths of a second to draw)
LARGE_DPI = 2 * LOOK.page_dpi     # a presenter's charts, for the back of a room


def _percent(value: float) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:.1%}"


def _number(value: float) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:.2f}"


def Figure(chart: Chart, dependencies: list, dpi: int = LOOK.page_dpi) -> None:
    """A report figure on the page (PNG, redrawn only when its dependencies change)."""
    solara.FigureMatplotlib(chart.figure, dependencies=[*dependencies, dpi], format="png", dpi=dpi)


def Table(header: Sequence[str], rows: Sequence[Sequence[tuple[str, str]]], classes: str = "hlssim-table") -> None:
    """A plain table; each cell is (text, css class) so tests and browsers can find a value by its class."""
    cell = "padding: 0.2em 0.8em; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top"
    head = v.Html(tag="tr", children=[v.Html(tag="th", style_=cell, children=[h]) for h in header])
    body = [v.Html(tag="tr", children=[v.Html(tag="td", class_=cls, style_=cell, children=[text])
                                       for text, cls in row]) for row in rows]
    v.Html(tag="table", class_=classes, children=[head, *body],
           style_="border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; width: auto")


@solara.component
def FileChooser(on_file, accept: str = ".yaml,.yml") -> None:
    """A 'choose a file' box that calls ``on_file({"name", "data"})`` (Solara ships only a drop zone;
    this is its wiring around ipyvuetify's file input, which browsers and tests can fill)."""
    info, set_info = solara.use_state(None)
    files, set_files = solara.use_state(None)
    element = FileInput.element(on_file_info=set_info, multiple=False, accept=accept, show_progress=False)

    def wire() -> None:              # in the render context, as solara.FileDrop does
        if info:
            widget = solara.get_widget(element)
            widget.version += 1
            widget.reset_stats()
            set_files(widget.get_files())

    def read(cancel) -> None:        # in a thread: the browser sends the bytes while this waits
        for found in (files or [])[:1]:
            on_file({"name": found["name"], "data": found["file_obj"].read()})

    solara.use_effect(wire, [info])
    solara.use_thread(read, [files])


@solara.component
def Dials(dials: Sequence[live.Dial], values: dict[str, float], on_value) -> None:
    """One slider per dial, its meaning and value above it; moving one calls ``on_value(key, value)``."""
    for dial in dials:
        name, _, meaning = dial.label.partition(": ")
        solara.HTML("div", unsafe_innerHTML=f"<b>{name}</b> = {values[dial.key]:g} <small>({meaning})</small>",
                    style="font-size: 0.9em; margin-top: 0.4em")
        solara.SliderFloat(name, value=values[dial.key], min=0.0, max=1.0, step=dial.step, thumb_label=True,
                           on_value=lambda value, key=dial.key: on_value(key, value))


@solara.component
def GoodhartLive(pair: solara.Reactive[live.LivePair] | None = None) -> None:
    """NPM and HLS side by side on one seed, opened already played to the first target period: step or play
    a frame of 1, 4 or 13 weeks up to the run's horizon, reset; the record and the truth week by week; large
    charts for a room."""
    initial = solara.use_memo(live.LivePair.opening, [])
    pair = solara.use_reactive(pair if pair is not None else initial)
    tick = solara.use_reactive(0)            # bumped after each frame: the pair changes in place
    playing = solara.use_reactive(False)
    speed = solara.use_reactive(SPEEDS[-1])
    large = solara.use_reactive(False)
    p = pair.value

    def restart(dials: dict[str, float] | None = None, seed: int | None = None) -> None:
        playing.set(False)
        pair.set(live.LivePair.opening(dials if dials is not None else p.dials, seed if seed is not None else p.seed))
        tick.set(tick.value + 1)

    def step() -> None:
        pair.value.step(speed.value)
        tick.set(tick.value + 1)

    def play() -> None:
        while playing.value and not pair.value.finished:
            step()
            time.sleep(SIZES.play_seconds)
        playing.set(False)

    solara.lab.use_task(play, dependencies=[playing.value], prefer_threaded=True)
    chart = solara.use_memo(lambda: success_rates_chart(p.groups(), horizon=p.axis_weeks), [p, tick.value])

    solara.HTML("p", unsafe_innerHTML=(
        "NPM and HLS run side by side on the <b>same seed</b>: the same citizens meet the same life events "
        "under both (common random numbers), so where NPM's <b>reported</b> success rate parts from the "
        "<b>true</b> one, the target did it. Each run opens played to its first "
        f"{SIZES.opening_weeks} weeks (one target period); move a dial and it starts again there. Step or play "
        f"a frame at a time, up to week {SIZES.horizon}. Each side has {SIZES.citizens:,} citizens so a week steps "
        "in milliseconds: small enough to be live, too small to quote. For numbers to quote run "
        "<code>hlssim run</code> on several seeds."))
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Button("Step", on_click=step, disabled=playing.value or p.finished, color="primary")
        solara.Button("Pause" if playing.value else "Play", on_click=lambda: playing.set(not playing.value),
                      disabled=p.finished and not playing.value, color="primary")
        solara.Button("Reset", on_click=lambda: restart())
        solara.Text(f"Week {p.week} of {SIZES.horizon}", classes=["hlssim-week"],
                    style={"font-weight": "bold", "margin": "0 1em"})
        solara.ToggleButtonsSingle(value=speed, values=SPEEDS, classes=["hlssim-speed"])
        solara.Text("weeks a frame", style={"margin-right": "1em"})
        with solara.Div(style={"width": "6em"}):
            solara.InputInt("seed", value=p.seed, on_value=lambda seed: restart(seed=max(0, int(seed))),
                            continuous_update=False)
        solara.Switch(label="large charts (for a room)", value=large, classes=["hlssim-large"])
    if large.value:
        with solara.Div(classes=["hlssim-chart", "hlssim-chart-large"]):
            Figure(chart, [id(p), tick.value], dpi=LARGE_DPI)
    with solara.Columns([1, 2]):
        with solara.Column():
            Dials(live.DIALS, p.dials, lambda key, value: restart({**pair.value.dials, key: value}))
            solara.Text("Under HLS governance for learning nothing rides on the target, so the pressure dial "
                        "moves only the NPM side.", style={"font-size": "0.85em"})
        with solara.Column():
            solara.Text("this run: " + ", ".join(f"{k} = {p.dials[k]:g}" for k in p.dials) + f", seed {p.seed}",
                        classes=["hlssim-run"], style={"font-size": "0.85em"})
            if not large.value:
                with solara.Div(classes=["hlssim-chart"]):
                    Figure(chart, [id(p), tick.value])
            counters = {side: p.counters(side) for side in live.SIDES}
            solara.Text(f"at week {p.week}", classes=["hlssim-counters-week"], style={"font-size": "0.85em"})
            Table(["", *[s.upper() for s in live.SIDES]], [
                [(f"reported success rate (last {CHOICES.window} weeks)", "")] +
                [(_percent(counters[s]["reported_success_rate"]), f"hlssim-{s}-reported") for s in live.SIDES],
                [(f"true success rate (last {CHOICES.window} weeks)", "")] +
                [(_percent(counters[s]["true_success_rate"]), f"hlssim-{s}-true") for s in live.SIDES],
                [("cases closed so far", "")] +
                [(f"{counters[s]['closures']:,.0f}", f"hlssim-{s}-closures") for s in live.SIDES],
                [("misreports so far (not caught)", "")] +
                [(f"{counters[s]['misreports']:,.0f}", f"hlssim-{s}-misreports") for s in live.SIDES],
                [("parked cases now", "")] +
                [(f"{counters[s]['parked_now']:,.0f}", f"hlssim-{s}-parked") for s in live.SIDES],
                [("workers burnt out now", "")] +
                [(_percent(counters[s]["burnout_share_now"]), f"hlssim-{s}-burnout") for s in live.SIDES],
            ])
    solara.HTML("h3", unsafe_innerHTML="Four ways a target corrupts a measure (Goodhart variants)")
    indicators = {side: p.variants(side) for side in live.SIDES}
    rows = []
    for variant in VARIANTS:
        first, second = live.VARIANT_READINGS[variant.name]
        cells = [(f"{first} / {second}", "")]
        for side in live.SIDES:
            x, y = indicators[side][variant.name]
            fmt = _number if variant.name in ("regressional", "extremal") else _percent
            cells.append((f"{fmt(x)} / {fmt(y)}", f"hlssim-{side}-{variant.name}"))
        rows.append([(variant.name, "hlssim-variant"), (variant.line, ""), *cells])
    Table(["variant", "what it means", "indicator", *[s.upper() for s in live.SIDES]], rows)


@solara.component
def WhatIf(runner=None) -> None:
    """Pick or upload a scenario, move a few dials, run a few seeds: paired differences and figures.

    ``runner`` runs a :class:`hlssim.app.whatif.WhatIf` (tests pass one that runs in this process)."""
    shipped = list(scen.shipped())
    chosen = solara.use_reactive("npm-targets" if "npm-targets" in shipped else (shipped or [""])[0])
    uploaded = solara.use_reactive(None)
    problem = solara.use_reactive("")
    changes = solara.use_reactive({})
    seeds = solara.use_reactive(3)
    picked = solara.use_memo(lambda: scen.load(chosen.value) if chosen.value else None, [chosen.value])
    scenario = uploaded.value or picked

    def pick(name: str) -> None:
        uploaded.set(None), problem.set(""), changes.set({}), chosen.set(name)

    def upload(file: dict) -> None:
        try:
            found = whatif.read_upload(file["name"], file["data"])
        except whatif.UploadError as err:
            problem.set(str(err))
            return
        problem.set(""), changes.set({}), uploaded.set(found)

    def compute():
        what = whatif.WhatIf(scenario, dict(changes.value), seeds.value)
        comparison = (runner or (lambda w: w.run()))(what)
        return comparison, standard_charts([comparison.a, comparison.b], comparison)

    task = solara.lab.use_task(compute, dependencies=None, prefer_threaded=True)

    solara.HTML("p", unsafe_innerHTML=(
        "A is a scenario as its file says; B is the same with the dials you move. Both run on the same seeds "
        f"(1 to N) for {SIZES.whatif_weeks} weeks with at most {SIZES.citizens:,} citizens, so a few seeds take seconds: "
        "small enough to wait for, too small to quote. For a report to hand on, run <code>hlssim report A B</code>."))
    with solara.Columns([1, 2]):
        with solara.Column():
            solara.Select("shipped scenario", values=shipped, value=chosen.value, on_value=pick)
            solara.Text("…or choose a scenario file of your own (.yaml):", style={"font-size": "0.9em"})
            FileChooser(upload)
            if problem.value:
                solara.Error(problem.value, classes=["hlssim-upload-error"])
            if uploaded.value is not None:
                solara.Info(f"using the uploaded file: {uploaded.value.name}")
            if scenario is not None:
                solara.Text(" ".join(scenario.description.split()), style={"font-size": "0.85em"})
                values = {**whatif.dial_values(scenario), **changes.value}
                Dials(whatif.WHAT_IF_DIALS, values,
                      lambda key, value: changes.set({**changes.value, key: value}))
                solara.SliderInt("seeds", value=seeds, min=1, max=SIZES.whatif_max_seeds)
                solara.Button(f"Run A and B on {seeds.value} seed(s)", on_click=task, disabled=task.pending,
                              color="primary")
                if not changes.value:
                    solara.Text("No dial moved yet: B is A, and every difference is 0.",
                                style={"font-size": "0.85em"})
        with solara.Column():
            solara.ProgressLinear(task.pending)
            if task.error:
                solara.Error(f"the runs failed: {task.exception}")
            elif task.finished and task.value is not None:
                comparison, charts = task.value
                said = brief(comparison)          # the report's own "In brief"
                lines = [(line, "hlssim-sentence") for line in said.lines()]
                Table([f"In brief: B = {comparison.b.label} against A = {comparison.a.label}, paired seed by seed"],
                      [[line] for line in lines], classes="hlssim-differences")
                for chart in charts:
                    Figure(chart, [id(comparison), chart.name])


@solara.component
def Page() -> None:
    solara.Title("hlssim: targets, truth and learning")
    with solara.Column(style={"padding": "0 1em"}):
        solara.HTML("h2", unsafe_innerHTML="hlssim: New Public Management and Human Learning Systems")
        with solara.lab.Tabs():
            with solara.lab.Tab("Goodhart, live"):
                GoodhartLive()
            with solara.lab.Tab("What-if"):
                WhatIf()
