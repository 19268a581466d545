"""Design files: the levers a funder can pull, what makes a design good over plausible worlds, and how hard to look.

    name: contracts
    description: Which contract designs buy the most real flourishing for people with SMD ...
    audience: funders and commissioners
    base: funding-market                   # the place: a scenario (its world, people, workforce, market)
    fixed: {}                              # held the same in every run (dotted keys)
    levers:                                # what the funder chooses, each inside its parameter's hard range
      practices: [0, 1]                    # all six practices at one degree: 0 = NPM, 1 = HLS
      contract.share_at_risk: plausible    # its plausible range (docs/parameters.md)
      contract.price_smd: {range: [0, 6000], step: 250}
      contract.measure: [reported_outcomes, activity, learning_accounts]   # a choice parameter: its options
      market.providers: [1, 6]             # a whole number: whole-number bounds
    outside_plausible:                     # a lever reaching beyond its plausible range says why (else exit 2)
      contract.price_smd: the shipped presets pay up to £6,000 an SMD outcome (Work Programme groups)
    objectives:                            # readings (designs/readings: KEY or KEY_vs_bau) and their statistics
      flourishing_gain_smd_vs_bau: {robust: [mean, p10], epsilon: 0.005}
      cost_per_citizen_year: {robust: [mean, p90], epsilon: 50}
    constraints:                           # a statistic of a reading that every design must meet
      spend_per_citizen_year: {robust: p90, at_most: 1300}
    compare: [funding-block, funding-for-learning]   # shipped designs shown beside the front, on the same seeds
    posterior: default                     # each seed draws its world from this posterior (none: the defaults)
    budgets:                               # how hard to look: small (a first look) and default
      small: {citizens: 2000, weeks: 156, seeds: 4, evaluations: 320, population: 16}
      default: {citizens: 4000, weeks: 260, seeds: 10, evaluations: 2400, population: 40}
    seed: 1                                # the optimiser's seed

Every run's parameters are the base scenario's, then ``fixed``, then the budget's citizens, then the
design's levers. The file is read with the scenario files' safe YAML reader, and every error names the
file, the key and what is allowed, before any run starts.
"""

from __future__ import annotations

import math
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...params import PRACTICES, ParameterError, field_info, known_keys, resolve
from ...params import scenarios as scen
from ...params.files import check_keys, find_file, shipped_yaml
from ...params.scenarios import LIMITS, ScenarioError
from ...util.shipped import shipped_folder
from ...util.text import did_you_mean
from ..sweeps.file import NAME, NAME_RULE, _kind, _reworded, _scenario, _text, _whole, number_range, outside_plausible
from . import readings as rd

KEYS = ("name", "description", "audience", "base", "fixed", "levers", "outside_plausible", "objectives", "constraints",
        "compare", "posterior", "budgets", "seed")
REQUIRED = ("base", "levers", "objectives", "budgets")
LEVER_KEYS = ("range", "choices", "step")
OBJECTIVE_KEYS = ("robust", "epsilon")
CONSTRAINT_KEYS = ("robust", "at_most", "at_least")
BUDGET_KEYS = ("citizens", "weeks", "seeds", "evaluations", "population")
ALL_PRACTICES = "practices"          # a lever that sets the six practices at one degree (0 = NPM, 1 = HLS)
PRESETS = ("funding-block", "funding-pbr-flat", "funding-pbr-differential", "funding-for-learning")
MAX_OBJECTIVES = 8


@dataclass(frozen=True)
class Lever:
    """One thing a funder chooses: a parameter (or all six practices) with a range and a step, or its options."""

    key: str
    low: float = 0.0
    high: float = 1.0
    step: float | None = None      # values are rounded to ``low`` plus a multiple of this (whole numbers: 1)
    choices: tuple[Any, ...] = ()  # a choice parameter's options
    whole: bool = False

    @property
    def kind(self) -> str:
        return "choice" if self.choices else "whole" if self.whole else "number"

    @property
    def span(self) -> tuple[float, float]:
        """The real interval the optimiser searches: the range widened by half a step at each end, so every value
        on the lever's grid gets an equal share of it, and [0, k) for k options."""
        if self.choices:
            return 0.0, float(len(self.choices))
        half = (self.step or 0.0) / 2
        return self.low - half, self.high + half

    def decode(self, x: float) -> Any:
        """The value a point of the optimiser's interval stands for: an option, a whole number, or a number on the
        lever's grid (so designs read as a funder would write them, and a design met twice is run once)."""
        if self.choices:
            return self.choices[min(max(int(math.floor(x)), 0), len(self.choices) - 1)]
        value = self.low + round((x - self.low) / self.step) * self.step if self.step else x
        value = min(max(value, self.low), self.high)
        return int(round(value)) if self.whole else float(round(value, 10))

    def overrides(self, value: Any) -> dict[str, Any]:
        """The dotted keys this lever sets to ``value``."""
        if self.key == ALL_PRACTICES:
            return {f"practices.{p}": value for p in PRACTICES}
        return {self.key: value}

    def describe(self) -> str:
        if self.choices:
            return " | ".join(str(c) for c in self.choices)
        shown = f"{self.low:g} to {self.high:g}"
        return shown + (f" in steps of {self.step:g}" if self.step and self.step != 1 or not self.whole else "")


@dataclass(frozen=True)
class Objective:
    """A reading to raise or lower, judged by one or more statistics over the worlds; ``epsilon`` is the smallest
    difference in it that matters (in its unit): the optimiser's resolution."""

    reading: str
    statistics: tuple[str, ...]
    epsilon: float

    @property
    def better(self) -> str:
        return rd.reading(self.reading).better

    @property
    def columns(self) -> list[str]:
        return [column(self.reading, s) for s in self.statistics]


@dataclass(frozen=True)
class Constraint:
    """A statistic of a reading every design must meet: at most or at least a bound (a budget ceiling)."""

    reading: str
    statistic: str
    at_most: float | None = None
    at_least: float | None = None

    @property
    def column(self) -> str:
        return column(self.reading, self.statistic)

    def violation(self, value: float) -> float:
        """How far ``value`` misses the bound (0 when it is met; infinite when it is undefined)."""
        if math.isnan(value):
            return math.inf
        if self.at_most is not None:
            return max(0.0, value - self.at_most)
        return max(0.0, self.at_least - value)

    def describe(self) -> str:
        bound = f"at most {self.at_most:,g}" if self.at_most is not None else f"at least {self.at_least:,g}"
        return f"{self.statistic} of {self.reading} {bound}"


@dataclass(frozen=True)
class Budget:
    """How hard to look: the place's size and length, the worlds each design meets, and how many designs."""

    name: str
    citizens: int
    weeks: int
    seeds: int                 # worlds: seeds 1..seeds, each drawing its particle from the posterior
    evaluations: int           # designs the optimiser evaluates (each on every world)
    population: int            # designs per generation


@dataclass
class DesignFile:
    """A checked design file."""

    name: str
    base: scen.Scenario
    levers: tuple[Lever, ...]
    objectives: tuple[Objective, ...]
    budgets: dict[str, Budget]
    constraints: tuple[Constraint, ...] = ()
    compare: tuple[scen.Scenario, ...] = ()
    posterior: str | None = "default"
    fixed: dict[str, Any] = field(default_factory=dict)
    outside_plausible: dict[str, str] = field(default_factory=dict)
    seed: int = 1
    description: str = ""
    audience: str = ""
    path: Path | None = None
    source: str = ""

    @property
    def where(self) -> str:
        return str(self.path) if self.path else self.name

    @property
    def objective_columns(self) -> list[str]:
        return [c for o in self.objectives for c in o.columns]

    @property
    def readings(self) -> list[str]:
        """Every reading the file names (objectives first), once."""
        return list(dict.fromkeys([o.reading for o in self.objectives] + [c.reading for c in self.constraints]))

    def overrides(self, budget: Budget, values: dict[str, Any]) -> dict[str, Any]:
        """What a design (lever key -> value) sets on top of the base scenario, in the budget's place."""
        out = {**self.fixed, "population.citizens": budget.citizens}
        for lever in self.levers:
            out.update(lever.overrides(values[lever.key]))
        return out


def column(reading: str, statistic: str) -> str:
    """The column an objective or constraint statistic is kept in: ``READING__STATISTIC``."""
    return f"{reading}__{statistic}"


# --------------------------------------------------------------------------- reading


def shipped_dir() -> Path:
    """Where the shipped design files live: ``$HLSSIM_DESIGNS``, else the installed package's copy, else the
    repository's ``designs/``."""
    return shipped_folder("designs", "HLSSIM_DESIGNS")


def shipped() -> dict[str, Path]:
    return shipped_yaml(shipped_dir())


def find(ref: str | Path) -> Path:
    """A design file from a path, or from a shipped design file's name (``contracts``)."""
    return find_file(ref, shipped(), "design file")


def load(ref: str | Path) -> DesignFile:
    """Read and check a design file (a path or a shipped name); a bad one raises ScenarioError naming the file,
    the key and what is allowed (exit 2, before any run)."""
    path = find(ref)
    where = str(path)
    try:
        data = scen.read_yaml(path)
    except ScenarioError as err:
        message = str(err).removeprefix(f"{err.source}: {err.key}: ")
        raise ScenarioError(err.key, message.replace("a scenario", "a design file"), err.source) from None
    check_keys(data, KEYS, REQUIRED, where, "a design file")
    name = _text(data, "name", where, default=path.stem)
    if not NAME.match(name):
        raise ScenarioError("name", f"must be {NAME_RULE}; got {name!r}", where)
    base = _scenario(data["base"], "base", path, where, ())
    fixed = _fixed(data.get("fixed") or {}, base, where)
    levers = _levers(data["levers"], fixed, where)
    numbers = {lv.key: (lv.low, lv.high) for lv in levers if not lv.choices and lv.key != ALL_PRACTICES}
    reasons = outside_plausible(data.get("outside_plausible"), numbers, where, section="levers",
                                noun="a number lever of this file")
    objectives = _objectives(data["objectives"], where)
    constraints = _constraints(data.get("constraints") or {}, where)
    design = DesignFile(
        name=name, base=base, levers=levers, objectives=objectives, budgets=_budgets(data["budgets"], where),
        constraints=constraints, compare=_compare(data.get("compare", list(PRESETS)), path, where),
        posterior=_posterior(data.get("posterior", "default"), where), fixed=fixed, outside_plausible=reasons,
        seed=_whole(data, "seed", where, 0, LIMITS.seed, default=1), description=_text(data, "description", where),
        audience=_text(data, "audience", where), path=path, source=path.read_text(encoding="utf-8"))
    _check_corners(design, where)
    return design


def _fixed(value: Any, base: scen.Scenario, where: str) -> dict[str, Any]:
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise ScenarioError("fixed", f"must be a mapping of dotted parameter keys to values; got {_kind(value)}", where)
    if "population.citizens" in value:
        raise ScenarioError("fixed.population.citizens", "is set by each budget (budgets.NAME.citizens); remove it "
                            "here", where)
    try:
        resolve(None, {**base.overrides, **value})
    except ParameterError as err:
        raise _reworded(err, "fixed", where) from None
    return dict(value)


def _levers(value: Any, fixed: dict[str, Any], where: str) -> tuple[Lever, ...]:
    if not isinstance(value, dict) or not value:
        raise ScenarioError("levers", "must map at least one dotted parameter key (or 'practices') to its range, "
                            f"e.g. 'contract.share_at_risk: [0, 0.6]'; got {_kind(value)}", where)
    levers = tuple(_lever(str(key), spec, where) for key, spec in value.items())
    keys = [lv.key for lv in levers]
    for key in keys:
        if key in fixed:
            raise ScenarioError(f"fixed.{key}", "is also a lever; a key is either fixed or chosen", where)
    if ALL_PRACTICES in keys:
        each = next((k for k in keys if k.startswith("practices.")), None)
        if each:
            raise ScenarioError(f"levers.{each}", "the lever 'practices' already sets all six practices; give "
                                "either 'practices' or single practices", where)
        if any(k.startswith("practices.") for k in fixed):
            raise ScenarioError("fixed", "sets a practice that the lever 'practices' sets too", where)
    return levers


def _lever(key: str, spec: Any, where: str) -> Lever:
    at = f"levers.{key}"
    step = None
    if isinstance(spec, dict):
        unknown = [k for k in spec if k not in LEVER_KEYS]
        if unknown:
            raise ScenarioError(f"{at}.{unknown[0]}", f"unknown key{did_you_mean(str(unknown[0]), LEVER_KEYS)}; "
                                f"allowed: {', '.join(LEVER_KEYS)}", where)
        if ("range" in spec) == ("choices" in spec):
            raise ScenarioError(at, "give either range (a number parameter) or choices (a choice parameter)", where)
        step = spec.get("step")
        spec = spec.get("range", spec.get("choices"))
    if key == ALL_PRACTICES:
        low, high = _practices_range(spec, at, where)
        return Lever(key, low, high, _step(step, low, high, False, at, where))
    info = field_info(key)
    if info is None:
        raise ScenarioError(at, f"unknown parameter{did_you_mean(key, [*known_keys(), ALL_PRACTICES])}; a lever is a "
                            "dotted parameter key (docs/parameters.md) or 'practices' (all six at once)", where)
    options = _options(info.annotation)
    if options is not None:
        return _choice_lever(key, spec, options, step, at, where)
    if info.annotation not in (int, float):
        raise ScenarioError(at, f"only number and choice parameters can be levers; {key} is "
                            f"{getattr(info.annotation, '__name__', info.annotation)}", where)
    low, high = number_range(key, spec, where, section="levers")
    whole = info.annotation is int
    return Lever(key, low, high, _step(step, low, high, whole, at, where), whole=whole)


def _options(annotation: Any) -> tuple[Any, ...] | None:
    """The options of a choice parameter (a Literal, or true/false), or None for any other parameter."""
    if annotation is bool:
        return (False, True)
    if typing.get_origin(annotation) is typing.Literal:
        return typing.get_args(annotation)
    return None


def _choice_lever(key: str, spec: Any, options: tuple, step: Any, at: str, where: str) -> Lever:
    allowed = ", ".join(str(o).lower() if isinstance(o, bool) else str(o) for o in options)
    if step is not None:
        raise ScenarioError(f"{at}.step", "only a number lever has a step", where)
    if not isinstance(spec, list) or len(spec) < 2:
        raise ScenarioError(at, f"a choice parameter's lever is a list of two or more of its options: {allowed}; "
                            f"got {_kind(spec)}", where)
    for choice in spec:
        if choice not in options or isinstance(choice, bool) != isinstance(options[0], bool):
            raise ScenarioError(at, f"{choice!r} is not an option of {key}; allowed: {allowed}", where)
    if len(set(spec)) != len(spec):
        raise ScenarioError(at, "names an option twice", where)
    return Lever(key, choices=tuple(spec))


def _practices_range(spec: Any, at: str, where: str) -> tuple[float, float]:
    if (not isinstance(spec, list) or len(spec) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in spec)):
        raise ScenarioError(at, f"must be [low, high] inside [0, 1] (0 = NPM, 1 = HLS, for all six practices); "
                            f"got {_kind(spec)}", where)
    low, high = float(spec[0]), float(spec[1])
    if not 0.0 <= low < high <= 1.0:
        raise ScenarioError(at, f"[{low:g}, {high:g}] must lie inside [0, 1] with low < high (0 = NPM, 1 = HLS)",
                            where)
    return low, high


def _step(step: Any, low: float, high: float, whole: bool, at: str, where: str) -> float | None:
    """The lever's grid: given, or about a hundredth of its range in round figures (1, 2, 2.5 or 5 times a power
    of ten); whole numbers step by 1 unless told otherwise."""
    if step is None:
        if whole:
            return 1.0
        raw = (high - low) / 100.0
        power = 10 ** math.floor(math.log10(raw))
        return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if isinstance(step, bool) or not isinstance(step, int | float) or not 0 < step <= high - low:
        raise ScenarioError(f"{at}.step", f"must be a number > 0 and at most the range's width ({high - low:g}); "
                            f"got {_kind(step)}", where)
    if whole and not float(step).is_integer():
        raise ScenarioError(f"{at}.step", f"a whole-number lever steps by whole numbers; got {step}", where)
    return float(step)


def _objectives(value: Any, where: str) -> tuple[Objective, ...]:
    if not isinstance(value, dict) or not value:
        raise ScenarioError("objectives", "must map readings to {robust: [statistics], epsilon: number}, e.g. "
                            f"'flourishing_gain_smd_vs_bau: {{robust: [mean, p10], epsilon: 0.005}}'; got {_kind(value)}",
                            where)
    out = []
    for name, spec in value.items():
        name = str(name)
        at = f"objectives.{name}"
        found = _reading(name, at, "objective", where)
        _mapping(spec, OBJECTIVE_KEYS, at, where)
        statistics = spec.get("robust", ["mean", rd.worst_decile(found.better)])
        statistics = [statistics] if isinstance(statistics, str) else statistics
        if not isinstance(statistics, list) or not statistics or len(set(statistics)) != len(statistics):
            raise ScenarioError(f"{at}.robust", f"must be one or more different statistics of {', '.join(rd.STATISTICS)}"
                                f"; got {_kind(statistics)}", where)
        for s in statistics:
            _statistic(s, f"{at}.robust", where)
        epsilon = spec.get("epsilon")
        if isinstance(epsilon, bool) or not isinstance(epsilon, int | float) or not 0 < epsilon < math.inf:
            raise ScenarioError(f"{at}.epsilon", f"must be a number > 0: the smallest difference in {name} that "
                                f"matters ({found.unit}); got {_kind(epsilon)}", where)
        out.append(Objective(name, tuple(statistics), float(epsilon)))
    count = sum(len(o.statistics) for o in out)
    if not 2 <= count <= MAX_OBJECTIVES:
        raise ScenarioError("objectives", f"the statistics add up to {count} objective(s); a design search needs "
                            f"from 2 to {MAX_OBJECTIVES} (a trade-off, and a front a person can read)", where)
    return tuple(out)


def _mapping(spec: Any, allowed: tuple[str, ...], at: str, where: str) -> None:
    """An objective's or a constraint's settings: a mapping of the keys ``allowed``."""
    if not isinstance(spec, dict):
        raise ScenarioError(at, f"must be a mapping of {', '.join(allowed)}; got {_kind(spec)}", where)
    unknown = [k for k in spec if k not in allowed]
    if unknown:
        raise ScenarioError(f"{at}.{unknown[0]}", f"unknown key{did_you_mean(str(unknown[0]), allowed)}; allowed: "
                            f"{', '.join(allowed)}", where)


def _reading(name: str, at: str, what: str, where: str) -> rd.Reading:
    found = rd.reading(name)
    if found is None:
        raise ScenarioError(at, f"unknown {what}{did_you_mean(name, rd.names())}; allowed: a reading "
                            f"({', '.join(rd.READINGS)}), each also as KEY{rd.VS_BAU} (against business as usual "
                            "on the same world)", where)
    return found


def _statistic(value: Any, at: str, where: str) -> str:
    if value not in rd.STATISTICS:
        raise ScenarioError(at, f"unknown statistic {value!r}{did_you_mean(str(value), rd.STATISTICS)}; allowed: "
                            f"{', '.join(rd.STATISTICS)} (over the worlds: seeds, each a posterior draw)", where)
    return value


def _constraints(value: Any, where: str) -> tuple[Constraint, ...]:
    if not isinstance(value, dict):
        raise ScenarioError("constraints", "must map readings to {robust: statistic, at_most: number} (or at_least); "
                            f"got {_kind(value)}", where)
    out = []
    for name, spec in value.items():
        name = str(name)
        at = f"constraints.{name}"
        found = _reading(name, at, "constraint reading", where)
        _mapping(spec, CONSTRAINT_KEYS, at, where)
        statistic = _statistic(spec.get("robust", rd.worst_decile(found.better)), f"{at}.robust", where)
        if ("at_most" in spec) == ("at_least" in spec):
            raise ScenarioError(at, "give one bound: at_most or at_least", where)
        bound_key = "at_most" if "at_most" in spec else "at_least"
        bound = spec[bound_key]
        if isinstance(bound, bool) or not isinstance(bound, int | float) or not math.isfinite(bound):
            raise ScenarioError(f"{at}.{bound_key}", f"must be a number ({found.unit}); got {_kind(bound)}", where)
        if (bound_key == "at_most" and bound < found.low) or (bound_key == "at_least" and bound > found.high):
            raise ScenarioError(f"{at}.{bound_key}", f"no design can meet {bound_key.replace('_', ' ')} {bound:,g}: "
                                f"{name} ({found.unit}) lies from {found.low:,g} to {found.high:,g}", where)
        out.append(Constraint(name, statistic, **{bound_key: float(bound)}))
    return tuple(out)


def _compare(value: Any, path: Path, where: str) -> tuple[scen.Scenario, ...]:
    refs = [value] if isinstance(value, str) else value
    if not isinstance(refs, list):
        raise ScenarioError("compare", f"must be a list of scenarios (shipped names or paths); got {_kind(value)}", where)
    chosen = tuple(_scenario(ref, f"compare[{i}]", path, where, ()) for i, ref in enumerate(refs))
    names = [s.name for s in chosen]
    if len(set(names)) != len(names):
        raise ScenarioError("compare", f"names a scenario twice: {names}", where)
    return chosen


def _posterior(value: Any, where: str) -> str | None:
    if value is None or value == "none":
        return None
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError("posterior", "must be a posterior's name (default), a posterior.csv, a calibration's "
                            f"folder, or none (every world at the parameters as given); got {_kind(value)}", where)
    return value.strip()


def _budgets(value: Any, where: str) -> dict[str, Budget]:
    if not isinstance(value, dict) or "small" not in value or "default" not in value:
        raise ScenarioError("budgets", "must name at least 'small' and 'default', each with " + ", ".join(BUDGET_KEYS),
                            where)
    limits = {"citizens": (100, 1_000_000), "weeks": (13, LIMITS.weeks), "seeds": (1, 1_000),
              "evaluations": (4, 1_000_000), "population": (4, 10_000)}
    out = {}
    for name, spec in value.items():
        at = f"budgets.{name}"
        if not isinstance(spec, dict):
            raise ScenarioError(at, "must be a mapping of " + ", ".join(BUDGET_KEYS), where)
        unknown = [k for k in spec if k not in BUDGET_KEYS]
        if unknown:
            raise ScenarioError(f"{at}.{unknown[0]}", f"unknown key{did_you_mean(str(unknown[0]), BUDGET_KEYS)}; "
                                f"allowed: {', '.join(BUDGET_KEYS)}", where)
        got = {key: _whole(spec, key, where, *limits[key]) if key in spec else None for key in BUDGET_KEYS}
        missing = [k for k, v in got.items() if v is None]
        if missing:
            raise ScenarioError(f"{at}.{missing[0]}", f"missing; a budget needs {', '.join(BUDGET_KEYS)}", where)
        if got["evaluations"] < got["population"]:
            raise ScenarioError(f"{at}.evaluations", f"must be at least the population ({got['population']}): the "
                                "first generation alone evaluates that many designs", where)
        out[str(name)] = Budget(str(name), **got)
    return out


def _check_corners(design: DesignFile, where: str) -> None:
    """Every lever at its low end and at its high end (all together, and each alone) gives parameters the model
    accepts, so a combination the search could reach cannot fail half way (e.g. a minimum above a maximum)."""
    budget = next(iter(design.budgets.values()))
    ends = {lv.key: (lv.decode(lv.span[0]), lv.decode(lv.span[1] - 1e-9)) for lv in design.levers}
    middle = {lv.key: lv.decode(sum(lv.span) / 2) for lv in design.levers}
    trials = [{k: v[0] for k, v in ends.items()}, {k: v[1] for k, v in ends.items()}]
    for key, (low, high) in ends.items():
        trials += [{**middle, key: low}, {**middle, key: high}]
    for values in trials:
        try:
            resolve(None, {**design.base.overrides, **design.overrides(budget, values)})
        except ParameterError as err:
            raise ScenarioError(f"levers.{err.key}", f"at the lever's ends the model refuses the design: "
                                f"{str(err).split(': ', 1)[-1]}", where) from None


SPEND_KEYS = ("workforce.salary_per_year", "workforce.manager_salary_per_year", "workforce.workers_per_1000",
              "workforce.team_size", "population.citizens")


def check_budget_ceiling(design: DesignFile, budget: Budget, posterior=None) -> None:
    """Refuse (exit 2, before any run) a ceiling on the funder's spend or the whole public cost that no design could
    meet: staff are always paid, so a place's spend never falls below the staff cost not held back at risk
    (``readings.least_spend``), whatever the levers and whichever world the posterior draws."""
    ceilings = [c for c in design.constraints if c.at_most is not None and not c.reading.endswith(rd.VS_BAU)
                and c.reading in ("spend_per_citizen_year", "cost_per_citizen_year")]
    if not ceilings:
        return
    levers = {lv.key: lv for lv in design.levers}
    place = {**design.base.overrides, **design.overrides(budget, {k: lv.decode(lv.span[0]) for k, lv in levers.items()})}
    params = resolve(None, place)
    share = levers["contract.share_at_risk"].high if "contract.share_at_risk" in levers else params.contract.share_at_risk
    devolved = next((levers[k].low for k in (ALL_PRACTICES, "practices.resource_allocation") if k in levers),
                    params.practices.resource_allocation)
    worlds = [params]
    drawn = [k for k in SPEND_KEYS if posterior is not None and k in posterior.keys and k not in place]
    if drawn:                      # what the file sets wins over a draw, as in every run
        worlds += [resolve(None, {**place, **{k: particle[k] for k in drawn}})
                   for _, particle in posterior.particles.iterrows()]
    floor = min(rd.least_spend(p, share * (1.0 - devolved)) for p in worlds)
    for c in ceilings:
        if c.at_most < floor:
            raise ScenarioError(f"constraints.{c.reading}.at_most", f"no design can meet at most £{c.at_most:,g}: staff "
                                f"are always paid, so the funder spends at least £{floor:,.0f} per citizen a year in "
                                f"this place ({budget.citizens:,} citizens), holding back at most "
                                f"{share * (1.0 - devolved):.0%} at risk", design.where)
