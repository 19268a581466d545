"""What a series is: its short id, where its runs depart from their scenario file, and what differs between two.

A series is the runs that differ only by seed (same scenario, parameters, weeks and code:
``RunSpec.series_key``). Its id is the first characters of that key: short, and stable, since the
key is a hash of what the runs are. Each run records where its parameters depart from its
scenario file (``runs.scenario_diff``: for every key that ``--set``, ``--regime``, or a sweep's
point and lever changed, the value the file gives). Runs stored before this was recorded (schema
0002) have none: their departures are read off the scenario file as it is now, if it can still
be read. A run without a file (the default world, an experiment's runs) is measured from the
defaults under its own practices: its regime is what it is, everything else it changes departs.

Two series may be compared when they differ only where their scenario files do: any other
difference (a parameter one side set on top of its file, the weeks, the code version) is
reported by :func:`differences`.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..params import PRACTICES, REGIMES, ParameterError, Params
from ..params import scenarios as scen
from ..util.jsonsafe import json_safe

_ABSENT = object()


def series_id(key: str, length: int = 10) -> str:
    """A series' short id: the first characters of its series key (``hlssim list`` shows it)."""
    return key[:length]


def file_of(provenance: Mapping[str, Any] | None) -> str | None:
    """The scenario file a run's departures are measured from: the first of its ``extends`` chain
    (for a sweep's runs, their base scenario's file), None for a run without one."""
    chain = (provenance or {}).get("extends_chain") or []
    return str(chain[0]) if chain else None


@functools.lru_cache(maxsize=64)
def _file_params(path: str, _mtime_ns: int, _size: int) -> dict[str, Any] | None:
    try:
        return json_safe(scen.load(path).params.flat())
    except (ParameterError, OSError):
        return None


@functools.lru_cache(maxsize=1)
def _defaults() -> dict[str, Any]:
    return json_safe(Params().flat())


def file_params(file: str | None, params: Mapping[str, Any]) -> dict[str, Any] | None:
    """The parameters the scenario file gives on its own (as it is now); None if it cannot be read."""
    if file is None:
        return {**_defaults(), **{k: v for k, v in json_safe(dict(params)).items() if k.startswith("practices.")}}
    try:
        stat = os.stat(file)
    except OSError:
        return None
    found = _file_params(file, stat.st_mtime_ns, stat.st_size)
    return dict(found) if found is not None else None


def departures(params: Mapping[str, Any], file: str | None) -> dict[str, Any] | None:
    """The keys where ``params`` differ from the scenario file, each with the file's value; None if unknown."""
    base = file_params(file, params)
    if base is None:
        return None
    mine = json_safe(dict(params))
    return {k: base.get(k) for k, v in mine.items() if base.get(k, _ABSENT) != v}


def drawn_from(provenance: Mapping[str, Any] | None) -> tuple[str | None, frozenset[str]]:
    """The posterior a run drew from (``NAME@HASH``, or None) and the keys it drew, read off its provenance."""
    found = (provenance or {}).get("posterior")
    if not found:
        return None, frozenset()
    return f"{found['name']}@{str(found['sha256'])[:12]}", frozenset(found.get("drawn") or {})


def spec_departures(params: Mapping[str, Any], file: str | None, drawn: Mapping[str, Any]) -> dict[str, Any] | None:
    """``departures`` less the keys a posterior drew (they were not set on top of the file, and change by seed)."""
    found = departures(params, file)
    return found if found is None or not drawn else {k: v for k, v in found.items() if k not in drawn}


def show(value: Any) -> str:
    """A parameter's value as on the command line: 300, 0.1, true, npm, [...]."""
    return value if isinstance(value, str) else json.dumps(json_safe(value))


@dataclass(frozen=True)
class Identity:
    """What a series is, read off one of its runs."""

    series_key: str
    scenario: str
    regime: str | None
    weeks: int
    code_version: str
    params: dict[str, Any]
    file: str | None
    departures: dict[str, Any] | None     # key -> the file's value; None when it cannot be known
    derived: bool = False                 # read off the file as it is now, not recorded with the runs
    posterior: str | None = None          # NAME@HASH of the posterior its runs drew from; None at the given point
    drawn: frozenset[str] = frozenset()   # the keys its runs drew (they differ seed by seed)

    @property
    def series_id(self) -> str:
        return series_id(self.series_key)

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> Identity:
        """From a ``runs`` row (series_key, scenario, regime, weeks, code_version, params, scenario_diff, provenance)."""
        params = dict(row["params"] or {})       # {} where the stored JSON cannot be read (a salvaged row)
        file = file_of(row["provenance"])
        recorded = row["scenario_diff"]
        if recorded is not None:
            found, derived = dict(recorded), False
        else:
            found = departures(params, file)
            derived = found is not None and file is not None
        posterior, drawn = drawn_from(row["provenance"])
        if found is not None and drawn:
            found = {k: v for k, v in found.items() if k not in drawn}
        return cls(row["series_key"], row["scenario"], row["regime"], int(row["weeks"]), row["code_version"],
                   params, file, found, derived, posterior, drawn)

    def overrides(self) -> dict[str, Any]:
        """The departures with this series' own values: what was set on top of the scenario file."""
        return {k: self.params.get(k) for k in self.departures or {}}

    def describe(self, width: int = 70) -> str:
        """The departures in a few words: ``none``, ``unknown``, or ``key=value, ...`` (all six practices
        set to one regime read ``regime=hls``)."""
        if self.departures is None:
            return "unknown (scenario file unreadable)"
        mine = self.overrides()
        practices = {f"practices.{p}" for p in PRACTICES}
        words = []
        if practices <= set(mine):
            regime = next((name for name, preset in REGIMES.items()
                           if all(mine[k] == preset.get(k) for k in practices)), None)
            if regime is not None:
                words.append(f"regime={regime}")
                mine = {k: v for k, v in mine.items() if k not in practices}
        words += [f"{k}={show(v)}" for k, v in mine.items()]
        if self.posterior:
            words.append(f"posterior={self.posterior}")
        text = ", ".join(words) or "none"
        note = " (read off the file now)" if self.derived else ""
        room = width - len(note)
        return (text if len(text) <= room else text[: room - 3] + "...") + note


def differences(a: Identity, b: Identity, shown: int = 12) -> list[str]:
    """Where series A and B differ other than where their scenario files do: one line each, ``key: a vs b``."""
    lines = []
    if a.posterior != b.posterior:
        lines.append(f"posterior: {a.posterior or 'none (the parameters as given)'} vs "
                     f"{b.posterior or 'none (the parameters as given)'}")
    for key in dict.fromkeys([*a.params, *b.params]):
        va, vb = a.params.get(key), b.params.get(key)
        if json_safe(va) == json_safe(vb) or (key in a.drawn and key in b.drawn):
            continue          # drawn keys differ seed by seed; the same posterior draws the same at each seed
        notes = [_note(label, side, key) for label, side in (("A", a), ("B", b))
                 if side.departures is None or key in side.departures]
        if notes:
            lines.append(f"{key}: {show(va)} vs {show(vb)} ({'; '.join(notes)})")
    if len(lines) > shown:
        lines = [*lines[:shown], f"... and {len(lines) - shown} more parameter(s)"]
    if a.weeks != b.weeks:
        lines.append(f"weeks: {a.weeks} vs {b.weeks}")
    if a.code_version != b.code_version:
        lines.append(f"code version: {a.code_version} vs {b.code_version} (the model's code changed between them)")
    return lines


def _note(label: str, side: Identity, key: str) -> str:
    if side.departures is None:
        return f"{label}'s scenario file cannot be read now, so its own keys are unknown"
    if side.file is None:
        return f"{label} set it on the default world, whose value is {show(side.departures[key])}"
    return f"{label} set it on top of {os.path.basename(side.file)}, which gives {show(side.departures[key])}"
