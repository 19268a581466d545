"""Trainers' demonstration: the four Goodhart variants across a target-pressure sweep, on several seeds.

    .venv/bin/python experiments/goodhart_demo.py [--seeds 5] [--weeks 156] [--out results]

Prints, for each targets.pressure, each variant's indicator (median across seeds), and writes
OUT/goodhart_demo.csv (one row per seed and pressure) and the figure OUT/goodhart_variants.png
and .svg: one panel per variant against target pressure, medians with 10th-90th percentile bands.
See docs/ODD.md, "Goodhart variants", for how to read each row.
"""

import argparse
from pathlib import Path

from hlssim.experiments.goodhart import sweep
from hlssim.reports.goodhart import goodhart_chart
from hlssim.reports.style import save
from hlssim.util.files import replace_files

PRESSURES = (0.0, 0.25, 0.5, 0.75, 1.0)
CITIZENS = 1500

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--seeds", type=int, default=5, help="seeds 1..N (default 5)")
parser.add_argument("--weeks", type=int, default=156)
parser.add_argument("--out", default="results", help="folder for the CSV and the figure (default results)")
args = parser.parse_args()

table = sweep(seeds=range(1, args.seeds + 1), weeks=args.weeks, citizens=CITIZENS, pressures=PRESSURES, progress=True)
medians = table.drop(columns="seed").groupby("targets.pressure").median()
print(f"median across seeds 1-{args.seeds}, one column per targets.pressure:")
print(medians.T.round(3).to_string())
out = Path(args.out)
out.mkdir(parents=True, exist_ok=True)
written = replace_files([out / "goodhart_demo.csv"], [lambda p: table.to_csv(p, index=False)])
written += save(goodhart_chart(table, args.weeks, CITIZENS), out)
print("\nwrote " + ", ".join(str(p) for p in written))
