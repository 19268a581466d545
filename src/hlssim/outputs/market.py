"""What the market looks like to a funder: how concentrated budgets are, and how much sits with gamers."""

from __future__ import annotations

import numpy as np

from ..state import Providers


def concentration(shares: np.ndarray) -> float:
    """Herfindahl index of budget shares: 1 = one provider holds everything."""
    return float((shares**2).sum())


def gaming_share(providers: Providers, threshold: float) -> float:
    """Budget share held by providers more than ``threshold`` of whose claimed successes in the last
    completed re-commissioning period were misreported (``measurement.gaming_threshold``): recorded as a
    success where the honest record said otherwise. Honest error (a proxy that flatters, a kind account)
    is not gaming; it shows in ``goodhart_gap``."""
    return float(providers.budget_share[providers.misreport_share > threshold].sum())
