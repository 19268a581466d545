"""Looking at what is shipped and stored: ``hlssim list``, ``show``, ``export`` and ``validate``."""

from __future__ import annotations

import json
import sys
import textwrap
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from ..params import ParameterError
from ..params import scenarios as scen
from ..store.errors import StoreMissing
from ..store.export import FORMATS
from ..util.jsonsafe import json_safe
from .common import (EXIT_BAD_INPUT, EXIT_OK, BadInput, add_db_option, add_force_option, outputs, ranges, say,
                     subcommand, whole_number)
from .selectors import open_to_read

if TYPE_CHECKING:
    import pandas as pd

    from ..store import Store
    from ..store.series import Identity


def _first_sentence(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    cut = text.find(". ")
    first = text[: cut + 1] if cut > 0 else text
    return first if len(first) <= width else first[: width - 3] + "..."


def _store_exists(db: str | None) -> bool:
    from ..store.database import database_url
    url = database_url(db)
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////:memory:"):
        return Path(url[len("sqlite:///"):]).exists()
    return True


def series_table(frame: pd.DataFrame, identities: dict[str, Identity]) -> pd.DataFrame:
    """One row per series (runs that differ only by seed): its short id, what it is, its runs, and what was
    set on top of its scenario file."""
    import pandas as pd

    from ..store.schema import COMPLETE
    from ..store.series import series_id
    rows = []
    for key, runs in frame.groupby("series_key", sort=False):
        found = identities.get(key)
        rows.append({"series": series_id(key), "scenario": runs.scenario.iloc[0],
                     "regime": runs.regime.iloc[0], "weeks": int(runs.weeks.iloc[0]),
                     "seeds": ranges(sorted(runs.seed.astype(int))), "runs": ranges(sorted(runs.run_id.astype(int))),
                     "failed": int((runs.status != COMPLETE).sum()),
                     "last finished": str(runs.finished_at.max())[:19],
                     "overrides": found.describe() if found else "unknown"})
    return pd.DataFrame(rows)


def _text(table: pd.DataFrame, column: str = "overrides") -> str:
    """The series table with its last column, the overrides, flush left."""
    width = max([len(column), *(len(str(v)) for v in table[column])])
    header, *rows = table.to_string(index=False, formatters={column: lambda v: f"{v:<{width}}"}).splitlines()
    header = header[:-width] + column.ljust(width)
    return "\n".join(line.rstrip() for line in [header, *rows])


def _open_if_there(db: str | None) -> tuple[Store | None, StoreMissing | None]:
    from ..store import Store
    try:
        return Store(db, create=False), None
    except StoreMissing as err:
        return None, err


def cmd_list(args) -> int:
    store, missing = _open_if_there(args.db)       # a damaged store is refused before anything is printed
    with store or nullcontext():
        _list(args, store, missing)
    return EXIT_OK


def _list(args, store: Store | None, missing: StoreMissing | None) -> None:
    if not (args.runs_only or args.series):
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
    if store is None:
        print(f"Stored runs: none yet: no store at {missing.where} (`hlssim run` makes it; --db or $HLSSIM_DB "
              "names another)")
        return
    frame = store.runs(status=None)
    if args.series:
        table = series_table(frame, store.identities())
        print(_text(_latest(table, args)) if len(table) else f"no series stored in {store.url} yet")
        _left_out(table, args, "series", say)
        return
    print(f"Stored runs ({store.url}): {len(frame)}")
    if frame.empty:
        return
    if args.runs:
        cols = ["run_id", "scenario", "regime", "seed", "weeks", "status", "series_key", "finished_at"]
        show = _latest(frame[cols], args).copy()
        show["series_key"] = show.series_key.str[:10]
        show["finished_at"] = show.finished_at.astype(str).str[:19]
        print(textwrap.indent(show.to_string(index=False), "  "))
        _left_out(frame, args, "runs", say)
        return
    table = series_table(frame, store.identities())
    print(textwrap.indent(_text(_latest(table, args)), "  "))
    _left_out(table, args, "series", lambda line: print(f"\n  {line}"))
    print("\n  overrides: what was set on top of the scenario file (--set, --regime); `hlssim show RUN_ID` shows "
          "one run;\n  `hlssim compare A B` compares two scenarios, series or runs.")


def _latest(rows: pd.DataFrame, args) -> pd.DataFrame:
    """The most recent ``--limit`` rows (every row with ``--all``)."""
    return rows if args.all else rows.tail(args.limit)


def _left_out(rows: pd.DataFrame, args, what: str, tell) -> None:
    """Say how many rows ``--limit`` left out and how to see them; nothing when every row was shown."""
    hidden = 0 if args.all else max(0, len(rows) - args.limit)
    if hidden:
        tell(f"{hidden} older {what.removesuffix('s') if hidden == 1 and what == 'runs' else what} not shown (the {args.limit} most recent of {len(rows)} are); "
             f"--limit {len(rows)} or --all shows every one")


def run_id(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise BadInput(f"RUN_ID {text!r}: must be a whole number; `hlssim list` shows the stored runs") from None
    if value < 1:
        raise BadInput(f"RUN_ID {value}: must be >= 1")
    return value


def departures_text(found: Identity) -> list[str]:
    """Where a run departs from its scenario file, a line per key, for ``hlssim show``."""
    from ..store.series import show as show_value
    if found.departures is None:
        return ["  unknown: stored before hlssim recorded it, and its scenario file cannot be read now"]
    if not found.departures:
        return ["  none"]
    lines = [f"  {key} = {show_value(found.params.get(key))} (the file gives {show_value(value)})"
             for key, value in found.departures.items()]
    if found.derived:
        lines.append("  (read off the file and the defaults as they are now: the run was stored before hlssim recorded "
                     "this,\n  so a default changed since then shows here too)")
    return lines


def cmd_show(args) -> int:
    from ..outputs.applicability import not_applicable_flat
    from ..params import Params
    from .tables import summary_table
    wanted = run_id(args.run_id)
    with open_to_read(args.db, f"no run {wanted}") as store:
        run = store.load(wanted)
    found = run.identity
    defaults = Params().flat()
    changed = {k: v for k, v in run.params_dict.items() if defaults.get(k, object()) != v}
    if args.json:
        print(json.dumps(json_safe({
            "run_id": run.run_id, "scenario": run.scenario, "regime": run.regime, "seed": run.seed,
            "weeks": run.weeks, "status": run.status, "error": run.error, "series_id": run.series_id,
            "series_key": run.series_key, "scenario_file": found.file,
            "scenario_diff": None if found.departures is None else
            {k: {"run": found.params.get(k), "file": v} for k, v in found.departures.items()},
            "scenario_diff_read_now": found.derived,
            "run_key": run.run_key, "code_version": run.code_version, "git_commit": run.git_commit,
            "started_at": str(run.started_at), "finished_at": str(run.finished_at),
            "summary": run.summary, "not_applicable": list(not_applicable_flat(run.params_dict, run.summary)),
            "params": run.params_dict, "changed_params": changed, "provenance": run.provenance}), default=str))
        return EXIT_OK
    took = ""
    if run.started_at and run.finished_at:
        took = f" ({(run.finished_at - run.started_at).total_seconds():.1f} s)"
    print(f"run {run.run_id}: {run.scenario} ({run.regime}), seed {run.seed}, {run.weeks} weeks: {run.status}")
    if run.error:
        print(f"  error: {run.error}")
    print(f"  series {run.series_id}, code {run.code_version}, git {run.git_commit or 'unknown'}")
    print(f"  started {str(run.started_at)[:19]}, finished {str(run.finished_at)[:19]}{took}")
    if run.scenario_file:
        chain = run.provenance.get("extends_chain") or []
        extends = f" (extends {' -> '.join(Path(p).name for p in chain[1:])})" if len(chain) > 1 else ""
        print(f"  file {run.scenario_file}{extends}")
    if run.description:
        print(textwrap.fill(" ".join(run.description.split()), width=88, initial_indent="  ",
                            subsequent_indent="  "))
    where = Path(found.file).name if found.file else "the default world"
    print(f"\nset on top of its scenario file ({where}):")
    print("\n".join(departures_text(found)))
    print("\nparameters that differ from the defaults:")
    for key, value in changed.items():
        print(f"  {key} = {value}")
    if not changed:
        print("  none")
    if run.summary:
        print("\nsummary:")
        label = f"run {run.run_id}"
        print(textwrap.indent(summary_table({label: [run.summary]}, {label: not_applicable_flat(run.params_dict, run.summary)}),
                              "  "))
        print(f"\n{len(run.timeseries)} weeks of time series: hlssim.load({run.run_id}).timeseries")
    return EXIT_OK


def cmd_export(args) -> int:
    if not args.all and not args.run_id:
        raise BadInput("give RUN_ID(s) or --all, e.g. hlssim export 3 4 --format csv")
    if args.all and args.run_id:
        raise BadInput("give RUN_ID(s) or --all, not both")
    out = Path(args.out)
    files = outputs(out, [f"{table}.{args.format}" for table in ("runs", "timeseries")], args.force)
    from ..store.export import export
    with open_to_read(args.db, "nothing to export") as store:
        if args.all:
            ids = store.all_ids()
            if not ids:
                raise BadInput(f"no runs stored in {store.url} yet; `hlssim run` stores them")
        else:
            ids = [run_id(i) for i in args.run_id]
            missing = sorted(set(ids) - set(store.runs(run_ids=ids, status=None).run_id))
            if missing:
                raise BadInput(f"no run(s) {ranges(missing)} in {store.url}; `hlssim list` shows the stored runs")
        paths = export(store, ids, args.format, out)
    say(f"exported {len(ids)} run(s){files.replaced_note()}")
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


def register(sub) -> None:
    lst = subcommand(sub, "list", help="shipped scenarios and stored runs",
                     description="List the shipped scenarios and the stored runs, grouped by series "
                                 "(runs that differ only by seed): each series' short id, which `hlssim compare` "
                                 "and `hlssim plot` accept, and its overrides (what was set on top of its "
                                 "scenario file). Never creates a store.",
                     epilog="examples:\n  hlssim list\n  hlssim list --series\n"
                            "  hlssim list --runs --limit 20 --db results/hlssim.db\n  hlssim list --series --all")
    lines = lst.add_mutually_exclusive_group()
    lines.add_argument("--runs", action="store_true", help="one line per run instead of per series")
    lines.add_argument("--series", action="store_true",
                       help="only the stored series, one line each: id, scenario, runs and overrides")
    lst.add_argument("--runs-only", action="store_true", help="leave out the shipped scenarios")
    shown = lst.add_mutually_exclusive_group()
    shown.add_argument("--limit", type=whole_number("--limit"), default=50, metavar="N",
                       help="the N most recent series (or runs) only, saying how many are left out (default 50)")
    shown.add_argument("--all", action="store_true", help="every stored series (or run), however many")
    add_db_option(lst)
    lst.set_defaults(func=cmd_list)

    show = subcommand(sub, "show", help="one stored run: what it was, what it found",
                      description="Show a stored run: scenario, seed, series id, versions, times, what was set "
                                  "on top of its scenario file, the parameters that differ from the defaults "
                                  "and the summary.",
                      epilog="examples:\n  hlssim show 7\n  hlssim show 7 --json")
    show.add_argument("run_id", metavar="RUN_ID")
    show.add_argument("--json", action="store_true", help="print the run as one JSON object")
    add_db_option(show)
    show.set_defaults(func=cmd_show)

    exp = subcommand(sub, "export", help="stored runs as CSV or Parquet files",
                     description="Write runs.FORMAT (one row per run: metadata, summary and parameters "
                                 "as params.* columns) and timeseries.FORMAT (one row per run and week).",
                     epilog="examples:\n  hlssim export 3 4 --format csv\n"
                            "  hlssim export --all --format parquet --out results/export")
    exp.add_argument("run_id", nargs="*", metavar="RUN_ID")
    exp.add_argument("--all", action="store_true", help="every stored run")
    exp.add_argument("--format", choices=list(FORMATS), default="csv", help="file format (default csv)")
    exp.add_argument("--out", default="results/export", metavar="DIR", help="folder (default results/export)")
    add_force_option(exp, "runs.FORMAT and timeseries.FORMAT in --out")
    add_db_option(exp)
    exp.set_defaults(func=cmd_export)

    val = subcommand(sub, "validate", help="check scenario files without running them",
                     description="Read and check each scenario file (and the files it extends): YAML, "
                                 "keys, types and ranges. Exit 0 if all are valid, 2 if any is not.",
                     epilog="examples:\n  hlssim validate scenarios/complex-lives.yaml\n"
                            "  hlssim validate my-question.yaml goodhart-demo")
    val.add_argument("file", nargs="+", metavar="FILE")
    val.set_defaults(func=cmd_validate)
