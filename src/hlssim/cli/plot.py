"""``hlssim plot``: figures of stored runs, as PNG and SVG files (``make run`` draws the headline's)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..params import scenarios as scen
from ..params.scenarios import LIMITS
from ..reports.choices import CHOICES
from ..store.errors import StoreInputError
from ..util.text import did_you_mean
from .common import (DEFAULT_WEEKS, EXIT_OK, BadInput, Failure, add_db_option, add_force_option,
                     add_posterior_option, outputs, posterior_of, say,
                     subcommand, whole_number)
from .compare import check_pairing
from .selectors import identity, open_to_read, select

if TYPE_CHECKING:
    from ..reports.runs import Comparison, Group
    from ..store import Store


def label_for(selector: str) -> str:
    """How a figure names a selection: the scenario name as typed, or 'run 7'."""
    text = selector.strip()
    return f"run {text}" if text.isdigit() else Path(text).stem if text.endswith((".yaml", ".yml")) else text


def load_groups(store: Store, selectors: list[str], allow_different: bool = False,
                posterior: str | None = None) -> list[Group]:
    """Stored runs for each selection; two selections are paired only as ``hlssim compare`` would pair them."""
    from ..reports.runs import Group
    from ..store.series import differences
    labels = [label_for(s) for s in selectors]
    if len(set(labels)) != len(labels):
        raise BadInput(f"the same selection given twice ({', '.join(labels)}); "
                       "give different scenarios, series or runs")
    chosen = [select(store, text, posterior) for text in selectors]
    if len(chosen) == 2:
        (label_a, a), (label_b, b) = chosen
        check_pairing(label_a, label_b, differences(identity(store, a), identity(store, b)), allow_different)
    return [Group.from_store(store, label, runs) for label, (_, runs) in zip(labels, chosen, strict=True)]


def run_first(store: Store, selectors: list[str], seeds: int, jobs: int | None, progress: bool,
              posterior=None) -> list[Group]:
    """Each scenario's runs on seeds 1..N exactly (run now if not yet stored), one group per scenario; with a
    ``posterior`` (a Posterior), each seed drawing its particle."""
    from ..experiments.runner import RunSpec
    from ..reports.runs import Group
    from ..store.batch import run_missing
    groups = []
    for text in selectors:
        scenario = scen.load(text)
        weeks = scenario.weeks or DEFAULT_WEEKS
        specs = [RunSpec.from_scenario(scenario, seed, weeks, posterior=posterior) for seed in range(1, seeds + 1)]
        done = run_missing(store, specs, jobs=jobs, progress=progress)
        failed = [d for d in done if d.error]
        if failed:
            raise Failure(f"{len(failed)} run(s) of {scenario.name} failed; first: seed {failed[0].spec.seed}: "
                          f"{failed[0].error}")
        groups.append(Group.from_store(store, label_for(text), store.runs(run_ids=[d.run_id for d in done])))
    return groups


def chosen_groups(args) -> list[Group]:
    """The groups a command's selections name: stored runs (the store is only read, never created),
    or with ``--seeds`` exactly seeds 1..N (run and stored first if need be)."""
    posterior = posterior_of(getattr(args, "posterior", None))
    from ..store import Store
    if args.seeds:
        with Store(args.db) as store:
            return run_first(store, args.selection, args.seeds, args.jobs, not args.quiet, posterior)
    try:
        with open_to_read(args.db, "nothing stored to draw") as store:
            return load_groups(store, args.selection, args.allow_different,
                               posterior.label if posterior is not None else None)
    except StoreInputError as err:
        raise BadInput(f"{err}; or add --seeds N to run the scenarios on seeds 1..N first") from None


def compare(groups: list[Group]) -> Comparison | None:
    """The paired comparison of exactly two groups (B - A); None otherwise."""
    from ..reports.runs import Comparison, NothingInCommon
    if len(groups) != 2:
        return None
    try:
        return Comparison.of(*groups)
    except NothingInCommon as err:
        raise BadInput(str(err)) from None


def parse_keys(text: str | None, groups: list[Group]) -> tuple[str, ...]:
    """``--keys a,b``: weekly columns of these runs (or the derived success rates)."""
    from ..reports.series import RATES
    if not text:
        return CHOICES.weekly_keys
    allowed = sorted({c for g in groups for c in g.timeseries.columns if c not in ("seed", "week")} | set(RATES))
    keys = tuple(k.strip() for k in text.split(",") if k.strip())
    for key in keys:
        if key not in allowed:
            raise BadInput(f"--keys {key!r}: not a weekly column of these runs{did_you_mean(key, allowed)}; "
                           f"allowed: {', '.join(allowed)}")
    return keys


def draw(groups: list[Group], comparison: Comparison | None, keys, window: int, progress: bool):
    """Every chart of the plan, with a bar on stderr while they are drawn."""
    from ..reports.charts import chart_plan
    from ..util.progress import progress_bar
    plan = chart_plan(groups, comparison, keys, window)
    steps = progress_bar(plan, total=len(plan), description="figures") if progress else plan
    return [make() for make in steps]


def cmd_plot(args) -> int:
    folder = Path(args.out) / "figures"
    files = outputs(folder, None, args.force)          # before any run or drawing
    from ..reports.charts import write_charts
    groups = chosen_groups(args)
    keys = parse_keys(args.keys, groups)
    charts = draw(groups, compare(groups), keys, args.window, not args.quiet)
    paths = write_charts(charts, folder)
    say(f"wrote {len(charts)} figure(s) as PNG and SVG in {folder}{files.replaced_note()}")
    for path in paths:
        print(path)
    return EXIT_OK


def add_figure_options(p) -> None:
    p.add_argument("--keys", metavar="K1,K2",
                   help=f"weekly columns to draw over time (default: {', '.join(CHOICES.weekly_keys)}); "
                   "see docs/metrics.md, 'Weekly time series'")
    p.add_argument("--window", type=whole_number("--window", 1, 520), default=CHOICES.window,
                   help=f"weeks over which success rates are read (default {CHOICES.window}, a target period)")
    p.add_argument("--seeds", type=whole_number("--seeds", 1, LIMITS.seeds), metavar="N",
                   help="use exactly the runs of these scenarios on seeds 1..N, running any not yet stored")
    p.add_argument("--jobs", type=whole_number("--jobs", 1, 256), help="worker processes for those runs "
                   "(default: one per core)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_posterior_option(p)
    add_force_option(p, "figures (or a report) in --out")
    p.add_argument("--allow-different", action="store_true",
                   help="pair two stored series even where they differ in more than their scenario files "
                        "(as hlssim compare --allow-different)")
    add_db_option(p)


def register(sub) -> None:
    plot = subcommand(
        sub, "plot", help="figures of stored runs (PNG and SVG): truth against record, weekly measures, differences",
        description="Draw figures of stored runs into DIR/figures: for every selection, the reported and the true "
                    "success rate week by week (median and 10th-90th percentile band across seeds) and chosen "
                    "weekly measures; with exactly two selections, also the paired differences B - A of every "
                    "summary key. A selection is a scenario name (its latest series; name@npm / name@hls picks "
                    "by regime), a series id or a run id, as for `hlssim compare`; with --seeds N, a scenario, "
                    "and exactly its runs on seeds 1..N are drawn (any not yet stored are run first).",
        epilog="examples:\n  hlssim plot npm-targets hls-devolved --seeds 10 --out results/headline\n"
               "  hlssim plot goodhart-demo --keys misreports,parked_share,burnout_share\n"
               "  hlssim plot closed-system@npm closed-system@hls --out results/closed-system")
    plot.add_argument("selection", nargs="+", metavar="SELECTION", help="scenario name, series id or run id")
    plot.add_argument("--out", default="results", metavar="DIR", help="folder; figures go to DIR/figures "
                      "(default results)")
    add_figure_options(plot)
    plot.set_defaults(func=cmd_plot)
