"""hlssim: an agent-based simulation of New Public Management and Human Learning Systems."""

__version__ = "0.1.0"

from .model import ServiceModel  # noqa: E402
from .params import ParameterError, Params, resolve  # noqa: E402
from .simulate import SimulationResult, simulate  # noqa: E402

__all__ = ["ServiceModel", "Params", "ParameterError", "resolve", "simulate", "SimulationResult", "__version__"]
