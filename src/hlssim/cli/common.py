"""What every entry point shares: exit codes, the kinds of error, how it ends, messages on stderr, options.

The ``hlssim`` commands and the scripts in ``experiments/`` all end through :func:`guarded`, check
their numbers with :func:`whole_number` and :func:`parameter`, and check the files they will write
with :func:`outputs` before they start work.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import signal
import sys
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..params import ParameterError, parse_value, resolve
from ..params.scenarios import DEFAULT_WEEKS, LIMITS  # noqa: F401 - the commands import DEFAULT_WEEKS from here
from ..util.ranges import ranges  # noqa: F401 - the commands import it from here

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130   # 130: 128 + SIGINT, as shells report Ctrl-C
ADDRESS = re.compile(r"^((tcp|tls)://)?[A-Za-z0-9.\-\[\]:]+:\d{1,5}$")     # a Dask scheduler's address


class BadInput(Exception):
    """Input the user can fix; reported without a traceback and exit code 2."""


class Failure(Exception):
    """Something went wrong that the input did not cause; exit code 1."""


class Interrupted(Exception):
    """Ctrl-C, told with what the command had done by then (exit code 130); a bare Ctrl-C says 'interrupted'."""


def guarded(work: Callable[[], int], prog: str = "hlssim", program: bool = False) -> int:
    """Run an entry point's work and end it the way every entry point ends: bad input in one line and exit 2,
    a failure in one line and exit 1 (the traceback with HLSSIM_DEBUG=1), Ctrl-C in one line and exit 130,
    and a reader that stopped early (``| head``) exit 0 quietly. Returns the exit code.

    ``program``: this is the whole process (not a call from Python), so once the work has ended and said so,
    Ctrl-C is ignored while the process exits (worker processes shutting down), instead of a traceback."""
    try:
        return _ended(work, prog)
    finally:
        if program:
            signal.signal(signal.SIGINT, signal.SIG_IGN)


def _ended(work: Callable[[], int], prog: str) -> int:
    from ..store.errors import StoreError, StoreInputError     # the error kinds only: no pandas, no SQLAlchemy
    try:
        code = work()
        sys.stdout.flush()            # a reader that has gone shows here, not in the interpreter's last flush
        return code
    except Interrupted as stop:
        _tell(f"{prog}: interrupted: {stop}")
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        _tell(f"{prog}: interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _discard_stdout()
        return EXIT_OK
    except (ParameterError, BadInput, StoreInputError) as err:
        _tell(f"{prog}: error: {err}")
        return EXIT_BAD_INPUT
    except (StoreError, Failure) as err:
        _tell(f"{prog}: failed: {err}", advice=True)
        return EXIT_FAILURE
    except Exception as err:  # noqa: BLE001 - one line for people, the traceback on request
        if os.environ.get("HLSSIM_DEBUG"):
            import traceback
            traceback.print_exc()
        _tell(f"{prog}: failed: {type(err).__name__}: {err} (set HLSSIM_DEBUG=1 for the traceback)")
        return EXIT_FAILURE


def _tell(message: str, advice: bool = False) -> None:
    """One line on stderr, whatever the message quotes: a newline or other control character in a user's key or
    value is shown escaped (\\n, \\r, \\x00), never as a line break. With ``advice`` (a failure that says how to
    recover, such as a damaged store), the message's own indented follow-on lines ("\\n  ...") stay lines."""
    parts = message.split("\n  ") if advice else [message]
    print("\n  ".join("".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in part) for part in parts),
          file=sys.stderr)


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's final flush to a closed pipe does not complain."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return                        # not a real file (e.g. captured in tests): nothing will be flushed to a pipe
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


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
        if not key.strip().isprintable():
            raise BadInput(f"--set {pair!r}: the key must be a parameter's dotted name, e.g. world.uniqueness")
        overrides[key.strip()] = parse_value(value)
    return overrides


def whole_number(name: str, low: int = 1, high: int | None = None):
    """An argparse type: a whole number in [low, high] (``1e6`` too), refused with a message naming the flag
    and the range."""
    bound = f"from {low:,} to {high:,}" if high is not None else f">= {low:,}"

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                number = math.nan
            if not number.is_integer():
                raise argparse.ArgumentTypeError(f"{name} must be a whole number {bound}; got {text!r}") from None
            value = int(number)
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"{name} must be a whole number {bound}; got {text}")
        return value
    return parse


def parameter(flag: str, key: str):
    """An argparse type for a flag that sets a model parameter: the parameter's own type and range, refused with
    a message naming the flag (e.g. ``--citizens`` for ``population.citizens``)."""
    def parse(text: str):
        try:
            return resolve(None, {key: parse_value(text)}).flat()[key]
        except ParameterError as err:
            raise argparse.ArgumentTypeError(f"{flag} sets {key}: {str(err).removeprefix(f'{key}: ')}") from None
    return parse


@dataclass(frozen=True)
class Outputs:
    """The files an entry point is about to write, checked before it starts: which of them are already there."""

    paths: list[Path]
    replacing: list[Path]

    def wrote(self) -> str:
        """The message once they are written: every path, and the earlier files --force replaced."""
        return f"wrote {', '.join(str(p) for p in self.paths)}" + self.replaced_note()

    def replaced_note(self) -> str:
        """' (replaced the earlier ..., as --force asked)' when earlier files were replaced, else ''."""
        if not self.replacing:
            return ""
        names = ", ".join(p.name for p in self.replacing[:4]) + (", ..." if len(self.replacing) > 4 else "")
        return f" (replaced the earlier {names}, as --force asked)"


def outputs(folder: str | os.PathLike, names: Iterable[str] | None, force: bool, flag: str = "--out") -> Outputs:
    """Check, before any work, that the files ``names`` (None: anything in the folder) can be written in
    ``folder``: it is a folder or can be made one, and no earlier result is there unless ``force``.
    Earlier results are never replaced without --force, and the message says which were."""
    out = Path(folder).expanduser()
    for place in (out, *out.parents):
        if place.exists():
            if not place.is_dir():
                raise BadInput(f"{flag} {folder}: {place} is a file, not a folder; give a folder to write into")
            if not os.access(place, os.W_OK | os.X_OK):
                raise BadInput(f"{flag} {folder}: cannot write in {place} (permission denied)")
            break
    if names is None:
        paths = sorted(out.iterdir()) if out.is_dir() else []
        replacing = [p for p in paths if p.is_file()]
    else:
        paths = [out / name for name in names]
        replacing = [p for p in paths if p.exists()]
    if replacing and not force:
        shown = ", ".join(p.name for p in replacing[:4]) + (", ..." if len(replacing) > 4 else "")
        raise BadInput(f"{flag} {folder}: earlier results are there ({shown}); add --force to replace them, "
                       f"or give another {flag}")
    return Outputs(paths, replacing)


def script_parser(prog: str, doc: str | None) -> argparse.ArgumentParser:
    """The argument parser of a script in experiments/: its docstring as the help, its file name in messages."""
    return argparse.ArgumentParser(prog=prog, description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)


def add_seeds_weeks(p: argparse.ArgumentParser, seeds: int | None, weeks: int, min_weeks: int = 1,
                    why: str = "") -> None:
    """--seeds N (seeds 1..N; none when ``seeds`` is None) and --weeks, within what a scenario may ask for."""
    if seeds is not None:
        p.add_argument("--seeds", type=whole_number("--seeds", 1, LIMITS.seeds), default=seeds,
                       help=f"seeds 1..N (default {seeds})")
    p.add_argument("--weeks", type=whole_number("--weeks", min_weeks, LIMITS.weeks), default=weeks,
                   help=f"weeks{f', at least {min_weeks}' if min_weeks > 1 else ''}{why} (default {weeks})")


def add_out_option(p: argparse.ArgumentParser, what: str, default: str = "results") -> None:
    """--out DIR and --force for a script that writes ``what`` there."""
    p.add_argument("--out", default=default, help=f"folder for {what} (default {default})")
    add_force_option(p, f"{what} in --out")


def add_force_option(p: argparse.ArgumentParser, what: str = "files") -> None:
    p.add_argument("--force", action="store_true", help=f"replace {what} if an earlier run left them there "
                   "(without --force they stop the command before it starts)")


def wrap(text: str) -> str:
    return textwrap.fill(text, width=79)


def add_db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="URL", help="results store: a SQLAlchemy URL or a SQLite file path "
                   "(default: $HLSSIM_DB, else results/hlssim.db in the current folder)")


def add_posterior_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--posterior", metavar="NAME|FILE", help="draw, at each seed, the calibrated parameters from a "
                   "posterior: a shipped name (default), a posterior.csv or a calibration's folder; every regime and "
                   "scenario on seed s gets the same particle, and what a run sets explicitly (--set, the scenario "
                   "file) wins")


def posterior_of(ref: str | None):
    """The posterior ``--posterior`` names (checked: exit 2 on a bad one), or None."""
    if not ref:
        return None
    from ..experiments.posterior import load_posterior
    return load_posterior(ref)


def posterior_label(ref: str | None) -> str | None:
    """``NAME@HASH`` of the posterior ``--posterior`` names, as stored series record it; None without one."""
    found = posterior_of(ref)
    return found.label if found is not None else None


def add_sets_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--set", action="append", metavar="KEY=VALUE",
                   help="override a parameter by dotted key, e.g. world.uniqueness=0.5 (repeatable)")


def subcommand(sub, name: str, help: str, description: str, epilog: str) -> argparse.ArgumentParser:
    """A subcommand whose description is wrapped and whose examples keep their lines."""
    return sub.add_parser(name, help=help, description=wrap(description), epilog=epilog,
                          formatter_class=argparse.RawDescriptionHelpFormatter)


def add_workers_options(p: argparse.ArgumentParser, what: str = "runs") -> None:
    """--jobs N (local processes) or --scheduler tcp://HOST:PORT (a Dask cluster's workers), one or the other."""
    workers = p.add_mutually_exclusive_group()
    workers.add_argument("--jobs", type=whole_number("--jobs", 1, 256), help="worker processes (default: one per core)")
    workers.add_argument("--scheduler", metavar="tcp://HOST:PORT", help=f"run {what} on a Dask cluster: its scheduler's "
                         "address")


def check_scheduler(address: str | None) -> None:
    """A --scheduler that is not a Dask scheduler's address stops the command before it starts (exit 2)."""
    if address and not ADDRESS.match(address):
        raise BadInput(f"--scheduler {address!r}: expected a Dask scheduler address, tcp://HOST:PORT "
                       "(e.g. tcp://10.0.0.5:8786)")
