"""``hlssim design``: a search for contract designs that hold up across plausible worlds; a Pareto set, figures and
a report that names three designs."""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

from ..reports.places import DESIGNS
from ..util.version import __version__
from .common import (EXIT_OK, BadInput, Failure, Interrupted, add_db_option, add_force_option, add_workers_options,
                     check_scheduler, outputs, posterior_of, say, subcommand)
from .sweep import duration

# The engine, EMA Workbench, pandas and the store load inside the command, once its arguments are checked.


def cmd_design(args) -> int:
    check_scheduler(args.scheduler)
    from ..experiments.design.file import check_budget_ceiling, load
    from ..experiments.provenance import code_version
    from ..reports.design_runs import journal_path, read_journal, search_id
    design = load(args.file)
    if args.budget not in design.budgets:
        raise BadInput(f"{design.where}: budgets.{args.budget}: no such budget; allowed: {', '.join(design.budgets)}")
    budget = design.budgets[args.budget]
    posterior = posterior_of(args.posterior or design.posterior)
    check_budget_ceiling(design, budget, posterior)
    identity = search_id(design, budget, posterior, code_version())
    journal = journal_path(args.db, identity)
    if args.status:
        print(status(identity, journal, read_journal(journal), budget))
        return EXIT_OK
    from ..reports.design_folder import every_file
    out = Path(args.out) if args.out else DESIGNS / design.name
    files = outputs(out, every_file(), args.force)
    return _search(args, design, budget, posterior, identity, journal, out, files)


def status(identity: str, path: Path, state: dict | None, budget) -> str:
    """How far a search has got, from its progress file."""
    if state is None:
        return f"design search {identity}: not started (its progress would be kept in {path})"
    done = "finished" if state.get("finished") else "stopped or running; the same command resumes it"
    share = 1.0 if state.get("finished") else state.get("evaluations", 0) / budget.evaluations
    return (f"design search {identity}: {state.get('evaluations', 0):,} designs evaluated of the optimiser's "
            f"{budget.evaluations:,} ({share:.0%}), generation {state.get('generation', 0)}, "
            f"{state.get('front', 0)} design(s) on the front so far; {state.get('runs_stored', 0):,} runs in the store "
            f"({state.get('runs_new', 0):,} made in the last sitting); {done}; updated {state.get('updated_at', '?')}"
            + (f"; results in {state['out']}" if state.get("finished") and state.get("out") else ""))


def _search(args, design, budget, posterior, identity, journal, out: Path, files) -> int:
    from ..experiments.design.search import convergence, judge, search
    from ..experiments.provenance import code_version, environment, git_commit
    from ..experiments.runner import ClusterError
    from ..reports.design_folder import write
    from ..reports.design_report import DesignSearch, pareto, picks
    from ..reports.design_runs import RunFailed, Worlds, write_journal
    from ..store import Store
    where = f"the Dask cluster at {args.scheduler}" if args.scheduler else "local processes"
    label = posterior.label if posterior is not None else None
    say(f"design search {identity}: {len(design.levers)} levers, {len(design.objective_columns)} objectives, "
        f"{budget.evaluations:,} designs ({budget.population} a generation) x {budget.seeds} worlds "
        f"({'posterior ' + label if label else 'no posterior'}), {budget.citizens:,} citizens for {budget.weeks} weeks, "
        f"on {where}; runs already stored are reused")
    started, clock = dt.datetime.now(dt.timezone.utc), time.monotonic()
    state = {"search_id": identity, "design_file": design.where, "budget": budget.name,
             "evaluations_planned": budget.evaluations, "out": str(out), "finished": False}
    with Store(args.db) as store:
        worlds = Worlds(store, design, budget, posterior, jobs=args.jobs, scheduler=args.scheduler)

        def tell(evaluations, generation) -> None:
            state.update(evaluations=generation.evaluations, generation=generation.generation, front=generation.archive,
                         feasible=generation.feasible, runs_new=worlds.new_runs, runs_stored=len(worlds.run_ids))
            write_journal(journal, state)
            if not args.quiet:
                say(f"  generation {generation.generation}: {generation.evaluations:,} of {budget.evaluations:,} designs "
                    f"({worlds.new_runs:,} runs made, {worlds.found_runs:,} found stored); {generation.feasible:,} meet "
                    f"the constraints, {generation.archive} on the front; {duration(time.monotonic() - clock)}")
        try:
            presets = worlds.presets()
            result = search(design, budget, worlds, progress=tell)
            table = convergence(result)
            found = DesignSearch(design, budget, identity, result, table, judge(table), presets, worlds.preset_levers(),
                                 posterior=label)
            front = pareto(found)
            chosen = picks(found, front)
            named: dict[int, list[str]] = {}
            for pick in chosen:
                named.setdefault(pick.design, []).append(pick.role)
            by_number = {e.number: e for e in result.evaluations}
            fresh = worlds([by_number[n].values for n in named], holdout=True) if named else []
            found.holdout = {**{f"design {n} ({', '.join(roles)})": f
                                for (n, roles), f in zip(named.items(), fresh, strict=True)},
                             **worlds.presets(holdout=True)}
        except (ClusterError, RunFailed) as err:
            raise Failure(str(err)) from None
        except KeyboardInterrupt:
            raise Interrupted(f"{len(worlds.run_ids):,} runs of the search are in {store.url} "
                              f"({worlds.new_runs:,} made in this sitting); run the same command again to resume "
                              "(stored runs are reused)") from None
        store_url = store.url
    found.provenance = {
        "search_id": identity, "name": design.name, "design_file": design.where,
        "design_sha256": __import__("hashlib").sha256(design.source.encode()).hexdigest(), "budget": budget.__dict__,
        "posterior": {"name": posterior.name, "file": str(posterior.path), "sha256": posterior.sha256,
                      "particles": len(posterior.weights)} if posterior is not None else None,
        "optimiser": result.optimiser, "store": store_url, "runs_new": worlds.new_runs,
        "runs_found_stored": worlds.found_runs, "runs": len(worlds.run_ids), "code_version": code_version(),
        "hlssim_version": __version__, "git_commit": git_commit(), **environment(),
        "jobs": args.jobs or os.cpu_count(), "scheduler": args.scheduler, "started_at": started.isoformat(),
        "finished_at": dt.datetime.now(dt.timezone.utc).isoformat(),
        "wall_seconds": round(time.monotonic() - clock, 1),
        "command": "hlssim " + " ".join(sys.argv[1:]) if sys.argv and sys.argv[0].endswith("hlssim")
        else f"hlssim design {args.file} --budget {budget.name}"}
    paths = write(out, found)
    write_journal(journal, {**state, "finished": True})
    if front.empty:
        closest = min(e.violation for e in result.evaluations)
        raise Failure(f"no design the search tried meets the constraints ("
                      f"{'; '.join(c.describe() for c in design.constraints)}); the closest misses by {closest:,.4g}. "
                      f"{out}/designs.csv lists every design and how far it misses; loosen a constraint or widen a "
                      "lever")
    print(brief(found, front, chosen))
    say(f"{len(front)} design(s) on the front; {found.verdict.text}; {len(paths)} files in {out}"
        f"{files.replaced_note()}")
    return EXIT_OK


def brief(found, front, chosen) -> str:
    """The named designs and the presets' standing, for the terminal."""
    from ..reports.design_report import ROLES, presets_table
    from ..experiments.design import readings as rd
    first = rd.READINGS[rd.reading(found.design.objectives[0].reading).key]
    lines = [f"Design search {found.search_id}: {len(front)} design(s) on the front"]
    head = found.design.objective_columns
    by_number = front.set_index("design") if len(front) else front
    for pick in chosen:
        row = by_number.loc[pick.design]
        values = ", ".join(f"{c.replace('__', ' ')} {row[c]:.4g}" for c in head)
        lines.append(f"  {ROLES[pick.role].format(what=first.short)}: design {pick.design} ({values})")
    for _, p in presets_table(found, front).iterrows():
        lines.append(f"  {p['name']}: {p['standing']}")
    return "\n".join(lines)


def register(sub) -> None:
    design = subcommand(
        sub, "design", help="search contract designs that hold up across plausible worlds: a Pareto set",
        description="Search the contract designs a design file allows (a shipped name such as 'contracts', or a "
                    "path) for those no other beats on every objective, each judged over the same worlds as business "
                    "as usual and the shipped presets (seeds 1..S, each drawing its world from the posterior): EMA "
                    "Workbench's optimiser with Platypus's epsilon-dominance NSGA-II. Every run goes through the one "
                    "runner and is stored: a stopped search resumes when the same command is run again, and a design "
                    f"met twice is run once. Writes {DESIGNS}/NAME/: pareto.csv, every design tried, the presets "
                    "against the front, convergence, figures (Pareto set in parallel coordinates, the main trade-off, "
                    "convergence) and report.md, which names three designs in plain words. docs/designs.md "
                    "describes design files.",
        epilog="examples:\n  hlssim design contracts --budget small\n"
               "  hlssim design contracts --budget small --out /tmp/contracts --db /tmp/designs.db\n"
               "  hlssim design contracts --scheduler tcp://10.0.0.5:8786\n"
               "  hlssim design my-designs.yaml --status")
    design.add_argument("file", metavar="NAME|FILE", help="a shipped design file's name (contracts) or a .yaml file")
    design.add_argument("--budget", default="default", help="a budget named in the file: small (a first look, "
                        "within 20 minutes on 2 cores) or default (default: default)")
    design.add_argument("--posterior", metavar="NAME|FILE", help="the posterior each world is drawn from (default: the "
                        "file's posterior:)")
    add_workers_options(design, "the runs")
    design.add_argument("--out", metavar="DIR", help=f"folder (default {DESIGNS}/NAME)")
    add_db_option(design)
    design.add_argument("--status", action="store_true", help="how far the search has got; runs nothing")
    add_force_option(design, "the files in --out DIR")
    design.add_argument("--quiet", action="store_true", help="no progress lines")
    design.set_defaults(func=cmd_design)
