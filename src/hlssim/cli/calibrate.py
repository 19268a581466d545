"""``hlssim calibrate``: ABC-SMC against published figures; a posterior, its fit, figures and provenance."""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

from ..util.version import __version__
from .common import (EXIT_OK, BadInput, Failure, Interrupted, add_db_option, add_force_option, add_workers_options,
                     check_scheduler, outputs, say, subcommand, whole_number)

DEFAULT_ROOT = Path("results") / "calibration"
# The engine, pyabc and pandas load inside the command, once its arguments have been checked.


def history_path(db: str | None, calibration_id: str) -> Path:
    """pyabc's history database, next to the results store: ``<store folder>/calibrations/ID.db`` for a SQLite
    store; for a server store (PostgreSQL) ``results/calibrations/ID.db`` here, on the machine that runs pyabc."""
    import sqlalchemy as sa

    from ..store.database import database_url, sqlite_file
    found = sqlite_file(sa.make_url(database_url(db)))
    folder = found.parent if found is not None else Path("results")
    return folder / "calibrations" / f"{calibration_id}.db"


def _progress(quiet: bool):
    """A line on stderr as each generation fills (pyabc's own logging is quietened)."""
    if quiet:
        return None
    started = time.monotonic()
    said: dict[int, int] = {}

    def tell(t: int, accepted: int, n: int, evaluated: int) -> None:
        step = said.get(t, -1)
        if accepted >= n or evaluated // 64 > step:
            said[t] = evaluated // 64
            what = "initial calibration sample" if t < 0 else f"generation {t}"
            print(f"  {what}: {accepted} of {n} accepted after {evaluated:,} candidates "
                  f"({time.monotonic() - started:,.0f} s)", file=sys.stderr, flush=True)
    return tell


def cmd_calibrate(args) -> int:
    # pyabc, the engine and pandas load here, once the arguments are checked (benchmarks/bench_cli_start.py).
    from ..experiments import calibration as calib
    from ..experiments.provenance import code_version, environment, git_commit
    from ..experiments.runner import ClusterError
    check_scheduler(args.scheduler)
    cal = calib.load(args.file)
    if args.budget not in cal.budgets:
        raise BadInput(f"{cal.path}: budgets.{args.budget}: no such budget; allowed: {', '.join(cal.budgets)}")
    budget = cal.budgets[args.budget]
    seed = cal.seed if args.seed is None else args.seed
    calibration_id = cal.calibration_id(budget.name, seed, code_version())
    history = history_path(args.db, calibration_id)
    if args.status:
        table = calib.status(history)
        if table is None:
            print(f"calibration {calibration_id}: not started (history would be {history})")
        else:
            print(f"calibration {calibration_id}: {len(table)} of at most {budget.generations} generation(s) stored "
                  f"in {history}; tolerance {cal.tolerance:g}")
            print(table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        return EXIT_OK
    out = Path(args.out) if args.out else DEFAULT_ROOT / cal.name
    files = outputs(out, calib_files(), args.force)
    where = f"the Dask cluster at {args.scheduler}" if args.scheduler else "local processes"
    resumed = calib.status(history)
    say(f"calibration {calibration_id}: {len(cal.priors)} parameter(s), {len(cal.targets)} target(s), budget "
        f"{budget.name} ({budget.population} particles x up to {budget.generations} generations, {budget.citizens:,} "
        f"citizens, {budget.weeks} weeks, {budget.seeds} seed(s) a candidate) on {where}; history {history}"
        + (f" (resuming after {len(resumed)} generation(s))" if resumed is not None and len(resumed) else ""))
    started, clock = dt.datetime.now(dt.timezone.utc), time.monotonic()
    try:
        history_db = calib.calibrate(cal, budget, history, seed, jobs=args.jobs, scheduler=args.scheduler,
                                     progress=_progress(args.quiet))
    except ClusterError as err:
        raise Failure(str(err)) from None
    except KeyboardInterrupt:
        stored = calib.status(history)
        raise Interrupted(f"{0 if stored is None else len(stored)} generation(s) stored in {history}; run the same "
                          "command again to resume") from None
    generations = calib.generations(history_db)
    posterior = calib.posterior_frame(history_db, list(cal.priors))
    fits = calib.fit(history_db, cal)
    import pyabc
    provenance = {
        "calibration_id": calibration_id, "name": cal.name, "calibration_file": str(cal.path),
        "calibration_sha256": __import__("hashlib").sha256(cal.source.encode()).hexdigest(),
        "budget": budget.name, "budget_settings": budget.__dict__, "seed": seed, "history": str(history),
        "tolerance": cal.tolerance, "final_epsilon": float(generations.epsilon.iloc[-1]) if len(generations) else None,
        "tolerance_met": bool(len(generations) and generations.epsilon.iloc[-1] <= cal.tolerance),
        "generations": len(generations), "evaluations": int(generations.evaluations.sum()) if len(generations) else 0,
        "particles": len(posterior), "priors": {k: list(v) for k, v in cal.priors.items()},
        "targets": {t.key: {"observed": t.observed, "sd": t.sd, "source": t.source} for t in cal.targets},
        "code_version": code_version(), "hlssim_version": __version__, "git_commit": git_commit(),
        "pyabc": pyabc.__version__, **environment(), "jobs": args.jobs or os.cpu_count(), "scheduler": args.scheduler,
        "started_at": started.isoformat(), "finished_at": dt.datetime.now(dt.timezone.utc).isoformat(),
        "wall_seconds_this_sitting": round(time.monotonic() - clock, 1),
        "command": "hlssim " + " ".join(sys.argv[1:]) if sys.argv and sys.argv[0].endswith("hlssim")
        else f"hlssim calibrate {args.file} --budget {budget.name} --seed {seed}",
    }
    from ..reports.calibration import write
    write(out, cal, posterior, fits, generations, provenance)
    say(f"{len(posterior)} particles after {len(generations)} generation(s), final epsilon "
        f"{provenance['final_epsilon']:.3g} (tolerance {cal.tolerance:g}{' met' if provenance['tolerance_met'] else ', not met'}); "
        f"{files.wrote()}")
    return EXIT_OK


def calib_files() -> tuple[str, ...]:
    """Every file a calibration writes in --out (checked before it starts: none replaced without --force)."""
    from ..reports.calibration import FIGURES, FILES
    return (*FILES, *(f"{name}.{fmt}" for name in FIGURES for fmt in ("png", "svg")))


def register(sub) -> None:
    cal = subcommand(
        sub, "calibrate", help="calibrate parameters against published figures (ABC-SMC): a posterior",
        description="Run ABC-SMC (pyabc) for a calibration file (a shipped name such as 'default', or a path): "
                    "its parameters get uniform priors over their plausible ranges, and the model's value of each "
                    "target pattern (the same experiments validate-model runs) is compared with the published "
                    "figure and its uncertainty. Writes results/calibration/NAME/: posterior.csv (one row per "
                    "particle, weight summing to 1), each target's fit, each generation's epsilon, acceptance and "
                    "effective sample size, report.md, provenance.json and figures of marginals and pairwise "
                    "densities. The history is stored next to the results store; a stopped calibration resumes "
                    "when the same command is run again, and the same seed gives the same posterior whatever "
                    "--jobs or --scheduler.",
        epilog="examples:\n  hlssim calibrate default --budget small\n"
               "  hlssim calibrate default --jobs 8 --out results/calibration/default\n"
               "  hlssim calibrate my-calibration.yaml --scheduler tcp://10.0.0.5:8786\n"
               "  hlssim calibrate default --status")
    cal.add_argument("file", metavar="NAME|FILE", help="a shipped calibration's name (default) or a .yaml file")
    cal.add_argument("--budget", default="default", help="a budget named in the file: small (CI, a first look) or "
                     "default (default: default)")
    cal.add_argument("--seed", type=whole_number("--seed", 0, 2**31 - 1), help="the calibration's seed "
                     "(default: the file's)")
    add_workers_options(cal, "candidates")
    cal.add_argument("--out", metavar="DIR", help="folder (default results/calibration/NAME)")
    add_db_option(cal)
    cal.add_argument("--status", action="store_true", help="how far the calibration has got; runs nothing")
    add_force_option(cal, "the files in --out DIR")
    cal.add_argument("--quiet", action="store_true", help="no progress lines")
    cal.set_defaults(func=cmd_calibrate)
