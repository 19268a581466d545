"""The ``hlssim`` command line: run scenarios, keep every result, look at them again.

  hlssim run npm-targets hls-devolved --seeds 10     run two shipped scenarios on seeds 1-10
  hlssim compare npm-targets hls-devolved            paired differences on the same seeds
  hlssim list                                        shipped scenarios and stored runs
  hlssim show 7                                      one stored run
  hlssim export --all --format parquet               stored runs as files for other tools
  hlssim validate my-question.yaml                   check a scenario file without running it
  hlssim plot npm-targets hls-devolved               figures of stored runs (PNG and SVG)
  hlssim report npm-targets hls-devolved             an HTML report to hand on, and its Markdown twin
  hlssim app                                         the live page for trainers and policy teams

Results go to SQLite at results/hlssim.db unless --db or $HLSSIM_DB names another
database (any SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db).
Exit codes: 0 ok, 2 bad input, 1 failure.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback

from ..params import ParameterError
from ..store import StoreError, StoreInputError
from . import app, browse, compare, plot, report, run, scale_up, sweep, validate_model
from .common import EXIT_BAD_INPUT, EXIT_FAILURE, BadInput, Failure


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hlssim", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in (run, browse, compare, scale_up, sweep, validate_model, plot, report, app):
        command.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (ParameterError, BadInput, StoreInputError) as err:
        print(f"hlssim: error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (StoreError, Failure) as err:
        print(f"hlssim: failed: {err}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("hlssim: interrupted; runs not yet stored were not kept", file=sys.stderr)
        return EXIT_FAILURE
    except Exception as err:  # noqa: BLE001 - one line for people, the traceback on request
        if os.environ.get("HLSSIM_DEBUG"):
            traceback.print_exc()
        print(f"hlssim: failed: {type(err).__name__}: {err} (set HLSSIM_DEBUG=1 for the traceback)",
              file=sys.stderr)
        return EXIT_FAILURE
