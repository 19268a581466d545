"""How many workers, teams and provider organisations a place has: arithmetic on the parameters.

The builders (``mechanisms.population``, ``mechanisms.market``) make exactly these many, and rules that
depend on the market's shape (whether re-commissioning can move budget; whether a market exists at all)
read the same numbers here, so the two never disagree.
"""

from __future__ import annotations

from .groups import Params


def workforce_size(p: Params) -> int:
    """Front-line workers: ``workforce.workers_per_1000`` per 1,000 citizens, at least one."""
    return max(1, round(p.population.citizens * p.workforce.workers_per_1000 / 1000))


def team_count(p: Params) -> int:
    """Teams of ``workforce.team_size`` (the last may be smaller)."""
    return -(-workforce_size(p) // p.workforce.team_size)


def provider_count(p: Params) -> int:
    """Provider organisations: ``market.providers``, but never more than there are teams to hold."""
    return min(p.market.providers, team_count(p))
