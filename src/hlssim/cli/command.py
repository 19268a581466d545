"""The ``hlssim`` command line: run scenarios, keep every result, look at them again.

  hlssim run npm-targets hls-devolved --seeds 10     run two shipped scenarios on seeds 1-10
  hlssim compare npm-targets hls-devolved            paired differences on the same seeds
  hlssim list                                        shipped scenarios and stored runs
  hlssim show 7                                      one stored run
  hlssim export --all --format parquet               stored runs as files for other tools
  hlssim validate my-question.yaml                   check a scenario file without running it
  hlssim plot npm-targets hls-devolved               figures of stored runs (PNG and SVG)
  hlssim report npm-targets hls-devolved             an HTML report to hand on, and its Markdown twin
  hlssim funders --seeds 10                          contract designs against business as usual, for funders
  hlssim design contracts --budget small             search contract designs over plausible worlds: a Pareto set
  hlssim app                                         the live page for trainers and policy teams
  hlssim calibrate default                           ABC-SMC against published figures: a posterior

Results go to SQLite at results/hlssim.db unless --db or $HLSSIM_DB names another
database (any SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db).
Exit codes: 0 ok, 2 bad input, 1 failure, 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse

from . import app, browse, calibrate, compare, design, funders, plot, report, run, scale_up, sweep, validate_model
from .common import guarded


class _Version(argparse.Action):
    """``--version``: hlssim's version, the code version stored with every run, and the git commit if known."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="print hlssim's version, code version and git commit, and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        from ..experiments.provenance import code_version, git_commit
        from ..util.version import __version__
        commit = git_commit()
        print(f"hlssim {__version__} (code {code_version()}, git {commit[:12] if commit else 'commit unknown'})")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hlssim", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action=_Version)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in (run, browse, compare, funders, design, scale_up, sweep, validate_model, calibrate, plot, report,
                    app):
        command.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the command; bad flags exit 2 through argparse, everything else ends
    through ``common.guarded`` (one line on stderr; exit 0, 1, 2 or 130), a Ctrl-C while parsing too.

    The command modules import only what their arguments need; each command loads the engine, the store,
    pandas or seaborn when it runs, so ``--help``, ``--version`` and a bad argument answer at once."""
    def parse_and_run() -> int:
        args = build_parser().parse_args(argv)
        return args.func(args)
    return guarded(parse_and_run, prog="hlssim", program=argv is None)
