"""Trainers' demonstration: the four Goodhart variants across a target-pressure sweep, on several seeds.

    .venv/bin/python experiments/goodhart_demo.py [--seeds 5] [--weeks 156] [--out results] [--force]

Prints, for each targets.pressure, each variant's indicator (median across seeds), and writes
OUT/goodhart_demo.csv (one row per seed and pressure) and the figure OUT/goodhart_variants.png
and .svg: one panel per variant against target pressure, medians with 10th-90th percentile bands.
Files an earlier run wrote are replaced only with --force. See docs/ODD.md, "Goodhart variants",
for how to read each row.
"""

import argparse
import sys
from pathlib import Path

from hlssim.cli.script import add_out_option, add_seeds_weeks, guarded, outputs, save_chart, script_parser, write_files
from hlssim.experiments.goodhart import sweep
from hlssim.reports.goodhart import goodhart_chart

PROG = Path(__file__).name

PRESSURES = (0.0, 0.25, 0.5, 0.75, 1.0)
CITIZENS = 1500
FILES = ("goodhart_demo.csv", "goodhart_variants.png", "goodhart_variants.svg")


def parse(argv=None) -> argparse.Namespace:
    parser = script_parser(PROG, __doc__)
    add_seeds_weeks(parser, seeds=5, weeks=156, min_weeks=13, why=": the variants are read off closed cases")
    add_out_option(parser, "goodhart_demo.csv and the figure")
    return parser.parse_args(argv)


def demo(args: argparse.Namespace) -> int:
    files = outputs(args.out, FILES, args.force)
    table = sweep(seeds=range(1, args.seeds + 1), weeks=args.weeks, citizens=CITIZENS, pressures=PRESSURES,
                  progress=True)
    medians = table.drop(columns="seed").groupby("targets.pressure").median()
    print(f"median across seeds 1-{args.seeds}, one column per targets.pressure:")
    print(medians.T.round(3).to_string())
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    write_files([out / FILES[0]], [lambda p: table.to_csv(p, index=False)])
    save_chart(goodhart_chart(table, args.weeks, CITIZENS), out)
    print("\n" + files.wrote())
    return 0


if __name__ == "__main__":
    sys.exit(guarded(lambda: demo(parse()), prog=PROG, program=True))
