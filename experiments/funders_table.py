"""Funders' comparison: the four contract presets on the default world, against business as usual.

    .venv/bin/python experiments/funders_table.py [--seeds 10] [--weeks 260] [--out results]

Each design runs on the same seeds as business as usual (common random numbers);
cells are medians with 10th-90th percentiles across seeds. Writes OUT/funders_table.csv
(long form, for pandas), prints the wide table, and draws OUT/funders.png and .svg: cost per
unit of real flourishing gain and the hardest tier's spend share, by design.
"""

import argparse
from pathlib import Path

from hlssim.experiments import commissioning
from hlssim.params import scenarios
from hlssim.reports.funders import funders_chart
from hlssim.reports.style import save
from hlssim.util.files import replace_files

PRESETS = ("funding-block", "funding-pbr-flat", "funding-pbr-differential", "funding-for-learning")

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--seeds", type=int, default=10)
parser.add_argument("--weeks", type=int, default=260)
parser.add_argument("--out", default="results", help="folder for the CSV and the figure (default results)")
args = parser.parse_args()

designs = {name: (None, scenarios.load(name).overrides) for name in PRESETS}
runs = commissioning.compare_designs(designs, seeds=range(1, args.seeds + 1), weeks=args.weeks,
                                     progress=True)
table = commissioning.funder_table(runs)
print(commissioning.format_funder_table(table))
out = Path(args.out)
out.mkdir(parents=True, exist_ok=True)
written = replace_files([out / "funders_table.csv"], [lambda p: table.to_csv(p, index=False)])
written += save(funders_chart(runs, args.weeks), out)
print("\nwrote " + ", ".join(str(p) for p in written))
