"""Small sweep files for tests: a few hundred citizens for a few weeks, written where a test wants them."""

from __future__ import annotations

import copy
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

TINY = {
    "name": "tiny",
    "description": "A tiny sweep for tests.",
    "fixed": {"population.citizens": 200},
    "levers": ["npm", "hls"],
    "uncertainties": {"world.uniqueness": [0.4, 1.0], "caseload.npm_cap": [20, 40]},
    "design": "lhs",
    "points": 4,
    "seeds": 2,
    "weeks": 20,
    "outcomes": ["flourishing_gain_per_1000_gbp", "data_integrity", "cost_per_flourishing_gain"],
}


def write_sweep(folder: Path, name: str = "tiny.yaml", **changes) -> Path:
    """TINY with top-level keys replaced (a value of None removes the key), as a YAML file in ``folder``."""
    data = copy.deepcopy(TINY)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def hlssim_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.Popen:
    """``hlssim ARGS`` in its own process group, so a test can kill it and every process it started."""
    return subprocess.Popen([sys.executable, "-m", "hlssim.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=cwd, env={**os.environ, **(env or {})},
                            start_new_session=True)


def kill_group(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=120)


def wait_for(condition, seconds: float, what: str, every: float = 0.05) -> None:
    """Poll ``condition`` until it holds; fail naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds}s waiting for {what}")
        time.sleep(every)
