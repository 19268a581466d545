"""Files people write besides scenarios (sweeps, calibrations, design searches): found by a path or by the name
of a shipped one, with one message when neither.

Kept out of ``scenarios`` on purpose: that module is among those a simulation imports, whose text is hashed into
the code version stored with every run (``experiments/provenance.code_version``); finding files is not."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..util.text import did_you_mean
from .scenarios import SUFFIXES, ScenarioError


def shipped_yaml(folder: Path) -> dict[str, Path]:
    """The YAML files in a folder of shipped files, by name."""
    return {p.stem: p for p in sorted(folder.glob("*.y*ml"))} if folder.is_dir() else {}


def find_file(ref: str | os.PathLike, shipped_files: dict[str, Path], what: str) -> Path:
    """A file from a path, or from a shipped file's name; ``what`` names the kind in the message when it is
    neither."""
    path = Path(ref).expanduser()
    if path.exists() or path.suffix in SUFFIXES or "/" in str(ref):
        return path.resolve()
    if str(ref) in shipped_files:
        return shipped_files[str(ref)].resolve()
    names = list(shipped_files)
    raise ScenarioError("file", f"no such file, and no shipped {what} {str(ref)!r}{did_you_mean(str(ref), names)}; "
                        f"shipped: {', '.join(names) or 'none'}", str(ref))


def check_keys(data: dict[str, Any], allowed: tuple[str, ...], required: tuple[str, ...], where: str,
               what: str) -> None:
    """The top-level keys of a file of ``what`` (``a sweep file``): an unknown one (with "did you mean") or a
    missing one raises ScenarioError naming the file, the key and what is allowed."""
    unknown = [k for k in data if k not in allowed]
    if unknown:
        key = str(unknown[0])
        raise ScenarioError(key, f"unknown key{did_you_mean(key, allowed)}; allowed: {', '.join(allowed)}", where)
    missing = [k for k in required if k not in data]
    if missing:
        raise ScenarioError(missing[0], f"missing; {what} needs {', '.join(required)}", where)
