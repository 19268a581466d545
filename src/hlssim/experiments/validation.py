"""What the model reproduces: patterns from published research and the seed, each a small experiment.

Each :class:`Pattern` names its source, the quantity it measures (with unit), the band the
literature or seed leads one to expect, the arms it runs (regime, overrides, weeks; every arm on
the same seeds, so comparisons are paired), and its **role**:

- ``calibration``: a target ``hlssim calibrate`` fits (calibration/default.yaml): a fit, not evidence;
- ``validation``: an independent pattern, from a source other than the seed report, never used in
  calibration: the evidence;
- ``mechanism``: true, or nearly, by construction (a check of the code, listed apart, not counted);
- ``seed_claim``: the seed report's own claims, tested and reported, not evidence.

A pattern **holds** only when the 10th-90th percentile interval of its quantity, across seeds (and,
with a posterior, across the parameter draws that go with them), lies inside its band; it **fails**
when the interval lies wholly outside; otherwise it is **unclear**. Medians alone are never read, so
a verdict cannot pass on noise. All arms of all patterns go through the one runner in one batch.
Nothing here is tuned to make a pattern hold (docs/ODD.md, section 8).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..outputs.stats import Spread, spread
from .runner import RunSpec, run_all

DIALS = ("world.uniqueness", "world.interdependence", "world.dynamism")
PBR_PLAN = {"contract.share_at_risk": 0.0, "incentives.target_weight": 0.0, "contract.price_stable": 0.0,
            "contract.price_complex": 0.0, "contract.price_smd": 0.0}   # the same contract, nothing paid per result
# The Work Programme paid for job outcomes attained, not distance travelled (targets.outcome_level), and
# checked claims against benefit and tax records (incentives.inspection_rate), as funding-pbr-flat does.
FUNDING_PBR = {"market.providers": 4, "workforce.team_size": 5, "contract.share_at_risk": 0.5,
               "contract.price_stable": 1000.0, "contract.price_complex": 1000.0, "contract.price_smd": 1000.0,
               "targets.outcome_level": 0.5, "incentives.inspection_rate": 0.5}
HLS_MENU = {"practices.resource_allocation": 0.0, "contract.share_at_risk": 0.0}   # HLS, service money on the menu
CLOSED = {"world.uniqueness": 0.0, "world.interdependence": 0.0, "world.dynamism": 0.0, "population.smd_share": 0.0,
          "targets.measured_domains": "housing,health,income_work,relationships,safety,purpose",
          "measurement.proxy_noise_sd": 0.0}


ROLES = ("calibration", "validation", "mechanism", "seed_claim")
HOLDS, UNCLEAR, FAILS = "holds", "unclear", "fails"
INF = math.inf


@dataclass(frozen=True)
class Arm:
    regime: str
    overrides: dict[str, Any] = field(default_factory=dict)
    weeks: int | None = None      # None: the validation's own length


Values = dict[str, list[dict]]   # arm name -> one summary per seed, seeds in the same order in every arm


@dataclass(frozen=True)
class Pattern:
    key: str
    title: str
    source: str
    quantity: str
    expected: str
    arms: dict[str, Arm]
    measure: Callable[[Values], np.ndarray]       # one value of the quantity per seed
    band: tuple[float, float]                      # the quantity's 10th-90th interval must lie inside this
    role: str = "validation"
    against: str = ""                              # which paradigm the pattern cuts against, if either


def verdict(s: Spread, band: tuple[float, float]) -> str:
    """holds: the 10th-90th interval inside the band; fails: wholly outside it; unclear: it straddles a bound."""
    low, high = band
    if not (np.isfinite(s.low) and np.isfinite(s.high)):
        return "n/a"
    if low <= s.low and s.high <= high:
        return HOLDS
    if s.high < low or s.low > high:
        return FAILS
    return UNCLEAR


def _key(values: Values, arm: str, key: str) -> np.ndarray:
    return np.array([s[key] for s in values[arm]], dtype=float)


def _diff(a: str, b: str, key: str) -> Callable[[Values], np.ndarray]:
    """Per seed, arm ``b`` minus arm ``a`` on a summary key."""
    return lambda v: _key(v, b, key) - _key(v, a, key)


def _relative(a: str, b: str, key: str) -> Callable[[Values], np.ndarray]:
    """Per seed, arm ``b`` over arm ``a`` on a summary key, minus 1."""
    return lambda v: _key(v, b, key) / _key(v, a, key) - 1


def _smd_spend(arm: str) -> Callable[[Values], np.ndarray]:
    """Per seed, the service's resources reaching citizens who started with SMD (staff time at cost and the
    service money spent on their cases, £ per SMD citizen-year)."""
    return lambda v: _key(v, arm, "smd_resources_per_smd_citizen_year")


def _rises_at_every_step(v: Values) -> np.ndarray:
    """Per seed, the smaller of the two rises in NPM's measured-effort share (pressure 0 to 0.5, 0.5 to 1)."""
    low, mid, high = (_key(v, arm, "measured_effort_share") for arm in ("npm_p0", "npm_p05", "npm_p1"))
    return np.minimum(mid - low, high - mid)


def patterns() -> list[Pattern]:
    """The fixed set of patterns the validation report checks, in order of role."""
    return [*_calibration(), *_validation(), *_mechanism(), *_seed_claims()]


def _calibration() -> list[Pattern]:
    """The calibration targets (calibration/default.yaml names them): fits, not evidence."""
    return [
        Pattern(
            "smd_crisis_cost_at_entry", "People with SMD use about £28,000 a year of crisis services at entry",
            "Fulfilling Lives evaluation (Moreton et al. 2021)",
            "NPM, first 13 weeks: crisis cost per citizen-year of those who started with SMD (£)",
            "about £28,000 (band ±20%: £22,400-£33,600)",
            {"entry": Arm("npm", {}, weeks=13)},
            lambda v: _key(v, "entry", "crisis_cost_per_smd_citizen_year"), (22_400, 33_600), "calibration"),
        Pattern(
            "turnover_in_sector_range", "Front-line turnover is 28-30% a year in business as usual",
            "Skills for Care 2023; Eby, Burk & Maher 2010 (33%)",
            "NPM: workers leaving per worker-year",
            "0.28-0.30 (band 0.21-0.49, the published range by job quality)",
            {"npm": Arm("npm")},
            lambda v: _key(v, "npm", "worker_turnover_rate"), (0.21, 0.49), "calibration"),
        Pattern(
            "exhaustion_share", "About 40% of mental-health and homelessness workers report high emotional exhaustion",
            "O'Connor, Muller Neff & Pitman 2018 (n = 9,409); Waegemakers Schiff & Lane 2019",
            "NPM: share of worker-weeks burnt out (stress above workforce.burnout_threshold)",
            "about 0.4 (band 0.2-0.6)",
            {"npm": Arm("npm")},
            lambda v: _key(v, "npm", "burnout_share"), (0.2, 0.6), "calibration"),
        Pattern(
            "discretion_inconsistency", "Where workers have discretion, about 5% of outcome variance lies between them",
            "Wampold & Brown 2005; Johns et al. 2019 (weighted mean 5%, routine practice 5%)",
            "HLS: between-worker share of the variance in cases' true gain",
            "about 0.05 (band 0.02-0.10)",
            {"hls": Arm("hls")},
            lambda v: _key(v, "hls", "between_worker_share"), (0.02, 0.10), "calibration", against="HLS"),
    ]


def _validation() -> list[Pattern]:
    """Independent patterns with sources other than the seed, never used in calibration: the evidence."""
    pbr_differential = {**FUNDING_PBR, "contract.price_complex": 1400.0, "contract.price_smd": 1800.0}
    return [
        Pattern(
            "effort_substitution", "Effort moves to the measured domains as more rides on the target",
            "Holmström & Milgrom 1991; Kerr 1975",
            "NPM: the smaller of the two rises in the share of relational hours spent on the measured domains, "
            "target pressure 0 to 0.5 and 0.5 to 1 (share points)",
            "positive: rises at every step (band > 0)",
            {"npm_p0": Arm("npm", {"targets.pressure": 0.0}), "npm_p05": Arm("npm", {"targets.pressure": 0.5}),
             "npm_p1": Arm("npm", {"targets.pressure": 1.0})},
            _rises_at_every_step, (0.0, INF), against="NPM"),
        Pattern(
            "parking_under_pbr", "Payment by results parks the hardest cases: they get about half of planned spend",
            "Work Programme: providers spent £630 per ESA claimant against £1,360 at bid (NAO data, Public "
            "Accounts Committee 2014); Inclusion 2014 (DWP funding £690 against £1,170); Rees, Whitworth & Carter "
            "2014",
            "the service's resources reaching citizens who started with SMD (staff time at cost and service money, "
            "£ per citizen-year) under payment by results for outcomes attained (half the budget at risk, four "
            "providers competing, flat prices, claims checked against records) over the same service with nothing "
            "paid per result",
            "about 0.46-0.6 (band 0.45-0.75)",
            {"plan": Arm("npm", {**FUNDING_PBR, **PBR_PLAN}), "pbr": Arm("npm", FUNDING_PBR)},
            lambda v: _smd_spend("pbr")(v) / _smd_spend("plan")(v), (0.45, 0.75), against="NPM"),
        Pattern(
            "smd_parked_more_under_pbr", "Under payment by results the hardest cases are parked more than the easier",
            "Rees, Whitworth & Carter 2014 (creaming and parking 'widespread and systematically embedded'); Carter "
            "& Whitworth 2015",
            "payment by results (flat prices): parked share of case-weeks of SMD cases minus of complex cases",
            "positive (band > 0)",
            {"pbr": Arm("npm", FUNDING_PBR)},
            lambda v: _key(v, "pbr", "parked_share_smd") - _key(v, "pbr", "parked_share_complex"), (0.0, INF),
            against="NPM"),
        Pattern(
            "differential_prices_still_park", "Higher prices for harder cases do not stop the focus on the easier",
            "NAO 2014 (The Work Programme, HC 266); Carter & Whitworth 2015",
            "the service's spend on SMD citizens under payment by results with prices rising with difficulty "
            "(£1,000 / £1,400 / £1,800, about the Work Programme's spread) over the same service with nothing paid "
            "per result",
            "below planned spend (band 0-0.9)",
            {"plan": Arm("npm", {**FUNDING_PBR, **PBR_PLAN}), "pbr_differential": Arm("npm", pbr_differential)},
            lambda v: _smd_spend("pbr_differential")(v) / _smd_spend("plan")(v), (0.0, 0.9), against="NPM"),
        Pattern(
            "relational_reduces_crises", "Relational, bespoke support reduces crisis service use for people with SMD",
            "Fulfilling Lives partnership (about -20%, Moreton et al. 2021); Housing for Health (-60%, RAND 2017)",
            "HLS against NPM on the same seeds: relative change in crisis cost per SMD citizen-year",
            "a fall of 10-60% (band -0.6 to -0.1)",
            {"npm": Arm("npm"), "hls": Arm("hls")},
            _relative("npm", "hls", "crisis_cost_per_smd_citizen_year"), (-0.6, -0.1), against="NPM"),
        Pattern(
            "public_service_use_falls", "People with SMD use fewer public services in all when support is relational",
            "Housing for Health (60% less public-service use, $1.20 saved per $1 spent: RAND 2017); Fulfilling "
            "Lives partnership (about £10,000 a year less, -20%: Moreton et al. 2021)",
            "HLS against NPM: relative change in public service use per SMD citizen-year (crisis cost plus the "
            "service's own spend on them)",
            "a fall (band -0.6 to 0)",
            {"npm": Arm("npm"), "hls": Arm("hls")},
            _relative("npm", "hls", "public_service_use_per_smd_citizen_year"), (-0.6, 0.0), against="NPM"),
        Pattern(
            "waiting_list_dropout", "Many who wait give up before they are seen",
            "HSCIC 2014 (37% of IAPT referrals never seen); IAPT 2017-19 (about 30% never entered therapy)",
            "HLS: share of those leaving the waiting list who gave up rather than being seen",
            "30-37% in IAPT, whose waits were shorter than HLS's here (band 0.2-0.6)",
            {"hls": Arm("hls")},
            lambda v: _key(v, "hls", "dropout_share"), (0.2, 0.6), against="HLS"),
        Pattern(
            "short_run_measures_weak", "Short-run performance measures relate only weakly to real change",
            "Heckman, Heinrich & Smith 2002",
            "NPM: correlation between a case's recorded success and its true gain in flourishing",
            "weak (band below 0.4)",
            {"npm": Arm("npm")},
            lambda v: _key(v, "npm", "report_true_corr"), (-INF, 0.4), against="NPM"),
        Pattern(
            "devolved_budgets_modest", "Devolved budgets alone bring a modest gain",
            "Forder et al. 2012 (personal health budgets: ASCOT gain 0.057 against 0.018); Glendinning et al. 2008",
            "HLS minus HLS with service money spent on the standard menu instead (flourishing gain, points)",
            "small and positive (band 0-0.04)",
            {"hls": Arm("hls"), "hls_menu": Arm("hls", HLS_MENU)},
            _diff("hls_menu", "hls", "flourishing_gain"), (0.0, 0.04)),
        Pattern(
            "devolved_budgets_cost_neutral", "Devolved budgets leave the whole cost about where it was",
            "Forder et al. 2012 (no change in cost); Glendinning et al. 2008 (similar average cost)",
            "HLS against HLS with service money spent on the standard menu: relative change in whole public cost "
            "per citizen-year (crisis included)",
            "about 0 (band -0.1 to 0.1)",
            {"hls": Arm("hls"), "hls_menu": Arm("hls", HLS_MENU)},
            _relative("hls_menu", "hls", "cost_per_citizen_year"), (-0.1, 0.1)),
        Pattern(
            "protocol_practitioner_effects", "Differences between workers persist under tight protocols",
            "Firth et al. 2015 (IAPT low-intensity workers, who follow tight protocols: 6-7%); Johns et al. 2019",
            "NPM: between-worker share of the variance in cases' true gain",
            "about 0.06 (band 0.02-0.10)",
            {"npm": Arm("npm")},
            lambda v: _key(v, "npm", "between_worker_share"), (0.02, 0.10), against="NPM"),
        Pattern(
            "turnover_under_hls", "Turnover in a healthy system stays within the sector's range",
            "Skills for Care 2023 (20.6% where all five job-quality factors apply, 48.7% where none does)",
            "HLS: workers leaving per worker-year",
            "within the sector's range by job quality (band 0.206-0.487)",
            {"hls": Arm("hls")},
            lambda v: _key(v, "hls", "worker_turnover_rate"), (0.206, 0.487), against="HLS"),
    ]


def _mechanism() -> list[Pattern]:
    """True, or nearly, by construction: checks of the code, listed apart and not counted as evidence."""
    return [
        Pattern(
            "record_flatters_under_targets", "Under targets the record flatters the truth, more as more rides on it",
            "Franco-Santos & Otley 2018; Lowe & Wilson 2017 (follows from the stake on the record)",
            "NPM: goodhart gap (reported minus true success rate), target pressure 1 minus pressure 0",
            "positive (band > 0)",
            {"npm_p0": Arm("npm", {"targets.pressure": 0.0}), "npm_p1": Arm("npm", {"targets.pressure": 1.0})},
            _diff("npm_p0", "npm_p1", "goodhart_gap"), (0.0, INF), "mechanism", against="NPM"),
        Pattern(
            "natural_recovery", "Without any service, people at a low point recover",
            "Whiteford et al. 2013; Posternak & Miller 2001 (follows from population.equilibrium_start and "
            "population.setback_share)",
            "no service: change in flourishing of citizens who started with SMD over the run (flourishing points)",
            "positive (band > 0)",
            {"none": Arm("npm", {"service.enabled": False})},
            lambda v: _key(v, "none", "flourishing_gain_smd"), (0.0, INF), "mechanism"),
        Pattern(
            "courtesy_bias", "Accounts given to one's own worker flatter the truth",
            "Dunsch et al. 2018 (+8 pp, up to 19); Cuijpers et al. 2010 (the bias is added, so its sign is built in)",
            "HLS: goodhart gap with the default courtesy bias minus with none (share of cases)",
            "positive, of the order of +8 pp (band 0-0.19)",
            {"hls_no_courtesy": Arm("hls", {"measurement.courtesy_bias": 0.0}), "hls": Arm("hls")},
            _diff("hls_no_courtesy", "hls", "goodhart_gap"), (0.0, 0.19), "mechanism", against="HLS"),
        Pattern(
            "queue_harms", "Waiting harms: crises cost more when waiting costs something",
            "Reichert & Jacobs 2018 (compares harm on and off, so its sign is built in)",
            "HLS: crisis cost per SMD citizen-year with waiting's harms (deterioration, dropout) minus without (£)",
            "positive (band > 0)",
            {"hls": Arm("hls"), "hls_free_wait": Arm("hls", {"queue.deterioration": 0.0, "queue.dropout_rate": 0.0})},
            _diff("hls_free_wait", "hls", "crisis_cost_per_smd_citizen_year"), (0.0, INF), "mechanism",
            against="HLS"),
    ]


def _seed_claims() -> list[Pattern]:
    """The seed report's own claims: tested and reported, not evidence (the seed is what is under test)."""
    out = [
        Pattern(
            "closed_world_favours_standardisation", "In a closed system NPM matches HLS's outcomes",
            "seed: 'Relational Public Service' (the vehicle-tax case; open and closed systems as scales)",
            "closed world (all dials 0, the proxy measures every domain without error): HLS minus NPM flourishing "
            "gain (flourishing points)",
            "about 0 (band -0.01 to 0.01)",
            {"npm_closed": Arm("npm", CLOSED), "hls_closed": Arm("hls", CLOSED)},
            _diff("npm_closed", "hls_closed", "flourishing_gain"), (-0.01, 0.01), "seed_claim", against="HLS"),
        Pattern(
            "closed_world_npm_cheaper", "In a closed system NPM costs less",
            "seed: 'Relational Public Service' (the vehicle-tax case)",
            "closed world: HLS minus NPM whole public cost per citizen-year (£)",
            "positive: NPM cheaper (band > 0)",
            {"npm_closed": Arm("npm", CLOSED), "hls_closed": Arm("hls", CLOSED)},
            _diff("npm_closed", "hls_closed", "cost_per_citizen_year"), (0.0, INF), "seed_claim", against="HLS"),
    ]
    for dial in DIALS:
        name = dial.split(".")[1]
        out.append(Pattern(
            f"complexity_{name}", f"Bespoke support's advantage grows with {name}",
            "seed: 'Human flourishing' (unique, interdependent, dynamic) and 'Learning as the response to complexity'",
            f"HLS minus NPM flourishing gain at {dial} = 1, minus the same at {dial} = 0 (other dials at their "
            "defaults; flourishing points)",
            "positive: the more complex lives are on this dial, the more bespoke, learning support adds (band > 0)",
            {f"npm_{name}0": Arm("npm", {dial: 0.0}), f"hls_{name}0": Arm("hls", {dial: 0.0}),
             f"npm_{name}1": Arm("npm", {dial: 1.0}), f"hls_{name}1": Arm("hls", {dial: 1.0})},
            (lambda n: lambda v: (_key(v, f"hls_{n}1", "flourishing_gain") - _key(v, f"npm_{n}1", "flourishing_gain"))
             - (_key(v, f"hls_{n}0", "flourishing_gain") - _key(v, f"npm_{n}0", "flourishing_gain")))(name),
            (0.0, INF), "seed_claim"))
    return out


def arm_runs(chosen: list[Pattern], seeds: Sequence[int], weeks: int, citizens: int,
             base: dict[str, Any] | None = None, posterior: Any = None) -> tuple[list[tuple], list[RunSpec]]:
    """Every distinct arm of the chosen patterns, and its runs on every seed (arm by arm, seeds in order).

    ``base``: parameters set under every arm (the calibration's candidate values); an arm's own overrides
    beat them, since they are the experiment. ``posterior``: each seed also draws its particle from it."""
    arms: dict[tuple, Arm] = {}
    for pattern in chosen:
        for arm in pattern.arms.values():
            arms[_arm_key(arm)] = arm
    keys = list(arms)
    specs = [RunSpec.build("validation", arms[k].regime,
                           {"population.citizens": citizens, **(base or {}), **arms[k].overrides}, seed,
                           arms[k].weeks or weeks, posterior=posterior)
             for k in keys for seed in seeds]
    return keys, specs


def quantities(chosen: list[Pattern], keys: list[tuple], summaries: list[dict], seeds: int) -> dict[str, np.ndarray]:
    """Each pattern's quantity, one value per seed, from the summaries of ``arm_runs``' specs in order."""
    by_arm = {k: summaries[i * seeds:(i + 1) * seeds] for i, k in enumerate(keys)}
    return {p.key: np.asarray(p.measure({name: by_arm[_arm_key(arm)] for name, arm in p.arms.items()}), dtype=float)
            for p in chosen}


def run_validation(seeds: int = 10, weeks: int = 156, citizens: int = 2000, jobs: int | None = None,
                   progress: bool = False, only: list[str] | None = None, posterior: Any = None) -> pd.DataFrame:
    """Run every pattern's arms on the same seeds and judge each pattern by its interval; one row per pattern.

    With ``posterior`` (a :class:`~hlssim.experiments.posterior.Posterior`), seed s runs every arm with the
    particle seed s draws, so each interval spans seeds and parameter draws together."""
    chosen = [p for p in patterns() if not only or p.key in only]
    keys, specs = arm_runs(chosen, range(1, seeds + 1), weeks, citizens, posterior=posterior)
    outcomes = run_all(specs, jobs, progress, description="validation runs")
    values = quantities(chosen, keys, [o.summary for o in outcomes], seeds)
    rows = []
    for pattern in chosen:
        s = spread(values[pattern.key])
        judged = verdict(s, pattern.band)
        rows.append({"pattern": pattern.key, "role": pattern.role, "title": pattern.title, "source": pattern.source,
                     "quantity": pattern.quantity, "expected": pattern.expected, "band_low": pattern.band[0],
                     "band_high": pattern.band[1], "median": s.median, "p10": s.low, "p90": s.high,
                     "verdict": judged, "holds": judged == HOLDS, "cuts_against": pattern.against, "seeds": seeds,
                     "weeks": weeks, "citizens": citizens,
                     "posterior": posterior.label if posterior is not None else ""})
    return pd.DataFrame(rows)


def _arm_key(arm: Arm) -> tuple:
    return arm.regime, tuple(sorted((k, str(v)) for k, v in arm.overrides.items())), arm.weeks
