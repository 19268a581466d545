"""Files written whole or not at all: a reader never sees half a file, and a crash leaves the old one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path


def replace_files(paths: Sequence[Path], writers: Sequence[Callable[[Path], object]]) -> list[Path]:
    """Write each file to a temporary name beside it, then move all of them into place."""
    temporary = [p.with_name(p.name + ".tmp") for p in paths]
    for write, tmp in zip(writers, temporary, strict=True):
        write(tmp)
    for tmp, path in zip(temporary, paths, strict=True):
        tmp.replace(path)
    return list(paths)
