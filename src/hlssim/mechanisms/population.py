"""Who the citizens and workers are, and what the evidence base says (docs/ODD.md, section 5).

Everything here is drawn from the ``population``, ``arrivals``, ``workforce`` and ``practice``
streams only, so every regime starts from, and receives, the same people (common random numbers).
"""

from __future__ import annotations

import numpy as np

from ..params import DOMAINS, SUPPORT_OPTIONS, Params
from ..params.sizes import workforce_size
from ..state import NO_DOMAIN, NO_WORKER, Citizens, Evidence, Newcomers, Teams, Workers
from ..state.books import tally
from .contract import writes

# What this module books in the ledger, and which of it readers see week by week (state/books.py).
BOOKS = (
    tally("moved_away_in_case", "citizens", "residents who moved away with a case open"),
)

# What each option mainly and secondarily helps (listening and advocacy helps every domain a little).
OPTION_DOMAINS = {
    "housing_support": ("housing", "safety"),
    "health_referral": ("health", "purpose"),
    "employment_support": ("income_work", "purpose"),
    "peer_and_family": ("relationships", "health"),
    "safety_planning": ("safety", "relationships"),
    "purposeful_activity": ("purpose", "relationships"),
    "debt_and_benefits": ("income_work", "housing"),
}


def average_effects(p: Params) -> np.ndarray:
    """The evidence base: average weekly effect of each support option on each domain (K, D)."""
    d = {name: i for i, name in enumerate(DOMAINS)}
    e = np.zeros((len(SUPPORT_OPTIONS), len(DOMAINS)))
    for k, name in enumerate(SUPPORT_OPTIONS):
        if name in OPTION_DOMAINS:
            main, second = OPTION_DOMAINS[name]
            e[k, d[main]] = p.evidence.primary_effect
            e[k, d[second]] = p.evidence.secondary_effect
        else:
            e[k, :] = p.evidence.secondary_effect
    return e


def make_evidence(p: Params) -> Evidence:
    """The evidence base; the truth starts equal to it; the pathway table picks the best average option."""
    known = average_effects(p)
    option_primary = known.argmax(axis=1)
    option_primary[SUPPORT_OPTIONS.index("listening_and_advocacy")] = NO_DOMAIN
    return Evidence(known=known, true_average=known.copy(), option_primary=option_primary,
                    pathway_table=known.argmax(axis=0))


def make_citizens(p: Params, rng: np.random.Generator) -> Citizens:
    citizens = Citizens(**newcomers(p, rng, p.population.citizens))
    citizens.trust[:] = p.trust.initial
    return citizens


def newcomers(p: Params, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """What n people's rows hold when they arrive: their lives, and the circumstances these start from."""
    lives = draw_lives(p, rng, n)
    circumstances, structural = circumstances_at_start(p, lives["wellbeing"])
    return {**lives, **starting_point(p, lives), "circumstances": circumstances, "structural": structural,
            "agency_start": lives["agency"].copy()}


def circumstances_at_start(p: Params, wellbeing: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Circumstances and structural positions that go with a starting wellbeing (n, D).

    In the world's steady state the weekly pull of wellbeing toward circumstances balances the
    expected loss to life events and crises, and the pull of circumstances toward the structural
    position balances the lasting part of life events: so without any service each domain's
    expected level stays where it starts. On top, part of a low domain's shortfall is a passing
    setback: the structural position lies that much higher, and the person recovers toward it
    (natural recovery, regression to the mean)."""
    w, cr, low = p.world, p.crisis, p.crisis.low_threshold
    circumstances, structural = wellbeing.copy(), wellbeing.copy()
    if p.population.equilibrium_start:
        events = w.dynamism * w.life_event_rate * w.life_event_severity / wellbeing.shape[1]
        deficit = np.clip((low - wellbeing) / low, 0.0, 1.0)
        crises = cr.base_rate * deficit * np.sqrt(deficit) * cr.harm if cr.enabled else 0.0
        if w.recovery_rate > 0:
            circumstances = wellbeing + (events + crises) / w.recovery_rate
        structural = circumstances + (w.event_persistence * events / w.structural_pull if w.structural_pull > 0 else 0.0)
    setback = np.where(wellbeing < low, p.population.setback_share * (low - wellbeing), 0.0)
    return np.clip(circumstances, 0.0, 1.0), np.clip(structural + setback, 0.0, 1.0)


def starting_point(p: Params, lives: dict) -> dict:
    return {
        "flourishing_start": np.einsum("nd,nd->n", lives["weights"], lives["wellbeing"]),
        "smd_start": (lives["wellbeing"] < p.crisis.low_threshold).sum(axis=1) >= 3,
    }


@writes("citizens.*", "newcomers")
def arrive(c: Citizens, idx: np.ndarray, p: Params, rng: np.random.Generator, pool: Newcomers) -> None:
    """New residents take the places (rows ``idx``) of those who moved away, drawn like the first population.

    Writes every citizen array in those rows."""
    for name, values in pool.take(idx.size, lambda n: newcomers(p, rng, n)).items():   # drawn a batch at a time
        getattr(c, name)[idx] = values
    c.worker[idx] = NO_WORKER
    c.waiting_since[idx] = -1
    c.last_exit[idx] = -np.inf
    c.trust[idx] = p.trust.initial
    c.perceived_weights[idx] = 1.0 / c.weights.shape[1]
    c.residual[idx] = 0.0
    c.in_crisis[idx] = False


def draw_lives(p: Params, rng: np.random.Generator, n: int) -> dict:
    """Wellbeing, what matters, interdependence, what works and agency for n people."""
    n_dom, n_opt = len(DOMAINS), len(SUPPORT_OPTIONS)
    u = p.world.uniqueness
    low = p.crisis.low_threshold
    pop = p.population

    # Complexity tiers: SMD = 3+ low domains, complex = 1-2, stable = none.
    tier_draw = rng.random(n)
    smd = tier_draw < pop.smd_share
    complex_ = (~smd) & (tier_draw < pop.smd_share + pop.complex_share)
    n_low = np.zeros(n, dtype=np.int64)
    n_low[smd] = rng.integers(3, n_dom + 1, size=smd.sum())
    n_low[complex_] = rng.integers(1, 3, size=complex_.sum())
    # Which domains are low: a random order per citizen (each a uniformly random permutation), the
    # first n_low of it; low domains start in [floor, threshold - floor], others above threshold + 2 floor.
    is_low = np.argsort(rng.random((n, n_dom)), axis=1) < n_low[:, None]
    level = rng.random((n, n_dom))
    wellbeing = np.where(is_low, pop.start_floor + level * (low - 2 * pop.start_floor),
                         low + 2 * pop.start_floor + level * (pop.start_ceiling - low - 2 * pop.start_floor))

    # What matters: the same for everyone at uniqueness 0, one's own at uniqueness 1
    # (normalised exponentials are Dirichlet(1, ..., 1)).
    raw = rng.standard_exponential((n, n_dom))
    weights = (1 - u) / n_dom + u * raw / raw.sum(axis=1, keepdims=True)

    # Interdependence: who-affects-what varies between people as uniqueness rises. The two largest
    # arrays (spill, what works for each person) are float32: ample precision, half the memory.
    # spill = mean / (D - 1) x (1 + u x U(-1, 1)), computed in place (a million citizens' spill is 144 MB).
    spill = rng.random((n, n_dom, n_dom), dtype=np.float32)
    mean = p.world.spill_mean / (n_dom - 1)
    spill *= np.float32(2 * u * mean)
    spill += np.float32((1 - u) * mean)
    spill[:, np.arange(n_dom), np.arange(n_dom)] = 0.0

    personal_effect = rng.standard_normal((n, n_opt, n_dom), dtype=np.float32)
    personal_effect *= np.float32(u * p.world.personal_effect_sd)

    agency = np.clip(rng.beta(4, 4, size=n) + (pop.agency_mean - 0.5) - pop.smd_agency_penalty * smd, 0.02, 1.0)
    return {"wellbeing": wellbeing, "weights": weights, "spill": spill,
            "personal_effect": personal_effect, "agency": agency}


def hire(p: Params, rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Motivation, honesty and stress sensitivity of new workers (also used to replace leavers)."""
    w = p.workforce
    motivation = np.clip(rng.normal(w.motivation_mean, w.motivation_sd, size=count), 0.05, 1.0)
    honesty = rng.exponential(p.incentives.honesty_mean, size=count)
    sensitivity = rng.lognormal(0.0, w.stress_sensitivity_sd, size=count)
    return motivation, honesty, sensitivity


def practice_traits(rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
    """A new worker's skill (a standard normal score) and the support option they favour when money is loose."""
    return rng.standard_normal(count), rng.integers(0, len(SUPPORT_OPTIONS), size=count)


def make_workers(p: Params, rng: np.random.Generator, practice_rng: np.random.Generator) -> Workers:
    m = workforce_size(p)
    motivation, honesty, sensitivity = hire(p, rng, m)
    skill, favourite = practice_traits(practice_rng, m)
    return Workers(
        sensitivity=sensitivity,
        team=np.arange(m) // p.workforce.team_size,
        motivation=motivation,
        motivation_start=motivation.copy(),
        honesty=honesty,
        stress=np.full(m, p.workforce.initial_stress),
        hired_week=np.zeros(m, dtype=np.int64),
        skill=skill,
        favourite=favourite,
    )


def make_teams(p: Params, n_workers: int, evidence: np.ndarray) -> Teams:
    t = -(-n_workers // p.workforce.team_size)
    return Teams(
        knowledge=np.repeat(evidence[None], t, axis=0),
        provider=np.arange(t) % min(p.market.providers, t),   # as params.sizes.provider_count
        target=np.full(t, p.targets.initial_rate),
        exploration=np.full(t, p.learning.exploration),
    )
