"""Small helpers every layer may use: JSON-safe values, atomic file writes, "did you mean", progress.

This is the bottom layer: it imports nothing else from hlssim.
"""
