"""Contract designs against business as usual, for funders: what each buys for people with severe multiple
disadvantage (SMD), and at what public cost, seed by seed.

Each design (a ``funding-*`` scenario, or any scenario file) runs on seeds 1..N beside business as
usual: the ``npm`` preset on the same world, citizens and workforce (``commissioning.business_as_usual``),
on the same seeds, so every difference is paired (common random numbers). Every run goes through the
one runner and is stored (``store.batch.run_missing``): a second call reuses them, and ``hlssim compare``,
``plot`` and ``report`` can read them. ``hlssim funders`` prints and writes what this returns;
``hlssim.compare_funding`` is the same from Python.

The readings (``MEASURES``), per seed, then as the median with 10th-90th percentiles:

- ``flourishing_gain_smd``: the design's own mean gain in flourishing of residents SMD at start;
- ``flourishing_gain_smd_vs_bau``: that gain less business as usual's on the same seed;
- ``cost_per_citizen_year``: the whole public cost of the place (the funder's spend and the crisis
  services), £ per citizen per year;
- ``cost_per_smd_flourishing_point``: net of business as usual, the extra public cost of people with
  SMD (their crisis costs and the service's spend on them, ``public_service_use_per_smd_citizen_year``,
  over the run) per extra point of their flourishing gain: £ per SMD resident per point. Undefined
  (NaN, counted) where the design bought no extra SMD flourishing; negative where it cost less and
  bought more;
- ``crisis_cost_avoided_per_smd_citizen_year``: business as usual's crisis cost per SMD citizen-year
  less the design's, on the same seed.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from ..experiments.commissioning import business_as_usual
from ..experiments.runner import RunSpec
from ..outputs.applicability import not_applicable_in_all
from ..outputs.stats import HIGH, LOW, Spread, spread
from ..params import scenarios as scen
from ..store import Store
from ..store.batch import run_missing
from .money import pounds_interval

DESIGNS = ("funding-block", "funding-pbr-flat", "funding-pbr-differential", "funding-for-learning")
BASELINE = "business-as-usual"
BASELINE_DESCRIPTION = ("Business as usual: the npm preset (targets, standard pathways, hierarchical control) on the "
                        "designs' world, citizens and workforce, with no provider market: what each funding design "
                        "is measured against, seed by seed.")
SEEDS = 10   # worlds a funders' table is read over unless told otherwise: enough for a 10th-90th interval

# Each reading: its meaning for people, its unit, and whether it is read against business as usual.
MEASURES = {
    "flourishing_gain_smd": ("flourishing gain, people with SMD", "index points", False),
    "flourishing_gain_smd_vs_bau": ("extra flourishing gain, people with SMD", "index points", True),
    "cost_per_citizen_year": ("whole public cost per citizen a year", "£ per citizen per year", False),
    "cost_per_smd_flourishing_point": ("extra public cost per extra SMD flourishing point",
                                       "£ per SMD resident per point", True),
    "crisis_cost_avoided_per_smd_citizen_year": ("crisis cost avoided per SMD citizen a year",
                                                 "£ per SMD citizen per year", True),
}
# More of what a funder reads, straight from each run (docs/metrics.md, "Funders' readings"); blank where
# the design's mechanism cannot act (n/a).
ALSO = ("spend_per_citizen_year", "public_service_use_per_smd_citizen_year", "hardest_tier_spend_share",
        "parked_share_smd", "goodhart_gap", "gaming_provider_share")


@dataclass(frozen=True)
class Pair:
    """One design on one seed, and business as usual on the same world and seed."""

    design: RunSpec
    baseline: RunSpec


def pair(design: scen.Scenario, seed: int, weeks: int, posterior=None) -> Pair:
    """The two runs a design's reading on one seed needs; with a ``posterior`` (``experiments.posterior``), both
    draw the particle the seed draws, so the design and business as usual face the same plausible world."""
    baseline = RunSpec.build(BASELINE, "npm", business_as_usual(design.overrides), seed, weeks, posterior=posterior)
    return Pair(RunSpec.from_scenario(design, seed, weeks, posterior=posterior),
                dataclasses.replace(baseline, description=BASELINE_DESCRIPTION))


@dataclass
class FundingComparison:
    """Every design against business as usual on the same seeds, read off the stored runs."""

    designs: list[str]
    seeds: list[int]
    weeks: int
    by_seed: pd.DataFrame          # design, seed, design_run, baseline_run, every reading (the baseline's rows too)
    table: pd.DataFrame            # one row per design and business as usual: median, _p10, _p90 of each reading
    not_applicable: dict[str, tuple[str, ...]] = field(default_factory=dict)   # per design: keys it cannot move

    @property
    def run_ids(self) -> list[int]:
        return sorted({int(i) for i in (*self.by_seed.design_run, *self.by_seed.baseline_run)})

    def undefined(self, design: str, measure: str) -> int:
        """Seeds on which a reading is undefined for a design (e.g. no extra SMD flourishing to divide by)."""
        rows = self.by_seed[self.by_seed.design == design]
        return int(rows[measure].isna().sum())


def compare_funding(designs: Sequence[str] | None = None, seeds: int = SEEDS, weeks: int | None = None,
                    db: str | None = None, store: Store | None = None, jobs: int | None = None,
                    progress: bool = False, posterior=None) -> FundingComparison:
    """Run (or reuse from the store) each design and business as usual on seeds 1..``seeds`` and read them.

    ``designs``: scenario names or files (default: the four ``funding-*`` presets); ``weeks``: default the
    first design's own, else 260. Opens the store ``db`` (as ``hlssim.load`` does) unless ``store`` is given.
    ``posterior`` (a name such as ``"default"``, a file, or a loaded posterior): each seed draws its particle,
    the same for every design and business as usual (answers over plausible worlds)."""
    if isinstance(posterior, str):
        from ..experiments.posterior import load_posterior
        posterior = load_posterior(posterior)
    chosen = [scen.load(d) for d in (designs or DESIGNS)]
    length = weeks or chosen[0].weeks or scen.DEFAULT_WEEKS
    if store is None:
        with Store(db) as opened:
            return _compare(opened, chosen, list(range(1, seeds + 1)), length, jobs, progress, posterior)
    return _compare(store, chosen, list(range(1, seeds + 1)), length, jobs, progress, posterior)


def _compare(store: Store, chosen: list[scen.Scenario], seeds: list[int], weeks: int, jobs: int | None,
             progress: bool, posterior=None) -> FundingComparison:
    pairs = [(design, pair(design, seed, weeks, posterior)) for design in chosen for seed in seeds]
    specs = [spec for _, p in pairs for spec in (p.design, p.baseline)]
    done = run_missing(store, specs, jobs=jobs, progress=progress)
    failed = [d for d in done if d.error]
    if failed:
        raise RuntimeError(f"{len(failed)} of {len(done)} run(s) failed; first: {failed[0].spec.scenario}, seed "
                           f"{failed[0].spec.seed}: {failed[0].error}")
    ids = [d.run_id for d in done]
    summaries = store.runs(run_ids=ids).set_index("run_id")
    rows = []
    for (design, p), design_id, baseline_id in zip(pairs, ids[::2], ids[1::2], strict=True):
        rows.append({"design": design.name, "seed": p.design.seed, "design_run": design_id,
                     "baseline_run": baseline_id, "baseline_series": p.baseline.series_key,
                     **readings(summaries.loc[design_id], summaries.loc[baseline_id], weeks)})
    by_seed = pd.DataFrame(rows)
    na = {design.name: not_applicable_in_all(design.params.flat(),
                                             [summaries.loc[i].to_dict() for i in by_seed.design_run[
                                                 by_seed.design == design.name]])
          for design in chosen}
    for design, keys in na.items():
        by_seed.loc[by_seed.design == design, [k for k in ALSO if k in keys]] = math.nan
    by_seed = pd.concat([_baseline_rows(by_seed, summaries), by_seed], ignore_index=True)
    names = list(dict.fromkeys(by_seed.design))
    return FundingComparison([n for n in names if not n.startswith(BASELINE)], seeds, weeks,
                             by_seed.drop(columns="baseline_series"), _table(by_seed, names), na)


def readings(design: pd.Series, baseline: pd.Series, weeks: int) -> dict[str, float]:
    """One seed's readings of a design against business as usual (summary rows of the two runs)."""
    years = weeks / 52.0
    extra_gain = design.flourishing_gain_smd - baseline.flourishing_gain_smd
    extra_cost = (design.public_service_use_per_smd_citizen_year
                  - baseline.public_service_use_per_smd_citizen_year) * years
    return {
        "flourishing_gain_smd": float(design.flourishing_gain_smd),
        "flourishing_gain_smd_vs_bau": float(extra_gain),
        "cost_per_citizen_year": float(design.cost_per_citizen_year),
        "cost_per_smd_flourishing_point": float(extra_cost / extra_gain) if extra_gain > 0 else math.nan,
        "crisis_cost_avoided_per_smd_citizen_year": float(baseline.crisis_cost_per_smd_citizen_year
                                                          - design.crisis_cost_per_smd_citizen_year),
        **{key: float(design[key]) for key in ALSO},
    }


def _baseline_rows(by_seed: pd.DataFrame, summaries: pd.DataFrame) -> pd.DataFrame:
    """Business as usual's own readings, once per seed (readings against itself are left blank). Designs on
    one world share it; designs on different worlds each have their own, named after them."""
    worlds = by_seed.groupby("baseline_series", sort=False).design.unique()
    rows = []
    for series, designs in worlds.items():
        name = BASELINE if len(worlds) == 1 else f"{BASELINE} for {', '.join(designs)}"
        for r in by_seed[by_seed.baseline_series == series].drop_duplicates("seed").itertuples():
            own = summaries.loc[r.baseline_run]
            values = {k: math.nan for k, (_, _, paired) in MEASURES.items() if paired}
            values.update({"flourishing_gain_smd": float(own.flourishing_gain_smd),
                           "cost_per_citizen_year": float(own.cost_per_citizen_year),
                           **{key: float(own[key]) for key in ALSO}})
            rows.append({"design": name, "seed": r.seed, "design_run": r.baseline_run,
                         "baseline_run": r.baseline_run, "baseline_series": series, **values})
    return pd.DataFrame(rows)


def across_seeds(values: pd.Series) -> Spread:
    """The median and 10th-90th percentiles over the seeds where a reading is defined; none (NaN) where it is
    undefined on more than half of them: the middle of the defined few is not the middle of the seeds."""
    if values.isna().sum() * 2 > len(values):
        return Spread(math.nan, math.nan, math.nan)
    return spread(values)


def _table(by_seed: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """One row per design: the median and 10th-90th percentiles of every reading across seeds, and on how many
    seeds the cost per extra point is undefined."""
    rows = []
    for name in names:
        mine = by_seed[by_seed.design == name]
        row = {"design": name, "seeds": len(mine)}
        for key in (*MEASURES, *ALSO):
            middle, low, high = across_seeds(mine[key])
            row.update({key: middle, f"{key}_p{LOW}": low, f"{key}_p{HIGH}": high})
        row["cost_per_smd_flourishing_point_undefined_seeds"] = int(mine.cost_per_smd_flourishing_point.isna().sum())
        rows.append(row)
    return pd.DataFrame(rows)


def cell(comparison: FundingComparison, design: str, measure: str) -> str:
    """One reading for people: 'median (10th to 90th percentile)', money in £ to 3 significant figures, and
    on how many seeds it is undefined (no extra SMD flourishing to divide by)."""
    row = comparison.table.set_index("design").loc[design]
    values = [row[measure], row[f"{measure}_p{LOW}"], row[f"{measure}_p{HIGH}"]]
    missing = comparison.undefined(design, measure)
    if all(math.isnan(v) for v in values):
        return f"undefined on {missing} of {int(row.seeds)} seeds" if missing else "n/a"
    _, unit, paired = MEASURES.get(measure, (measure, "", False))
    if unit.startswith("£"):
        text = pounds_interval(*values)
    else:
        sign = "+" if paired else ""
        text = f"{values[0]:{sign}.3f} ({values[1]:{sign}.3f} to {values[2]:{sign}.3f})"
    return text + (f"; undefined on {missing} of {int(row.seeds)} seeds" if missing else "")
