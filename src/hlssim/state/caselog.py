"""Every closed case, the honest record beside what was recorded and what was true."""

from __future__ import annotations

import numpy as np
import pandas as pd


class CaseLog:
    """Column chunks appended once a week, joined into a DataFrame on demand."""

    def __init__(self):
        self._chunks: dict[str, list[np.ndarray]] = {}

    def append(self, **columns: np.ndarray) -> None:
        for name, values in columns.items():
            self._chunks.setdefault(name, []).append(np.asarray(values))

    def column(self, name: str) -> np.ndarray:
        chunks = self._chunks.get(name)
        return np.concatenate(chunks) if chunks else np.array([])

    def __len__(self) -> int:
        return int(sum(len(a) for a in self._chunks.get("citizen", [])))

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({name: self.column(name) for name in self._chunks})
