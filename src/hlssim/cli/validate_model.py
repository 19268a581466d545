"""``hlssim validate-model``: the validation report — which published patterns the model reproduces."""

from __future__ import annotations

from pathlib import Path

from ..util.files import replace_files
from .common import EXIT_OK, add_force_option, add_posterior_option, outputs, say, subcommand, whole_number

REPORT_FILES = ("validation.csv", "report.md")


def cmd_validate_model(args) -> int:
    files = outputs(args.out, REPORT_FILES, args.force)
    from ..experiments.posterior import load_posterior
    from ..experiments.validation import run_validation
    from ..reports.validation import headline, report_markdown
    from .tables import fmt
    posterior = load_posterior(args.posterior) if args.posterior else None
    table = run_validation(seeds=args.seeds, weeks=args.weeks, citizens=args.citizens, jobs=args.jobs,
                           progress=not args.quiet, only=args.pattern, posterior=posterior)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    replace_files(files.paths, [lambda p: table.to_csv(p, index=False), lambda p: p.write_text(report_markdown(table))])
    say(f"{headline(table)} {files.wrote()}")
    print(table[["pattern", "role", "median", "p10", "p90", "verdict"]].to_string(index=False, float_format=fmt))
    return EXIT_OK


def register(sub) -> None:
    val = subcommand(
        sub, "validate-model", help="check the model against patterns from published research (a report)",
        description="Run a fixed set of patterns from published research and the seed report, each as a small "
                    "experiment on the same seeds, and write results/validation/report.md and validation.csv: "
                    "for each pattern its role (validation, calibration, seed_claim, mechanism), source, "
                    "quantity, the model's value with 10th-90th percentiles, the band expected and the verdict "
                    "(holds only when the whole 10th-90th interval lies inside the band; unclear when it "
                    "straddles a bound).",
        epilog="examples:\n  hlssim validate-model\n  hlssim validate-model --seeds 10 --out results/validation\n"
               "  hlssim validate-model --pattern courtesy_bias --pattern queue_harms --seeds 3\n"
               "  hlssim validate-model --posterior default")
    val.add_argument("--seeds", type=whole_number("--seeds", 1, 200), default=10, help="seeds per arm (default 10: fewer, and a verdict near its bound can flip from one code version to the next)")
    val.add_argument("--weeks", type=whole_number("--weeks", 13, 5200), default=156, help="weeks (default 156)")
    val.add_argument("--citizens", type=whole_number("--citizens", 100, 1_000_000), default=2000,
                     help="citizens per run (default 2,000)")
    val.add_argument("--pattern", action="append", metavar="KEY", help="only this pattern (repeatable)")
    add_posterior_option(val)
    val.add_argument("--jobs", type=whole_number("--jobs", 1, 256), help="worker processes (default: one per core)")
    val.add_argument("--out", default="results/validation", metavar="DIR", help="folder (default results/validation)")
    add_force_option(val, "the report and table in --out DIR")
    val.add_argument("--quiet", action="store_true", help="no progress bar")
    val.set_defaults(func=cmd_validate_model)
