"""What the model reproduces: patterns from published research and the seed, each a small experiment.

Each :class:`Pattern` names its source, the quantity it measures (with unit), what the
literature or seed leads one to expect, the arms it runs (regime, overrides, weeks; every arm on
the same seeds, so comparisons are paired), and a test of whether the pattern holds. All arms of
all patterns go through the one runner in one batch. A pattern that does not hold is reported as
not holding: nothing here is tuned to make it hold (docs/ODD.md, section 8).
"""

from __future__ import annotations

from collections.abc import Callable
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
CLOSED = {"world.uniqueness": 0.0, "world.interdependence": 0.0, "world.dynamism": 0.0, "population.smd_share": 0.0,
          "targets.measured_domains": "housing,health,income_work,relationships,safety,purpose",
          "measurement.proxy_noise_sd": 0.0}


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
    holds: Callable[[Spread, Values], bool]
    against: str = ""                              # which paradigm the pattern cuts against, if either


def _key(values: Values, arm: str, key: str) -> np.ndarray:
    return np.array([s[key] for s in values[arm]], dtype=float)


def _diff(a: str, b: str, key: str) -> Callable[[Values], np.ndarray]:
    """Per seed, arm ``b`` minus arm ``a`` on a summary key."""
    return lambda v: _key(v, b, key) - _key(v, a, key)


def _median(values: Values, arm: str, key: str) -> float:
    return spread(_key(values, arm, key)).median


def patterns() -> list[Pattern]:
    """The fixed set of patterns the validation report checks."""
    out = [
        Pattern(
            "effort_substitution", "Effort moves to the measured domains as more rides on the target",
            "Holmström & Milgrom 1991; Kerr 1975",
            "NPM: share of relational hours spent on the measured domains, target pressure 1 minus pressure 0",
            "rises with pressure (positive difference, rising at every step)",
            {"npm_p0": Arm("npm", {"targets.pressure": 0.0}), "npm_p05": Arm("npm", {"targets.pressure": 0.5}),
             "npm_p1": Arm("npm", {"targets.pressure": 1.0})},
            _diff("npm_p0", "npm_p1", "measured_effort_share"),
            lambda s, v: s.low > 0 and _median(v, "npm_p0", "measured_effort_share")
            < _median(v, "npm_p05", "measured_effort_share") < _median(v, "npm_p1", "measured_effort_share"),
            against="NPM"),
        Pattern(
            "record_flatters_under_targets", "Under targets the record flatters the truth, more as more rides on it",
            "Franco-Santos & Otley 2018 (gaming in 81% of studies); Lowe & Wilson 2017",
            "NPM: goodhart gap (reported minus true success rate), target pressure 1 minus pressure 0",
            "positive: the gap widens and data integrity falls with pressure",
            {"npm_p0": Arm("npm", {"targets.pressure": 0.0}), "npm_p1": Arm("npm", {"targets.pressure": 1.0})},
            _diff("npm_p0", "npm_p1", "goodhart_gap"),
            lambda s, v: s.low > 0 and _median(v, "npm_p1", "data_integrity") < _median(v, "npm_p0", "data_integrity"),
            against="NPM"),
        Pattern(
            "parking_under_pbr", "Payment by results parks the hardest cases: they get about half of planned spend",
            "Work Programme: providers spent £630 per ESA claimant against £1,360 at bid (NAO data, Public "
            "Accounts Committee 2014); Inclusion 2014 (DWP funding £690 against £1,170); Rees, Whitworth & Carter "
            "2014",
            "the service's resources reaching citizens who started with SMD (staff time at cost and service money, "
            "£ per citizen-year) under payment by results for outcomes attained (half the budget at risk, four "
            "providers competing, claims checked against records) over the same service with nothing paid per "
            "result",
            "about 0.46-0.6 (holds within 0.45-0.75), and SMD cases parked more than the easiest served",
            {"plan": Arm("npm", {**FUNDING_PBR, **PBR_PLAN}), "pbr": Arm("npm", FUNDING_PBR)},
            lambda v: _key(v, "pbr", "smd_resources_per_smd_citizen_year")
            / _key(v, "plan", "smd_resources_per_smd_citizen_year"),
            lambda s, v: 0.45 <= s.median <= 0.75
            and _median(v, "pbr", "parked_share_smd") > _median(v, "pbr", "parked_share_complex"),
            against="NPM"),
        Pattern(
            "smd_crisis_cost_at_entry", "People with SMD use about £28,000 a year of crisis services at entry",
            "Fulfilling Lives evaluation (Moreton et al. 2021) — the one calibration target",
            "NPM, first 13 weeks: crisis cost per citizen-year of those who started with SMD (£)",
            "about £28,000 (holds within ±20%)",
            {"entry": Arm("npm", {}, weeks=13)},
            lambda v: _key(v, "entry", "crisis_cost_per_smd_citizen_year"),
            lambda s, v: 22_400 <= s.median <= 33_600),
        Pattern(
            "natural_recovery", "Without any service, people at a low point recover and the population does not decline",
            "Whiteford et al. 2013 (untreated remission 23% by 3 months, 53% by 12); Posternak & Miller 2001; "
            "regression to the mean",
            "no service: change in flourishing of citizens who started with SMD over the run (flourishing points)",
            "positive, with the population's flourishing within ±0.02 of where it started",
            {"none": Arm("npm", {"service.enabled": False})},
            lambda v: _key(v, "none", "flourishing_gain_smd"),
            lambda s, v: s.low > 0 and abs(_median(v, "none", "flourishing_gain")) <= 0.02),
        Pattern(
            "relational_reduces_crises", "Relational, bespoke support reduces crisis service use for people with SMD",
            "Fulfilling Lives partnership (about -20%, Moreton et al. 2021); Housing for Health (-60%, RAND 2017); "
            "seed: 'It is more cost-effective to work in a Human way'",
            "HLS against NPM on the same seeds: relative change in crisis cost per SMD citizen-year",
            "a fall of 10-60%",
            {"npm": Arm("npm"), "hls": Arm("hls")},
            lambda v: _key(v, "hls", "crisis_cost_per_smd_citizen_year") / _key(v, "npm", "crisis_cost_per_smd_citizen_year") - 1,
            lambda s, v: -0.6 <= s.median <= -0.1,
            against="NPM"),
        Pattern(
            "closed_world_favours_standardisation", "In a closed system NPM matches HLS's outcomes at lower cost",
            "seed: 'Relational Public Service' (the vehicle-tax case; open and closed systems as scales)",
            "closed world (all dials 0, the proxy measures every domain without error): HLS minus NPM flourishing "
            "gain (flourishing points)",
            "about 0 (within ±0.01), with NPM's cost per citizen-year lower",
            {"npm_closed": Arm("npm", CLOSED), "hls_closed": Arm("hls", CLOSED)},
            _diff("npm_closed", "hls_closed", "flourishing_gain"),
            lambda s, v: abs(s.median) <= 0.01
            and _median(v, "npm_closed", "cost_per_citizen_year") < _median(v, "hls_closed", "cost_per_citizen_year"),
            against="HLS"),
        Pattern(
            "courtesy_bias", "Accounts given to one's own worker flatter the truth",
            "Dunsch et al. 2018 (+8 pp, up to 19, on positively framed items); Cuijpers et al. 2010",
            "HLS: goodhart gap with the default courtesy bias minus with none (share of cases)",
            "positive, of the order of +8 pp (holds within 0-19 pp), larger with stronger courtesy",
            {"hls_no_courtesy": Arm("hls", {"measurement.courtesy_bias": 0.0}), "hls": Arm("hls"),
             "hls_strong_courtesy": Arm("hls", {"measurement.courtesy_bias": 0.06})},
            _diff("hls_no_courtesy", "hls", "goodhart_gap"),
            lambda s, v: 0.0 < s.median <= 0.19
            and _median(v, "hls_strong_courtesy", "goodhart_gap") > _median(v, "hls", "goodhart_gap"),
            against="HLS"),
        Pattern(
            "discretion_inconsistency", "Discretion lets differences between workers show in outcomes",
            "Wampold & Brown 2005; Johns et al. 2019 (about 5% of outcome variance); Anderson, Kling & Stith "
            "1999 (binding guidelines cut dispersion by a third)",
            "between-worker share of the variance in cases' true gain, HLS minus NPM",
            "positive, with HLS's share about 5% (holds within 2-10%)",
            {"npm": Arm("npm"), "hls": Arm("hls")},
            _diff("npm", "hls", "between_worker_share"),
            lambda s, v: s.median > 0 and 0.02 <= _median(v, "hls", "between_worker_share") <= 0.10,
            against="HLS"),
        Pattern(
            "queue_harms", "Waiting harms: people deteriorate and give up",
            "Reichert & Jacobs 2018; HSCIC 2014 (37% of referrals never seen); IAPT 2017-19 (about 30%)",
            "HLS: share of those leaving the waiting list who gave up rather than being seen",
            "of the order of 30-37% (IAPT, whose waits were shorter than HLS's here; holds within 20-60%), and "
            "crisis cost per SMD citizen-year higher than with waiting free",
            {"hls": Arm("hls"), "hls_free_wait": Arm("hls", {"queue.deterioration": 0.0, "queue.dropout_rate": 0.0})},
            lambda v: _key(v, "hls", "dropout_share"),
            lambda s, v: 0.20 <= s.median <= 0.60
            and _median(v, "hls", "crisis_cost_per_smd_citizen_year")
            > _median(v, "hls_free_wait", "crisis_cost_per_smd_citizen_year"),
            against="HLS"),
        Pattern(
            "turnover_in_sector_range", "Front-line turnover is 28-30% a year in business as usual",
            "Skills for Care 2023; Eby, Burk & Maher 2010 (33%) — turnover_base is calibrated to it",
            "NPM: workers leaving per worker-year",
            "0.28-0.30 (holds within 0.21-0.49, the published range)",
            {"npm": Arm("npm")},
            lambda v: _key(v, "npm", "worker_turnover_rate"),
            lambda s, v: 0.21 <= s.median <= 0.49),
        Pattern(
            "exhaustion_share", "About 40% of mental-health and homelessness workers report high emotional exhaustion",
            "O'Connor, Muller Neff & Pitman 2018 (n = 9,409); Waegemakers Schiff & Lane 2019",
            "NPM: share of worker-weeks burnt out (stress above workforce.burnout_threshold)",
            "about 0.4 (holds within 0.2-0.6)",
            {"npm": Arm("npm")},
            lambda v: _key(v, "npm", "burnout_share"),
            lambda s, v: 0.2 <= s.median <= 0.6),
        Pattern(
            "short_run_measures_weak", "Short-run performance measures relate only weakly to real change",
            "Heckman, Heinrich & Smith 2002",
            "NPM: correlation between a case's recorded success and its true gain in flourishing",
            "weak (holds below 0.4)",
            {"npm": Arm("npm")},
            lambda v: _key(v, "npm", "report_true_corr"),
            lambda s, v: s.median < 0.4,
            against="NPM"),
        Pattern(
            "devolved_budgets_modest", "Devolved budgets alone bring a modest gain",
            "Forder et al. 2012 (personal health budgets: ASCOT gain 0.057 against 0.018); Glendinning et al. 2008",
            "HLS minus HLS with service money spent on the standard menu instead (flourishing gain, points)",
            "small and positive (holds within 0-0.04)",
            {"hls": Arm("hls"), "hls_menu": Arm("hls", {"practices.resource_allocation": 0.0,
                                                        "contract.share_at_risk": 0.0})},
            _diff("hls_menu", "hls", "flourishing_gain"),
            lambda s, v: 0.0 < s.median <= 0.04),
    ]
    for dial in DIALS:
        name = dial.split(".")[1]
        out.append(Pattern(
            f"complexity_{name}", f"Bespoke support's advantage grows with {name}",
            "seed: 'Human flourishing' (unique, interdependent, dynamic) and 'Learning as the response to complexity'",
            f"HLS minus NPM flourishing gain at {dial} = 1, minus the same at {dial} = 0 (other dials at their "
            "defaults; flourishing points)",
            "positive: the more complex lives are on this dial, the more bespoke, learning support adds",
            {f"npm_{name}0": Arm("npm", {dial: 0.0}), f"hls_{name}0": Arm("hls", {dial: 0.0}),
             f"npm_{name}1": Arm("npm", {dial: 1.0}), f"hls_{name}1": Arm("hls", {dial: 1.0})},
            (lambda n: lambda v: (_key(v, f"hls_{n}1", "flourishing_gain") - _key(v, f"npm_{n}1", "flourishing_gain"))
             - (_key(v, f"hls_{n}0", "flourishing_gain") - _key(v, f"npm_{n}0", "flourishing_gain")))(name),
            lambda s, v: s.median > 0))
    return out


def run_validation(seeds: int = 10, weeks: int = 156, citizens: int = 2000, jobs: int | None = None,
                   progress: bool = False, only: list[str] | None = None) -> pd.DataFrame:
    """Run every pattern's arms on the same seeds and judge each pattern; one row per pattern."""
    chosen = [p for p in patterns() if not only or p.key in only]
    arms: dict[tuple, Arm] = {}
    for pattern in chosen:
        for arm in pattern.arms.values():
            arms[_arm_key(arm)] = arm
    keys = list(arms)
    specs = [RunSpec.build("validation", arms[k].regime, {"population.citizens": citizens, **arms[k].overrides},
                           seed, arms[k].weeks or weeks) for k in keys for seed in range(1, seeds + 1)]
    outcomes = run_all(specs, jobs, progress, description="validation runs")
    summaries = {k: [o.summary for o in outcomes[i * seeds:(i + 1) * seeds]] for i, k in enumerate(keys)}
    rows = []
    for pattern in chosen:
        values = {name: summaries[_arm_key(arm)] for name, arm in pattern.arms.items()}
        per_seed = pattern.measure(values)
        s = spread(per_seed)
        rows.append({"pattern": pattern.key, "title": pattern.title, "source": pattern.source,
                     "quantity": pattern.quantity, "expected": pattern.expected, "median": s.median, "p10": s.low,
                     "p90": s.high, "holds": bool(np.isfinite(s.median) and pattern.holds(s, values)),
                     "cuts_against": pattern.against, "seeds": seeds, "weeks": weeks, "citizens": citizens})
    return pd.DataFrame(rows)


def _arm_key(arm: Arm) -> tuple:
    return arm.regime, tuple(sorted((k, str(v)) for k, v in arm.overrides.items())), arm.weeks
