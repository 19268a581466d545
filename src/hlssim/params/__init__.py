"""Parameters: every number a user may set, its range and unit, and how the six practices set the mechanisms.

The bottom of the model's layers (above ``hlssim.util``): everything else reads parameters,
nothing here reads state. Modules: ``groups`` (the pydantic groups, defaults and ranges),
``resolve`` (dotted keys, presets, bounds and messages), ``practices`` (what each of Figure 1's
six practices sets), ``scenarios`` (what-if questions as YAML files), ``table`` (the generated
docs/parameters.md).
"""

from .errors import ParameterError
from .groups import DOMAINS, N_DOMAINS, N_OPTIONS, PRACTICES, SUPPORT_OPTIONS, Params
from .resolve import (REGIMES, bounds, describe, field_info, is_whole_number, known_keys, parse_value, plausible,
                      plausible_source, regime_preset, resolve)

__all__ = ["DOMAINS", "N_DOMAINS", "N_OPTIONS", "PRACTICES", "REGIMES", "SUPPORT_OPTIONS", "ParameterError", "Params", "bounds", "describe",
           "field_info", "is_whole_number", "known_keys", "parse_value", "plausible", "plausible_source", "regime_preset", "resolve"]
