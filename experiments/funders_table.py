"""Funders' comparison: the four contract presets on the default world, against business as usual.

    .venv/bin/python experiments/funders_table.py [--seeds 10] [--weeks 260] [--out results] [--force]

Each design runs on the same seeds as business as usual (common random numbers);
cells are medians with 10th-90th percentiles across seeds. Writes OUT/funders_table.csv
(long form, for pandas), prints the wide table, and draws OUT/funders.png and .svg: cost per
unit of real flourishing gain and the hardest tier's spend share, by design. Files an earlier
run wrote are replaced only with --force.
"""

import argparse
import sys
from pathlib import Path

from hlssim.cli.common import add_out_option, add_seeds_weeks, guarded, outputs, script_parser
from hlssim.experiments import commissioning
from hlssim.params import scenarios
from hlssim.reports.funders import funders_chart
from hlssim.reports.style import save
from hlssim.util.files import replace_files

PROG = Path(__file__).name

PRESETS = ("funding-block", "funding-pbr-flat", "funding-pbr-differential", "funding-for-learning")
FILES = ("funders_table.csv", "funders.png", "funders.svg")


def parse(argv=None) -> argparse.Namespace:
    parser = script_parser(PROG, __doc__)
    add_seeds_weeks(parser, seeds=10, weeks=260)
    add_out_option(parser, "funders_table.csv and the figure")
    return parser.parse_args(argv)


def table(args: argparse.Namespace) -> int:
    files = outputs(args.out, FILES, args.force)
    designs = {name: (None, scenarios.load(name).overrides) for name in PRESETS}
    runs = commissioning.compare_designs(designs, seeds=range(1, args.seeds + 1), weeks=args.weeks, progress=True)
    frame = commissioning.funder_table(runs)
    print(commissioning.format_funder_table(frame))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    replace_files([out / FILES[0]], [lambda p: frame.to_csv(p, index=False)])
    save(funders_chart(runs, args.weeks), out)
    print("\n" + files.wrote())
    return 0


if __name__ == "__main__":
    sys.exit(guarded(lambda: table(parse()), prog=PROG, program=True))
