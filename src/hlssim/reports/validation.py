"""The validation report for people: counts by role, one table per role, each pattern, how it was made.

Read off the table :func:`hlssim.experiments.validation.run_validation` returns (one row per pattern):
``report_markdown`` is ``hlssim validate-model``'s report.md; ``side_by_side`` is docs/ODD.md 8.3's tables,
the default point beside the posterior (``experiments/validation_tables.py``).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

from ..experiments.provenance import code_version, git_commit
from .money import fmt

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ROLE_HEADINGS", "counts", "headline", "report_markdown", "side_by_side"]

ROLE_HEADINGS = {
    "validation": ("Validation: independent patterns (the evidence)",
                   "Sources other than the seed report; none was used in calibration."),
    "calibration": ("Calibration targets (a fit, not evidence)",
                    "`hlssim calibrate` fits these (calibration/default.yaml); at the default point they show how "
                    "far the hand-set defaults are from the published figures, over the posterior how well it fits."),
    "seed_claim": ("The seed report's own claims (tested, not evidence)",
                   "The seed is the document under test, so its claims cannot count as evidence for it."),
    "mechanism": ("Mechanism checks (true by construction; not counted)",
                  "Their sign is built into a mechanism; they check the code, like the tests do."),
}
VERDICT_WORDS = {"holds": "holds", "unclear": "**unclear**", "fails": "**fails**", "n/a": "n/a"}


def counts(table: pd.DataFrame, role: str) -> str:
    """'7 of 12 hold, 3 unclear, 2 fail' for one role."""
    part = table[table.role == role]
    if part.empty:
        return "none run"
    got = part.verdict.value_counts()
    words = [f"{int(got.get('holds', 0))} of {len(part)} hold"]
    words += [f"{int(got[v])} {w}" for v, w in (("unclear", "unclear"), ("fails", "fail"), ("n/a", "n/a"))
              if got.get(v, 0)]
    return ", ".join(words)


def headline(table: pd.DataFrame) -> str:
    """The one-line answer: the independent patterns first, the rest named for what they are."""
    return (f"Validation (independent): {counts(table, 'validation')}. Calibration targets (a fit): "
            f"{counts(table, 'calibration')}. Seed claims: {counts(table, 'seed_claim')}. Mechanism checks: "
            f"{counts(table, 'mechanism')}.")


def _band(low: float, high: float) -> str:
    if math.isinf(low):
        return f"< {high:,.10g}"
    if math.isinf(high):
        return f"> {low:,.10g}"
    return f"{low:,.10g} to {high:,.10g}"


def report_markdown(table: pd.DataFrame) -> str:
    """The report: the counts by role, one table per role, one section per pattern, then how it was made."""
    first = table.iloc[0]
    over = (f" and across the posterior `{first.posterior}`'s draws (seed s runs the particle it draws)"
            if first.posterior else "")
    lines = [
        "# Validation report: what hlssim reproduces",
        "",
        f"**{headline(table)}**",
        "",
        f"Each pattern is a small experiment on {int(first.seeds)} seeds ({int(first.citizens):,} citizens, "
        f"{int(first.weeks)} weeks unless a pattern says otherwise). A pattern **holds** only when the 10th-90th "
        f"percentile interval of its quantity, across seeds{over}, lies inside its band; it **fails** when the "
        "interval lies wholly outside, and is **unclear** when it straddles a bound. No parameter was tuned to "
        "make a validation pattern hold.",
        "",
    ]
    for role, (heading, note) in ROLE_HEADINGS.items():
        part = table[table.role == role]
        if part.empty:
            continue
        lines += [f"## {heading}", "", note, "",
                  "| pattern | model value [p10, p90] | band | verdict | cuts against | source |", "|---|---|---|---|---|---|"]
        for row in part.itertuples():
            value = f"{fmt(row.median)} [{fmt(row.p10)}, {fmt(row.p90)}]"
            lines.append(f"| {row.title} (`{row.pattern}`) | {value} | {_band(row.band_low, row.band_high)} | "
                         f"{VERDICT_WORDS.get(row.verdict, row.verdict)} | {row.cuts_against or '—'} | {row.source} |")
        lines.append("")
    lines += ["## The patterns", ""]
    for row in table.itertuples():
        lines += [f"### {row.title} (`{row.pattern}`, {row.role})", "",
                  f"- **Source:** {row.source}",
                  f"- **Quantity:** {row.quantity}",
                  f"- **Expected:** {row.expected}",
                  f"- **Model:** {fmt(row.median)} (10th-90th percentiles {fmt(row.p10)} to {fmt(row.p90)})",
                  f"- **Verdict:** {row.verdict}", ""]
    posterior = f" --posterior {first.posterior.split('@')[0]}" if first.posterior else ""
    lines += ["## How this was made", "",
              f"`hlssim validate-model --seeds {int(first.seeds)} --weeks {int(first.weeks)} --citizens "
              f"{int(first.citizens)}{posterior}` on {dt.date.today().isoformat()}, code {code_version()}, "
              f"git {git_commit() or 'unknown'}. The patterns, their roles and bands are in "
              "`src/hlssim/experiments/validation.py`; docs/ODD.md, section 8, discusses them.", ""]
    return "\n".join(lines)


def side_by_side(table: pd.DataFrame, posterior: pd.DataFrame | None = None) -> str:
    """docs/ODD.md 8.3's tables: per role, each pattern at the default point and (given) over the posterior."""
    lines = []
    for role, (heading, _) in ROLE_HEADINGS.items():
        part = table[table.role == role]
        if part.empty:
            continue
        over = f"; over the posterior {counts(posterior, role)}" if posterior is not None else ""
        lines += [f"**{heading}**: at the default point {counts(table, role)}{over}.", "",
                  "| Pattern (key) | Quantity | Band | Default point: median [p10, p90] | Verdict |"
                  + (" Posterior: median [p10, p90] | Verdict |" if posterior is not None else ""),
                  "|" + "---|" * (7 if posterior is not None else 5)]
        for r in part.itertuples():
            row = (f"| {r.title} (`{r.pattern}`) | {r.quantity} | {_band(r.band_low, r.band_high)} | "
                   f"{fmt(r.median)} [{fmt(r.p10)}, {fmt(r.p90)}] | {r.verdict} |")
            if posterior is not None:
                q = posterior[posterior.pattern == r.pattern].iloc[0]
                row += f" {fmt(q['median'])} [{fmt(q.p10)}, {fmt(q.p90)}] | {q.verdict} |"
            lines.append(row)
        lines.append("")
    return "\n".join(lines)
