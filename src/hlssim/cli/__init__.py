"""The command line (the top layer): ``main`` parses, each command module does one family of commands.

``run`` (run, compare-regimes), ``browse`` (list, show, export, validate), ``compare``,
``scale_up``, ``sweep``, ``validate_model``, ``plot``, ``report``, ``app``; ``selectors`` is the
run-selector language, ``tables`` and ``files`` present results; ``common`` is what every entry point
shares, and ``script`` its public part, for the scripts in ``experiments/`` and scripts of your own.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """The ``hlssim`` command. The command modules (and numpy, numba, pandas under them) load here,
    inside the guard, so a Ctrl-C while they load ends like any other: one line, exit 130."""
    try:
        from .command import main as run_command
    except KeyboardInterrupt:
        print("hlssim: interrupted", file=sys.stderr)
        return 130
    return run_command(argv)


def build_parser():
    """The ``hlssim`` argument parser (for documentation and tests)."""
    from .command import build_parser as build
    return build()


__all__ = ["build_parser", "main"]
