"""Trainers' demonstration: the four Goodhart variants across a target-pressure sweep.

    .venv/bin/python experiments/goodhart_demo.py [--seed 1] [--weeks 156]

Prints one column per targets.pressure and writes results/goodhart_demo.csv.
See docs/ODD.md, "Goodhart variants", for how to read each row.
"""

import argparse
from pathlib import Path

import pandas as pd

from hlssim.experiments.goodhart import demo

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--seed", type=int, default=1)
parser.add_argument("--weeks", type=int, default=156)
args = parser.parse_args()

table = demo(seed=args.seed, weeks=args.weeks, progress=True)
pd.set_option("display.width", 200)
print(table.T.round(3).to_string())
out = Path("results/goodhart_demo.csv")
out.parent.mkdir(exist_ok=True)
table.to_csv(out)
print(f"\nwrote {out}")
