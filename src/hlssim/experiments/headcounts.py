"""National headcounts from the seed report, for scaling a simulated per-person difference up
(``hlssim scale-up``), and the seed's own per-person figure, shown as a reference and never used."""

from __future__ import annotations

POPULATION_PRESETS = {
    "england-smd": 363_000,          # severe and multiple disadvantage, England (seed)
    "england-severe": 586_000,       # severe disadvantage, England (seed)
    "scotland-severe": 128_000,      # severe disadvantage, Scotland (seed)
    "scotland-two-of-three": 28_000,  # two of homelessness, substance misuse, offending (seed)
}
SEED_CLAIM_PER_PERSON = 50_000       # the seed's own figure: a reference line, never an input
