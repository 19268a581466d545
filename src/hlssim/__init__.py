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

This module is the public face, each name loaded on first use: ``simulate``, ``ServiceModel``,
``Params``, ``resolve``, the store's ``load``/``load_runs``, scenario files and ``compare_funding`` (the
funders' table, as ``hlssim funders``). ``PUBLIC_MODULES`` are the modules whose ``__all__`` is public
too: the analyses the scripts in ``experiments/`` are built on, and ``hlssim.cli.script``, the toolkit for a
script of your own. Anything else may change without notice (``tests/test_public_api.py`` holds the
scripts in ``experiments/`` to this).
"""

from .util.version import __version__

# Everything loads on first use, so `import hlssim` (and the `hlssim` command's start, where a
# Ctrl-C must end cleanly) does not wait for numpy, numba and pandas until they are needed.
_LAZY = {
    "simulate": ("experiments.simulate", "simulate"),
    "SimulationResult": ("experiments.simulate", "SimulationResult"),
    "ServiceModel": ("model.service", "ServiceModel"),
    "Params": ("params", "Params"),
    "PRACTICES": ("params", "PRACTICES"),
    "ParameterError": ("params", "ParameterError"),
    "resolve": ("params", "resolve"),
    "parameter_table": ("params.table", "parameter_frame"),
    "load": ("store", "load"),
    "load_runs": ("store", "load_runs"),
    "load_timeseries": ("store", "load_timeseries"),
    "open_store": ("store", "open_store"),
    "Store": ("store", "Store"),
    "StoredRun": ("store", "StoredRun"),
    "load_scenario": ("params.scenarios", "load"),
    "Scenario": ("params.scenarios", "Scenario"),
    "compare_funding": ("reports.funding", "compare_funding"),
}

PUBLIC_MODULES = (
    "hlssim.cli.script",                 # argument helpers and how a script ends
    "hlssim.experiments.goodhart",       # the Goodhart variants over target pressure
    "hlssim.experiments.sensitivity",    # Morris screening
    "hlssim.experiments.sweeps.ema",     # hlssim as an EMA Workbench Model
    "hlssim.reports.goodhart",           # the trainers' figure
    "hlssim.reports.validation",         # the validation report's tables
)


def __getattr__(name):
    if name in _LAZY:
        import importlib
        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(f".{module}", __name__), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'hlssim' has no attribute {name!r}")


__all__ = ["__version__", "PUBLIC_MODULES", *_LAZY]
