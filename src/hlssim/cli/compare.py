"""``hlssim compare A B``: paired differences B - A, seed by seed, between stored scenarios, series or runs.

Two series are paired only if they differ where their scenario files do: a parameter set on top of
a file (``--set``, ``--regime``), other weeks or another code version are refused, by name, unless
``--allow-different`` (then a warning names them)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .common import EXIT_OK, BadInput, add_db_option, posterior_label, ranges, say, subcommand

if TYPE_CHECKING:
    import pandas as pd

    from ..store import Store


def paired(label_a: str, a: pd.DataFrame, label_b: str, b: pd.DataFrame) -> tuple[list[int], pd.DataFrame]:
    """Paired differences B - A over the seeds both hold (frames from Store.runs)."""
    from ..outputs.stats import paired_differences
    from ..reports.runs import fill_counterfactuals
    from ..store.schema import META_COLUMNS
    from .tables import ordered_keys
    common = sorted(set(a.seed.astype(int)) & set(b.seed.astype(int)))
    if not common:
        raise BadInput(f"{label_a} has seeds {ranges(sorted(a.seed.astype(int)))} and {label_b} has seeds "
                       f"{ranges(sorted(b.seed.astype(int)))}: none in common; run both on the same seeds "
                       "(e.g. --seeds 5) to compare them")
    if set(a.weeks) != set(b.weeks):
        say(f"note: A ran {sorted(set(a.weeks))} weeks and B {sorted(set(b.weeks))}; "
            "differences mix the regime's effect with the run's length")
    keys = ordered_keys([c for c in a.columns if c in b.columns and c not in META_COLUMNS])
    fa = a.set_index(a.seed.astype(int)).loc[common, keys].astype(float)
    fb = b.set_index(b.seed.astype(int)).loc[common, keys].astype(float)
    fill_counterfactuals(fa, fb)          # e.g. crisis cost avoided: B against A, seed by seed
    return common, paired_differences(fa, fb, keys)


# The three answers a headline gives in words: which way is better, and how people call it.
HEADLINE = (("flourishing_gain", "higher", "flourishing"),
            ("crisis_cost_per_smd_citizen_year", "lower", "crisis cost for people with SMD"),
            ("cost_per_citizen_year", "lower", "whole public cost (crisis included)"))


def leads(a: pd.DataFrame, b: pd.DataFrame, common: list[int]) -> dict[str, dict[str, int]]:
    """Per headline key, on how many of the common seeds B is ahead of A, A of B, and neither."""
    fa, fb = (f.set_index(f.seed.astype(int)).loc[common] for f in (a, b))
    out = {}
    for key, better, _ in HEADLINE:
        if key not in fa or key not in fb:
            continue
        diff = (fb[key].astype(float) - fa[key].astype(float)) * (1 if better == "higher" else -1)
        out[key] = {"b_ahead": int((diff > 0).sum()), "a_ahead": int((diff < 0).sum()),
                    "neither": int(len(common) - (diff > 0).sum() - (diff < 0).sum())}
    return out


def in_words(label_a: str, label_b: str, counted: dict[str, dict[str, int]], seeds: int,
             posterior: str | None) -> str:
    """The headline in plain words: in what share of worlds (posterior draws) or seeds B is ahead of A."""
    if posterior:
        where = (f"Over {seeds} plausible worlds (seed s runs both with the particle it draws from the posterior "
                 f"{posterior})")
    else:
        where = f"At the default parameters (one world, {seeds} seeds of its chance events)"
    said = [f"on {words} in {counted[key]['b_ahead']} of {seeds} ({counted[key]['b_ahead'] / seeds:.0%})"
            for key, _, words in HEADLINE if key in counted]
    return f"{where}, {label_b} is ahead of {label_a} " + "; ".join(said) + "."


def print_comparison(label_a: str, a, label_b: str, b, common: list[int], diffs, na_a=(), na_b=(),
                     apart: dict[str, str] | None = None, posterior: str | None = None) -> None:
    from .tables import comparison_table
    print(f"A: {label_a}, runs {ranges(sorted(a.run_id.astype(int)))}")
    print(f"B: {label_b}, runs {ranges(sorted(b.run_id.astype(int)))}")
    print(f"paired on {len(common)} seed(s) ({ranges(common)}): for each seed B - A, then its median and "
          f"10th-90th percentiles\n")
    print(comparison_table(diffs, na_a, na_b, apart))
    counted = leads(a, b, common)
    if counted:
        print("\n" + in_words(label_a, label_b, counted, len(common), posterior))


def series_not_applicable(store: Store, runs: pd.DataFrame) -> list[str]:
    """The keys a series' mechanisms cannot move (the runs of a series share their parameters), less
    those a comparison fills in."""
    from ..outputs.applicability import not_applicable_in_all
    from ..reports.runs import in_comparison
    from ..store.schema import META_COLUMNS
    summaries = runs.drop(columns=[c for c in META_COLUMNS if c in runs.columns]).to_dict("records")
    return in_comparison(not_applicable_in_all(store.load(int(runs.run_id.iloc[0])).params_dict, summaries))


def series_not_comparable(store: Store, a: pd.DataFrame, b: pd.DataFrame) -> dict[str, str]:
    """The keys two selections cannot be compared on (``outputs.comparability``), each with why."""
    from ..outputs.comparability import not_comparable_flat
    first = [store.load(int(runs.run_id.iloc[0])).params_dict for runs in (a, b)]
    return not_comparable_flat(*first)


def check_pairing(label_a: str, label_b: str, different: list[str], allow: bool) -> None:
    """Refuse (exit 2) to pair series that differ in more than their scenario files, naming how; with
    ``allow``, say so on stderr and go on."""
    if not different:
        return
    if not allow:   # bad input: one line, however many settings differ
        raise BadInput(f"A {label_a} and B {label_b} differ in more than their scenario files: {'; '.join(different)}; "
                       "so B - A would not be the scenarios' difference. Compare series run with the same settings "
                       "(`hlssim list --series` shows each series' overrides and id), or pass --allow-different to "
                       "pair them anyway")
    text = "\n".join([f"A {label_a} and B {label_b} differ in more than their scenario files:",
                      *(f"  {line}" for line in different)])
    say(f"warning: {text}\n  paired anyway (--allow-different): B - A mixes these with the scenarios' difference")


def cmd_compare(args) -> int:
    from ..store.series import differences
    from ..util.jsonsafe import json_safe
    from .selectors import identity, open_to_read, select
    with open_to_read(args.db, f"nothing to compare {args.a} and {args.b} with") as store:
        posterior = posterior_label(args.posterior)
        label_a, a = select(store, args.a, posterior)
        label_b, b = select(store, args.b, posterior)
        different = differences(identity(store, a), identity(store, b))
        na_a, na_b = series_not_applicable(store, a), series_not_applicable(store, b)
        apart = series_not_comparable(store, a, b)
    check_pairing(label_a, label_b, different, args.allow_different)
    common, diffs = paired(label_a, a, label_b, b)
    if args.json:
        print(json.dumps(json_safe({"a": label_a, "b": label_b, "seeds": common,
                                    "a_runs": a.run_id.astype(int).tolist(), "b_runs": b.run_id.astype(int).tolist(),
                                    "keys": diffs.to_dict(orient="index"), "different": different,
                                    "not_applicable": {"a": na_a, "b": na_b}, "not_comparable": apart,
                                    "posterior": posterior, "ahead": leads(a, b, common)})))
        return EXIT_OK
    print_comparison(label_a, a, label_b, b, common, diffs, na_a, na_b, apart, posterior)
    return EXIT_OK


def register(sub) -> None:
    compare = subcommand(
        sub, "compare", help="paired differences between two scenarios, series or runs on the same seeds",
        description="Compare B with A seed by seed: for each summary key, the medians of A and B and the median "
                    "and 10th-90th percentiles of B - A over the seeds both have. A and B are each a scenario "
                    "name (its most recent series; add @npm, @hls or @mix to pick by regime), a series id from "
                    "`hlssim list --series`, or a run id. Series that differ in more than their scenario files "
                    "(a parameter set on top of a file, other weeks, another code version) are refused unless "
                    "--allow-different.",
        epilog="examples (on the store `make run` fills):\n  hlssim compare npm-targets hls-devolved\n"
               "  hlssim compare npm-targets@npm hls-devolved@hls --json\n"
               "  hlssim compare 3 13        runs 3 and 13: seed 3 of each")
    compare.add_argument("a", metavar="A")
    compare.add_argument("b", metavar="B")
    compare.add_argument("--json", action="store_true", help="print the comparison as one JSON object")
    compare.add_argument("--posterior", metavar="NAME|FILE", help="compare the scenarios' series drawn from this "
                         "posterior (run with `hlssim run ... --posterior NAME|FILE`) rather than those at the "
                         "parameters as given")
    compare.add_argument("--allow-different", action="store_true",
                         help="pair series that differ in more than their scenario files (a warning names how)")
    add_db_option(compare)
    compare.set_defaults(func=cmd_compare)
