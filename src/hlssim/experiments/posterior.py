"""A posterior from a calibration, and the particle each seed draws from it: answers over plausible worlds.

A posterior is a CSV file with one row per particle: a ``weight`` column (summing to 1), an optional
``particle`` number, and one column per calibrated parameter (dotted keys). ``hlssim calibrate``
writes one (``results/calibration/NAME/posterior.csv``) and the package ships the default
calibration's (``calibration/default-posterior.csv``, beside its provenance).

Seed ``s`` draws one particle by weight, deterministically from ``s`` alone: every regime, scenario
and arm run on seed ``s`` gets the same draw, so common random numbers extend to the parameters.
What a run sets explicitly (a scenario file, ``--set``, a sweep's point or lever, an experiment's arm)
beats the draw, and the practices, which make a regime a regime, are never drawn.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..params import ParameterError, field_info, is_whole_number, resolve
from ..params.scenarios import ScenarioError
from ..util.shipped import shipped_folder
from ..util.text import did_you_mean

DRAW_TAG = 0x706F7374          # "post": the draw's own random stream, apart from the model's
META_COLUMNS = ("particle", "weight")
SUFFIX = "-posterior.csv"


def shipped_dir() -> Path:
    """Where the shipped calibration files and posteriors live (``$HLSSIM_CALIBRATION`` to point elsewhere)."""
    return shipped_folder("calibration", "HLSSIM_CALIBRATION")


def shipped() -> dict[str, Path]:
    """Shipped posteriors by name: ``default`` is ``calibration/default-posterior.csv``."""
    folder = shipped_dir()
    return {p.name.removesuffix(SUFFIX): p for p in sorted(folder.glob(f"*{SUFFIX}"))} if folder.is_dir() else {}


def never_drawn(key: str) -> bool:
    """The practices make a regime a regime: a posterior never sets them."""
    return key.startswith("practices.")


@dataclass(frozen=True)
class Posterior:
    """Weighted particles from a calibration, with the file's name, place and hash (for provenance)."""

    name: str
    path: Path
    sha256: str
    particles: pd.DataFrame          # one column per parameter key, one row per particle
    weights: np.ndarray              # summing to 1

    @property
    def label(self) -> str:
        """``NAME@HASH``: how runs and series name the posterior they drew from."""
        return f"{self.name}@{self.sha256[:12]}"

    @property
    def keys(self) -> list[str]:
        return list(self.particles.columns)

    def index(self, seed: int) -> int:
        """The particle seed ``seed`` draws, by weight; the same for every regime and scenario."""
        rng = np.random.default_rng([DRAW_TAG, int(seed)])
        return int(rng.choice(len(self.weights), p=self.weights))

    def draw(self, seed: int) -> dict[str, Any]:
        """The parameters of the particle seed ``seed`` draws (dotted keys)."""
        row = self.particles.iloc[self.index(seed)]
        return {k: (int(round(v)) if is_whole_number(k) else float(v)) for k, v in row.items()}

    def apply(self, seed: int, explicit: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """The overrides of a run on seed ``seed``: the draw under what ``explicit`` sets (which wins).
        Returns (overrides, the drawn values the run takes)."""
        taken = {k: v for k, v in self.draw(seed).items() if k not in explicit}
        return {**taken, **explicit}, taken

    def record(self, seed: int, taken: dict[str, Any]) -> dict[str, Any]:
        """What a run's provenance says of its draw: which posterior (by hash), which particle, what it took."""
        return {"name": self.name, "file": str(self.path), "sha256": self.sha256, "particle": self.index(seed),
                "particles": len(self.weights), "drawn": dict(taken)}

    def summary(self) -> pd.DataFrame:
        """Per parameter: the weighted mean, the weighted 10th, 50th and 90th percentiles."""
        rows = []
        for key in self.keys:
            values = self.particles[key].to_numpy(dtype=float)
            rows.append({"parameter": key, "mean": float(np.average(values, weights=self.weights)),
                         **{f"p{q}": weighted_quantile(values, self.weights, q / 100) for q in (10, 50, 90)}})
        return pd.DataFrame(rows)


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The q-quantile of weighted values (the smallest value whose cumulative weight reaches q)."""
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    return float(values[order][min(np.searchsorted(cumulative, q * cumulative[-1]), len(values) - 1)])


def find(ref: str | Path) -> tuple[str, Path]:
    """A posterior's name and file: a shipped name (``default``), a CSV file, or a calibration's folder."""
    text = str(ref)
    if text in shipped():
        return text, shipped()[text]
    path = Path(text).expanduser()
    if path.is_dir():
        path = path / "posterior.csv"
    if path.is_file():
        return (path.parent.name if path.name == "posterior.csv" else path.stem), path.resolve()
    names = list(shipped())
    raise ScenarioError("posterior", f"no such file, and no shipped posterior {text!r}{did_you_mean(text, names)}; "
                        f"allowed: a shipped name ({', '.join(names) or 'none'}), a posterior.csv or a calibration's "
                        "folder", text)


def load_posterior(ref: str | Path | Posterior) -> Posterior:
    """Read and check a posterior (exit 2 on a bad one: one line naming the file, the column and what is allowed)."""
    if isinstance(ref, Posterior):
        return ref
    name, path = find(ref)
    stat = path.stat()
    return _load(name, str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=16)
def _load(name: str, path: str, _mtime_ns: int, _size: int) -> Posterior:
    data = Path(path).read_bytes()
    where = path
    try:
        frame = pd.read_csv(io.BytesIO(data))
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise ScenarioError("file", f"not a CSV table of particles: {err}", where) from None
    if "weight" not in frame.columns:
        raise ScenarioError("weight", "missing; a posterior needs a weight column (one weight per particle, "
                            "summing to 1) and one column per parameter", where)
    keys = [c for c in frame.columns if c not in META_COLUMNS]
    if not keys or frame.empty:
        raise ScenarioError("file", "no particles or no parameter columns; one row per particle, a weight column "
                            "and one column per parameter (dotted keys)", where)
    for key in keys:
        info = field_info(key)
        if info is None:
            from ..params import known_keys
            raise ScenarioError(key, f"not a parameter{did_you_mean(key, known_keys())}; columns are particle, "
                                "weight and dotted parameter keys (docs/parameters.md)", where)
        if never_drawn(key):
            raise ScenarioError(key, "a practice makes a regime a regime and is never drawn from a posterior", where)
        if info.annotation not in (int, float):
            raise ScenarioError(key, "only number parameters can be drawn from a posterior", where)
        values = pd.to_numeric(frame[key], errors="coerce")
        if values.isna().any():
            raise ScenarioError(key, f"row {int(values.isna().idxmax()) + 2}: not a number", where)
    weights = pd.to_numeric(frame["weight"], errors="coerce").to_numpy(dtype=float)
    if not np.isfinite(weights).all() or (weights < 0).any() or weights.sum() <= 0:
        raise ScenarioError("weight", "every weight must be a number >= 0, and they must not all be 0", where)
    total = float(weights.sum())
    if not math.isclose(total, 1.0, rel_tol=1e-6):
        raise ScenarioError("weight", f"the weights sum to {total:.6g}; they must sum to 1", where)
    particles = frame[keys].astype(float).reset_index(drop=True)
    for i in range(len(particles)):          # every particle must be a run the model accepts
        try:
            resolve(None, {k: (int(round(v)) if is_whole_number(k) else float(v))
                           for k, v in particles.iloc[i].items()})
        except ParameterError as err:
            raise ScenarioError(err.key, f"row {i + 2}: {str(err).removeprefix(f'{err.key}: ')}", where) from None
    return Posterior(name, Path(path), hashlib.sha256(data).hexdigest(), particles, weights / total)
