"""``hlssim report A B``: the comparison as a self-contained HTML file and its Markdown twin."""

from __future__ import annotations

import re
from pathlib import Path

from .common import EXIT_OK, outputs, say, subcommand
from .plot import add_figure_options, chosen_groups, compare, draw, label_for, parse_keys


def default_out(a: str, b: str) -> Path:
    safe = [re.sub(r"[^\w.@-]+", "_", label_for(s)) for s in (a, b)]
    return Path("results") / f"report-{safe[0]}-vs-{safe[1]}"


def cmd_report(args) -> int:
    args.selection = [args.a, args.b]
    out = Path(args.out) if args.out else default_out(args.a, args.b)
    files = outputs(out, None, args.force)              # before any run or drawing
    from ..reports.document import write_report
    groups = chosen_groups(args)
    comparison = compare(groups)
    charts = draw(groups, comparison, parse_keys(args.keys, groups), args.window, not args.quiet)
    paths = write_report(comparison, charts, out)
    say(f"wrote the report for {comparison.b.label} against {comparison.a.label} ({len(comparison.seeds)} paired "
        f"seeds) in {out}{files.replaced_note()}: open report.html in a browser; report.md is its Markdown twin")
    for path in paths[:2]:
        print(path)
    return EXIT_OK


def register(sub) -> None:
    report = subcommand(
        sub, "report", help="a report to hand on: B against A as one self-contained HTML file and a Markdown twin",
        description="Write report.html (figures embedded; nothing is fetched when it opens) and report.md "
                    "(figures beside it in figures/) comparing B with A on the seeds both have: the question from "
                    "the scenario files, what was run, the headline differences in plain words with their "
                    "10th-90th percentiles, the figures, the parameters that differ from the defaults with the "
                    "sections of docs/ODD.md where they act, and what the comparison is not. A and B are "
                    "selections as for `hlssim compare`; with --seeds N they must be scenarios, and any of their "
                    "runs on seeds 1..N not yet stored are run first.",
        epilog="examples:\n  hlssim report npm-targets hls-devolved\n"
               "  hlssim report npm-targets goodhart-demo --seeds 5 --out results/goodhart-report")
    report.add_argument("a", metavar="A")
    report.add_argument("b", metavar="B")
    report.add_argument("--out", metavar="DIR", help="folder for report.html, report.md and figures/ "
                        "(default results/report-A-vs-B)")
    add_figure_options(report)
    report.set_defaults(func=cmd_report)
