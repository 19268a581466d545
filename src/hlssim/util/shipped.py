"""Where the files shipped with hlssim are (scenarios, sweeps), however hlssim was installed.

People edit them in the repository's top-level ``scenarios/`` and ``sweeps/`` folders; a wheel
installs them as package data, ``hlssim/scenarios`` and ``hlssim/sweeps`` (pyproject.toml maps the
folders into the package). An editable install and a source checkout read the repository's folders.
"""

from __future__ import annotations

import importlib.resources
import os
from pathlib import Path


def shipped_folder(name: str, env: str) -> Path:
    """The folder of shipped files called ``name``: ``$env`` if set; else the installed package's copy;
    else the repository's top-level folder. The same from any working directory."""
    override = os.environ.get(env)
    if override:
        return Path(override)
    installed = importlib.resources.files(__package__.partition(".")[0]) / name
    if isinstance(installed, Path) and installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[3] / name
