"""hlssim inside EMA Workbench: open exploration over the world's dials, then PRIM on the result.

    .venv/bin/python experiments/ema_adapter_example.py [--scenarios 40] [--citizens 500] [--weeks 104] [--processes 2]

Builds the EMA Workbench Model of hlssim (hlssim.experiments.sweeps.ema.ema_model: uncertainties
with the parameter table's ranges, the six practices as levers, summary keys as outcomes), runs
every sampled world under two policies, all-NPM and all-HLS, with EMA Workbench's own
perform_experiments (seeded, so the numbers repeat), and asks PRIM where HLS buys more
flourishing per pound of spend than NPM. Everything after ``ema_model`` is plain EMA Workbench:
swap in your own samplers, evaluators, robustness metrics or optimisation.
"""

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from hlssim import PRACTICES
from hlssim.cli.script import LIMITS, add_seeds_weeks, guarded, parameter, script_parser, whole_number
from hlssim.experiments.sweeps.ema import ema_model, ema_name

with warnings.catch_warnings():
    warnings.simplefilter("ignore")          # optional EMA Workbench back-ends announce themselves on import
    from ema_workbench import MultiprocessingEvaluator, Sample, SequentialEvaluator
    from ema_workbench.analysis import prim

PROG = Path(__file__).name


def parse(argv=None) -> argparse.Namespace:
    parser = script_parser(PROG, __doc__)
    parser.add_argument("--scenarios", type=whole_number("--scenarios", 1, LIMITS.sweep_points), default=40,
                        help="worlds to sample (Latin hypercube; default 40)")
    parser.add_argument("--citizens", type=parameter("--citizens", "population.citizens"), default=500,
                        help="citizens per run (default 500)")
    add_seeds_weeks(parser, seeds=None, weeks=104)
    parser.add_argument("--processes", type=whole_number("--processes", 1, 256), default=1,
                        help="EMA Workbench worker processes (default 1)")
    return parser.parse_args(argv)


def main(args: argparse.Namespace) -> int:
    model = ema_model(outcomes=["flourishing_gain", "spend_per_citizen_year", "data_integrity"],
                      fixed={"population.citizens": args.citizens}, weeks=args.weeks)
    policies = [Sample(name, **{ema_name(f"practices.{p}"): degree for p in PRACTICES})
                for name, degree in (("npm", 0.0), ("hls", 1.0))]
    evaluator = (MultiprocessingEvaluator(model, n_processes=args.processes) if args.processes > 1
                 else SequentialEvaluator(model))
    with evaluator:
        experiments, outcomes = evaluator.perform_experiments(
            scenarios=args.scenarios, policies=policies, uncertainty_sampling_kwargs={"rng": 42})

    # Flourishing gained per £1,000 of spend over the run, then HLS minus NPM world by world.
    per_1000 = 1000 * outcomes["flourishing_gain"] / (outcomes["spend_per_citizen_year"] * args.weeks / 52)
    frame = experiments.assign(per_1000=per_1000)
    wide = frame.pivot(index="scenario", columns="policy", values="per_1000")
    worlds = frame[frame.policy == "npm"].set_index("scenario")[[u.name for u in model.uncertainties]]
    hls_ahead = (wide["hls"] > wide["npm"]).reindex(worlds.index).to_numpy()
    print(f"HLS ahead on flourishing per £1,000 in {hls_ahead.mean():.0%} of {len(worlds)} worlds "
          f"(median difference {np.median(wide['hls'] - wide['npm']):.4f})")
    for label, target in (("HLS ahead", hls_ahead), ("NPM ahead", ~hls_ahead)):
        if target.sum() < 5:
            print(f"\n{label}: in {target.sum()} world(s), too few for PRIM")
            continue
        box = prim.Prim(worlds.reset_index(drop=True).astype(float), target, peel_alpha=0.05, mass_min=0.05).find_box()
        print(f"\n{label}: PRIM box (last on the peeling trajectory)")
        stats, limits = box.inspect(style="data")[0]
        print(pd.Series(stats)[["coverage", "density", "mass"]].round(2).to_string())
        print(limits.round(3).to_string())
    return 0


if __name__ == "__main__":       # EMA Workbench's worker processes re-import this file
    sys.exit(guarded(lambda: main(parse()), prog=PROG, program=True))
