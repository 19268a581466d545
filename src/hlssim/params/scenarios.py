"""Scenarios as files: what-if questions written in YAML, validated before anything runs.

A scenario file holds a few descriptive keys and any model parameters, in the same
nested groups as :class:`hlssim.params.Params`::

    name: complex-lives
    description: What changes when half the people who ask for help have complex lives?
    audience: commissioners
    extends: hls-devolved        # optional: a shipped scenario's name or a relative path
    regime: hls                  # optional: npm or hls, all six practices at once
    seeds: 10                    # optional: default number of seeds (1..N)
    weeks: 260                   # optional: default length of a run
    population:
      smd_share: 0.5
    practices:
      governance: npm            # a per-practice mix: 'npm', 'hls' or a number in [0, 1]

Anything not given takes the documented default (``docs/ODD.md``). A file that
``extends`` another starts from everything the other sets and overrides keys.
Every error names the file, the key path and what is allowed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..util.shipped import shipped_folder
from ..util.text import did_you_mean
from .errors import ParameterError
from .groups import PRACTICES, Params
from .resolve import regime_preset, resolve


@dataclass(frozen=True)
class Limits:
    """What a scenario file, and a command line, may ask for."""

    file_bytes: int = 1_000_000
    extends_depth: int = 20
    seeds: int = 10_000
    weeks: int = 52 * 100
    sweep_points: int = 100_000      # design points in one sweep file
    sweep_runs: int = 1_000_000      # runs one sweep file may make
    seed: int = 2**31 - 1            # the largest seed: the store keeps seeds as 32-bit integers
    headcount: int = 100_000_000     # the largest national headcount scale-up multiplies by


LIMITS = Limits()
DEFAULT_WEEKS = 260   # a run's length when neither the command nor the scenario gives one: five years
SUFFIXES = (".yaml", ".yml")

META_KEYS = ("name", "description", "audience", "extends", "regime", "seeds", "weeks")
GROUPS = tuple(Params.model_fields)
TOP_LEVEL_KEYS = META_KEYS + GROUPS


class ScenarioError(ParameterError):
    """A scenario file that cannot be used: names the file, the key path and what is allowed."""


def shipped_dir() -> Path:
    """Where the shipped scenarios live: ``$HLSSIM_SCENARIOS``, else the installed package's copy (package
    data), else the repository's ``scenarios/``; never the working directory."""
    return shipped_folder("scenarios", "HLSSIM_SCENARIOS")


def shipped() -> dict[str, Path]:
    """Shipped scenario names and their files, sorted by name."""
    folder = shipped_dir()
    if not folder.is_dir():
        return {}
    files = sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES and p.is_file())
    return {p.stem: p for p in files}


@dataclass
class Scenario:
    """A validated scenario: its descriptive keys, its parameter overrides and the resolved parameters."""

    name: str
    description: str = ""
    audience: str = ""
    regime: str | None = None
    seeds: int | None = None
    weeks: int | None = None
    overrides: dict[str, Any] = field(default_factory=dict)
    params: Params = field(default_factory=Params)
    path: Path | None = None
    chain: list[Path] = field(default_factory=list)

    @property
    def source(self) -> str:
        return str(self.path) if self.path else self.name

    def with_changes(self, regime: str | None = None, overrides: dict[str, Any] | None = None,
                     source: str = "--set") -> Scenario:
        """This scenario with a regime switched and dotted-key overrides applied (the CLI's flags)."""
        merged = dict(self.overrides)
        if regime is not None:
            merged.update(regime_preset(regime, source))
        merged.update(overrides or {})
        try:
            params = _resolve(merged, self.source)
        except ParameterError as err:
            if err.key not in (overrides or {}):
                raise
            prefix = f"{err.source}: {err.key}: " if err.source else f"{err.key}: "
            raise ParameterError(err.key, str(err).removeprefix(prefix), source) from None  # name the flag
        return Scenario(self.name, self.description, self.audience, regime_label(params), self.seeds, self.weeks,
                        merged, params, self.path, list(self.chain))


def default_scenario(regime: str | None = "npm") -> Scenario:
    """The default world under a regime, for runs without a scenario file."""
    base = Scenario(name="default", description="The default world: every parameter at its documented default.",
                    audience="everyone", regime="npm")
    return base.with_changes(regime=regime, source="--regime") if regime else base


# --------------------------------------------------------------------------- reading


class _UniqueKeyLoader(yaml.SafeLoader):
    """yaml.SafeLoader (no object construction) that refuses a key given twice in one mapping."""


def _mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    seen: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping", node.start_mark, "found a key that is not a plain value",
                key_node.start_mark) from None
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping", node.start_mark, f"found key {key!r} given twice",
                key_node.start_mark)
        seen[key] = loader.construct_object(value_node, deep=deep)
    return seen


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def read_yaml(path: Path) -> dict[str, Any]:
    """Read one scenario file safely: size, encoding, YAML syntax and a mapping at the top."""
    where = str(path)
    if not path.exists():
        raise ScenarioError("file", "no such file", where)
    if not path.is_file():
        raise ScenarioError("file", "not a file (a scenario is one YAML file)", where)
    size = path.stat().st_size
    if size > LIMITS.file_bytes:
        raise ScenarioError("file", f"file is {size:,} bytes; a scenario file may be at most {LIMITS.file_bytes:,} bytes", where)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ScenarioError("file", f"not a text file (not UTF-8 at byte {err.start}); "
                            "a scenario is a YAML text file", where) from None
    if "\x00" in text:
        raise ScenarioError("file", "not a text file (contains NUL bytes); a scenario is a YAML text file", where)
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.constructor.ConstructorError as err:
        mark = err.problem_mark or err.context_mark
        at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = err.problem or "cannot be read"
        if "could not determine a constructor" in problem:
            problem = (f"{problem.split('for the tag')[-1].strip()} is a YAML tag that builds objects; "
                       "scenario files may hold only plain values, lists and mappings")
        raise ScenarioError("file", f"not a valid scenario YAML{at}: {problem}", where) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise ScenarioError("file", f"not valid YAML{at}: {problem}", where) from None
    if data is None:
        raise ScenarioError("file", "the file is empty; a scenario needs at least a name and a description, "
                            "e.g. 'name: my-question'", where)
    if not isinstance(data, dict):
        raise ScenarioError("file", f"the top level must be a mapping of keys (name:, description:, world:, ...); "
                            f"got {_kind(data)}", where)
    return data


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"a number ({value!r})"
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "..."
        return f"a piece of text ({short!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _resolve(overrides: dict[str, Any], source: str) -> Params:
    """params.resolve, and for an unknown key in a known group, the keys that group allows."""
    try:
        return resolve(None, overrides, source=source)
    except ParameterError as err:
        group, _, field = err.key.partition(".")
        if field and group in GROUPS and "unknown key" in str(err) and "did you mean" not in str(err):
            allowed = ", ".join(Params.model_fields[group].annotation.model_fields)
            raise ParameterError(err.key, f"unknown key; allowed in {group}: {allowed}", source) from None
        raise


# --------------------------------------------------------------------------- checking


def _check_meta(data: dict[str, Any], where: str) -> dict[str, Any]:
    """The descriptive keys, checked for type and range."""
    meta: dict[str, Any] = {}
    for key in ("name", "description", "audience", "extends"):
        if key in data:
            value = data[key]
            if not isinstance(value, str) or not value.strip():
                raise ScenarioError(key, f"must be a non-empty piece of text; got {_kind(value)}", where)
            meta[key] = value.strip()
    if "name" in meta:
        name = meta["name"]
        if len(name) > 100 or any(ch in name for ch in "/\\\n"):
            raise ScenarioError("name", f"must be a short name without slashes (at most 100 characters); got {name!r}",
                                where)
    if "regime" in data:
        value = data["regime"]
        if not isinstance(value, str):
            raise ScenarioError("regime", f"must be npm or hls (or set a per-practice mix under 'practices:'); "
                                f"got {_kind(value)}", where)
        regime_preset(value, where, hint=" (or set a per-practice mix under 'practices:')")
        meta["regime"] = value
    for key, top in (("seeds", LIMITS.seeds), ("weeks", LIMITS.weeks)):
        if key in data:
            value = data[key]
            if isinstance(value, bool) or not isinstance(value, int):
                raise ScenarioError(key, f"must be a whole number from 1 to {top:,}; got {_kind(value)}", where)
            if not 1 <= value <= top:
                raise ScenarioError(key, f"must be a whole number from 1 to {top:,}; got {value}", where)
            meta[key] = value
    return meta


def _flatten(data: dict[str, Any], where: str) -> dict[str, Any]:
    """The file's model parameters as dotted keys; unknown top-level keys are refused here."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if not isinstance(key, str):
            raise ScenarioError(str(key), f"keys must be names; got {_kind(key)}", where)
        if not key.isprintable() or not key.strip():
            raise ScenarioError(repr(key), "keys must be names (letters, digits, '_' and '.')", where)
        if key in META_KEYS:
            continue
        if key in GROUPS:
            if value is None:
                continue
            if not isinstance(value, dict):
                fields = list(Params.model_fields[key].annotation.model_fields)
                raise ScenarioError(key, f"must be a mapping of parameters, e.g. '{key}: {{{fields[0]}: ...}}'; "
                                    f"got {_kind(value)}; allowed keys: {', '.join(fields)}", where)
            for sub, sub_value in value.items():
                if not isinstance(sub, str):
                    raise ScenarioError(f"{key}.{sub}", f"keys must be names; got {_kind(sub)}", where)
                if not sub.isprintable() or not sub.strip():
                    raise ScenarioError(f"{key}.{sub!r}", "keys must be names (letters, digits and '_')", where)
                flat[f"{key}.{sub}"] = sub_value
        elif "." in key and key.split(".", 1)[0] in GROUPS:
            flat[key] = value          # a dotted key, as on the command line
        else:
            raise ScenarioError(key, f"unknown key{did_you_mean(key, TOP_LEVEL_KEYS)}; allowed at the top level: "
                                f"{', '.join(META_KEYS)} and the parameter groups {', '.join(GROUPS)}", where)
    for key, value in flat.items():
        if isinstance(value, (dict, list)) and not key.endswith("measured_domains"):
            raise ScenarioError(key, f"must be a single value; got {_kind(value)}", where)
    return flat


def _file_overrides(meta: dict[str, Any], flat: dict[str, Any]) -> dict[str, Any]:
    """A file's own overrides: its regime expanded to the six practices, then its explicit keys."""
    own: dict[str, Any] = {}
    if meta.get("regime"):
        own.update(regime_preset(meta["regime"]))
    own.update(flat)
    return own


def find(ref: str | os.PathLike, relative_to: Path | None = None) -> Path:
    """A scenario file from a path, or from a shipped scenario's name."""
    text = str(ref)
    candidates: list[Path] = []
    as_path = Path(text)
    base = relative_to if relative_to is not None else Path.cwd()
    if as_path.suffix in SUFFIXES or os.sep in text or "/" in text:
        candidates.append(as_path if as_path.is_absolute() else base / as_path)
    else:
        if relative_to is not None:
            candidates += [relative_to / f"{text}{s}" for s in SUFFIXES]
        candidates += [shipped_dir() / f"{text}{s}" for s in SUFFIXES]
        candidates.append(base / text)
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    folder = next((c for c in candidates if c.is_dir()), None)
    if folder is not None:
        raise _folder(text, folder)
    raise FileNotFoundError(text)


def _folder(ref: str, folder: Path) -> ScenarioError:
    """A folder named where a scenario file was expected: say so, and what it holds."""
    try:
        inside = sorted(p.name for p in folder.iterdir() if p.suffix in SUFFIXES and p.is_file())
    except OSError:
        inside = []
    holds = (f"; it holds {', '.join(inside[:5])}{', ...' if len(inside) > 5 else ''}: name one of them, "
             f"e.g. {folder / inside[0]}" if inside else "")
    return ScenarioError("scenario", f"{ref!r} is a folder, not a scenario file; expected one YAML file "
                         f"(.yaml or .yml) or a shipped scenario's name{holds}", str(folder))


def _missing(ref: str, key: str, where: str, relative_to: Path | None) -> ScenarioError:
    names = list(shipped())
    if relative_to is not None and relative_to.is_dir():
        names += [p.stem for p in relative_to.iterdir() if p.suffix in SUFFIXES]
    hint = did_you_mean(Path(ref).stem, sorted(set(names)))
    known = f"; shipped scenarios: {', '.join(shipped())}" if shipped() else ""
    return ScenarioError(key, f"no scenario {ref!r}{hint} (a shipped scenario's name or a path to a .yaml file"
                         f"{', relative to ' + str(relative_to) if relative_to else ''}){known}", where)


def load(ref: str | os.PathLike) -> Scenario:
    """Read, check and resolve a scenario (a file path or a shipped name), following ``extends``."""
    try:
        path = find(ref)
    except FileNotFoundError:
        raise _missing(str(ref), "scenario", str(ref), None) from None
    return _load(path.resolve(), [])


def _load(path: Path, seen: list[Path]) -> Scenario:
    where = str(path)
    if path in seen:
        cycle = " -> ".join(p.name for p in [*seen, path])
        raise ScenarioError("extends", f"extends goes round in a circle: {cycle}", str(seen[-1]))
    if len(seen) >= LIMITS.extends_depth:
        raise ScenarioError("extends", f"more than {LIMITS.extends_depth} files deep", where)
    data = read_yaml(path)
    flat = _flatten(data, where)
    meta = _check_meta(data, where)
    own = _file_overrides(meta, flat)
    _resolve(own, where)      # the file's own keys, errors naming this file

    parent: Scenario | None = None
    if "extends" in meta:
        try:
            parent_path = find(meta["extends"], relative_to=path.parent).resolve()
        except FileNotFoundError:
            raise _missing(meta["extends"], "extends", where, path.parent) from None
        parent = _load(parent_path, [*seen, path])

    merged: dict[str, Any] = {}
    if parent is not None:
        merged.update(parent.overrides)
        if meta.get("regime"):   # a regime here replaces the parent's whole practice mix
            merged = {k: v for k, v in merged.items() if not k.startswith("practices.")}
    merged.update(own)
    params = _resolve(merged, where)

    def inherit(key: str, default: Any = None) -> Any:
        if key in meta:
            return meta[key]
        return getattr(parent, key) if parent is not None else default

    return Scenario(
        name=meta.get("name", path.stem),
        description=inherit("description", ""),
        audience=inherit("audience", ""),
        regime=regime_label(params),
        seeds=inherit("seeds"),
        weeks=inherit("weeks"),
        overrides=merged,
        params=params,
        path=path,
        chain=[path, *(parent.chain if parent else [])],
    )


def regime_label(params: Params) -> str:
    """npm, hls or 'mix', read off the six practices ('none' when there is no service)."""
    if not params.service.enabled:
        return "none"
    values = {getattr(params.practices, p) for p in PRACTICES}
    if values == {0.0}:
        return "npm"
    if values == {1.0}:
        return "hls"
    return "mix"

