"""The model's state, declared in one place: every array, book and record a run changes.

Mechanisms (``hlssim.mechanisms``) read and write these objects, and only these; the
outputs layer reads them. :class:`State` bundles them for one run.
"""

from __future__ import annotations

from dataclasses import dataclass

from .caselog import CaseLog
from .citizens import NO_WORKER, TIER_NAMES, Citizens, count_below, tier_of, tier_of_low, weighted_row
from .evidence import NO_DOMAIN, Evidence
from .funder import FunderState
from .ledger import Ledger
from .newcomers import Newcomers
from .providers import PERIOD_COUNTS, PROVIDER_BOOKS, STRATEGIES, Providers
from .staff import Teams, Workers, worker_provider
from .streams import STREAM_NAMES, Streams


@dataclass
class State:
    """Everything a run changes, week by week."""

    citizens: Citizens
    workers: Workers
    teams: Teams
    providers: Providers
    evidence: Evidence
    funder: FunderState
    ledger: Ledger
    case_log: CaseLog
    newcomers: Newcomers
    week: int = 0


__all__ = ["NO_DOMAIN", "NO_WORKER", "PERIOD_COUNTS", "PROVIDER_BOOKS", "STRATEGIES", "STREAM_NAMES", "TIER_NAMES", "CaseLog",
           "Citizens", "Evidence", "FunderState", "Ledger", "Newcomers", "Providers", "State", "Streams", "Teams", "Workers",
           "count_below", "tier_of", "tier_of_low", "weighted_row", "worker_provider"]
