"""The public toolkit for a script of your own, like those in ``experiments/``: a script that takes
arguments, checks them, refuses to overwrite earlier results and ends the way every ``hlssim``
command does.

    import sys
    from pathlib import Path
    from hlssim.cli.script import add_out_option, add_seeds_weeks, guarded, outputs, script_parser, write_files

    def main(argv=None) -> int:
        parser = script_parser(Path(__file__).name, __doc__)
        add_seeds_weeks(parser, seeds=5, weeks=156)
        add_out_option(parser, "my_table.csv")
        args = parser.parse_args(argv)
        files = outputs(args.out, ["my_table.csv"], args.force)      # exit 2 before any work if they exist
        table = ...                                                  # hlssim.simulate, hlssim.load_runs, ...
        write_files(files.paths, [lambda p: table.to_csv(p, index=False)])
        print(files.wrote())
        return 0

    if __name__ == "__main__":
        sys.exit(guarded(main, prog=Path(__file__).name, program=True))

Bad input (a flag out of range, a parameter the model refuses, results already there without
``--force``) is one line on stderr and exit 2; a failure one line and exit 1; Ctrl-C one line
and exit 130. These names are stable; the rest of ``hlssim.cli`` is the command's own.
"""

from __future__ import annotations

from ..params.scenarios import LIMITS
from ..util.files import replace_files as write_files
from .common import (BadInput, Failure, Outputs, add_force_option, add_out_option, add_seeds_weeks, guarded,
                     outputs, parameter, script_parser, whole_number)


def save_chart(chart, folder):
    """Write a figure (a ``hlssim.reports`` Chart) as ``folder/NAME.png`` and ``.svg``, each written whole."""
    from ..reports.style import save         # matplotlib and seaborn load only when a script draws
    return save(chart, folder)


__all__ = ["LIMITS", "BadInput", "Failure", "Outputs", "add_force_option", "add_out_option", "add_seeds_weeks",
           "guarded", "outputs", "parameter", "save_chart", "script_parser", "whole_number", "write_files"]
