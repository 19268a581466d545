"""Cheap random numbers for the weekly step's many small draws (docs/ODD.md, sections 4 and 8.2).

Most of a week's random numbers are innovations of slow drifts, small misreadings and per-domain
chances, where the spread matters and neither the tails nor the last decimal places do. Drawing
them as random bytes costs a fraction of a float draw; kernels turn the bytes into numbers.
"""

from __future__ import annotations

import numpy as np

from ..util.compiled import kernel

# A random signed byte b (-128..127) gives (b + 0.5) / BYTE_SD: uniform steps, mean 0, variance 1.
BYTE_SD = np.sqrt((256.0**2 - 1) / 12.0)


def byte_noise(rng: np.random.Generator, shape) -> np.ndarray:
    """Random signed bytes of the given shape; :func:`unit` turns one into noise of mean 0 and s.d. 1."""
    return np.frombuffer(rng.bytes(int(np.prod(shape))), dtype=np.int8).reshape(shape)


@kernel
def unit(byte):
    """A random signed byte as noise of mean 0 and s.d. 1 (uniform, in 256 steps)."""
    return (byte + 0.5) / BYTE_SD


def coarse_uniform(rng: np.random.Generator, size: int) -> np.ndarray:
    """Random 16-bit integers; :func:`below` compares one with a chance (resolution 1/65,536)."""
    return np.frombuffer(rng.bytes(2 * size), dtype="<u2")


@kernel
def below(draw, chance):
    """Whether a :func:`coarse_uniform` draw falls below ``chance``: true with that probability, to 1/65,536."""
    return (draw + 0.5) * (1.0 / 65536.0) < chance


def unit_noise(rng: np.random.Generator, shape) -> np.ndarray:
    """Float noise of mean 0 and s.d. 1, uniform rather than normal (a quarter of a normal draw's cost),
    for numpy code that needs the numbers themselves."""
    noise = rng.random(shape, dtype=np.float32)
    noise -= np.float32(0.5)
    noise *= np.float32(np.sqrt(12.0))
    return noise
