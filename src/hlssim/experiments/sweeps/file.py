"""Sweep files: an experiment design over any parameters, written in YAML and checked before anything runs.

A sweep file says which worlds to explore and what to compare in each::

    name: where-hls-wins
    description: Across plausible worlds, where does HLS buy more flourishing per pound than NPM?
    base: default                    # a scenario (shipped name or path), or a list of them
    fixed: {population.citizens: 600}   # held the same in every run
    levers: [npm, hls]               # compared at every point on the same seeds
    uncertainties:                   # varied: dotted key: [low, high], or 'plausible' for its plausible range
      world.uniqueness: plausible
      caseload.npm_cap: [20, 40]
    outside_plausible:               # a range beyond the plausible one must say why (docs/parameters.md)
      targets.pressure: the question is how the record fares from no pressure at all to full
    design: lhs                      # grid, lhs, sobol or morris
    points: 32
    seeds: 2
    weeks: 104
    outcomes: [flourishing_gain_per_1000_gbp, data_integrity]
    decide: {outcome: flourishing_gain_per_1000_gbp, better: higher}   # or a list: one answer per outcome
    heatmap: [world.uniqueness, caseload.npm_cap]   # optional: else the two most influential

A lever is ``npm`` or ``hls``, a scenario (its name or path), or a mapping with a ``name`` and
any of ``scenario``, ``regime``, ``practices`` (a per-practice mix) and ``set`` (dotted keys).
Each run's parameters are the base scenario's, then ``fixed``, then the lever's, then the design
point's: the point comes last so every lever meets the same world. The file is read with the
scenario files' safe YAML reader, and every error names the file, the key and what is allowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...params import (PRACTICES, ParameterError, bounds, describe, field_info, plausible, plausible_source,
                       regime_preset, resolve)
from ...params import scenarios as scen
from ...params.files import check_keys, find_file, shipped_yaml
from ...params.scenarios import LIMITS, ScenarioError
from ...util.shipped import shipped_folder
from ...util.text import did_you_mean
from . import outcomes as readings

DESIGNS = ("grid", "lhs", "sobol", "morris")
PLAUSIBLE = "plausible"      # an uncertainty's range written as this word: its plausible range
KEYS = ("name", "description", "audience", "base", "fixed", "levers", "uncertainties", "outside_plausible", "design",
        "points", "levels", "seeds", "weeks", "outcomes", "decide", "heatmap", "design_seed")
REQUIRED = ("levers", "uncertainties", "design", "points", "outcomes")
LEVER_KEYS = ("name", "scenario", "regime", "practices", "set")
DECIDE_KEYS = ("outcome", "better", "threshold")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
NAME_RULE = "a short name of letters, digits, '.', '_' and '-' (at most 80 characters)"


@dataclass(frozen=True)
class Lever:
    """One way of running the service that the sweep compares: a name and the overrides it sets."""

    name: str
    overrides: dict[str, Any]


@dataclass(frozen=True)
class Decision:
    """Which outcome says who is ahead at a point, which way is better, and (one lever only) the line to cross."""

    outcome: str
    better: str
    threshold: float | None = None


@dataclass
class Sweep:
    """A checked sweep file: the worlds (bases, fixed keys, uncertainties), the levers, the design and outcomes."""

    name: str
    bases: list[scen.Scenario]
    levers: list[Lever]
    uncertainties: dict[str, tuple[float, float]]
    design: str
    points: int
    seeds: int
    weeks: int
    outcomes: list[str]
    decide: Decision                 # the first answer: who is ahead on this outcome
    fixed: dict[str, Any] = field(default_factory=dict)
    also_decide: tuple[Decision, ...] = ()      # further answers, each on its own outcome (decide: a list)
    outside_plausible: dict[str, str] = field(default_factory=dict)   # key -> why its range leaves the plausible one
    levels: int = 4
    heatmap: tuple[str, str] | None = None
    design_seed: int = 1
    description: str = ""
    audience: str = ""
    path: Path | None = None
    source: str = ""

    @property
    def where(self) -> str:
        return str(self.path) if self.path else self.name


# --------------------------------------------------------------------------- reading


def shipped_dir() -> Path:
    """Where the shipped sweeps live: ``$HLSSIM_SWEEPS``, else the installed package's copy (package data),
    else the repository's ``sweeps/``; never the working directory."""
    return shipped_folder("sweeps", "HLSSIM_SWEEPS")


def shipped() -> dict[str, Path]:
    return shipped_yaml(shipped_dir())


def find(ref: str | Path) -> Path:
    """A sweep file from a path, or from a shipped sweep's name (``where-hls-wins``)."""
    return find_file(ref, shipped(), "sweep")


def load(ref: str | Path) -> Sweep:
    """Read and check a sweep file (a path or a shipped sweep's name); a bad one raises ScenarioError naming
    the file, the key and what is allowed."""
    path = find(ref)
    where = str(path)
    data = _read(path)
    check_keys(data, KEYS, REQUIRED, where, "a sweep file")
    name = _text(data, "name", where, default=path.stem)
    if not NAME.match(name):
        raise ScenarioError("name", f"must be {NAME_RULE}; got {name!r}", where)
    bases = _bases(data.get("base", "default"), path, where)
    fixed = _fixed(data.get("fixed") or {}, bases, where)
    levers = _levers(data["levers"], path, where)
    uncertainties = _uncertainties(data["uncertainties"], fixed, where)
    reasons = outside_plausible(data.get("outside_plausible"), uncertainties, where)
    design = data["design"]
    if design not in DESIGNS:
        raise ScenarioError("design", f"unknown design {design!r}{did_you_mean(str(design), DESIGNS)}; "
                            f"allowed: {', '.join(DESIGNS)}", where)
    points = _whole(data, "points", where, 1, LIMITS.sweep_points)
    levels = _whole(data, "levels", where, 2, 100, default=4)
    _check_design(design, points, levels, uncertainties, "levels" in data, where)
    seeds = _whole(data, "seeds", where, 1, LIMITS.seeds, default=1)
    weeks = _whole(data, "weeks", where, 1, LIMITS.weeks, default=260)
    outcomes = _outcomes(data["outcomes"], where)
    decisions = _decisions(data.get("decide"), outcomes, len(levers), where)
    sweep = Sweep(name=name, bases=bases, levers=levers, uncertainties=uncertainties, design=design,
                  points=points, seeds=seeds, weeks=weeks, outcomes=outcomes,
                  decide=decisions[0], also_decide=tuple(decisions[1:]), outside_plausible=reasons, fixed=fixed,
                  levels=levels, heatmap=_heatmap(data.get("heatmap"), uncertainties, where),
                  design_seed=_whole(data, "design_seed", where, 0, LIMITS.seed, default=1),
                  description=_text(data, "description", where), audience=_text(data, "audience", where),
                  path=path, source=path.read_text(encoding="utf-8"))
    runs = design_size(sweep) * len(bases) * len(levers) * seeds
    if runs > LIMITS.sweep_runs:
        raise ScenarioError("points", f"the design makes {runs:,} runs; a sweep may make at most {LIMITS.sweep_runs:,} "
                            "(fewer points, seeds, levers or bases)", where)
    return sweep


def _read(path: Path) -> dict[str, Any]:
    """The scenario files' reader (size, encoding, safe YAML, a mapping at the top), in a sweep's words."""
    try:
        return scen.read_yaml(path)
    except ScenarioError as err:
        message = str(err).removeprefix(f"{err.source}: {err.key}: ")
        raise ScenarioError(err.key, message.replace("scenario", "sweep"), err.source) from None


def design_size(sweep: Sweep) -> int:
    """Design points: grid values**k, lhs points, sobol N*(k+2) (first and total order), morris r*(k+1)."""
    k = len(sweep.uncertainties)
    return {"grid": sweep.points ** k, "lhs": sweep.points, "sobol": sweep.points * (k + 2),
            "morris": sweep.points * (k + 1)}[sweep.design]


def _kind(value: Any) -> str:
    return scen._kind(value)   # noqa: SLF001 - the scenario files' words for a wrong value


def _text(data: dict, key: str, where: str, default: str = "") -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or (key in data and not value.strip()):
        raise ScenarioError(key, f"must be a non-empty piece of text; got {_kind(value)}", where)
    return value.strip()


def _whole(data: dict, key: str, where: str, low: int, high: int, default: int | None = None) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        shown = value if isinstance(value, int) and not isinstance(value, bool) else _kind(value)
        raise ScenarioError(key, f"must be a whole number from {low:,} to {high:,}; got {shown}", where)
    return value


def _reworded(err: ParameterError, prefix: str, where: str) -> ScenarioError:
    """A parameter error from resolve(), re-addressed to the sweep file's key."""
    message = str(err)
    for head in (f"{err.source}: {err.key}: ", f"{err.key}: "):
        message = message.removeprefix(head)
    return ScenarioError(f"{prefix}.{err.key}" if prefix else err.key, message, where)


# --------------------------------------------------------------------------- the parts


def _bases(value: Any, path: Path, where: str) -> list[scen.Scenario]:
    refs = value if isinstance(value, list) else [value]
    if not refs:
        raise ScenarioError("base", "must be a scenario's name or path, or a list of them; got an empty list", where)
    bases = [_scenario(ref, "base", path, where, ("default",)) for ref in refs]
    names = [b.name for b in bases]
    if len(set(names)) != len(names):
        raise ScenarioError("base", f"names a scenario twice: {names}", where)
    return bases


def _scenario(ref: Any, key: str, path: Path, where: str, also: tuple[str, ...]) -> scen.Scenario:
    """A scenario named in the sweep file: 'default', a shipped name, or a path relative to the file;
    ``also`` are the other words allowed where it is named, for the message."""
    if ref == "default":
        return scen.Scenario(name="default", description="every parameter at its documented default")
    if not isinstance(ref, str) or not ref.strip():
        raise ScenarioError(key, f"must be a scenario's name or path; got {_kind(ref)}", where)
    try:
        found = scen.find(ref, relative_to=path.parent)
    except FileNotFoundError:
        shipped = list(scen.shipped())
        words = ", ".join(repr(w) for w in also)
        raise ScenarioError(key, f"no scenario {ref!r}{did_you_mean(ref, [*also, *shipped])}; allowed: {words}, a "
                            f"shipped scenario ({', '.join(shipped)}) or a path relative to the sweep file",
                            where) from None
    return scen.load(found)


def _dotted(value: Any, key: str, where: str) -> dict[str, Any]:
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise ScenarioError(key, f"must be a mapping of dotted parameter keys to values, e.g. "
                            f"'{key}: {{population.citizens: 500}}'; got {_kind(value)}", where)
    return dict(value)


def _fixed(value: Any, bases: list[scen.Scenario], where: str) -> dict[str, Any]:
    fixed = _dotted(value, "fixed", where)
    for base in bases:
        try:
            resolve(None, {**base.overrides, **fixed})
        except ParameterError as err:
            raise _reworded(err, "fixed", where) from None
    return fixed


def _levers(value: Any, path: Path, where: str) -> list[Lever]:
    if not isinstance(value, list) or not value:
        raise ScenarioError("levers", f"must be a list of what to compare, e.g. '[npm, hls]'; got {_kind(value)}",
                            where)
    levers = [_lever(item, f"levers[{i}]", path, where) for i, item in enumerate(value)]
    names = [lever.name for lever in levers]
    twice = next((n for n in names if names.count(n) > 1), None)
    if twice:
        raise ScenarioError("levers", f"two levers are named {twice!r}; give each a different 'name'", where)
    return levers


def _lever(item: Any, key: str, path: Path, where: str) -> Lever:
    if isinstance(item, str):
        item = {"name": item, "regime": item} if item in ("npm", "hls") else {"name": Path(item).stem, "scenario": item}
    if not isinstance(item, dict):
        raise ScenarioError(key, f"must be npm, hls, a scenario's name or a mapping with a name; got {_kind(item)}",
                            where)
    unknown = [k for k in item if k not in LEVER_KEYS]
    if unknown:
        raise ScenarioError(f"{key}.{unknown[0]}", f"unknown key{did_you_mean(str(unknown[0]), LEVER_KEYS)}; "
                            f"allowed: {', '.join(LEVER_KEYS)}", where)
    name = item.get("name")
    if not isinstance(name, str) or not NAME.match(name):
        raise ScenarioError(f"{key}.name", f"must be {NAME_RULE}; got {_kind(name)}", where)
    overrides: dict[str, Any] = {}
    if "scenario" in item:
        overrides.update(_scenario(item["scenario"], f"{key}.scenario", path, where, ("npm", "hls")).overrides)
    try:
        overrides.update(regime_preset(item.get("regime"), where))
    except ParameterError as err:
        raise _reworded(err, key, where) from None
    mix = item.get("practices") or {}
    if not isinstance(mix, dict):
        raise ScenarioError(f"{key}.practices", f"must be a mapping of practices to npm, hls or a number in [0, 1]; "
                            f"got {_kind(mix)}", where)
    for practice, degree in mix.items():
        if practice not in PRACTICES:
            raise ScenarioError(f"{key}.practices.{practice}", f"unknown practice"
                                f"{did_you_mean(str(practice), PRACTICES)}; allowed: {', '.join(PRACTICES)}", where)
        overrides[f"practices.{practice}"] = degree
    overrides.update(_dotted(item.get("set") or {}, f"{key}.set", where))
    try:
        resolve(None, overrides)
    except ParameterError as err:
        raise _reworded(err, key, where) from None
    return Lever(name, overrides)


def _uncertainties(value: Any, fixed: dict[str, Any], where: str) -> dict[str, tuple[float, float]]:
    if not isinstance(value, dict) or not value:
        raise ScenarioError("uncertainties", "must map at least one dotted parameter key to [low, high], e.g. "
                            f"'world.uniqueness: [0.2, 1.0]'; got {_kind(value)}", where)
    out = {}
    for key, span in value.items():
        out[str(key)] = number_range(str(key), span, where)
        if key in fixed:
            raise ScenarioError(f"fixed.{key}", "is also an uncertainty; a key is either fixed or varied", where)
    return out


def number_range(key: str, span: Any, where: str, section: str = "uncertainties") -> tuple[float, float]:
    """``span`` (``[low, high]`` or the word ``plausible``) checked for the number parameter ``key``: inside what
    the parameter allows, whole-number bounds for a whole number. Errors name ``section.key`` (a sweep's
    uncertainties, a design search's levers)."""
    at = f"{section}.{key}"
    info = field_info(key)
    if info is None:
        from ...params import known_keys
        raise ScenarioError(at, f"unknown parameter{did_you_mean(key, known_keys())}; keys look like "
                            "'world.uniqueness' (docs/parameters.md)", where)
    whole = info.annotation is int
    if info.annotation not in (int, float):
        raise ScenarioError(at, f"only number parameters can be varied; {key} is {describe(key)}", where)
    if span == PLAUSIBLE:
        span = plausible(key)
        if span is None:
            raise ScenarioError(at, f"{key} has no plausible range (it is structural: docs/parameters.md); give "
                                "[low, high]", where)
        span = list(span)
    if (not isinstance(span, list) or len(span) != 2
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in span)):
        raise ScenarioError(at, f"must be [low, high], two numbers; got {_kind(span)}", where)
    low, high = span
    if not low < high:
        raise ScenarioError(at, f"low must be below high; got [{low}, {high}]", where)
    if whole and not (float(low).is_integer() and float(high).is_integer()):
        raise ScenarioError(at, f"{key} is a whole number; give whole-number bounds; got [{low}, {high}]", where)
    if outside(key, low, high):
        raise ScenarioError(at, f"[{low}, {high}] goes outside what the parameter allows: {describe(key)}", where)
    return (int(low), int(high)) if whole else (float(low), float(high))


def outside_plausible(value: Any, ranges: dict[str, tuple[float, float]], where: str,
                      section: str = "uncertainties", noun: str = "an uncertainty of this sweep") -> dict[str, str]:
    """Why each range (a sweep's uncertainty, a design search's lever) that leaves its parameter's plausible range
    does so; one that leaves it unexplained is refused, and so is a reason for a range that does not."""
    reasons = {} if value is None else value
    if not isinstance(reasons, dict) or not all(isinstance(v, str) and v.strip() for v in reasons.values()):
        raise ScenarioError("outside_plausible", f"must map a dotted key of the file's {section} to a sentence saying "
                            f"why its range leaves the plausible one; got {_kind(value)}", where)
    for key in reasons:
        if key not in ranges:
            raise ScenarioError(f"outside_plausible.{key}", f"not {noun}; allowed: {', '.join(ranges)}", where)
    for key, (low, high) in ranges.items():
        span = plausible(key)
        beyond = span is not None and (low < span[0] or high > span[1])
        if beyond and key not in reasons:
            raise ScenarioError(f"{section}.{key}", f"[{low:g}, {high:g}] goes outside the plausible range "
                                f"[{span[0]:g}, {span[1]:g}] ({plausible_source(key)}); narrow it (or write "
                                f"'{PLAUSIBLE}'), or say why under outside_plausible: {{{key}: ...}}", where)
        if not beyond and key in reasons:
            raise ScenarioError(f"outside_plausible.{key}", "its range is inside the plausible one (or it has "
                                "none): nothing to explain; remove the entry", where)
    return {k: v.strip() for k, v in reasons.items()}


def outside(key: str, low: float, high: float) -> bool:
    """Whether [low, high] reaches beyond the range the parameter table allows for ``key``."""
    limits = bounds(field_info(key))
    return (("ge" in limits and low < limits["ge"]) or ("gt" in limits and low <= limits["gt"])
            or ("le" in limits and high > limits["le"]) or ("lt" in limits and high >= limits["lt"]))


def _check_design(design: str, points: int, levels: int, uncertainties: dict, has_levels: bool, where: str) -> None:
    if has_levels and design != "morris":
        raise ScenarioError("levels", f"only a morris design has levels; this design is {design}", where)
    if design == "grid" and points < 2:
        raise ScenarioError("points", "a grid needs at least 2 values per parameter", where)
    if design == "grid":
        for key, (low, high) in uncertainties.items():
            if isinstance(low, int) and high - low + 1 < points:
                raise ScenarioError(f"uncertainties.{key}", f"a grid of {points} values needs {points} whole "
                                    f"numbers; [{low}, {high}] has {high - low + 1}", where)
    if design == "sobol" and (points < 2 or points & (points - 1)):
        raise ScenarioError("points", f"a sobol design needs N a power of 2 (2, 4, 8, 16, ...); got {points}", where)
    if design == "morris" and (points < 2 or levels % 2):
        what = "at least 2 trajectories" if points < 2 else f"an even number of levels; got {levels}"
        raise ScenarioError("points" if points < 2 else "levels", f"a morris design needs {what}", where)


def _heatmap(value: Any, uncertainties: dict, where: str) -> tuple[str, str] | None:
    if value is None:
        return None
    if (not isinstance(value, list) or len(value) != 2 or len(set(map(str, value))) != 2
            or not all(v in uncertainties for v in value)):
        raise ScenarioError("heatmap", f"must be two different uncertainties, e.g. '[{', '.join(list(uncertainties)[:2])}]'"
                            f"; got {_kind(value)}; allowed: {', '.join(uncertainties)}", where)
    return value[0], value[1]


def _outcomes(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ScenarioError("outcomes", f"must be a list of summary keys, e.g. '[flourishing_gain, data_integrity]'; "
                            f"got {_kind(value)}", where)
    allowed = readings.outcome_keys()
    for key in value:
        if key not in allowed:
            raise ScenarioError(f"outcomes.{key}", f"not a summary key{did_you_mean(key, allowed)}; allowed: the "
                                f"keys in docs/metrics.md and {', '.join(readings.DERIVED)}", where)
    if len(set(value)) != len(value):
        raise ScenarioError("outcomes", "names a key twice", where)
    return list(value)


def _decisions(value: Any, outcomes: list[str], levers: int, where: str) -> list[Decision]:
    """``decide``: one mapping, or a list of them (one answer per outcome: who is ahead on each)."""
    if not isinstance(value, list):
        return [_decision(value, outcomes, levers, where, "decide")]
    if not value:
        raise ScenarioError("decide", "an empty list; give one or more mappings of outcome and better", where)
    decisions = [_decision(item, outcomes, levers, where, f"decide[{i}]") for i, item in enumerate(value)]
    named = [d.outcome for d in decisions]
    if len(set(named)) != len(named):
        raise ScenarioError("decide", f"names an outcome twice: {named}", where)
    if len(decisions) > 1 and levers < 2:
        raise ScenarioError("decide", "several answers need several levers to compare", where)
    return decisions


def _decision(value: Any, outcomes: list[str], levers: int, where: str, at: str = "decide") -> Decision:
    value = {} if value is None else value
    if not isinstance(value, dict):
        raise ScenarioError(at, f"must be a mapping: outcome, better (higher or lower), threshold; "
                            f"got {_kind(value)}", where)
    unknown = [k for k in value if k not in DECIDE_KEYS]
    if unknown:
        raise ScenarioError(f"{at}.{unknown[0]}", f"unknown key{did_you_mean(str(unknown[0]), DECIDE_KEYS)}; "
                            f"allowed: {', '.join(DECIDE_KEYS)}", where)
    outcome = value.get("outcome", outcomes[0])
    if outcome not in outcomes:
        raise ScenarioError(f"{at}.outcome", f"{outcome!r} is not one of this sweep's outcomes: "
                            f"{', '.join(outcomes)}", where)
    direction = value.get("better", readings.better(outcome))
    if direction not in ("higher", "lower"):
        raise ScenarioError(f"{at}.better", f"must be higher or lower (for {outcome} there is no usual "
                            f"direction, so say which); got {_kind(direction)}", where)
    threshold = value.get("threshold")
    if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, (int, float))):
        raise ScenarioError(f"{at}.threshold", f"must be a number; got {_kind(threshold)}", where)
    if threshold is not None and levers > 1:
        raise ScenarioError(f"{at}.threshold", "only for a sweep with one lever (with several, the levers "
                            "are compared with each other)", where)
    return Decision(outcome, direction, None if threshold is None else float(threshold))
