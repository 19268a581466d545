"""Where a result came from: hlssim's version, the code that computed it, the git commit, the environment."""

from __future__ import annotations

import functools
import hashlib
import platform
import subprocess
import sys
from typing import Any

from ..util.imports import PACKAGE_ROOT, closure, import_graph, module_files
from ..util.version import __version__

SIMULATION = "hlssim.experiments.simulate"


@functools.cache
def code_version() -> str:
    """hlssim's version plus a hash of the modules a simulation imports: the code that computes results.

    Presenting results (the CLI, the store, reports) does not change it; any change to a
    module a run executes does, so stored runs are never reused across such a change."""
    files = module_files()
    digest = hashlib.sha256()
    for name in sorted(closure(SIMULATION, import_graph())):
        digest.update(name.encode())
        digest.update(files[name].read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


@functools.cache
def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PACKAGE_ROOT,
                             capture_output=True, text=True, timeout=5)
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def environment() -> dict[str, Any]:
    """Versions of Python, the platform and the libraries that compute results."""
    import mesa
    import numpy
    import pandas
    return {"python": sys.version.split()[0], "platform": platform.platform(), "numpy": numpy.__version__,
            "pandas": pandas.__version__, "mesa": getattr(mesa, "__version__", None)}


def run_provenance(regime: str | None, seed: int, weeks: int, overrides: dict | None) -> dict[str, Any]:
    """What one run was: the version and commit, the regime preset, seed, weeks and overrides."""
    return {"hlssim_version": __version__, "git_commit": git_commit(), "regime": regime,
            "seed": seed, "weeks": weeks, "overrides": dict(overrides or {})}
