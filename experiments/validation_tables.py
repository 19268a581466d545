"""docs/ODD.md section 8.3's tables from two validation reports: the default point and the posterior.

    .venv/bin/hlssim validate-model --force
    .venv/bin/hlssim validate-model --posterior default --out results/validation-posterior --force
    .venv/bin/python experiments/validation_tables.py results/validation/validation.csv \\
        results/validation-posterior/validation.csv

Prints Markdown on stdout (one table per role: validation, calibration, seed claims, mechanism
checks, each pattern's median and 10th-90th percentiles and verdict side by side) to paste into
docs/ODD.md, section 8.3, after the model changes.
"""

import sys
from pathlib import Path

import pandas as pd

from hlssim.cli.script import guarded, script_parser
from hlssim.reports.validation import side_by_side

PROG = Path(__file__).name


def main(argv=None) -> int:
    parser = script_parser(PROG, __doc__)
    parser.add_argument("default", help="validation.csv of hlssim validate-model")
    parser.add_argument("posterior", nargs="?", help="validation.csv of hlssim validate-model --posterior NAME")
    args = parser.parse_args(argv)
    table = pd.read_csv(args.default)
    posterior = pd.read_csv(args.posterior) if args.posterior else None
    print(side_by_side(table, posterior))
    return 0


if __name__ == "__main__":
    sys.exit(guarded(main, prog=PROG, program=True))
