"""``hlssim validate-model``: the validation report — which published patterns the model reproduces."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from ..experiments.provenance import code_version, git_commit
from ..util.files import replace_files
from .common import EXIT_OK, add_force_option, outputs, say, subcommand, whole_number

if TYPE_CHECKING:
    import pandas as pd

REPORT_FILES = ("validation.csv", "report.md")


def report_markdown(table: pd.DataFrame) -> str:
    """The report: how many patterns hold, then one section per pattern, then how it was made."""
    from .tables import fmt
    held = int(table.holds.sum())
    first = table.iloc[0]
    lines = [
        "# Validation report: what hlssim reproduces",
        "",
        f"**{held} of {len(table)} patterns hold.** Each is a small experiment on "
        f"{int(first.seeds)} seeds ({int(first.citizens):,} citizens, {int(first.weeks)} weeks unless a pattern "
        "says otherwise); values are the median across seeds with the 10th-90th percentiles. A pattern that "
        "does not hold is reported as not holding; no parameter was tuned to make one hold (two are "
        "calibration targets and say so).",
        "",
        "| pattern | model value [p10, p90] | expected | holds | cuts against |",
        "|---|---|---|---|---|",
    ]
    for row in table.itertuples():
        value = f"{fmt(row.median)} [{fmt(row.p10)}, {fmt(row.p90)}]"
        lines.append(f"| {row.title} | {value} | {row.expected} | {'yes' if row.holds else '**no**'} | "
                     f"{row.cuts_against or '—'} |")
    lines += ["", "## The patterns", ""]
    for row in table.itertuples():
        lines += [f"### {row.title} (`{row.pattern}`)", "",
                  f"- **Source:** {row.source}",
                  f"- **Quantity:** {row.quantity}",
                  f"- **Expected:** {row.expected}",
                  f"- **Model:** {fmt(row.median)} (10th-90th percentiles {fmt(row.p10)} to {fmt(row.p90)})",
                  f"- **Holds:** {'yes' if row.holds else 'no'}", ""]
    lines += ["## How this was made", "",
              f"`hlssim validate-model --seeds {int(first.seeds)} --weeks {int(first.weeks)} --citizens "
              f"{int(first.citizens)}` on {dt.date.today().isoformat()}, code {code_version()}, "
              f"git {git_commit() or 'unknown'}. The patterns and their tests are in "
              "`src/hlssim/experiments/validation.py`; docs/ODD.md, section 8, discusses them.", ""]
    return "\n".join(lines)


def cmd_validate_model(args) -> int:
    files = outputs(args.out, REPORT_FILES, args.force)
    from ..experiments.validation import run_validation
    from .tables import fmt
    table = run_validation(seeds=args.seeds, weeks=args.weeks, citizens=args.citizens, jobs=args.jobs,
                           progress=not args.quiet, only=args.pattern)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    replace_files(files.paths, [lambda p: table.to_csv(p, index=False), lambda p: p.write_text(report_markdown(table))])
    say(f"{int(table.holds.sum())} of {len(table)} patterns hold; {files.wrote()}")
    print(table[["pattern", "median", "p10", "p90", "holds"]].to_string(index=False, float_format=fmt))
    return EXIT_OK


def register(sub) -> None:
    val = subcommand(
        sub, "validate-model", help="check the model against patterns from published research (a report)",
        description="Run a fixed set of patterns from published research and the seed report, each as a small "
                    "experiment on the same seeds, and write results/validation/report.md and validation.csv: "
                    "for each pattern its source, the quantity, the model's value with 10th-90th percentiles, "
                    "what was expected and whether it holds.",
        epilog="examples:\n  hlssim validate-model\n  hlssim validate-model --seeds 10 --out results/validation\n"
               "  hlssim validate-model --pattern courtesy_bias --pattern queue_harms --seeds 3")
    val.add_argument("--seeds", type=whole_number("--seeds", 1, 200), default=10, help="seeds per arm (default 10: fewer, and a verdict near its bound can flip from one code version to the next)")
    val.add_argument("--weeks", type=whole_number("--weeks", 13, 5200), default=156, help="weeks (default 156)")
    val.add_argument("--citizens", type=whole_number("--citizens", 100, 1_000_000), default=2000,
                     help="citizens per run (default 2,000)")
    val.add_argument("--pattern", action="append", metavar="KEY", help="only this pattern (repeatable)")
    val.add_argument("--jobs", type=whole_number("--jobs", 1, 256), help="worker processes (default: one per core)")
    val.add_argument("--out", default="results/validation", metavar="DIR", help="folder (default results/validation)")
    add_force_option(val, "the report and table in --out DIR")
    val.add_argument("--quiet", action="store_true", help="no progress bar")
    val.set_defaults(func=cmd_validate_model)
