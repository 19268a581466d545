"""hlssim's version: one place, read by the package, pyproject.toml and every run's provenance."""

__version__ = "0.1.0"
