"""What works: the evidence base as first known, the truth that drifts away from it, and the pathway table."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NO_DOMAIN = -1   # an option with no main domain (listening and advocacy)


@dataclass
class Evidence:
    """Average effects of each support option on each domain (K, D), known and true, and the menu."""

    known: np.ndarray           # (K, D) the evidence base at the start (fixed)
    true_average: np.ndarray    # (K, D) what each option really does on average now (drifts with dynamism)
    option_primary: np.ndarray  # (K,) each option's main domain, NO_DOMAIN for none
    pathway_table: np.ndarray   # (D,) presenting domain -> standard option (re-chosen by central evaluation)
