"""``hlssim funders``: which contract design buys the most flourishing for people with SMD, and at what public
cost, against business as usual on the same seeds; every run stored."""

from __future__ import annotations

import textwrap
from pathlib import Path

from ..params import scenarios as scen
from ..params.scenarios import LIMITS
from ..reports.places import FUNDERS
from .common import (EXIT_OK, add_db_option, add_force_option, add_posterior_option, outputs, posterior_of, say,
                     subcommand, whole_number)

DEFAULT_DESIGNS = ("funding-block", "funding-pbr-flat", "funding-pbr-differential", "funding-for-learning")
FILES = ("funders.csv", "funders_by_seed.csv", "funders.md", "funders.png", "funders.svg")


def cmd_funders(args) -> int:
    designs = args.design or list(DEFAULT_DESIGNS)
    for design in designs:
        scen.load(design)                               # a bad name or file stops here, before any run
    files = outputs(args.out, FILES, args.force)
    posterior = posterior_of(args.posterior)
    if posterior is not None:
        say(f"each seed draws its particle from the posterior {posterior.label}: every design and business as usual "
            "on that seed face the same plausible world")
    from ..reports.funders import funders_chart
    from ..reports.funding import compare_funding
    from ..reports.style import save
    from ..store import Store
    from ..util.files import replace_files
    with Store(args.db) as store:
        comparison = compare_funding(designs, seeds=args.seeds, weeks=args.weeks, store=store, jobs=args.jobs,
                                     progress=not args.quiet, posterior=posterior)
        say(f"{len(comparison.run_ids)} run(s) in {store.url} (ids {_ranges(comparison.run_ids)}); "
            "`hlssim list --series` lists them")
    print(readable(comparison))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    replace_files([out / name for name in FILES[:3]],
                  [lambda p: comparison.table.assign(weeks=comparison.weeks).to_csv(p, index=False),
                   lambda p: comparison.by_seed.to_csv(p, index=False),
                   lambda p: p.write_text(markdown(comparison), encoding="utf-8")])
    save(funders_chart(comparison), out)
    say(files.wrote())
    return EXIT_OK


def _ranges(ids: list[int]) -> str:
    from ..util.ranges import ranges
    return ranges(ids)


def heading(comparison) -> str:
    return (f"Funding designs against business as usual on the same world and seeds ({len(comparison.seeds)} seeds, "
            f"{_ranges(comparison.seeds)}; {comparison.weeks} weeks): median (10th to 90th percentile) across seeds")


def readable(comparison) -> str:
    """A block per design, one line per reading, for a terminal of any width."""
    from ..reports.funding import BASELINE, MEASURES, cell
    width = max(len(meaning) for meaning, _, _ in MEASURES.values()) + 2
    lines = [*textwrap.wrap(heading(comparison), 100), ""]
    for design in comparison.table.design:
        lines.append(design)
        for key, (meaning, unit, paired) in MEASURES.items():
            if paired and design.startswith(BASELINE):
                continue
            lines.append(f"  {meaning:<{width}}{cell(comparison, design, key)}"
                         f"{'' if unit.startswith('£') else '  ' + unit}")
    lines += ["", *textwrap.wrap(NOTE, 100)]
    return "\n".join(lines)


NOTE = ("Extra public cost per extra SMD flourishing point: against business as usual on the same seed, the extra "
        "public cost of people with SMD (their crisis costs and the service's spend on them, over the run) per extra "
        "point of their flourishing gain; undefined where a design bought no extra SMD flourishing; negative where "
        "it cost less and bought more.")


def markdown(comparison) -> str:
    """The table as Markdown: a row per design, a column per reading, then what each reading is."""
    from ..reports.funding import BASELINE, MEASURES, cell
    header = ["design", *(f"{meaning} ({unit})" for meaning, unit, _ in MEASURES.values())]
    rows = [[f"`{design}`", *("the baseline" if paired and design.startswith(BASELINE) else cell(comparison, design, key)
                              for key, (_, _, paired) in MEASURES.items())] for design in comparison.table.design]
    table = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
             *("| " + " | ".join(r) + " |" for r in rows)]
    return "\n".join([
        "# Which contract design buys the most flourishing for people with SMD, and at what public cost?", "",
        heading(comparison) + ".", "", *table, "",
        "- **Flourishing gain, people with SMD**: mean change in flourishing (0-1 index) of residents who started "
        "with severe multiple disadvantage; the extra gain is the design's less business as usual's on the same seed.",
        "- **Whole public cost**: the funder's spend and the crisis services, £ per citizen per year "
        "(`cost_per_citizen_year`).",
        "- **Extra public cost per extra point of SMD flourishing**: against business as usual on the same seed, the "
        "extra public cost of people with SMD (`public_service_use_per_smd_citizen_year`: their crisis costs and the "
        "service's spend on them) over the run, divided by the extra flourishing gain of each of them. Undefined "
        "where the design bought no extra SMD flourishing (counted); negative where it cost less and bought more.",
        "- **Crisis cost avoided for people with SMD**: business as usual's crisis cost per SMD citizen-year less "
        "the design's, on the same seed.",
        "", f"Business as usual is the `npm` preset on the designs' world; runs "
        f"{_ranges(comparison.run_ids)} in the results store. `funders.csv` has every reading with its 10th and "
        "90th percentiles (and more of what a funder reads); `funders_by_seed.csv` each seed.", ""])


def register(sub) -> None:
    funders = subcommand(
        sub, "funders", help="contract designs against business as usual: SMD flourishing and public cost, stored",
        description="Run each DESIGN (default: the four funding-* presets) and business as usual (the npm preset on "
                    "the same world) on seeds 1..N, or reuse the runs already stored, and read each design against "
                    "business as usual seed by seed: the flourishing gain of people with severe multiple "
                    "disadvantage (SMD), the whole public cost, the extra public cost per extra point of SMD "
                    "flourishing, and the crisis cost avoided per SMD citizen-year, each as the median with "
                    "10th-90th percentiles. Prints a table per design and writes funders.csv, funders_by_seed.csv, "
                    f"funders.md and a figure (funders.png, .svg) to --out (default {FUNDERS}).",
        epilog="examples:\n  hlssim funders --seeds 10\n"
               "  hlssim funders funding-for-learning funding-pbr-flat --seeds 5 --weeks 156 --out results/two\n"
               "  hlssim funders my-contract.yaml --seeds 3      (a scenario file that extends funding-market)\n"
               "  hlssim funders --seeds 10 --posterior default   (each seed a plausible world, the same for every design)")
    funders.add_argument("design", nargs="*", metavar="DESIGN",
                         help="a funding scenario's name or file (default: " + ", ".join(DEFAULT_DESIGNS) + ")")
    funders.add_argument("--seeds", type=whole_number("--seeds", 1, LIMITS.seeds), default=10, metavar="N",
                         help="seeds 1..N (default 10)")
    funders.add_argument("--weeks", type=whole_number("--weeks", 1, LIMITS.weeks),
                         help="weeks to simulate (default: the first design's weeks, else 260)")
    funders.add_argument("--out", default=str(FUNDERS), metavar="DIR", help=f"folder for the files (default {FUNDERS})")
    add_force_option(funders, "the files in --out DIR")
    add_posterior_option(funders)
    add_db_option(funders)
    funders.add_argument("--jobs", type=whole_number("--jobs", 1, 256), help="worker processes (default: one per core)")
    funders.add_argument("--quiet", action="store_true", help="no progress bar")
    funders.set_defaults(func=cmd_funders)
