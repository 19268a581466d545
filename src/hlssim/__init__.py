"""hlssim: an agent-based simulation of New Public Management and Human Learning Systems.

The package is layered; a module imports only from its own layer or those below it
(docs/architecture.md; ``tests/test_architecture.py`` checks):

    cli          the command line
    store        the results store (SQLite or PostgreSQL)
    experiments  one simulation, the runner for many, and the analyses built on it
    model        the Mesa model: the weekly schedule and the agents users query
    outputs      what a run is read as: weekly rows, the summary, spreads
    mechanisms   what happens each week, one module per family
    state        every array, book and record a run changes
    params       every parameter, scenario files, what the practices set
    util         small helpers

This module is the public face: ``simulate``, ``ServiceModel``, ``Params``, ``resolve`` and
(loaded on first use) the store's ``load``/``load_runs`` and scenario files.
"""

from .util.version import __version__
from .experiments.simulate import SimulationResult, simulate  # noqa: E402
from .model.service import ServiceModel  # noqa: E402
from .params import ParameterError, Params, resolve  # noqa: E402

# The results store and scenario files load on first use, so `import hlssim` stays quick.
_LAZY = {
    "load": ("store", "load"),
    "load_runs": ("store", "load_runs"),
    "load_timeseries": ("store", "load_timeseries"),
    "open_store": ("store", "open_store"),
    "Store": ("store", "Store"),
    "StoredRun": ("store", "StoredRun"),
    "load_scenario": ("params.scenarios", "load"),
    "Scenario": ("params.scenarios", "Scenario"),
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
