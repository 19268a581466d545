"""What a design search says: the Pareto set, the presets against the front, the three designs a report names,
the designs on fresh worlds, and the report in Markdown. ``design_folder.write`` puts them in the search's folder,
with the figures (``design_figures``):

- ``pareto.csv``: one row per design on the epsilon-box front of the designs that meet the constraints: its
  levers, its objectives, and for every reading its mean and 10th and 90th percentiles over the worlds;
- ``designs.csv``: every design the search evaluated, with its objectives, constraints and generation;
- ``presets.csv``: business as usual and each preset the file compares, on the same worlds, with where each
  stands against the front (``behind_epsilons``: how far, in the objectives' epsilons; 0 or less: on it);
- ``holdout.csv``: the three named designs and the presets on as many fresh worlds, which the search never saw;
- ``convergence.csv``: per generation, the epsilon progress, the front's size and its hypervolume;
- ``report.md``, ``provenance.json``, ``design.yaml`` (the file as it was) and the figures ``pareto``
  (parallel coordinates), ``tradeoff`` and ``convergence`` (PNG and SVG).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..experiments.design import front as fr
from ..experiments.design import readings as rd
from ..experiments.design.file import Budget, DesignFile, column
from ..experiments.design.search import SearchResult, Verdict, epsilons, points
from ..params import resolve
from .design_words import design_in_words, lever_value
from .money import pounds

SHOWN_STATISTICS = ("mean", "p10", "p90")
BASELINE = "business-as-usual"
ROLES = {"best": "the best for {what}", "cheapest": "the cheapest that beats business as usual",
         "balance": "the best balance"}


@dataclass
class Pick:
    role: str            # best, cheapest, balance
    design: int          # its number among the designs evaluated
    why: str


@dataclass
class DesignSearch:
    """A finished search and everything its folder says."""

    design: DesignFile
    budget: Budget
    search_id: str
    result: SearchResult
    convergence: pd.DataFrame
    verdict: Verdict
    presets: dict[str, pd.DataFrame]              # name -> readings on each world (business as usual first)
    preset_levers: dict[str, dict[str, Any]]
    holdout: dict[str, pd.DataFrame] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)
    posterior: str | None = None                  # NAME@HASH

    @property
    def readings(self) -> list[str]:
        first = self.result.evaluations[0].worlds if self.result.evaluations else pd.DataFrame()
        return [c for c in first.columns if c not in ("seed", "run_id", "baseline_run")]


# --------------------------------------------------------------------------- tables


def stats(worlds: pd.DataFrame, readings: list[str]) -> dict[str, float]:
    """Each reading's mean and 10th and 90th percentiles over the worlds."""
    return {column(r, s): rd.statistic(worlds[r], s) for r in readings for s in SHOWN_STATISTICS}


def pareto(search: DesignSearch) -> pd.DataFrame:
    """The epsilon-box front of the designs that meet every constraint, best first on the first objective."""
    d = search.design
    every = search.result.frame()
    feasible = every[every.feasible].reset_index(drop=True)
    if feasible.empty:
        return feasible
    chosen = fr.epsilon_front(points(d, feasible), epsilons(d))
    rows = []
    by_number = {e.number: e for e in search.result.evaluations}
    for number in feasible.design.iloc[chosen]:
        e = by_number[int(number)]
        rows.append({"design": e.number, "generation": e.generation, **e.values, **e.objectives, **e.constraints,
                     **stats(e.worlds, search.readings), "runs": " ".join(str(i) for i in e.worlds.run_id)})
    first = d.objective_columns[0]
    ascending = d.objectives[0].better == "lower"
    return pd.DataFrame(rows).sort_values(first, ascending=ascending, kind="stable").reset_index(drop=True)


def _objectives_of(design: DesignFile, worlds: pd.DataFrame) -> tuple[dict[str, float], dict[str, float], float]:
    from ..experiments.design.search import score
    return score(design, worlds)


def presets_table(search: DesignSearch, front: pd.DataFrame) -> pd.DataFrame:
    """Business as usual and each preset on the search's worlds: levers, objectives, readings, whether they meet
    the constraints, and how far each is behind the front (in epsilons; 0 or less: on it), and which design on
    the front beats it by most."""
    d = search.design
    rows = []
    front_points = points(d, front) if len(front) else np.empty((0, len(d.objective_columns)))
    for name, worlds in search.presets.items():
        objectives, limits, violation = _objectives_of(d, worlds)
        row = {"name": name, **search.preset_levers.get(name, {}), **objectives, **limits,
               "meets_constraints": violation == 0.0, **stats(worlds, search.readings),
               "runs": " ".join(str(i) for i in worlds.run_id)}
        point = points(d, pd.DataFrame([objectives]))[0]
        margin, best = fr.behind(point, front_points, epsilons(d))
        row["behind_epsilons"] = margin
        row["beaten_most_by"] = int(front.design.iloc[best]) if best >= 0 and margin > 0 else None
        row["standing"] = (standing(margin, violation == 0.0) if len(front) else
                           "not compared: no design the search tried meets the constraints"
                           + ("" if violation == 0.0 else "; breaks a constraint"))
        rows.append(row)
    return pd.DataFrame(rows)


def standing(margin: float, meets: bool) -> str:
    """Where a design stands against the front, in words."""
    if math.isnan(margin):
        where = "cannot be placed (an objective is undefined)"
    elif margin <= 0:
        where = "on the front (no design found beats it on every objective)"
    elif margin <= 1:
        where = "near the front (beaten on every objective, but by less than one epsilon on at least one)"
    else:
        where = f"behind the front (a design beats it by at least {margin:.1f} epsilons on every objective)"
    return where + ("" if meets else "; breaks a constraint")


def picks(search: DesignSearch, front: pd.DataFrame) -> list[Pick]:
    """The three designs the report names: the best on the first objective, the cheapest that beats business as
    usual (on the first objective's reading, in 9 worlds of 10), and the one nearest the ideal point."""
    d = search.design
    if front.empty:
        return []
    first = d.objectives[0]
    best_row = front.iloc[0]
    chosen = [Pick("best", int(best_row.design), f"highest {first.statistics[0]} of {first.reading}"
                   if first.better == "higher" else f"lowest {first.statistics[0]} of {first.reading}")]
    versus = first.reading if first.reading.endswith(rd.VS_BAU) else first.reading + rd.VS_BAU
    beats_col = column(versus, rd.worst_decile(first.better))
    sign = 1.0 if first.better == "higher" else -1.0
    beats = front[sign * front[beats_col] > 0] if beats_col in front else front.iloc[0:0]
    money = next((o for o in d.objectives if rd.reading(o.reading).money and o.better == "lower"), None)
    if money is not None and len(beats):
        cost_col = column(money.reading, "mean")
        row = beats.sort_values(cost_col, kind="stable").iloc[0]
        chosen.append(Pick("cheapest", int(row.design), f"lowest mean {money.reading} among the designs on the front "
                           f"whose {beats_col.replace('__', ' ')} is above business as usual's"))
    k = fr.balance(points(d, front))
    chosen.append(Pick("balance", int(front.design.iloc[k]), "nearest the ideal point, each objective scaled from "
                       "its best to its worst value on the front"))
    return chosen


def holdout_table(search: DesignSearch) -> pd.DataFrame:
    """The named designs and the presets on fresh worlds: objectives and readings."""
    rows = []
    for name, worlds in search.holdout.items():
        objectives, limits, violation = _objectives_of(search.design, worlds)
        rows.append({"name": name, **objectives, **limits, "meets_constraints": violation == 0.0,
                     **stats(worlds, search.readings), "seeds": " ".join(str(s) for s in worlds.seed)})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- the report


def _value(reading: str, value: float) -> str:
    r = rd.reading(reading)
    if value is None or not math.isfinite(value):
        return "n/a"
    if r.money:
        return ("+" if r.against_bau and value > 0 else "") + pounds(value)
    return f"{value:+.3f}" if r.against_bau else f"{value:.3f}"


def _reading_line(reading: str, row: pd.Series) -> str:
    r = rd.reading(reading)
    return (f"{r.meaning}: {_value(reading, row[column(reading, 'mean')])} on average "
            f"(10th-90th percentile over the worlds {_value(reading, row[column(reading, 'p10')])} to "
            f"{_value(reading, row[column(reading, 'p90')])}; {r.unit})")


def context_of(design: DesignFile, budget: Budget, values: dict[str, Any]) -> dict[str, Any]:
    """A design's resolved parameters (dotted keys), for its description in words."""
    return resolve(None, {**design.base.overrides, **design.overrides(budget, values)}).flat()


def against_presets(search: DesignSearch, row: pd.Series, presets: pd.DataFrame) -> list[str]:
    """A table: how a design compares with business as usual and each preset on the same worlds, objective by
    objective (the design's value less theirs)."""
    d = search.design
    lines = ["| against | " + " | ".join(c.replace("__", " ") for c in d.objective_columns) + " |",
             "|---|" + "---|" * len(d.objective_columns)]
    for _, p in presets.iterrows():
        cells = []
        for o in d.objectives:
            for col in o.columns:
                diff = row[col] - p[col]
                money = rd.reading(o.reading).money
                shown = (("+" if diff > 0 else "") + pounds(diff)) if money else f"{diff:+.3f}"
                verdict = "" if diff == 0 else " better" if (diff > 0) == (o.better == "higher") else " worse"
                cells.append(shown + verdict)
        lines.append(f"| `{p['name']}` | " + " | ".join(cells) + " |")
    return lines


def _plain(value: Any) -> Any:
    """A value from a frame as plain Python (numpy integers and floats become int and float)."""
    return value.item() if hasattr(value, "item") else value


def markdown(search: DesignSearch, front: pd.DataFrame, presets: pd.DataFrame, chosen: list[Pick],
             holdout: pd.DataFrame) -> str:
    d, b = search.design, search.budget
    first = rd.READINGS[rd.reading(d.objectives[0].reading).key]
    lines = [f"# Design search `{d.name}`: {search.search_id}", "", d.description, ""]
    worlds = (f"seeds 1-{b.seeds}, each drawing its world from the posterior {search.posterior}" if search.posterior
              else f"seeds 1-{b.seeds} at the parameters as given (no posterior)")
    lines += ["## What was run", "",
              f"- **Place**: `{d.base.name}` with {b.citizens:,} citizens for {b.weeks} weeks"
              + (f", and {', '.join(f'`{k}`={v}' for k, v in d.fixed.items())}" if d.fixed else "") + ".",
              f"- **Worlds**: {worlds}. Every design, business as usual and the presets meet the same worlds "
              "(common random numbers).",
              "- **Levers**: " + "; ".join(f"`{lv.key}` {lv.describe()}" for lv in d.levers) + ".",
              "- **Objectives**: " + "; ".join(f"{rd.reading(o.reading).better} `{o.reading}` "
                                             f"({', '.join(o.statistics)}; epsilon {o.epsilon:g})"
                                             for o in d.objectives) + ".",
              "- **Constraints**: " + ("; ".join(c.describe() for c in d.constraints) or "none") + ".",
              f"- **Search**: {search.result.optimiser.get('algorithm', '')} through "
              f"{search.result.optimiser.get('library', '')}, {len(search.result.evaluations):,} designs in "
              f"{len(search.result.generations)} generations of {b.population}; seed {d.seed}.",
              f"- **Runs**: {search.provenance.get('runs', 0):,} in all, each design on each world once, in "
              f"{search.provenance.get('store', '')}; this sitting made {search.provenance.get('runs_new', 0):,} and "
              f"found {search.provenance.get('runs_found_stored', 0):,} asked for in the store (a design met again, "
              f"or an earlier sitting), in {search.provenance.get('wall_seconds', 0):,.0f} s.",
              ""]
    lines += ["## In brief", ""]
    if front.empty:
        lines += ["No design the search tried meets the constraints, so there is no front to name designs from. "
                  "`designs.csv` lists every design with how far it misses.", ""]
    by_number = front.set_index("design")
    said: dict[int, str] = {}
    for pick in chosen:
        title = ROLES[pick.role].format(what=first.short)
        title = title[0].upper() + title[1:]
        if pick.design in said:
            lines += [f"### {title}: design {pick.design}", "",
                      f"The same design as {said[pick.design]} (above), chosen again as the {pick.why}.", ""]
            continue
        said[pick.design] = title[0].lower() + title[1:]
        row = by_number.loc[pick.design]
        values = {lv.key: _plain(row[lv.key]) for lv in d.levers}
        lines += [f"### {title}: design {pick.design}", "",
                  f"Chosen as the {pick.why}.", "",
                  *[f"- {p}" for p in design_in_words(values, context_of(d, b, values))], "",
                  "Over the worlds:", "",
                  *[f"- {_reading_line(r, row)}" for r in search.readings if column(r, "mean") in row], "",
                  "Against business as usual and the presets on the same worlds (the design's value less theirs; "
                  "*better* or *worse* for the funder):", "",
                  *against_presets(search, row, presets), ""]
    if len(chosen) < 3 and not front.empty:
        lines += ["No design on the front beats business as usual on "
                  f"`{d.objectives[0].reading}` in 9 worlds of 10, or the file has no cost to lower: there is no "
                  "cheapest design that beats business as usual to name.", ""]
    lines += ["## The shipped presets against the front", "",
              "Each preset and business as usual on the same worlds. *Behind* is the additive epsilon indicator: "
              "the largest margin, in each objective's epsilon, by which one design on the front beats the preset on "
              "every objective at once (0 or less: nothing found beats it on every objective).", "",
              "| design | " + " | ".join(c.replace("__", " ") for c in d.objective_columns)
              + " | meets constraints | behind (epsilons) | standing |",
              "|---|" + "---|" * (len(d.objective_columns) + 3)]
    for _, p in presets.iterrows():
        cells = [_value(o.reading, p[c]) for o in d.objectives for c in o.columns]
        margin = p["behind_epsilons"]
        lines.append(f"| `{p['name']}` | " + " | ".join(cells) + f" | {'yes' if p['meets_constraints'] else 'no'} | "
                     f"{margin:.1f} | {p['standing']}" + (f"; most by design {int(p['beaten_most_by'])}"
                                                          if _named(p['beaten_most_by']) else "") + " |")
    lines += ["", *missed(search, front, presets), ""]
    if not holdout.empty:
        lines += ["## On fresh worlds the search never saw", "",
                  f"An optimiser picks designs that did well on its own worlds; some of that is luck. The named designs "
                  f"and the presets, run again on seeds {holdout.seeds.iloc[0].split()[0]}-"
                  f"{holdout.seeds.iloc[0].split()[-1]} (each its own draw from the posterior):", "",
                  "| design | " + " | ".join(c.replace("__", " ") for c in d.objective_columns)
                  + " | meets constraints |", "|---|" + "---|" * (len(d.objective_columns) + 1)]
        for _, h in holdout.iterrows():
            cells = [_value(o.reading, h[c]) for o in d.objectives for c in o.columns]
            lines.append(f"| {h['name']} | " + " | ".join(cells) + f" | {'yes' if h['meets_constraints'] else 'no'} |")
        lines.append("")
    lines += ["## Convergence", "", search.verdict.text + ".", "",
              "Epsilon progress counts the times the optimiser's archive found a new epsilon box; the hypervolume is "
              "the share of the box between the best and worst values any design reached that the front beats. "
              "`convergence.csv` has both for every generation, and `convergence.png` draws them.", "",
              "## What this is not", "",
              "A forecast. The front is what this model, with its assumptions (docs/ODD.md), says over these worlds; "
              f"each design is judged on {b.seeds} world(s), so a statistic of a few worlds is rough (with 4, the 10th "
              "percentile is close to the worst). A lever that does not act in a design (said in its words) is not a "
              "finding about that lever. "
              + ("Read the convergence above before reading much into the exact levers: a front that is not yet "
                 "stable would still move with a larger budget." if not search.verdict.stable else
                 "The front passed the convergence rule above; another seed of the optimiser could still find "
                 "designs elsewhere that are as good."), ""]
    return "\n".join(lines)


def _named(value: Any) -> bool:
    """Whether a cell names a design (a preset nothing beats has none: None, or NaN once in a frame)."""
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def missed(search: DesignSearch, front: pd.DataFrame, presets: pd.DataFrame) -> list[str]:
    """What the search found that the presets miss: for each preset behind the front, the design that beats it by
    most, and the levers where the two differ most (each lever's difference as a share of its range)."""
    d = search.design
    out = ["### What the search found that the presets miss", ""]
    by_number = front.set_index("design") if len(front) else front
    for _, p in presets.iterrows():
        if p["name"] == BASELINE or not _named(p["beaten_most_by"]):
            continue
        row = by_number.loc[int(p["beaten_most_by"])]
        gaps = []
        for lv in d.levers:
            mine, theirs = row[lv.key], p.get(lv.key)
            if theirs is None or (isinstance(theirs, float) and math.isnan(theirs)):
                continue
            if lv.choices:
                share = 0.0 if mine == theirs else 1.0
            else:
                share = abs(float(mine) - float(theirs)) / (lv.high - lv.low)
            if share >= 0.15:
                gaps.append((share, f"`{lv.key}` {lever_value(theirs)} → {lever_value(mine)}"))
        gaps.sort(key=lambda g: -g[0])
        gains = []
        for o in d.objectives:
            c = o.columns[0]
            diff = row[c] - p[c]
            gains.append(f"{c.replace('__', ' ')} {pounds(diff) if rd.reading(o.reading).money else f'{diff:+.3f}'}")
        out.append(f"- `{p['name']}` is beaten most by design {int(p['beaten_most_by'])} ({'; '.join(gains)}), which "
                   f"differs most in " + (", ".join(g for _, g in gaps[:5]) or "no lever by more than 15% of its range")
                   + ".")
    if len(out) == 2:
        out.append("- Every preset is on or near the front: the search found nothing that beats one of them on every "
                   "objective by more than the epsilons.")
    return out
