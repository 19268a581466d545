"""The ``hlssim`` command line. Exit codes: 0 ok, 2 bad input, 1 failure."""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from .params import ParameterError, parse_value
from .report import headline_table, write_comparison
from .simulate import simulate

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2


class BadInput(Exception):
    """Input the user can fix; reported without a traceback and exit code 2."""


def parse_sets(pairs: list[str] | None) -> dict:
    overrides = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise BadInput(f"--set {pair!r}: expected KEY=VALUE, e.g. --set world.uniqueness=0.5")
        key, value = pair.split("=", 1)
        overrides[key.strip()] = parse_value(value)
    return overrides


def _json_safe(summary: dict) -> dict:
    return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in summary.items()}


def cmd_run(args) -> int:
    result = simulate(regime=args.regime, seed=args.seed, weeks=args.weeks, overrides=parse_sets(args.set))
    if args.json:
        print(json.dumps(_json_safe(result.summary)))
    else:
        print(headline_table({args.regime: result.summary}))
    return EXIT_OK


def cmd_compare_regimes(args) -> int:
    overrides = parse_sets(args.set)
    results = {regime: simulate(regime=regime, seed=args.seed, weeks=args.weeks, overrides=overrides)
               for regime in ("npm", "hls")}
    print(headline_table({name: r.summary for name, r in results.items()}))
    if args.out:
        paths = write_comparison(results, Path(args.out))
        print(f"\nwrote {', '.join(str(p) for p in paths)}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hlssim", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p):
        p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        p.add_argument("--weeks", type=int, default=260, help="weeks to simulate (default 260)")
        p.add_argument("--set", action="append", metavar="KEY=VALUE",
                       help="override a parameter by dotted key, e.g. world.uniqueness=0.5 (repeatable)")

    run = sub.add_parser("run", help="run one simulation",
                         epilog="example: hlssim run --regime npm --seed 3 --set targets.pressure=0.9 --json")
    run.add_argument("--regime", choices=["npm", "hls"], default="hls")
    run.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    common(run)
    run.set_defaults(func=cmd_run)

    cmp_ = sub.add_parser("compare-regimes", help="NPM and HLS on the same world and seed, side by side",
                          epilog="example: hlssim compare-regimes --seed 1 --out results/headline")
    cmp_.add_argument("--out", help="folder to write summary.csv, timeseries.csv and provenance.json")
    common(cmp_)
    cmp_.set_defaults(func=cmd_compare_regimes)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if getattr(args, "weeks", 1) < 1:
            raise BadInput(f"--weeks {args.weeks}: must be a whole number >= 1")
        return args.func(args)
    except (ParameterError, BadInput) as err:
        print(f"hlssim: error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
