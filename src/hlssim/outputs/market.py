"""What the market looks like to a funder: how concentrated budgets are, and how much sits with gamers."""

from __future__ import annotations

import numpy as np

from ..state import Providers

GAMING_THRESHOLD = 0.5   # a provider most of whose claimed successes did not happen counts as gaming


def concentration(shares: np.ndarray) -> float:
    """Herfindahl index of budget shares: 1 = one provider holds everything."""
    return float((shares**2).sum())


def gaming_share(providers: Providers) -> float:
    """Budget share held by providers most of whose claimed successes in the last completed
    re-commissioning period were untrue: the record says a life improved and it did not."""
    return float(providers.budget_share[providers.untrue_share > GAMING_THRESHOLD].sum())
