"""What-if on the live page: a scenario as its file says (A) against the same scenario with a few dials
changed (B), on a few seeds, small enough to wait for.

A shipped scenario is picked by name; an uploaded file is checked exactly as ``hlssim validate``
checks it, and a bad one is refused with the same one-line message. Runs are made now, not stored.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..experiments.runner import RunSpec, run_all
from ..params import ParameterError
from ..params import scenarios as scen
from ..reports.runs import Comparison, Group
from .live import DIALS, Dial
from .sizes import SIZES

# Here the governance dial moves the scenario's own governance practice, whatever its regime.
WHAT_IF_DIALS = (*(d for d in DIALS if not d.npm_only),
                 Dial("practices.governance",
                      "governance practice: 0 targets and compliance, 1 governing for learning"))


class UploadError(ValueError):
    """An uploaded scenario file that cannot be used; the message is the one ``hlssim validate`` prints."""


def read_upload(name: str, data: bytes) -> scen.Scenario:
    """A scenario file sent from the browser, checked like ``hlssim validate``.

    The message names the file as the user knows it, not the temporary copy."""
    filename = Path(name).name or "scenario.yaml"
    with tempfile.TemporaryDirectory(prefix="hlssim-upload-") as folder:
        path = Path(folder).resolve() / filename
        path.write_bytes(data)
        try:
            return scen.load(path)
        except ParameterError as err:
            text = str(err).replace(f"{path.parent}/", "").replace(str(path.parent), "the uploaded file's folder")
            raise UploadError(text) from None


def dial_values(scenario: scen.Scenario) -> dict[str, float]:
    """Where the dials stand in a scenario (its own values, not the defaults)."""
    flat = scenario.params.flat()
    return {d.key: float(flat[d.key]) for d in WHAT_IF_DIALS}


@dataclass
class WhatIf:
    scenario: scen.Scenario
    changes: dict[str, float]       # the dials moved away from the scenario's own values
    seeds: int = 3
    weeks: int = SIZES.whatif_weeks

    def specs(self) -> tuple[list[RunSpec], list[RunSpec]]:
        small = {"population.citizens": min(SIZES.citizens, self.scenario.params.population.citizens)}
        a = self.scenario.with_changes(overrides=small, source="the page")
        b = self.scenario.with_changes(overrides={**small, **self.changes}, source="the page")
        b.name = f"{self.scenario.name}+dials"
        seeds = range(1, min(self.seeds, SIZES.whatif_max_seeds) + 1)
        return ([RunSpec.from_scenario(a, seed, self.weeks) for seed in seeds],
                [RunSpec.from_scenario(b, seed, self.weeks) for seed in seeds])

    def run(self, jobs: int | None = None) -> Comparison:
        """Run A and B on the same seeds and pair them."""
        specs_a, specs_b = self.specs()
        outcomes = run_all([*specs_a, *specs_b], jobs)
        n = len(specs_a)
        a = Group.from_outcomes(self.scenario.name, specs_a, outcomes[:n])
        b = Group.from_outcomes(f"{self.scenario.name} + your dials", specs_b, outcomes[n:])
        return Comparison.of(a, b)
