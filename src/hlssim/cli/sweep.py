"""``hlssim sweep`` (run a sweep file: store every run, resume, progress, report) and ``hlssim sweep-report``."""

from __future__ import annotations

import textwrap
from pathlib import Path

from typing import TYPE_CHECKING

from ..reports.places import SWEEP_REPORTS
from .browse import _store_exists
from .common import (EXIT_OK, BadInput, Failure, Interrupted, Outputs, add_db_option, add_force_option,
                     add_posterior_option, check_scheduler, outputs, posterior_of, say, subcommand, whole_number)
from .selectors import open_to_read

if TYPE_CHECKING:
    from ..experiments.sweeps.plan import Plan
    from ..store import Store



def duration(seconds: float) -> str:
    """'about 2 min 10 s', '45 s', '3 h 20 min'."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {secs} s" if minutes < 10 else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


def describe(plan: Plan) -> str:
    """The design's size in words: points, levers, bases, seeds, runs and weeks."""
    s, info = plan.sweep, plan.info
    return (f"{s.design} design, {info['design_points']} points over {len(s.uncertainties)} parameter(s) x "
            f"{len(s.levers)} lever(s) ({', '.join(info['levers'])}) x {len(s.bases)} base(s) x seeds 1-{s.seeds}"
            f" = {len(plan.runs)} runs of {s.weeks} weeks")


def cmd_sweep(args) -> int:
    check_scheduler(args.scheduler)
    if (args.out or args.force) and not args.report:
        flag = "--out DIR" if args.out else "--force"
        raise BadInput(f"{flag}: only with --report (or use `hlssim sweep-report SWEEP {flag}`)")
    from ..experiments.runner import ClusterError
    from ..experiments.sweeps.file import load
    from ..experiments.sweeps.plan import estimate, make_plan
    from ..store import Store
    from ..store import sweeps as stored
    plan = make_plan(load(args.file), posterior_of(args.posterior))
    report_files = _report_files(plan.sweep_id, args) if args.report and not (args.dry_run or args.status) else None
    if args.dry_run:
        seconds, workers = estimate(plan, len(plan.runs), args.jobs)
        print(f"sweep {plan.sweep.name} ({plan.sweep.where}), id {plan.sweep_id}")
        print(f"  {describe(plan)}")
        print(f"  estimated time: about {duration(seconds)} on {workers} local process(es), from a short run of "
              "each lever here (runs already stored are skipped; a Dask cluster divides it by its workers)")
        print("  nothing was run or stored (--dry-run)")
        return EXIT_OK
    if args.status:
        return _status(args, plan)
    with Store(args.db) as store:
        before = stored.progress(store, plan.sweep_id)
        where = f"the Dask cluster at {args.scheduler}" if args.scheduler else "local processes"
        say(f"sweep {plan.sweep_id}: {describe(plan)}; {before.complete} already stored, running the rest on {where}")
        try:
            done = stored.run_sweep(store, plan, jobs=args.jobs, scheduler=args.scheduler, progress=not args.quiet)
        except ClusterError as err:
            raise Failure(str(err)) from None
        except KeyboardInterrupt:
            now = stored.progress(store, plan.sweep_id)
            raise Interrupted(f"{now.complete} of {now.planned} runs of sweep {plan.sweep_id} stored; run the same "
                              "command again to resume") from None
        new = len({d.run_id for d in done if not d.reused})
        failed = {d.run_id: d for d in done if d.error}
        after = stored.progress(store, plan.sweep_id)
        shared = after.complete - new - before.complete
        say(f"stored in {store.url}: {new} new run(s), {before.complete} already there; {after.complete} of "
            f"{after.planned} complete" + (f" ({shared} design cells share a run with another)" if shared else ""))
        for d in failed.values():
            say(f"hlssim: run {d.run_id} ({d.spec.scenario}, seed {d.spec.seed}) failed: {d.error}")
        if args.report:
            _report(store, plan.sweep_id, args.out, report_files)
    if failed:
        raise Failure(f"{len(failed)} run(s) of the sweep failed; see the errors above")
    return EXIT_OK


def _status(args, plan: Plan) -> int:
    from ..store import Store
    from ..store import sweeps as stored
    if not _store_exists(args.db):
        print(f"sweep {plan.sweep_id}: not started (no results store yet); {describe(plan)}")
        return EXIT_OK
    with Store(args.db) as store:
        p = stored.progress(store, plan.sweep_id)
    if not p.started:
        print(f"sweep {plan.sweep_id}: not started; {describe(plan)}")
        return EXIT_OK
    print(f"sweep {plan.sweep_id}: {p.complete} of {p.planned} runs stored ({p.complete / p.planned:.0%}), "
          f"{p.failed} failed, {p.missing} to run; {describe(plan)}")
    return EXIT_OK


def _report_files(sweep_id: str, args) -> Outputs:
    """The report's folder, checked before any work: an earlier report there is replaced only with --force."""
    return outputs(args.out or SWEEP_REPORTS / sweep_id, None, args.force)


def _report(store: Store, sweep_id: str, out: str | None, files: Outputs) -> None:
    from ..reports.sweep_report import report_sweep
    report, paths = report_sweep(store, sweep_id, Path(out) if out else None)
    for box in report.boxes:
        print(textwrap.fill(box.describe(), width=100, subsequent_indent="    "))
    say(f"wrote {len(paths)} files to {paths[0].parent if paths else out}{files.replaced_note()}")


def cmd_sweep_report(args) -> int:
    from ..experiments.sweeps.file import load
    from ..experiments.sweeps.plan import make_plan
    from ..store import sweeps as stored
    with open_to_read(args.db, "no sweeps to report") as store:
        if not args.sweep:
            table = stored.listing(store)
            print(table.to_string(index=False) if len(table) else "no sweeps stored yet; `hlssim sweep FILE` runs one")
            return EXIT_OK
        ref = args.sweep
        if ref.endswith((".yaml", ".yml")):
            ref = make_plan(load(ref)).sweep_id
        sweep_id = stored.find(store, ref)
        _report(store, sweep_id, args.out, _report_files(sweep_id, args))
    return EXIT_OK


def register(sub) -> None:
    sweep = subcommand(
        sub, "sweep", help="run a sweep file: many worlds x levers x seeds, stored and resumable",
        description="Run every run a sweep FILE asks for (each lever at each design point, on the same seeds) and "
                    "store each as it finishes under the sweep's id. Runs already stored are skipped, so a sweep "
                    "that was stopped (Ctrl-C, or killed) resumes where it was. Runs go to local processes "
                    "(--jobs, default one per core) or to a Dask cluster (--scheduler). docs/sweeps.md describes "
                    "sweep files.",
        epilog="examples:\n"
               "  hlssim sweep sweeps/where-hls-wins.yaml --dry-run\n"
               "  hlssim sweep sweeps/where-hls-wins.yaml --report\n"
               "  hlssim sweep sweeps/where-hls-wins.yaml --status\n"
               "  hlssim sweep sweeps/contract-designs.yaml --scheduler tcp://10.0.0.5:8786")
    sweep.add_argument("file", metavar="FILE", help="a sweep file (.yaml)")
    what = sweep.add_mutually_exclusive_group()
    what.add_argument("--dry-run", action="store_true", help="print the design's size and an estimated time; run nothing")
    what.add_argument("--status", action="store_true", help="say how far the sweep has got in the store")
    where = sweep.add_mutually_exclusive_group()
    where.add_argument("--jobs", type=whole_number("--jobs", 1, 256), help="local worker processes (default: one per core)")
    where.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run on the Dask cluster whose scheduler is here")
    sweep.add_argument("--report", action="store_true",
                       help=f"then write the report to {SWEEP_REPORTS}/SWEEP_ID/ (or --out)")
    sweep.add_argument("--out", metavar="DIR", help="with --report: the folder to write to")
    add_force_option(sweep, "the report's files in its folder (with --report)")
    add_db_option(sweep)
    add_posterior_option(sweep)
    sweep.add_argument("--quiet", action="store_true", help="no progress bar")
    sweep.set_defaults(func=cmd_sweep)

    rep = subcommand(
        sub, "sweep-report", help="a stored sweep's report: tables, PRIM boxes, sensitivity and figures",
        description="Write a stored sweep's report: the runs as a tidy table (CSV and Parquet), paired differences "
                    "with intervals, who is ahead where with PRIM boxes, sensitivity indices, and figures, "
                    f"under {SWEEP_REPORTS}/SWEEP_ID/. SWEEP is a sweep id (or a unique start of one), a sweep's "
                    "name (its latest) or its file. Without SWEEP, lists the stored sweeps.",
        epilog="examples:\n  hlssim sweep-report where-hls-wins\n  hlssim sweep-report sweeps/where-hls-wins.yaml "
               "--out /tmp/report\n  hlssim sweep-report")
    rep.add_argument("sweep", nargs="?", metavar="SWEEP", help="sweep id, name or file")
    rep.add_argument("--out", metavar="DIR", help=f"folder to write to (default {SWEEP_REPORTS}/SWEEP_ID)")
    add_force_option(rep, "the report's files in its folder")
    add_db_option(rep)
    rep.set_defaults(func=cmd_sweep_report)
