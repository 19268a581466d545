"""Where the model's gaming signatures land against published orders of magnitude (docs/ODD.md, 8.5).

    .venv/bin/python experiments/gaming_signatures.py [--seeds 10] [--weeks 156] [--jobs 2]

Runs the shipped scenarios (and a few variants: no deadline pressure, providers' margins steering
nothing, claims checked only 5% of the time) on the same seeds and prints, for each signature, the
median and 10th-90th percentiles across seeds: falsification, the recorded-versus-true gap, the
bunching of closures at the end of a target period, creaming, parking, and differential prices.
Uses only the public API (``hlssim.simulate``, ``hlssim.load_scenario``) and joblib.
"""

from __future__ import annotations

import argparse

import numpy as np
from joblib import Parallel, delayed

import hlssim

# The validation pattern parking_under_pbr's arms: payment by results for outcomes attained, half the budget
# at risk, four providers, claims checked against records; and the same service with nothing paid by results.
PBR = {"market.providers": 4, "workforce.team_size": 5, "contract.share_at_risk": 0.5, "contract.price_stable": 1000.0,
       "contract.price_complex": 1000.0, "contract.price_smd": 1000.0, "targets.outcome_level": 0.5,
       "incentives.inspection_rate": 0.5}
PLAN = {**PBR, "contract.share_at_risk": 0.0, "incentives.target_weight": 0.0, "contract.price_stable": 0.0,
        "contract.price_complex": 0.0, "contract.price_smd": 0.0}
ARMS = {
    "npm": ("npm-targets", {}), "npm_no_deadline": ("npm-targets", {"targets.deadline_pressure": 0.0}),
    "demo": ("goodhart-demo", {}), "flat": ("funding-pbr-flat", {}), "block": ("funding-block", {}),
    "flat_no_margins": ("funding-pbr-flat", {"market.margin_steering": 0.0}),
    "flat_weak_checks": ("funding-pbr-flat", {"incentives.inspection_rate": 0.05}),
    "differential": ("funding-pbr-differential", {}), "learning": ("funding-for-learning", {}),
    "plan": ("npm", PLAN), "pbr": ("npm", PBR),
}


def run(arm: str, seed: int, weeks: int) -> hlssim.SimulationResult:
    """One arm on one seed: a shipped scenario (its file's settings, then the arm's), or a regime on the
    default world with the arm's settings."""
    source, extra = ARMS[arm]
    if source in ("npm", "hls"):
        return hlssim.simulate(source, seed=seed, weeks=weeks, overrides=extra)
    scenario = hlssim.load_scenario(source).with_changes(overrides=extra)
    return hlssim.simulate(None, seed=seed, weeks=weeks, overrides=scenario.overrides)


def spread(values) -> str:
    v = np.asarray(values, dtype=float)
    return f"{np.median(v):.3f} [{np.percentile(v, 10):.3f}, {np.percentile(v, 90):.3f}]"


def period_end_ratio(result: hlssim.SimulationResult) -> float:
    """Closures in a target period's last week over what an even spread would put there (1: no bunching)."""
    period = result.params.targets.period_weeks
    return float(((result.cases["closed"].to_numpy() % period) == 0).mean() * period)


def outcome_ratio(result: hlssim.SimulationResult, column: str) -> float:
    """The rate at which complex cases succeed (on ``column``) over the rate for SMD cases."""
    rates = result.cases.groupby("intake_tier")[column].mean()
    return float(rates.get(1, np.nan) / rates.get(2, np.nan))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--weeks", type=int, default=156)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    seeds = range(1, args.seeds + 1)
    jobs = [(arm, seed) for arm in ARMS for seed in seeds]
    done = Parallel(n_jobs=args.jobs)(delayed(run)(arm, seed, args.weeks) for arm, seed in jobs)
    r: dict[str, list] = {}
    for (arm, _), result in zip(jobs, done, strict=True):
        r.setdefault(arm, []).append(result)

    def key(arm, name):
        return [x.summary[name] for x in r[arm]]

    def show(title, arms, values):
        print(f"{title}:\n" + "\n".join(f"    {arm:18s} {spread(values(arm))}" for arm in arms))

    show("falsification (misreport_rate)", ("npm", "demo", "flat", "flat_weak_checks", "differential", "learning"),
         lambda a: key(a, "misreport_rate"))
    show("recorded minus true success (goodhart_gap)", ("npm", "demo", "flat", "flat_weak_checks", "learning"),
         lambda a: key(a, "goodhart_gap"))
    show("closures in a target period's last week, over an even spread", ("npm", "npm_no_deadline", "demo"),
         lambda a: [period_end_ratio(x) for x in r[a]])
    show("closures from the two easier payment groups (easier_closure_share)",
         ("flat", "block", "flat_no_margins", "differential"), lambda a: key(a, "easier_closure_share"))
    show("requests declined at the front door (declined_share)", ("flat", "differential", "pbr"),
         lambda a: key(a, "declined_share"))
    show("recorded success rate, creaming's effect (flat minus margins steering nothing)", ("flat",),
         lambda a: np.subtract(key("flat", "reported_success_rate"), key("flat_no_margins", "reported_success_rate")))
    show("honest outcome rate, complex over SMD", ("flat", "block", "npm"),
         lambda a: [outcome_ratio(x, "honest_record") for x in r[a]])
    show("parking: resources reaching people with SMD, payment by results over plan", ("pbr",),
         lambda a: np.divide(key("pbr", "smd_resources_per_smd_citizen_year"),
                             key("plan", "smd_resources_per_smd_citizen_year")))
    show("share of resources reaching the hardest group (hardest_tier_spend_share)",
         ("flat", "block", "differential", "learning"), lambda a: key(a, "hardest_tier_spend_share"))
    show("providers' margin (provider_margin_share)", ("flat", "differential", "pbr"),
         lambda a: key(a, "provider_margin_share"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
