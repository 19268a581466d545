"""The one error a user's bad parameter or scenario becomes: it names the source, the key and what is allowed."""

from __future__ import annotations


class ParameterError(ValueError):
    """A bad parameter: names the key and what is allowed (the CLI's exit code 2)."""

    def __init__(self, key: str, message: str, source: str | None = None):
        self.key = key
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__(f"{where}{key}: {message}")
