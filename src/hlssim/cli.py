"""The ``hlssim`` command line: run scenarios, keep every result, look at them again.

  hlssim run npm-targets hls-devolved --seeds 10     run two shipped scenarios on seeds 1-10
  hlssim compare npm-targets hls-devolved            paired differences on the same seeds
  hlssim list                                        shipped scenarios and stored runs
  hlssim show 7                                      one stored run
  hlssim export --all --format parquet               stored runs as files for other tools
  hlssim validate my-question.yaml                   check a scenario file without running it

Results go to SQLite at results/hlssim.db unless --db or $HLSSIM_DB names another
database (any SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db).
Exit codes: 0 ok, 2 bad input, 1 failure.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import textwrap
import traceback
from pathlib import Path

from . import commissioning
from . import scenarios as scen
from .commissioning import POPULATION_PRESETS
from .params import ParameterError, Params, parse_value
from .report import (comparison_table, progress_bar, headline_table, ordered_keys, paired_differences, summary_stats,
                     summary_table, write_comparison, write_runs)
from .simulate import simulate
from .store import COMPLETE, RunSpec, Store, StoreError, StoreInputError, database_url, export, run_specs

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2
DEFAULT_WEEKS = 260
MAX_SEEDS = scen.MAX_SEEDS


class BadInput(Exception):
    """Input the user can fix; reported without a traceback and exit code 2."""


class Failure(Exception):
    """Something went wrong that the input did not cause; exit code 1."""


def parse_sets(pairs: list[str] | None) -> dict:
    overrides = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise BadInput(f"--set {pair!r}: expected KEY=VALUE, e.g. --set world.uniqueness=0.5")
        key, value = pair.split("=", 1)
        overrides[key.strip()] = parse_value(value)
    return overrides


def _json_safe(value):
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return value


def _say(message: str = "") -> None:
    """Messages for people go to stderr, so stdout carries only the result (a table or JSON)."""
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- run


class _Progress:
    """A progress bar on stderr for several runs; nothing for one."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.bar = None
        self.task = None

    def start(self, todo: int) -> None:
        if self.quiet or todo < 2:
            return
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn)
        self.bar = Progress(TextColumn("running"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                            TextColumn("eta"), TimeRemainingColumn(), console=Console(stderr=True))
        self.task = self.bar.add_task("runs", total=todo)
        self.bar.start()

    def done(self, item) -> None:
        if self.bar is not None and not item.reused:
            self.bar.advance(self.task)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def _seeds(args, scenario: scen.Scenario) -> list[int]:
    if args.seed is not None:
        return [args.seed]
    count = args.seeds or scenario.seeds or 1
    return list(range(1, count + 1))


def _load_scenarios(args) -> list[scen.Scenario]:
    overrides = parse_sets(args.set)
    if not args.scenario:
        chosen = [scen.default_scenario(args.regime or "hls")]
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


def cmd_run(args) -> int:
    chosen = _load_scenarios(args)
    labels = _labels(chosen)
    specs, group_of = [], []
    for label, scenario in zip(labels, chosen, strict=True):
        weeks = args.weeks or scenario.weeks or DEFAULT_WEEKS
        for seed in _seeds(args, scenario):
            specs.append(RunSpec.from_scenario(scenario, seed=seed, weeks=weeks))
            group_of.append(label)

    progress = _Progress(args.quiet)
    with Store(args.db) as store:
        try:
            done = run_specs(store, specs, jobs=args.jobs, on_start=progress.start, on_done=progress.done)
        finally:
            progress.close()
        ids = [d.run_id for d in done]
        frame = store.runs(run_ids=ids, status=None).set_index("run_id")
        failed = [d for d in done if d.error]
        new = len({d.run_id for d in done if not d.reused})
        _say(f"stored {len(set(ids))} run(s) in {store.url}: {new} new, {len(set(ids)) - new} already there "
             f"(ids {_ranges(sorted(set(ids)))})")
        for label in dict.fromkeys(group_of):
            series = {d.spec.series_key[:10] for d, g in zip(done, group_of, strict=True) if g == label}
            _say(f"  {label}: series {', '.join(sorted(series))}")
        for d in failed:
            _say(f"hlssim: run {d.run_id} ({d.spec.scenario}, seed {d.spec.seed}) failed: {d.error}")

        groups: dict[str, list[dict]] = {}
        group_ids: dict[str, list[int]] = {}
        keys = [c for c in frame.columns if c not in _RUN_META]
        for d, label in zip(done, group_of, strict=True):
            if frame.loc[d.run_id, "status"] != COMPLETE:
                continue
            groups.setdefault(label, []).append({k: float(frame.loc[d.run_id, k]) for k in keys})
            group_ids.setdefault(label, []).append(d.run_id)

        comparison = None
        if args.compare:
            if len(group_ids) != 2:
                raise BadInput(f"--compare needs exactly two scenarios that ran; got {len(group_ids)}")
            (label_a, ids_a), (label_b, ids_b) = group_ids.items()
            a, b = store.runs(run_ids=ids_a), store.runs(run_ids=ids_b)
            common, diffs = _paired(label_a, a, label_b, b)
            comparison = (label_a, a, label_b, b, common, diffs)

        if args.json:
            if len(specs) == 1 and groups:
                print(json.dumps(_json_safe(next(iter(groups.values()))[0])))
            else:
                stats = summary_stats(groups)
                out = {label: {"runs": group_ids[label], "seeds": [int(frame.loc[i, "seed"]) for i in group_ids[label]],
                               **stats[label]} for label in groups}
                if comparison:
                    out = {"groups": out, "comparison": {"a": comparison[0], "b": comparison[2],
                                                         "seeds": comparison[4],
                                                         "keys": comparison[5].to_dict(orient="index")}}
                print(json.dumps(_json_safe(out)))
        elif groups:
            print(summary_table(groups))
            if comparison:
                print()
                _print_comparison(*comparison)
        if args.out and groups:
            all_ids = [i for label in groups for i in group_ids[label]]
            runs_frame = store.runs(run_ids=all_ids)
            runs_frame.insert(1, "group", runs_frame.run_id.map({i: g for g in group_ids for i in group_ids[g]}))
            provenance = {str(i): store.load(i).provenance for i in all_ids}
            paths = write_runs(runs_frame, summary_stats(groups), store.timeseries(all_ids), provenance,
                               Path(args.out), comparison=comparison[5] if comparison else None)
            _say(f"wrote {', '.join(str(p) for p in paths)}")
    if failed:
        raise Failure(f"{len(failed)} of {len(specs)} run(s) failed; see the errors above")
    return EXIT_OK


_RUN_META = {"scenario", "regime", "seed", "weeks", "status", "series_key", "run_key", "code_version",
             "git_commit", "started_at", "finished_at", "scenario_file", "error"}


def _ranges(ids: list[int]) -> str:
    """[1, 2, 3, 5] -> '1-3, 5'."""
    parts, start, prev = [], None, None
    for i in ids:
        if start is None:
            start = prev = i
        elif i == prev + 1:
            prev = i
        else:
            parts.append(f"{start}-{prev}" if prev > start else f"{start}")
            start = prev = i
    if start is not None:
        parts.append(f"{start}-{prev}" if prev > start else f"{start}")
    return ", ".join(parts)


# --------------------------------------------------------------------------- compare-regimes (engine contract)


def cmd_compare_regimes(args) -> int:
    overrides = parse_sets(args.set)
    results = {regime: simulate(regime=regime, seed=args.seed, weeks=args.weeks, overrides=overrides)
               for regime in ("npm", "hls")}
    print(headline_table({name: r.summary for name, r in results.items()}))
    if args.out:
        paths = write_comparison(results, Path(args.out))
        print(f"\nwrote {', '.join(str(p) for p in paths)}")
    return EXIT_OK


# --------------------------------------------------------------------------- list, show, compare, export, validate


def _first_sentence(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    cut = text.find(". ")
    first = text[: cut + 1] if cut > 0 else text
    return first if len(first) <= width else first[: width - 3] + "..."


def _store_exists(db: str | None) -> bool:
    url = database_url(db)
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////:memory:"):
        return Path(url[len("sqlite:///"):]).exists()
    return True


def cmd_list(args) -> int:
    if not args.runs_only:
        shipped = scen.shipped()
        print(f"Scenarios ({scen.shipped_dir()}):")
        if not shipped:
            print("  none found")
        for name, path in shipped.items():
            try:
                s = scen.load(path)
                print(f"  {name:<38} {s.regime:<4} {_first_sentence(s.description)}")
            except ParameterError as err:
                print(f"  {name:<38} INVALID: {err}")
        print()
    if not _store_exists(args.db):
        print(f"Stored runs: none yet ({database_url(args.db)} does not exist; `hlssim run` creates it)")
        return EXIT_OK
    with Store(args.db) as store:
        frame = store.runs(status=None)
        print(f"Stored runs ({store.url}): {len(frame)}")
        if frame.empty:
            return EXIT_OK
        if args.runs:
            cols = ["run_id", "scenario", "regime", "seed", "weeks", "status", "series_key", "finished_at"]
            show = frame[cols].tail(args.limit).copy()
            show["series_key"] = show.series_key.str[:10]
            show["finished_at"] = show.finished_at.astype(str).str[:19]
            print(textwrap.indent(show.to_string(index=False), "  "))
            return EXIT_OK
        rows = []
        for key, runs in frame.groupby("series_key", sort=False):
            rows.append({"series": key[:10], "scenario": runs.scenario.iloc[0], "regime": runs.regime.iloc[0],
                         "weeks": int(runs.weeks.iloc[0]), "seeds": _ranges(sorted(runs.seed.astype(int))),
                         "runs": _ranges(sorted(runs.run_id.astype(int))),
                         "failed": int((runs.status != COMPLETE).sum()),
                         "last finished": str(runs.finished_at.max())[:19]})
        import pandas as pd
        table = pd.DataFrame(rows).tail(args.limit)
        print(textwrap.indent(table.to_string(index=False), "  "))
        print("\n  `hlssim show RUN_ID` shows one run; `hlssim compare A B` compares two scenarios, series or runs.")
    return EXIT_OK


def _run_id(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise BadInput(f"RUN_ID {text!r}: must be a whole number; `hlssim list` shows the stored runs") from None
    if value < 1:
        raise BadInput(f"RUN_ID {value}: must be >= 1")
    return value


def cmd_show(args) -> int:
    run_id = _run_id(args.run_id)
    with Store(args.db) as store:
        run = store.load(run_id)
    defaults = Params().flat()
    changed = {k: v for k, v in run.params_dict.items() if defaults.get(k, object()) != v}
    if args.json:
        print(json.dumps(_json_safe({
            "run_id": run.run_id, "scenario": run.scenario, "regime": run.regime, "seed": run.seed,
            "weeks": run.weeks, "status": run.status, "error": run.error, "series_key": run.series_key,
            "run_key": run.run_key, "code_version": run.code_version, "git_commit": run.git_commit,
            "started_at": str(run.started_at), "finished_at": str(run.finished_at),
            "summary": run.summary, "params": run.params_dict, "changed_params": changed,
            "provenance": run.provenance}), default=str))
        return EXIT_OK
    took = ""
    if run.started_at and run.finished_at:
        took = f" ({(run.finished_at - run.started_at).total_seconds():.1f} s)"
    print(f"run {run.run_id}: {run.scenario} ({run.regime}), seed {run.seed}, {run.weeks} weeks: {run.status}")
    if run.error:
        print(f"  error: {run.error}")
    print(f"  series {run.series_key[:10]}, code {run.code_version}, git {run.git_commit or 'unknown'}")
    print(f"  started {str(run.started_at)[:19]}, finished {str(run.finished_at)[:19]}{took}")
    if run.scenario_file:
        chain = run.provenance.get("extends_chain") or []
        extends = f" (extends {' -> '.join(Path(p).name for p in chain[1:])})" if len(chain) > 1 else ""
        print(f"  file {run.scenario_file}{extends}")
    if run.description:
        print(textwrap.fill(" ".join(run.description.split()), width=88, initial_indent="  ",
                            subsequent_indent="  "))
    print("\nparameters that differ from the defaults:")
    for key, value in changed.items():
        print(f"  {key} = {value}")
    if not changed:
        print("  none")
    if run.summary:
        print("\nsummary:")
        print(textwrap.indent(summary_table({f"run {run.run_id}": [run.summary]}), "  "))
        print(f"\n{len(run.timeseries)} weeks of time series: hlssim.load({run.run_id}).timeseries")
    return EXIT_OK


def _paired(label_a: str, a, label_b: str, b):
    """Paired differences B - A over the seeds both hold (frames from Store.runs)."""
    common = sorted(set(a.seed.astype(int)) & set(b.seed.astype(int)))
    if not common:
        raise BadInput(f"{label_a} has seeds {_ranges(sorted(a.seed.astype(int)))} and {label_b} has seeds "
                       f"{_ranges(sorted(b.seed.astype(int)))}: none in common; run both on the same seeds "
                       "(e.g. --seeds 5) to compare them")
    if set(a.weeks) != set(b.weeks):
        _say(f"note: A ran {sorted(set(a.weeks))} weeks and B {sorted(set(b.weeks))}; "
             "differences mix the regime's effect with the run's length")
    keys = ordered_keys([c for c in a.columns if c in b.columns and c not in _RUN_META and c != "run_id"])
    fa = a.set_index(a.seed.astype(int)).loc[common, keys].astype(float)
    fb = b.set_index(b.seed.astype(int)).loc[common, keys].astype(float)
    return common, paired_differences(fa, fb, keys)


def _print_comparison(label_a: str, a, label_b: str, b, common: list[int], diffs) -> None:
    print(f"A: {label_a}, runs {_ranges(sorted(a.run_id.astype(int)))}")
    print(f"B: {label_b}, runs {_ranges(sorted(b.run_id.astype(int)))}")
    print(f"paired on {len(common)} seed(s) ({_ranges(common)}): for each seed B - A, then its median and "
          f"10th-90th percentiles\n")
    print(comparison_table(diffs))


def cmd_compare(args) -> int:
    with Store(args.db) as store:
        label_a, a = store.select(args.a)
        label_b, b = store.select(args.b)
    common, diffs = _paired(label_a, a, label_b, b)
    if args.json:
        print(json.dumps(_json_safe({"a": label_a, "b": label_b, "seeds": common,
                                     "a_runs": a.run_id.astype(int).tolist(), "b_runs": b.run_id.astype(int).tolist(),
                                     "keys": diffs.to_dict(orient="index")})))
        return EXIT_OK
    _print_comparison(label_a, a, label_b, b, common, diffs)
    return EXIT_OK


def cmd_export(args) -> int:
    if not args.all and not args.run_id:
        raise BadInput("give RUN_ID(s) or --all, e.g. hlssim export 3 4 --format csv")
    if args.all and args.run_id:
        raise BadInput("give RUN_ID(s) or --all, not both")
    with Store(args.db) as store:
        if args.all:
            ids = store.all_ids()
            if not ids:
                raise BadInput(f"no runs stored in {store.url} yet; `hlssim run` stores them")
        else:
            ids = [_run_id(i) for i in args.run_id]
            missing = sorted(set(ids) - set(store.runs(run_ids=ids, status=None).run_id))
            if missing:
                raise BadInput(f"no run(s) {_ranges(missing)} in {store.url}; `hlssim list` shows the stored runs")
        paths = export(store, ids, args.format, Path(args.out))
    _say(f"exported {len(ids)} run(s)")
    for path in paths:
        print(path)
    return EXIT_OK


def cmd_validate(args) -> int:
    bad = 0
    for ref in args.file:
        try:
            s = scen.load(ref)
        except ParameterError as err:
            bad += 1
            print(f"hlssim: error: {err}", file=sys.stderr)
            continue
        extends = f", extends {' -> '.join(p.name for p in s.chain[1:])}" if len(s.chain) > 1 else ""
        keys = len(s.overrides)
        print(f"ok: {s.path}: {s.name} ({s.regime}, {keys} parameter(s) set{extends})")
    return EXIT_BAD_INPUT if bad else EXIT_OK


# --------------------------------------------------------------------------- parser


def _positive(name: str, low: int = 1, high: int | None = None):
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


class _Formatter(argparse.RawDescriptionHelpFormatter):
    pass


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=79)


def cmd_scale_up(args) -> int:
    if args.preset:
        population = POPULATION_PRESETS[args.preset]
    else:
        population = args.population
    design = scen.load(args.design)
    baseline = scen.load(args.baseline) if args.baseline else None
    seeds = list(range(1, args.seeds + 1))
    weeks = args.weeks or design.weeks or DEFAULT_WEEKS
    _say(f"running {args.design} against {args.baseline or 'business as usual'} on seeds 1-{args.seeds}...")
    per_person = commissioning.smd_use_differences(
        (None, design.overrides), (None, baseline.overrides) if baseline else None, seeds, weeks,
        progress=progress_bar)
    result = commissioning.scale_up(per_person, population)
    result.update({"design": design.name, "baseline": baseline.name if baseline else "business-as-usual",
                   "preset": args.preset, "seeds": seeds, "weeks": weeks})
    if args.json:
        print(json.dumps(_json_safe(result)))
        return EXIT_OK
    pp = result["per_person_interval"]
    print(f"{result['design']} against {result['baseline']}: SMD public service use avoided, "
          f"{len(seeds)} seeds, {weeks} weeks")
    print(f"  per person a year:  median £{pp['median']:,.0f}  [10th £{pp['low']:,.0f}, 90th £{pp['high']:,.0f}]")
    print(f"  x {population:,} people: median £{result['median']:,.0f} a year  "
          f"[10th £{result['low']:,.0f}, 90th £{result['high']:,.0f}]")
    print(f"  reference (the seed's own claim, not an input): £{result['seed_claim_per_person']:,} per person, "
          f"£{result['seed_claim_national']:,} a year")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hlssim", description=__doc__, formatter_class=_Formatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def db_option(p):
        p.add_argument("--db", metavar="URL", help="results store: a SQLAlchemy URL or a SQLite file path "
                       "(default: $HLSSIM_DB, else results/hlssim.db)")

    def sets_option(p):
        p.add_argument("--set", action="append", metavar="KEY=VALUE",
                       help="override a parameter by dotted key, e.g. world.uniqueness=0.5 (repeatable)")

    run = sub.add_parser(
        "run", help="run scenarios (or the default world) on one or more seeds and store every run",
        formatter_class=_Formatter,
        description=_wrap("Run each SCENARIO (a shipped name or a .yaml file) on each seed, store every run and print "
                    "the summary: one value per key for a single seed, the median and 10th-90th percentiles "
                    "for several. Runs already stored (same scenario, parameters, seed, weeks and code) are "
                    "reused, not run again. With no SCENARIO, the default world under --regime (default hls)."),
        epilog="examples:\n"
               "  hlssim run npm-targets hls-devolved --seeds 10 --compare\n"
               "  hlssim run complex-lives --regime hls --seeds 5 --set population.smd_share=0.6\n"
               "  hlssim run --regime npm --seed 3 --set targets.pressure=0.9 --json")
    run.add_argument("scenario", nargs="*", metavar="SCENARIO", help="shipped scenario name or path to a .yaml file")
    run.add_argument("--regime", choices=["npm", "hls"],
                     help="all six practices NPM or HLS (with a scenario: replaces its practices; "
                          "without: the default world under this regime, default hls)")
    seeds = run.add_mutually_exclusive_group()
    seeds.add_argument("--seed", type=_positive("--seed", 0), help="one seed")
    seeds.add_argument("--seeds", type=_positive("--seeds", 1, MAX_SEEDS), metavar="N",
                       help="seeds 1..N (default: the scenario's seeds, else 1)")
    run.add_argument("--weeks", type=_positive("--weeks", 1, scen.MAX_WEEKS),
                     help=f"weeks to simulate (default: the scenario's weeks, else {DEFAULT_WEEKS})")
    sets_option(run)
    db_option(run)
    run.add_argument("--json", action="store_true",
                     help="print the result as one JSON object on stdout (a single run: its summary)")
    run.add_argument("--jobs", type=_positive("--jobs", 1, 256), help="worker processes (default: one per core)")
    run.add_argument("--out", metavar="DIR", help="also write summary.csv, summary_stats.csv, timeseries.csv, "
                     "provenance.json (and comparison.csv with --compare) to DIR")
    run.add_argument("--compare", action="store_true",
                     help="with two scenarios: also print their paired differences (second minus first)")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.set_defaults(func=cmd_run)

    cmp_ = sub.add_parser("compare-regimes", help="NPM and HLS on the same world and seed, side by side",
                          formatter_class=_Formatter,
                          description=_wrap("Run NPM and HLS on the default world with one seed and print the "
                                            "headline table (not stored; `hlssim run npm-targets hls-devolved` "
                                            "stores)."),
                          epilog="example:\n  hlssim compare-regimes --seed 1 --out results/headline")
    cmp_.add_argument("--seed", type=_positive("--seed", 0), default=1, help="random seed (default 1)")
    cmp_.add_argument("--weeks", type=_positive("--weeks", 1, scen.MAX_WEEKS), default=DEFAULT_WEEKS,
                      help=f"weeks to simulate (default {DEFAULT_WEEKS})")
    sets_option(cmp_)
    cmp_.add_argument("--out", help="folder to write summary.csv, timeseries.csv and provenance.json")
    cmp_.set_defaults(func=cmd_compare_regimes)

    lst = sub.add_parser("list", help="shipped scenarios and stored runs", formatter_class=_Formatter,
                         description=_wrap("List the shipped scenarios and the stored runs, grouped by series "
                                           "(runs that differ only by seed)."),
                         epilog="examples:\n  hlssim list\n  hlssim list --runs --limit 20 --db results/hlssim.db")
    lst.add_argument("--runs", action="store_true", help="one line per run instead of per series")
    lst.add_argument("--runs-only", action="store_true", help="leave out the shipped scenarios")
    lst.add_argument("--limit", type=_positive("--limit"), default=50, help="at most this many lines (default 50)")
    db_option(lst)
    lst.set_defaults(func=cmd_list)

    show = sub.add_parser("show", help="one stored run: what it was, what it found", formatter_class=_Formatter,
                          description=_wrap("Show a stored run: scenario, seed, versions, times, the parameters "
                                            "that differ from the defaults and the summary."),
                          epilog="examples:\n  hlssim show 7\n  hlssim show 7 --json")
    show.add_argument("run_id", metavar="RUN_ID")
    show.add_argument("--json", action="store_true", help="print the run as one JSON object")
    db_option(show)
    show.set_defaults(func=cmd_show)

    compare = sub.add_parser(
        "compare", help="paired differences between two scenarios, series or runs on the same seeds",
        formatter_class=_Formatter,
        description=_wrap("Compare B with A seed by seed: for each summary key, the medians of A and B and the median "
                    "and 10th-90th percentiles of B - A over the seeds both have. A and B are each a scenario "
                    "name (its most recent series; add @npm, @hls or @mix to pick by regime), a series id from "
                    "`hlssim list`, or a run id."),
        epilog="examples:\n  hlssim compare npm-targets hls-devolved\n"
               "  hlssim compare closed-system@npm closed-system@hls\n  hlssim compare 3 14")
    compare.add_argument("a", metavar="A")
    compare.add_argument("b", metavar="B")
    compare.add_argument("--json", action="store_true", help="print the comparison as one JSON object")
    db_option(compare)
    compare.set_defaults(func=cmd_compare)

    exp = sub.add_parser("export", help="stored runs as CSV or Parquet files", formatter_class=_Formatter,
                         description=_wrap("Write runs.FORMAT (one row per run: metadata, summary and parameters "
                                           "as params.* columns) and timeseries.FORMAT (one row per run and "
                                           "week)."),
                         epilog="examples:\n  hlssim export 3 4 --format csv\n"
                                "  hlssim export --all --format parquet --out results/export")
    exp.add_argument("run_id", nargs="*", metavar="RUN_ID")
    exp.add_argument("--all", action="store_true", help="every stored run")
    exp.add_argument("--format", choices=["csv", "parquet"], default="csv", help="file format (default csv)")
    exp.add_argument("--out", default="results/export", metavar="DIR", help="folder (default results/export)")
    db_option(exp)
    exp.set_defaults(func=cmd_export)

    scale = sub.add_parser(
        "scale-up", help="a national figure from the simulated SMD difference between two designs",
        formatter_class=_Formatter,
        description=_wrap("Run DESIGN and a baseline (default: business as usual, the npm preset on DESIGN's world) "
                          "on the same seeds, take each seed's per-person difference in public service use by "
                          "people who started with severe multiple disadvantage (crisis services plus the "
                          "service's own spend on them, £ a year), and multiply by a national headcount. Reports "
                          "the 10th, 50th and 90th percentiles across seeds, never a single point. The seed's own "
                          "claim (about £50,000 a person a year) is shown as a reference line, not used."),
        epilog="examples:\n  hlssim scale-up --preset england-smd\n"
               "  hlssim scale-up --population 28000 --design hls-devolved --baseline npm-targets --seeds 20 --json\n"
               "presets: " + ", ".join(f"{k} ({v:,})" for k, v in POPULATION_PRESETS.items()))
    who = scale.add_mutually_exclusive_group(required=True)
    who.add_argument("--population", type=_positive("--population", 1), help="people to scale to")
    who.add_argument("--preset", choices=list(POPULATION_PRESETS),
                     help="a headcount from the seed report")
    scale.add_argument("--design", default="funding-for-learning", help="scenario to scale (default funding-for-learning)")
    scale.add_argument("--baseline", help="scenario to compare with (default: business as usual on the same world)")
    scale.add_argument("--seeds", type=_positive("--seeds", 2, MAX_SEEDS), default=10, help="seeds 1..N (default 10)")
    scale.add_argument("--weeks", type=_positive("--weeks", 1, scen.MAX_WEEKS), help="weeks (default: the scenario's, else 260)")
    scale.add_argument("--json", action="store_true", help="print low, median, high and the per-person figures as JSON")
    scale.set_defaults(func=cmd_scale_up)

    val = sub.add_parser("validate", help="check scenario files without running them", formatter_class=_Formatter,
                         description=_wrap("Read and check each scenario file (and the files it extends): YAML, "
                                           "keys, types and ranges. Exit 0 if all are valid, 2 if any is not."),
                         epilog="examples:\n  hlssim validate scenarios/complex-lives.yaml\n"
                                "  hlssim validate my-question.yaml goodhart-demo")
    val.add_argument("file", nargs="+", metavar="FILE")
    val.set_defaults(func=cmd_validate)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (ParameterError, BadInput, StoreInputError) as err:
        print(f"hlssim: error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (StoreError, Failure) as err:
        print(f"hlssim: failed: {err}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("hlssim: interrupted; runs not yet stored were not kept", file=sys.stderr)
        return EXIT_FAILURE
    except Exception as err:  # noqa: BLE001 - one line for people, the traceback on request
        if os.environ.get("HLSSIM_DEBUG"):
            traceback.print_exc()
        print(f"hlssim: failed: {type(err).__name__}: {err} (set HLSSIM_DEBUG=1 for the traceback)",
              file=sys.stderr)
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
