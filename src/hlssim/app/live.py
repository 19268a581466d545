"""Goodhart, live: NPM and HLS stepped a week at a time on the same seed, for a room to watch.

Both models meet the same citizens and the same life events (common random numbers), so the
space that opens between NPM's reported and true success rates is the target's doing. Runs are
kept small (``SIZES.citizens``) so a week of both steps in a few milliseconds. Nothing here draws: the
page (``hlssim.app.page``) shows what these objects say.
"""

from __future__ import annotations

import functools
import math
import threading
from dataclasses import dataclass

import pandas as pd

from ..experiments.provenance import git_commit
from ..model.service import ServiceModel
from ..outputs.goodhart import extremal, regressional
from ..params import resolve
from ..params.resolve import field_info
from ..reports.runs import Group
from ..reports.choices import CHOICES
from ..reports.series import success_rates
from .sizes import SIZES

SIDES = ("npm", "hls")


@dataclass(frozen=True)
class Dial:
    key: str
    label: str
    step: float = 0.05
    npm_only: bool = False       # set on the NPM side only (the HLS side keeps every HLS practice)

    @property
    def default(self) -> float:
        return float(field_info(self.key).default)


DIALS = (
    Dial("targets.pressure", "target pressure: how much rides on the proxy"),
    Dial("incentives.inspection_rate", "inspection rate: share of records audited", 0.01),
    Dial("practices.governance", "NPM side's governance: 0 targets and compliance, 1 governing for learning",
         npm_only=True),
    Dial("world.uniqueness", "uniqueness: how different what matters is from person to person"),
    Dial("world.interdependence", "interdependence: how far change in one part of life spills into others"),
    Dial("world.dynamism", "dynamism: how fast lives and what works change"),
)


def default_dials() -> dict[str, float]:
    return {d.key: d.default for d in DIALS}


def overrides(side: str, dials: dict[str, float], citizens: int = SIZES.citizens) -> dict[str, float]:
    """One side's parameters: the dials (the NPM-only ones on the NPM side only) on a small population."""
    npm_only = {d.key for d in DIALS if d.npm_only}
    chosen = {k: v for k, v in dials.items() if side == "npm" or k not in npm_only}
    return {"population.citizens": citizens, **chosen}


def _locked(method):
    """Hold the pair's lock: the page reads a pair while its Play thread steps it."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with self.lock:
            return method(self, *args, **kwargs)
    return wrapper


class LivePair:
    """Two models, NPM and HLS, on one seed and one set of dials, stepped together.

    Steps and reads take the pair's lock, so a page never reads a week half-written."""

    def __init__(self, dials: dict[str, float] | None = None, seed: int = 1, citizens: int = SIZES.citizens):
        self.dials = {**default_dials(), **(dials or {})}
        self.seed, self.citizens = seed, citizens
        self.params = {side: resolve(side, overrides(side, self.dials, citizens)) for side in SIDES}
        self.models = {side: ServiceModel(self.params[side], rng=seed) for side in SIDES}
        self.lock = threading.RLock()

    @classmethod
    def opening(cls, dials: dict[str, float] | None = None, seed: int = 1) -> LivePair:
        """A pair as a room first sees it: both sides already played to ``SIZES.opening_weeks``."""
        pair = cls(dials, seed)
        pair.step(SIZES.opening_weeks)
        return pair

    @property
    def week(self) -> int:
        return int(self.models["npm"].week)

    @property
    def finished(self) -> bool:
        return self.week >= SIZES.horizon

    @property
    def axis_weeks(self) -> int:
        """How far the chart's week axis runs: to the end of the year the run is in (52, 104 ... the horizon),
        so the first weeks are neither a sliver of a 260-week axis nor an axis of one week."""
        return min(SIZES.horizon, 52 * max(1, math.ceil(self.week / 52)))

    @_locked
    def step(self, weeks: int = 1) -> None:
        """``weeks`` more weeks of both sides, never past the run's horizon."""
        for _ in range(weeks):
            if self.finished:
                return
            for model in self.models.values():
                model.step()

    @_locked
    def rows(self, side: str) -> pd.DataFrame:
        return pd.DataFrame(self.models[side].rows)

    @_locked
    def groups(self) -> list[Group]:
        """Each side as a one-seed group, so the report's figures draw it."""
        out = []
        for side in SIDES:
            series = self.rows(side)
            series.insert(0, "seed", self.seed)
            out.append(Group(label=side.upper(), scenario=f"live-{side}", description="", regime=side,
                             summaries=pd.DataFrame(index=pd.Index([self.seed], name="seed")),
                             timeseries=series, params=self.params[side].flat(), weeks=(max(self.week, 1),),
                             commits=(git_commit() or "",)))
        return out

    @_locked
    def counters(self, side: str) -> dict[str, float]:
        """What the room reads beside the chart: the latest rates and running counts."""
        model, total = self.models[side], self.models[side].ledger.total
        rows = self.rows(side)
        latest = success_rates(rows, CHOICES.window).iloc[-1] if len(rows) else None
        last = model.rows[-1] if model.rows else {}
        return {
            "reported_success_rate": float(latest.reported_success_rate) if latest is not None else math.nan,
            "true_success_rate": float(latest.true_success_rate) if latest is not None else math.nan,
            "closures": total["closures"],
            "misreports": total["misreports"],
            "parked_now": round(last.get("parked_share", 0.0) * last.get("active_cases", 0)),
            "burnout_share_now": last.get("burnout_share", math.nan),
        }

    @_locked
    def variants(self, side: str) -> dict[str, tuple[float, float]]:
        """Each Goodhart variant's indicator so far, as two numbers a reader compares."""
        total = self.models[side].ledger.total
        cases = self.models[side].case_log.frame()
        reg = regressional(cases) if len(cases) else {"top_proxy_z": math.nan, "top_true_z": math.nan}
        ext = extremal(cases) if len(cases) else {"corr_all": math.nan, "corr_extreme": math.nan}
        return {
            "causal": (_share(total["measured_effort"], total["relational_hours"]),
                       _share(total["true_successes"], total["closures"])),
            "adversarial": (_share(total["misreports"], total["closures"]),
                            _share(total["detected"], total["misreports"] + total["detected"])),
            "regressional": (reg["top_proxy_z"], reg["top_true_z"]),
            "extremal": (ext["corr_all"], ext["corr_extreme"]),
        }


# What the two numbers of each variant are, for the page.
VARIANT_READINGS = {
    "causal": ("effort on measured domains", "true success rate"),
    "adversarial": ("closures misreported", "misreports caught"),
    "regressional": ("top 10% on the proxy: proxy z", "their true z"),
    "extremal": ("proxy-truth correlation: all cases", "top 10% on the proxy"),
}


def _share(part: float, whole: float) -> float:
    return part / whole if whole > 0 else math.nan
