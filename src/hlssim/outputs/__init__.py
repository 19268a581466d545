"""Outputs: what a run is read as. The weekly row, the summary (docs/metrics.md), readings of
the market and of Goodhart's law, and spreads across seeds. Reads state; writes nothing."""
