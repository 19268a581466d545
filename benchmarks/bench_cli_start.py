"""How long the ``hlssim`` command takes to answer when it has nothing to compute, against ``import pandas``.

What it measures
----------------
Wall time of fresh processes, each started the way a person starts them (the ``hlssim`` script of
this virtual environment): ``hlssim --version``, ``hlssim --help``, ``hlssim COMMAND --help`` for
every command, and argument errors (``hlssim run no-such-scenario``, ``hlssim run --seeds 0``,
``hlssim compare``); and, as the yardstick, ``python -c "import pandas"``. Each is started
``--repeats`` times (default 5); the repetitions are interleaved (yardstick, then every case, then
the yardstick again ...), so load on the machine falls on all of them alike. The median is kept.

Target (issue 19): every case within **2 x** the median time of ``import pandas`` measured in the same
sitting. ``tests/test_cli.py`` checks the behaviour behind it (building the parser and every
``--help`` import neither pandas nor numpy, seaborn, numba or mesa); the time is measured here, never
in a test.

    .venv/bin/python benchmarks/bench_cli_start.py [--repeats 5] [--hlssim PATH]

``--hlssim`` times another checkout's command (e.g. ``/work/main/.venv/bin/hlssim``) for a before
and after. Writes ``results/bench_cli_start.json`` (every repetition, the load average, the git
commit) and prints a table. Exit 1 if a case misses the target.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 2.0      # times the median of `import pandas`
YARDSTICK = "python -c 'import pandas'"


def commands(hlssim: str) -> dict[str, list[str]]:
    """Every case, by name: the command line and nothing else (no store, no scenario is read)."""
    python = str(Path(hlssim).with_name("python"))
    cases = {YARDSTICK: [python, "-c", "import pandas"],
             "hlssim --version": [hlssim, "--version"],
             "hlssim --help": [hlssim, "--help"]}
    cases.update({f"hlssim {name} --help": [hlssim, name, "--help"] for name in command_names(python)})
    cases.update({
        "hlssim run no-such-scenario": [hlssim, "run", "no-such-scenario"],
        "hlssim run --seeds 0": [hlssim, "run", "--seeds", "0"],
        "hlssim compare (no A B)": [hlssim, "compare"],
    })
    return cases


def command_names(python: str) -> list[str]:
    """The commands of the hlssim that ``python`` imports, read off its parser."""
    code = ("import argparse; from hlssim.cli import build_parser; "
            "sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)); "
            "print(' '.join(sub.choices))")
    return subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.split()


def time_once(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, int]:
    started = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, env=env, cwd=cwd)
    return time.perf_counter() - started, proc.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5, help="fresh processes per case (default 5)")
    parser.add_argument("--hlssim", default=str(Path(sys.executable).with_name("hlssim")),
                        help="the hlssim command to time (default: this virtual environment's)")
    parser.add_argument("--out", default=str(ROOT / "results" / "bench_cli_start.json"))
    args = parser.parse_args(argv)

    cases = commands(args.hlssim)
    with tempfile.TemporaryDirectory(prefix="hlssim-bench-") as folder:
        env = {**os.environ, "HLSSIM_DB": str(Path(folder) / "none.db")}   # nothing here reads or makes a store
        times: dict[str, list[float]] = {name: [] for name in cases}
        codes: dict[str, int] = {}
        load_before = os.getloadavg()
        for _ in range(args.repeats):
            for name, command in cases.items():          # interleaved: load falls on every case alike
                seconds, code = time_once(command, env, Path(folder))
                times[name].append(seconds)
                codes[name] = code
        load_after = os.getloadavg()

    base = statistics.median(times[YARDSTICK])
    print(f"median of {args.repeats} fresh processes each, interleaved; yardstick {YARDSTICK}: {base:.3f} s; "
          f"target {TARGET:g} x = {TARGET * base:.3f} s")
    print(f"{'case':<36} {'median s':>9} {'x pandas':>9} {'exit':>5}  within target")
    missed = []
    for name, values in times.items():
        median = statistics.median(values)
        ok = name == YARDSTICK or median <= TARGET * base
        if not ok:
            missed.append(name)
        print(f"{name:<36} {median:>9.3f} {median / base:>9.2f} {codes[name]:>5}  {'yes' if ok else 'NO'}")
    print(f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after")

    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"hlssim": args.hlssim, "git_commit": commit, "repeats": args.repeats,
                               "yardstick_median": base, "target_ratio": TARGET, "times": times, "exit_codes": codes,
                               "load_before": load_before, "load_after": load_after, "missed": missed}, indent=2))
    print(f"wrote {out}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
