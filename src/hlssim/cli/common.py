"""What every command shares: exit codes, the two kinds of error, messages on stderr, common options."""

from __future__ import annotations

import argparse
import sys
import textwrap

from ..params import parse_value
from ..util.ranges import ranges  # noqa: F401 - the commands import it from here

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2
DEFAULT_WEEKS = 260


class BadInput(Exception):
    """Input the user can fix; reported without a traceback and exit code 2."""


class Failure(Exception):
    """Something went wrong that the input did not cause; exit code 1."""


def say(message: str = "") -> None:
    """Messages for people go to stderr, so stdout carries only the result (a table or JSON)."""
    print(message, file=sys.stderr, flush=True)


def parse_sets(pairs: list[str] | None) -> dict:
    """``--set KEY=VALUE`` flags as dotted-key overrides."""
    overrides = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise BadInput(f"--set {pair!r}: expected KEY=VALUE, e.g. --set world.uniqueness=0.5")
        key, value = pair.split("=", 1)
        overrides[key.strip()] = parse_value(value)
    return overrides


def whole_number(name: str, low: int = 1, high: int | None = None):
    """An argparse type: a whole number in [low, high], refused with a message naming the flag."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a whole number; got {text!r}") from None
        if value < low or (high is not None and value > high):
            bound = f"from {low} to {high:,}" if high is not None else f">= {low}"
            raise argparse.ArgumentTypeError(f"{name} must be a whole number {bound}; got {value}")
        return value
    return parse


def wrap(text: str) -> str:
    return textwrap.fill(text, width=79)


def add_db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="URL", help="results store: a SQLAlchemy URL or a SQLite file path "
                   "(default: $HLSSIM_DB, else results/hlssim.db)")


def add_sets_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--set", action="append", metavar="KEY=VALUE",
                   help="override a parameter by dotted key, e.g. world.uniqueness=0.5 (repeatable)")


def subcommand(sub, name: str, help: str, description: str, epilog: str) -> argparse.ArgumentParser:
    """A subcommand whose description is wrapped and whose examples keep their lines."""
    return sub.add_parser(name, help=help, description=wrap(description), epilog=epilog,
                          formatter_class=argparse.RawDescriptionHelpFormatter)
