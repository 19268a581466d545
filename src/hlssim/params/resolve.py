"""From what a user says to validated parameters: dotted keys, regime presets, bounds, messages.

Every way of setting a parameter (``--set``, ``simulate(overrides=...)``, scenario files,
sweeps, sensitivity ranges) goes through :func:`resolve`, so every key is checked the same
way and every error names the key and what is allowed.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from pydantic.fields import FieldInfo

from ..util.text import did_you_mean
from .errors import ParameterError
from .groups import PRACTICES, Params

REGIMES = {
    "npm": {f"practices.{p}": 0.0 for p in PRACTICES},
    "hls": {f"practices.{p}": 1.0 for p in PRACTICES},
}
_BOUND_SYMBOLS = (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<"))


def known_keys() -> list[str]:
    return list(Params().flat())


def field_info(key: str) -> FieldInfo | None:
    """The pydantic field behind a dotted key, or None if there is no such parameter."""
    group, _, name = key.partition(".")
    group_field = Params.model_fields.get(group)
    return group_field.annotation.model_fields.get(name) if group_field else None


def bounds(info: FieldInfo) -> dict[str, Any]:
    """A field's declared bounds, e.g. ``{"ge": 0.0, "le": 1.0}``."""
    out: dict[str, Any] = {}
    for meta in info.metadata:
        for attr, _ in _BOUND_SYMBOLS:
            value = getattr(meta, attr, None)
            if value is not None:
                out[attr] = value
    return out


def plausible(key: str) -> tuple[float, float] | None:
    """A parameter's plausible range (the values the world could take, inside its hard bounds), or None for a
    structural parameter (a switch, a choice, a practice, the population's size) or an unknown key."""
    info = field_info(key)
    extra = (info.json_schema_extra or {}) if info is not None else {}
    found = extra.get("plausible") if isinstance(extra, dict) else None
    return (found[0], found[1]) if found else None


def plausible_source(key: str) -> str | None:
    """Where a parameter's plausible range comes from: a published source or the word assumption."""
    info = field_info(key)
    extra = (info.json_schema_extra or {}) if info is not None else {}
    return extra.get("plausible_source") if isinstance(extra, dict) else None


def is_whole_number(key: str) -> bool:
    """Whether a dotted key is a whole-number parameter (False for unknown keys, left to resolve() to name)."""
    info = field_info(key)
    return info is not None and info.annotation is int


def describe(key: str) -> str:
    """What a parameter allows, for error messages: type, bounds and description."""
    info = field_info(key)
    if info is None:
        return ""
    allowed = info.annotation.__name__ if hasattr(info.annotation, "__name__") else str(info.annotation)
    limits = bounds(info)
    shown = [f"{sym} {limits[attr]}" for attr, sym in _BOUND_SYMBOLS if attr in limits]
    if shown:
        allowed += " " + " and ".join(shown)
    if info.description:
        allowed += f" ({info.description})"
    return allowed


def regime_preset(regime: str | None, source: str | None = None, hint: str = "") -> dict[str, float]:
    """The six practices a named regime sets (none for None); an unknown name names what is allowed."""
    if regime is None:
        return {}
    if regime not in REGIMES:
        raise ParameterError("regime", f"unknown regime {regime!r}; allowed: {', '.join(REGIMES)}{hint}", source)
    return dict(REGIMES[regime])


def resolve(regime: str | None = "npm", overrides: dict[str, Any] | None = None, source: str | None = None) -> Params:
    """Build validated parameters: defaults, then the regime preset, then overrides (dotted keys)."""
    merged: dict[str, Any] = regime_preset(regime, source)
    merged.update(overrides or {})
    nested: dict[str, dict[str, Any]] = {}
    groups = Params.model_fields
    for key, value in merged.items():
        parts = key.split(".")
        if len(parts) != 2 or parts[0] not in groups:
            raise ParameterError(key, f"unknown key{did_you_mean(key, known_keys())}; keys look like "
                                 "'world.uniqueness'", source)
        if field_info(key) is None:
            raise ParameterError(key, f"unknown key{did_you_mean(key, known_keys())}", source)
        nested.setdefault(parts[0], {})[parts[1]] = value
    try:
        return Params.model_validate(nested)
    except ValidationError as err:
        first = err.errors()[0]
        key = ".".join(str(p) for p in first["loc"][:2])
        raise ParameterError(key, f"{first['msg']}; got {merged.get(key)!r}; allowed: {describe(key)}",
                             source) from None


def parse_value(text: str) -> Any:
    """Turn a CLI string into a bool, number or string; pydantic checks the type."""
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text
