"""``hlssim run`` (scenarios on seeds, stored) and ``hlssim compare-regimes`` (the engine's first command)."""

from __future__ import annotations

import json
from pathlib import Path

from ..params import scenarios as scen
from ..params.scenarios import LIMITS
from .common import (DEFAULT_WEEKS, EXIT_OK, BadInput, Failure, Interrupted, Outputs, add_db_option, add_force_option,
                     add_posterior_option, add_sets_option, outputs, parse_sets, posterior_of, ranges, say, subcommand,
                     whole_number)
from .files import COMPARISON_FILES, PAIRED_FILE, RUN_FILES

# The engine, the store and pandas load inside the commands, once their arguments have been checked, so
# `hlssim run --help` and a bad argument answer at once (benchmarks/bench_cli_start.py).

DEFAULT_REGIME = "npm"      # Params() is business as usual: with no scenario, `hlssim run` is the default world as is


def _seeds(args, scenario: scen.Scenario) -> list[int]:
    if args.seed is not None:
        return [args.seed]
    count = args.seeds or scenario.seeds or 1
    return list(range(1, count + 1))


def _load_scenarios(args) -> list[scen.Scenario]:
    overrides = parse_sets(args.set)
    if not args.scenario:
        chosen = [scen.default_scenario(args.regime or DEFAULT_REGIME)]
    else:
        chosen = [scen.load(ref) for ref in args.scenario]
        if args.regime:
            chosen = [s.with_changes(regime=args.regime, source="--regime") for s in chosen]
    return [s.with_changes(overrides=overrides) if overrides else s for s in chosen]


def _labels(chosen: list[scen.Scenario]) -> list[str]:
    labels, seen = [], {}
    for s in chosen:
        base = s.name if [c.name for c in chosen].count(s.name) == 1 else f"{s.name}@{s.regime}"
        seen[base] = seen.get(base, 0) + 1
        labels.append(base if seen[base] == 1 else f"{base}#{seen[base]}")
    return labels


def _files(args) -> Outputs | None:
    """What --out will write, checked before any run: a folder that can be made, no earlier files without --force."""
    if not args.out:
        return None
    return outputs(args.out, [*RUN_FILES, *([PAIRED_FILE] if args.compare else [])], args.force)


def _so_far(store, specs) -> str:
    """After Ctrl-C: how many of the command's runs are stored, and how to finish."""
    from ..store.schema import COMPLETE
    keys = {spec.run_key for spec in specs}
    stored = sum(1 for key in keys if (found := store.find(key)) is not None and found[1] == COMPLETE)
    said = f"{stored} of {len(keys)} run(s) stored"
    return said + (f", {len(keys) - stored} not run; run the same command again to finish" if stored < len(keys)
                   else "; nothing was lost")


def cmd_run(args) -> int:
    chosen = _load_scenarios(args)
    labels = _labels(chosen)
    if args.compare and len(labels) != 2:
        raise BadInput(f"--compare compares two scenarios (the second minus the first); got {len(labels)}: "
                       f"{', '.join(labels)}")
    files = _files(args)
    from ..experiments.runner import RunSpec
    from ..store import Store
    posterior = posterior_of(args.posterior)
    specs, group_of = [], []
    for label, scenario in zip(labels, chosen, strict=True):
        weeks = args.weeks or scenario.weeks or DEFAULT_WEEKS
        for seed in _seeds(args, scenario):
            specs.append(RunSpec.from_scenario(scenario, seed=seed, weeks=weeks, posterior=posterior))
            group_of.append(label)
    if posterior is not None:
        say(f"each seed draws its particle from the posterior {posterior.label} ({posterior.path}, "
            f"{len(posterior.weights)} particles); what the scenarios and --set give explicitly wins")

    with Store(args.db) as store:
        try:
            failed = _run_and_show(args, store, specs, group_of, files,
                               posterior.label if posterior is not None else None)
        except KeyboardInterrupt:
            raise Interrupted(_so_far(store, specs)) from None
    if failed:
        raise Failure(f"{len(failed)} of {len(specs)} run(s) failed; see the errors above")
    return EXIT_OK


def _run_and_show(args, store, specs: list, group_of: list[str], files: Outputs | None,
                  posterior: str | None = None) -> list:
    """Make the runs not yet stored, print their summaries (and the comparison), write --out; the failed runs."""
    from ..outputs.applicability import not_applicable_in_all
    from ..store.batch import run_missing
    from ..store.schema import COMPLETE, META_COLUMNS
    from ..util.jsonsafe import json_safe
    from ..reports.runs import in_comparison
    from .compare import leads, paired, print_comparison, series_not_comparable
    from .files import write_runs
    from .tables import summary_stats, summary_table
    done = run_missing(store, specs, jobs=args.jobs, progress=not args.quiet)
    ids = [d.run_id for d in done]
    frame = store.runs(run_ids=ids, status=None).set_index("run_id")
    failed = [d for d in done if d.error]
    new = len({d.run_id for d in done if not d.reused})
    say(f"stored {len(set(ids))} run(s) in {store.url}: {new} new, {len(set(ids)) - new} already there "
        f"(ids {ranges(sorted(set(ids)))})")
    for label in dict.fromkeys(group_of):
        series = {d.spec.series_key[:10] for d, g in zip(done, group_of, strict=True) if g == label}
        say(f"  {label}: series {', '.join(sorted(series))}")
    for d in failed:
        say(f"hlssim: run {d.run_id} ({d.spec.scenario}, seed {d.spec.seed}) failed: {d.error}")

    groups: dict[str, list[dict]] = {}
    group_ids: dict[str, list[int]] = {}
    keys = [c for c in frame.columns if c not in META_COLUMNS]
    for d, label in zip(done, group_of, strict=True):
        if frame.loc[d.run_id, "status"] != COMPLETE:
            continue
        groups.setdefault(label, []).append({k: float(frame.loc[d.run_id, k]) for k in keys})
        group_ids.setdefault(label, []).append(d.run_id)
    params_of = {label: spec.params for spec, label in zip(specs, group_of, strict=True)}
    na = {label: list(not_applicable_in_all(params_of[label], groups.get(label, []))) for label in params_of}

    comparison = None
    if args.compare:
        if len(group_ids) != 2:
            raise Failure(f"--compare: only {len(group_ids)} of the two scenarios have a run that completed; "
                          "see the errors above")
        (label_a, ids_a), (label_b, ids_b) = group_ids.items()
        a, b = store.runs(run_ids=ids_a), store.runs(run_ids=ids_b)
        common, diffs = paired(label_a, a, label_b, b)
        comparison = (label_a, a, label_b, b, common, diffs, in_comparison(na[label_a]),
                      in_comparison(na[label_b]), series_not_comparable(store, a, b), posterior)

    if args.json:
        if len(specs) == 1 and groups:
            label, [summary] = next(iter(groups.items()))
            print(json.dumps(json_safe({**summary, "not_applicable": na[label]})))
        else:
            stats = summary_stats(groups)
            out = {label: {"runs": group_ids[label], "seeds": [int(frame.loc[i, "seed"]) for i in group_ids[label]],
                           **stats[label], "not_applicable": na[label]} for label in groups}
            if comparison:
                out = {"groups": out, "comparison": {"a": comparison[0], "b": comparison[2],
                                                     "seeds": comparison[4],
                                                     "keys": comparison[5].to_dict(orient="index"),
                                                     "not_applicable": {"a": comparison[6], "b": comparison[7]},
                                                     "not_comparable": comparison[8], "posterior": posterior,
                                                     "ahead": leads(comparison[1], comparison[3], comparison[4])}}
            print(json.dumps(json_safe(out)))
    elif groups:
        print(summary_table(groups, na))
        if comparison:
            print()
            print_comparison(*comparison)
    if args.out and groups:
        all_ids = [i for label in groups for i in group_ids[label]]
        runs_frame = store.runs(run_ids=all_ids)
        runs_frame.insert(1, "group", runs_frame.run_id.map({i: g for g in group_ids for i in group_ids[g]}))
        provenance = {str(i): store.load(i).provenance for i in all_ids}
        write_runs(runs_frame, summary_stats(groups), store.timeseries(all_ids), provenance,
                   Path(args.out), comparison=comparison[5] if comparison else None, not_applicable=na)
        say(files.wrote())
    return failed


def cmd_compare_regimes(args) -> int:
    overrides = parse_sets(args.set)
    files = outputs(args.out, COMPARISON_FILES, args.force) if args.out else None
    from ..experiments.simulate import simulate
    from ..outputs.applicability import not_applicable
    from .files import write_comparison
    from .tables import headline_table
    results = {regime: simulate(regime=regime, seed=args.seed, weeks=args.weeks, overrides=overrides,
                                posterior=args.posterior)
               for regime in ("npm", "hls")}
    print(headline_table({name: r.summary for name, r in results.items()},
                         {name: not_applicable(r.params, r.summary) for name, r in results.items()}))
    if files:
        write_comparison(results, Path(args.out))
        print(f"\n{files.wrote()}")
    return EXIT_OK


def register(sub) -> None:
    run = subcommand(
        sub, "run", help="run scenarios (or the default world) on one or more seeds and store every run",
        description="Run each SCENARIO (a shipped name or a .yaml file) on each seed, store every run and print "
                    "the summary: one value per key for a single seed, the median and 10th-90th percentiles "
                    "for several. Runs already stored (same scenario, parameters, seed, weeks and code) are "
                    "reused, not run again. With no SCENARIO, the default world (every parameter at its "
                    "documented default: business as usual, NPM) under --regime (default npm).",
        epilog="examples:\n"
               "  hlssim run npm-targets hls-devolved --seeds 10 --compare\n"
               "  hlssim run complex-lives --regime hls --seeds 5 --set population.smd_share=0.6\n"
               "  hlssim run --regime npm --seed 3 --set targets.pressure=0.9 --json\n"
               "  hlssim run npm-targets hls-devolved --seeds 10 --compare --posterior default")
    run.add_argument("scenario", nargs="*", metavar="SCENARIO", help="shipped scenario name or path to a .yaml file")
    run.add_argument("--regime", choices=["npm", "hls"],
                     help="all six practices NPM or HLS (with a scenario: replaces its practices; "
                          f"without: the default world under this regime, default {DEFAULT_REGIME})")
    seeds = run.add_mutually_exclusive_group()
    seeds.add_argument("--seed", type=whole_number("--seed", 0, LIMITS.seed), help=f"one seed (0 to {LIMITS.seed:,})")
    seeds.add_argument("--seeds", type=whole_number("--seeds", 1, LIMITS.seeds), metavar="N",
                       help="seeds 1..N (default: the scenario's seeds, else 1)")
    run.add_argument("--weeks", type=whole_number("--weeks", 1, LIMITS.weeks),
                     help=f"weeks to simulate (default: the scenario's weeks, else {DEFAULT_WEEKS})")
    add_sets_option(run)
    add_posterior_option(run)
    add_db_option(run)
    run.add_argument("--json", action="store_true",
                     help="print the result as one JSON object on stdout (a single run: its summary)")
    run.add_argument("--jobs", type=whole_number("--jobs", 1, 256), help="worker processes (default: one per core)")
    run.add_argument("--out", metavar="DIR", help="also write summary.csv, summary_stats.csv, timeseries.csv, "
                     "provenance.json (and comparison.csv with --compare) to DIR")
    add_force_option(run, "the files in --out DIR")
    run.add_argument("--compare", action="store_true",
                     help="with exactly two scenarios: also print their paired differences (second minus first)")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.set_defaults(func=cmd_run)

    cmp_ = subcommand(sub, "compare-regimes", help="NPM and HLS on the same world and seed, side by side",
                      description="Run NPM and HLS on the default world with one seed and print the headline "
                                  "table (not stored; `hlssim run npm-targets hls-devolved` stores).",
                      epilog="example:\n  hlssim compare-regimes --seed 1 --out results/headline")
    cmp_.add_argument("--seed", type=whole_number("--seed", 0, LIMITS.seed), default=1,
                      help=f"random seed, 0 to {LIMITS.seed:,} (default 1)")
    cmp_.add_argument("--weeks", type=whole_number("--weeks", 1, LIMITS.weeks), default=DEFAULT_WEEKS,
                      help=f"weeks to simulate (default {DEFAULT_WEEKS})")
    add_sets_option(cmp_)
    add_posterior_option(cmp_)
    cmp_.add_argument("--out", help="folder to write summary.csv, timeseries.csv and provenance.json")
    add_force_option(cmp_, "the files in --out DIR")
    cmp_.set_defaults(func=cmd_compare_regimes)
