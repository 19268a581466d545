"""Funders' comparison: the four contract presets on the default world, against business as usual.

    .venv/bin/python experiments/funders_table.py [--seeds 10] [--weeks 260]

Each design runs on the same seeds as business as usual (common random numbers);
cells are medians with 10th-90th percentiles across seeds. Writes
results/funders_table.csv (long form, for pandas) and prints the wide table.
"""

import argparse
from pathlib import Path

from hlssim.experiments import commissioning
from hlssim.params import scenarios

PRESETS = ("funding-block", "funding-pbr-flat", "funding-pbr-differential", "funding-for-learning")

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--seeds", type=int, default=10)
parser.add_argument("--weeks", type=int, default=260)
args = parser.parse_args()

designs = {name: (None, scenarios.load(name).overrides) for name in PRESETS}
runs = commissioning.compare_designs(designs, seeds=range(1, args.seeds + 1), weeks=args.weeks,
                                     progress=True)
table = commissioning.funder_table(runs)
print(commissioning.format_funder_table(table))
out = Path("results/funders_table.csv")
out.parent.mkdir(exist_ok=True)
table.to_csv(out, index=False)
print(f"\nwrote {out}")
