"""hlssim: an agent-based simulation of New Public Management and Human Learning Systems."""

__version__ = "0.1.0"

from .model import ServiceModel  # noqa: E402
from .params import ParameterError, Params, resolve  # noqa: E402
from .simulate import SimulationResult, simulate  # noqa: E402

# The results store and scenario files load on first use, so `import hlssim` stays quick.
_LAZY = {
    "load": ("store", "load"),
    "load_runs": ("store", "load_runs"),
    "load_timeseries": ("store", "load_timeseries"),
    "open_store": ("store", "open_store"),
    "Store": ("store", "Store"),
    "StoredRun": ("store", "StoredRun"),
    "load_scenario": ("scenarios", "load"),
    "Scenario": ("scenarios", "Scenario"),
}


def __getattr__(name):
    if name in _LAZY:
        import importlib
        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(f".{module}", __name__), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'hlssim' has no attribute {name!r}")


__all__ = ["ServiceModel", "Params", "ParameterError", "resolve", "simulate", "SimulationResult", "__version__",
           *_LAZY]
