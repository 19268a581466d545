"""Which parameters move which outcomes? Morris screening over the main dials (SALib).

    .venv/bin/python experiments/sensitivity.py [--target difference|npm|hls] [--trajectories 10] [--weeks 156]
                                                [--citizens 1000] [--seed 1] [--out results] [--force]

With --target difference each sample runs HLS and NPM on the same seed and analyses the paired
difference (HLS - NPM): which assumptions the comparison between regimes rests on. Prints mu*
(mean absolute elementary effect) per output and parameter, largest first, and writes
OUT/sensitivity_morris.csv (replaced only with --force). The ranges are in
hlssim.experiments.sensitivity.DEFAULT_RANGES.
"""

import argparse
import sys
from pathlib import Path

import pandas as pd
from hlssim.cli.script import (LIMITS, add_out_option, add_seeds_weeks, guarded, outputs, parameter, script_parser,
                               whole_number, write_files)
from hlssim.experiments.sensitivity import DEFAULT_OUTPUTS, TARGETS, morris

PROG = Path(__file__).name

FILE = "sensitivity_morris.csv"


def parse(argv=None) -> argparse.Namespace:
    parser = script_parser(PROG, __doc__)
    parser.add_argument("--target", choices=TARGETS, default="difference")
    parser.add_argument("--trajectories", type=whole_number("--trajectories", 2, 1000), default=10,
                        help="Morris trajectories, 2 to 1,000 (default 10)")
    add_seeds_weeks(parser, seeds=None, weeks=156)
    parser.add_argument("--citizens", type=parameter("--citizens", "population.citizens"), default=1000,
                        help="citizens per run (default 1,000)")
    parser.add_argument("--seed", type=whole_number("--seed", 0, LIMITS.seed), default=1,
                        help=f"seed for the sample and the runs, 0 to {LIMITS.seed:,} (default 1)")
    add_out_option(parser, FILE)
    return parser.parse_args(argv)


def screen(args: argparse.Namespace) -> int:
    files = outputs(args.out, [FILE], args.force)
    table = morris(target=args.target, trajectories=args.trajectories, weeks=args.weeks, seed=args.seed,
                   base={"population.citizens": args.citizens}, progress=True)
    pd.set_option("display.width", 160)
    for output in DEFAULT_OUTPUTS:
        part = table[table.output == output].sort_values("mu_star", ascending=False)
        print(f"\n{output} ({args.target}): mu* (mean |elementary effect|), sigma (interaction/non-linearity)")
        print(part[["parameter", "mu_star", "sigma", "mu_star_conf"]].round(4).to_string(index=False))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    write_files(files.paths, [lambda p: table.to_csv(p, index=False)])
    print("\n" + files.wrote())
    return 0


if __name__ == "__main__":
    sys.exit(guarded(lambda: screen(parse()), prog=PROG, program=True))
