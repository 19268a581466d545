"""The command line (the top layer): ``main`` parses, each command module does one family of commands.

``run`` (run, compare-regimes), ``browse`` (list, show, export, validate), ``compare``,
``scale_up``; ``selectors`` is the run-selector language, ``tables`` and ``files`` present results.
"""

from .main import build_parser, main

__all__ = ["build_parser", "main"]
