"""Where hlssim writes what people read when no ``--out`` names a folder: under ``results/`` in the
folder it runs in. Kept apart from the modules that write there, so the command line can say so in
its help without loading them."""

from __future__ import annotations

from pathlib import Path

RESULTS = Path("results")
SWEEP_REPORTS = RESULTS / "sweeps"       # hlssim sweep-report: SWEEP_REPORTS / SWEEP_ID
FUNDERS = RESULTS / "funders"            # hlssim funders
DESIGNS = RESULTS / "designs"            # hlssim design: DESIGNS / NAME
