"""'In brief': what a comparison of B with A comes to, in at most six bullets, before the long list.

For each side, the largest differences where it comes out ahead (its gains, and so the other side's
costs), grouped by what a reader cares about (``THEMES``: people's lives, waiting and giving up, the
truth of the record, public cost, the workforce, consistency ...). Each bullet names the side, both
values and the paired difference with its 10th-90th percentiles.

How the bullets are chosen (so a reader can check it):

- only *clear* differences: the 10th and 90th percentiles of the paired differences lie on the same
  side of 0 (the seeds agree on who is ahead); never a key that is n/a on either side, and never one
  the two sides cannot be compared on (``outputs.comparability``: e.g. ``true_success_rate`` where
  the sides close cases by different rules): those are flagged, not stated;
- a difference's size is read on a common scale, so pounds, shares and index points can be ranked
  together: on a 0-1 scale (shares, indices, correlations) the median paired difference itself; for
  people waiting, the same as a share of the population; for pounds, weeks and rates, the difference
  over the larger of the two medians. A difference under ``CHOICES.brief_floor`` on that scale is left
  to the long list;
- within a theme the keys are in the order listed, the first clear one leads and one more may follow;
- people's lives come first where a side is ahead on them; then the other themes by size, up to
  ``PER_SIDE`` bullets a side, so each side gets the same room (even-handed).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..outputs.stats import HIGH, LOW, spread
from . import keys as K
from .choices import CHOICES
from .runs import COUNTERFACTUALS, Comparison

PER_SIDE = 3
LIVES = "people's lives"
MORE, LESS, NEARER_ZERO = 1, -1, 0      # which way is better: more, less, or nearer 0 (a gap either way)

# What a reader cares about, each with its keys (leading key first) and which way is better.
THEMES: dict[str, tuple[tuple[str, int], ...]] = {
    LIVES: (("flourishing_gain", MORE), ("flourishing_gain_smd", MORE), ("equity_gap", LESS)),
    "waiting and giving up": (("dropout_share", LESS), ("waiting_mean", LESS), ("wait_weeks_mean", LESS)),
    "the truth of the record": (("goodhart_gap", NEARER_ZERO), ("data_integrity", MORE), ("report_true_corr", MORE),
                                ("misreport_rate", LESS), ("closed_early_share", LESS), ("gaming_provider_share", LESS)),
    "public cost": (("cost_per_citizen_year", LESS), ("crisis_cost_per_smd_citizen_year", LESS),
                    ("spend_per_citizen_year", LESS), ("cost_per_flourishing_gain", LESS)),
    "the workforce": (("burnout_share", LESS), ("worker_turnover_rate", LESS), ("worker_motivation_mean", MORE)),
    "consistency and quality": (("between_worker_share", LESS), ("bad_practice_share", LESS)),
    "the front door": (("turned_away_share", LESS), ("failure_demand_share", LESS)),
    "parking": (("parked_share", LESS), ("parked_share_smd", LESS)),
    "relationships": (("trust_mean", MORE), ("knowledge_accuracy", MORE)),
    "paperwork": (("admin_share", LESS),),
    "outcomes of closed cases": (("true_success_rate", MORE),),
}
HEADLINE = ("cost_per_citizen_year", "flourishing_gain", "flourishing_gain_smd")   # said even when unclear
BOUNDED = (K.INDEX, K.POINTS, K.SHARE, K.SHARE_POINTS, K.CORRELATION)              # units on a 0-1 scale


@dataclass(frozen=True)
class Finding:
    """One key's clear difference, read for the side it favours."""

    key: str
    ahead: str          # "a" or "b"
    size: float         # |median difference| on a common scale (see the module's docstring)


@dataclass(frozen=True)
class Bullet:
    side: str           # the side that comes out ahead (its label)
    theme: str
    keys: tuple[str, ...]
    lead: str           # "hls-devolved ahead on people's lives"
    text: str           # the numbers, in words

    def plain(self) -> str:
        return f"{self.lead}: {self.text}"


@dataclass
class Brief:
    bullets: list[Bullet]
    unclear: list[str] = field(default_factory=list)               # headline keys whose seeds disagree
    not_comparable: dict[str, str] = field(default_factory=dict)   # key -> why it is not stated

    @property
    def unclear_line(self) -> str:
        return unclear_line(self.unclear) if self.unclear else ""

    def lines(self) -> list[str]:
        """Everything the brief says, as plain lines (the live page shows these)."""
        out = [b.plain() for b in self.bullets]
        if self.unclear:
            out.append(unclear_line(self.unclear))
        if self.not_comparable:
            out.append(not_comparable_line(self.not_comparable))
        return out


def brief(comparison: Comparison) -> Brief:
    """At most ``2 * PER_SIDE`` bullets: for each side, where it is clearly ahead; at least one bullet."""
    a, b = comparison.a.label, comparison.b.label
    bullets = []
    for ahead, side in (("b", b), ("a", a)):
        chosen = []
        for theme, keys in THEMES.items():
            found = [f for f in (finding(comparison, key, better) for key, better in keys)
                     if f is not None and f.ahead == ahead]
            if found:
                chosen.append((theme != LIVES, -max(f.size for f in found), theme, found[:2]))
        for _, _, theme, found in sorted(chosen)[:PER_SIDE]:
            lead, *more = found
            text = said(comparison, lead.key) + "".join(f"; {also(comparison, f.key)}" for f in more)
            bullets.append(Bullet(side, theme, tuple(f.key for f in found), f"{side} ahead on {theme}", text + "."))
    if not bullets:
        bullets.append(Bullet("", "", (), "No clear difference",
                              f"on no reading do the seeds agree that {b} or {a} comes out ahead (or the two are the "
                              "same); see the long list below."))
    unclear = [k for k in HEADLINE if k in comparison.shown_keys() and k not in comparison.not_comparable
               and not any(k in bullet.keys for bullet in bullets) and _clear(comparison, k, MORE) is None]
    return Brief(bullets, unclear, {k: v for k, v in comparison.not_comparable.items()})


def finding(comparison: Comparison, key: str, better: int) -> Finding | None:
    """The key's difference if it is clear and may be stated; which side it favours and how large it is."""
    if key not in comparison.shown_keys() or key in comparison.not_comparable or key in COUNTERFACTUALS:
        return None
    return _clear(comparison, key, better)


def _clear(comparison: Comparison, key: str, better: int) -> Finding | None:
    gains = _gains(comparison, key, better)       # per seed: how much better B is than A (B's gain)
    middle, low, high = spread(gains)
    if math.isnan(middle) or not (low > 0 or high < 0) or middle == 0:
        return None
    scale = _scale(comparison, key)
    if not scale > 0 or abs(middle) / scale < CHOICES.brief_floor:
        return None
    return Finding(key, "b" if middle > 0 else "a", abs(middle) / scale)


def _scale(comparison: Comparison, key: str) -> float:
    """What a difference in ``key`` is measured against: 1 on a 0-1 scale, the population for people, else
    the larger of the two medians."""
    unit = K.unit(key)
    if unit in BOUNDED:
        return 1.0
    if unit == K.CITIZENS:
        return float(max(g.params.get("population.citizens", 0) for g in (comparison.a, comparison.b)))
    return max(abs(comparison.table.loc[key, side]) for side in ("A", "B"))


def _gains(comparison: Comparison, key: str, better: int) -> np.ndarray:
    if better == NEARER_ZERO:
        seeds = comparison.seeds
        return (comparison.a.summaries.loc[seeds, key].abs().to_numpy()
                - comparison.b.summaries.loc[seeds, key].abs().to_numpy())
    return better * comparison.differences[key].to_numpy(dtype=float)


def said(comparison: Comparison, key: str) -> str:
    """'gave up waiting: 44.9% under B against 0.0% under A, a difference of +44.9 percentage points (10th-90th
    percentile +39.1 to +50.7; higher under B in 10 of 10 seeds)'."""
    b, row = comparison.b.label, comparison.table.loc[key]
    diffs = comparison.differences[key].dropna()
    higher = int((diffs > 0).sum())
    way = f"higher under {b} in {higher}" if higher * 2 >= len(diffs) else f"lower under {b} in {len(diffs) - higher}"
    return (f"{also(comparison, key)}, a difference of {K.words(key, row['B-A median'], True)} ({LOW}th-{HIGH}th "
            f"percentile {K.words(key, row[f'B-A p{LOW}'], True, with_unit=False)} to "
            f"{K.words(key, row[f'B-A p{HIGH}'], True, with_unit=False)}; {way} of {len(diffs)} seeds)")


def also(comparison: Comparison, key: str) -> str:
    """'waiting list: 423 under B against 0 under A'."""
    row, units = comparison.table.loc[key], K.unit(key) == K.SHARE_POINTS      # '6.2' alone would not say of what
    return (f"{K.label(key)}: {K.words(key, row['B'], with_unit=units)} under {comparison.b.label} against "
            f"{K.words(key, row['A'], with_unit=units)} under {comparison.a.label}")


def unclear_line(keys: list[str]) -> str:
    return (f"No clear direction (the seeds disagree on which side is ahead): {', '.join(K.label(k) for k in keys)}.")


def not_comparable_line(not_comparable: dict[str, str]) -> str:
    reason = next(iter(not_comparable.values()))
    return f"Not compared, so not stated: {', '.join(K.label(k) for k in not_comparable)}: {reason}."
