"""``hlssim scale-up``: a national interval from the simulated per-person SMD difference between two designs."""

from __future__ import annotations

import json

from ..experiments.headcounts import POPULATION_PRESETS
from ..params import scenarios as scen
from ..params.scenarios import LIMITS
from ..reports.money import pounds
from ..util.jsonsafe import json_safe
from .common import DEFAULT_WEEKS, EXIT_OK, add_posterior_option, posterior_of, say, subcommand, whole_number


def cmd_scale_up(args) -> int:
    from ..experiments import commissioning
    population = POPULATION_PRESETS[args.preset] if args.preset else args.population
    design = scen.load(args.design)
    baseline = scen.load(args.baseline) if args.baseline else None
    seeds = list(range(1, args.seeds + 1))
    weeks = args.weeks or design.weeks or DEFAULT_WEEKS
    posterior = posterior_of(args.posterior)
    over = f", each seed drawing from the posterior {posterior.label}" if posterior is not None else ""
    say(f"running {args.design} against {args.baseline or 'business as usual'} on seeds 1-{args.seeds}{over}...")
    per_person = commissioning.smd_use_differences(
        (None, design.overrides), (None, baseline.overrides) if baseline else None, seeds, weeks, progress=True,
        posterior=posterior)
    result = commissioning.scale_up(per_person, population)
    result.update({"design": design.name, "baseline": baseline.name if baseline else "business-as-usual",
                   "preset": args.preset, "seeds": seeds, "weeks": weeks,
                   "posterior": posterior.label if posterior is not None else None})
    if args.json:
        print(json.dumps(json_safe(result)))
        return EXIT_OK
    pp = result["per_person_interval"]
    print(f"{result['design']} against {result['baseline']}: SMD public service use avoided, "
          f"{len(seeds)} seeds, {weeks} weeks")
    print(f"  per person a year:  median {pounds(pp['median'])}  [10th {pounds(pp['low'])}, "
          f"90th {pounds(pp['high'])}]")
    print(f"  x {population:,} people: median {pounds(result['median'])} a year  "
          f"[10th {pounds(result['low'])}, 90th {pounds(result['high'])}]  (3 significant figures)")
    print(f"  reference (the seed's own claim, not an input): £{result['seed_claim_per_person']:,} per person, "
          f"{pounds(result['seed_claim_national'])} a year")
    return EXIT_OK


def register(sub) -> None:
    scale = subcommand(
        sub, "scale-up", help="a national figure from the simulated SMD difference between two designs",
        description="Run DESIGN and a baseline (default: business as usual, the npm preset on DESIGN's world) "
                    "on the same seeds, take each seed's per-person difference in public service use by "
                    "people who started with severe multiple disadvantage (crisis services plus the "
                    "service's own spend on them, £ a year), and multiply by a national headcount. Reports "
                    "the 10th, 50th and 90th percentiles across seeds, never a single point. The seed's own "
                    "claim (about £50,000 a person a year) is shown as a reference line, not used.",
        epilog="examples:\n  hlssim scale-up --preset england-smd\n"
               "  hlssim scale-up --population 28000 --design hls-devolved --baseline npm-targets --seeds 20 --json\n"
               "presets: " + ", ".join(f"{k} ({v:,})" for k, v in POPULATION_PRESETS.items()))
    who = scale.add_mutually_exclusive_group(required=True)
    who.add_argument("--population", type=whole_number("--population", 1, LIMITS.headcount),
                     help=f"people to scale to: a national headcount, 1 to {LIMITS.headcount:,}")
    who.add_argument("--preset", choices=list(POPULATION_PRESETS), help="a headcount from the seed report")
    scale.add_argument("--design", default="funding-for-learning", help="scenario to scale (default funding-for-learning)")
    scale.add_argument("--baseline", help="scenario to compare with (default: business as usual on the same world)")
    scale.add_argument("--seeds", type=whole_number("--seeds", 2, LIMITS.seeds), default=10, help="seeds 1..N (default 10)")
    scale.add_argument("--weeks", type=whole_number("--weeks", 1, LIMITS.weeks),
                       help="weeks (default: the scenario's, else 260)")
    add_posterior_option(scale)
    scale.add_argument("--json", action="store_true", help="print low, median, high and the per-person figures as JSON")
    scale.set_defaults(func=cmd_scale_up)
