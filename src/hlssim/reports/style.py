"""One look for every figure, so a reader can trust any of them the same way.

- the title asks the question the figure answers;
- every axis names its unit;
- a caption line says what was run: scenarios, seeds, weeks and the git commit of the runs;
- series differ by line style and marker as well as colour, so a greyscale print still reads.

Figures are plain :class:`matplotlib.figure.Figure` objects (no pyplot, no display), drawn inside
:func:`styled` so seaborn's theme applies, and written whole as PNG and SVG by :func:`save`.
"""

from __future__ import annotations

import functools
import io
import textwrap
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.ticker import StrMethodFormatter

from ..util.files import replace_files
from ..util.ranges import ranges
from ..util.version import __version__

# Okabe-Ito colours of clearly different lightness, each with its own line style, marker and hatch:
# two series never differ by colour alone.
SERIES = (
    {"color": "#000000", "linestyle": "-", "marker": "o", "hatch": None},
    {"color": "#E69F00", "linestyle": "--", "marker": "s", "hatch": "//"},
    {"color": "#0072B2", "linestyle": ":", "marker": "^", "hatch": "\\\\"},
    {"color": "#009E73", "linestyle": "-.", "marker": "D", "hatch": ".."},
    {"color": "#CC79A7", "linestyle": (0, (5, 1, 1, 1)), "marker": "v", "hatch": "xx"},
)
FORMATS = ("png", "svg")


@dataclass(frozen=True)
class Look:
    """The sizes every figure shares (what they are for, not what they show)."""

    dpi: int = 110               # comparison figures
    sweep_dpi: int = 130         # sweep figures (denser panels)
    page_dpi: int = 72           # figures on the live page, redrawn every frame
    band_alpha: float = 0.18     # opacity of a 10th-90th percentile band
    caption_size: float = 7.5    # points
    row_inches: float = 0.3      # height of one key's row in a differences figure


LOOK = Look()
READING_BANDS = "line: median across seeds; band: 10th-90th percentile"

_RC = {"svg.fonttype": "none", "svg.hashsalt": "hlssim", "hatch.linewidth": 0.6, "axes.titleweight": "bold",
       "axes.titlesize": 10, "axes.labelsize": 9, "legend.fontsize": 8, "xtick.labelsize": 8, "ytick.labelsize": 8,
       "figure.titlesize": 12, "figure.titleweight": "bold"}


def series_style(i: int) -> dict:
    """Line style, marker and colour of the i-th series (cycling)."""
    return SERIES[i % len(SERIES)]


def line_kwargs(i: int) -> dict:
    s = series_style(i)
    return {"color": s["color"], "linestyle": s["linestyle"], "marker": s["marker"]}


@contextmanager
def styled():
    """Seaborn's white-grid theme and hlssim's sizes, for figures drawn inside the block."""
    with sns.axes_style("whitegrid"), sns.plotting_context("notebook"), matplotlib.rc_context(_RC):
        yield


def figure_function(draw: Callable) -> Callable:
    """Decorate a function that draws a figure so it draws in hlssim's style."""
    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        with styled():
            return draw(*args, **kwargs)
    return wrapper


@dataclass(frozen=True)
class Caption:
    """What was run, for the line under a figure."""

    scenarios: str
    seeds: Sequence[int] = ()
    weeks: str = ""
    commits: Sequence[str] = ()
    reading: str = READING_BANDS     # how to read the marks
    extra: str = ""                  # anything else a reader needs (a window, a sample size)

    def text(self) -> str:
        commits = sorted({c[:10] for c in self.commits if c})
        parts = [self.scenarios,
                 f"seeds {ranges(sorted(self.seeds))} ({len(self.seeds)})" if self.seeds else "",
                 f"{self.weeks} weeks" if self.weeks else "",
                 f"git {', '.join(commits)}" if commits else "git commit unknown",
                 self.reading, self.extra, f"hlssim {__version__}"]
        return " · ".join(p for p in parts if p)


@dataclass
class Chart:
    """A drawn figure with what it shows: ``data`` is the tidy frame the marks were drawn from."""

    name: str                 # file stem
    figure: Figure
    title: str
    caption: str
    data: pd.DataFrame = field(default_factory=pd.DataFrame)

    def png(self) -> bytes:
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=LOOK.dpi, metadata=self._metadata("png"))
        return buffer.getvalue()

    def _metadata(self, fmt: str) -> dict:
        if fmt == "png":
            return {"Title": self.title, "Description": self.caption, "Software": f"hlssim {__version__}"}
        return {"Title": self.title, "Description": self.caption, "Creator": f"hlssim {__version__}"}


def new_figure(width: float, height: float, nrows: int = 1, ncols: int = 1, **kwargs):
    """A figure with a grid of axes; ``squeeze=False`` so ``axes[r][c]`` always works."""
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, **kwargs)
    return fig, axes


def finish(name: str, fig: Figure, title: str, caption: Caption | str, data: pd.DataFrame | None = None,
           legend: tuple[list, list[str]] | None = None, legend_columns: int = 4) -> Chart:
    """Put the question on top and, underneath, one legend (``ax.get_legend_handles_labels()``, each
    label once) and what was run, leaving room for all three so nothing overlaps a panel."""
    text = caption.text() if isinstance(caption, Caption) else caption
    width, height = fig.get_size_inches()
    wrapped = textwrap.fill(text, width=int(width * 17))
    caption_room = ((wrapped.count("\n") + 1) * LOOK.caption_size * 1.45 / 72 + 0.08) / height
    fig.suptitle(textwrap.fill(title, width=int(width * 9)))
    fig.text(0.01, 0.01, wrapped, fontsize=LOOK.caption_size, color="#333333", ha="left", va="bottom")
    room = caption_room
    if legend is not None:
        entries = dict(zip(legend[1], legend[0], strict=True))
        rows = -(-len(entries) // legend_columns)
        fig.legend(entries.values(), entries.keys(), loc="lower center", bbox_to_anchor=(0.5, caption_room),
                   ncols=legend_columns, frameon=False, bbox_transform=fig.transFigure)
        room += (rows * 0.28 + 0.08) / height
    fig.get_layout_engine().set(rect=(0, room, 1, 1 - room))
    return Chart(name, fig, title, text, data if data is not None else pd.DataFrame())


def money_ticks(ax, axis: str = "y") -> None:
    """Thousands separators on an axis counting pounds."""
    getattr(ax, f"{axis}axis").set_major_formatter(StrMethodFormatter("£{x:,.0f}"))


def dots_and_intervals(ax, rows: pd.DataFrame, seeds: pd.DataFrame) -> None:
    """One row per label: each seed a grey dot, the median a ringed dot, the 10th-90th percentiles a bar.

    ``rows`` has label, median, low and high (top to bottom); ``seeds`` has label and value, one per seed."""
    order = list(rows.label)
    sns.stripplot(data=seeds, x="value", y="label", order=order, ax=ax, color="#9a9a9a", size=3.5, jitter=0.18,
                  label="one seed", legend=False)
    ax.hlines(range(len(rows)), rows.low, rows.high, color="black", linewidth=2.2, label="10th-90th percentile")
    ax.plot(rows["median"], range(len(rows)), "o", color="black", markersize=7, markerfacecolor="white",
            markeredgewidth=2, label="median")
    ax.set_ylabel("")


def band(ax, x, low, high, i: int, label: str | None = None) -> None:
    """A 10th-90th percentile band in the i-th series' colour and hatch."""
    s = series_style(i)
    ax.fill_between(x, low, high, color=s["color"], alpha=LOOK.band_alpha, linewidth=0, label=label)
    if s["hatch"]:
        ax.fill_between(x, low, high, facecolor="none", edgecolor=s["color"], alpha=0.35, hatch=s["hatch"],
                        linewidth=0)


def save(chart: Chart, folder: Path, formats: Sequence[str] = FORMATS) -> list[Path]:
    """Write the chart as ``folder/name.png`` and ``.svg``, each written whole."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{chart.name}.{fmt}" for fmt in formats]

    def writer(fmt: str):
        return lambda p: chart.figure.savefig(p, format=fmt, dpi=LOOK.dpi, metadata=chart._metadata(fmt))
    return replace_files(paths, [writer(fmt) for fmt in formats])
