"""Cheap random numbers for the weekly step's many small draws (docs/ODD.md, sections 4 and 8.2).

Most of a week's random numbers are innovations of slow drifts, small misreadings and per-domain
chances, where the spread matters and neither the tails nor the last decimal places do. Drawing
them as random bytes costs a fraction of a float draw; kernels turn the bytes into numbers.
"""

from __future__ import annotations

import math

import numpy as np

from ..util.compiled import kernel

# A random signed byte b (-128..127) gives (b + 0.5) / BYTE_SD: uniform steps, mean 0, variance 1.
BYTE_SD = np.sqrt((256.0**2 - 1) / 12.0)


def raw_bytes(rng: np.random.Generator, count: int) -> np.ndarray:
    """``count`` random bytes (uint8), straight from the bit generator's 64-bit outputs, little-endian
    on every platform: one draw gives 8 bytes, where ``Generator.bytes`` pays for a bounded-integer
    call per 4 (about 5x slower, and tens of microseconds of fixed cost a call)."""
    words = rng.bit_generator.random_raw(-(-count // 8)).astype("<u8", copy=False)
    return words.view(np.uint8)[:count]


def byte_noise(rng: np.random.Generator, shape) -> np.ndarray:
    """Random signed bytes of the given shape; :func:`unit` turns one into noise of mean 0 and s.d. 1."""
    return raw_bytes(rng, math.prod(shape)).view(np.int8).reshape(shape)


@kernel
def unit(byte):
    """A random signed byte as noise of mean 0 and s.d. 1 (uniform, in 256 steps)."""
    return (byte + 0.5) / BYTE_SD


def coarse_uniform(rng: np.random.Generator, size: int) -> np.ndarray:
    """Random 16-bit integers; :func:`below` compares one with a chance (resolution 1/65,536)."""
    return raw_bytes(rng, 2 * size).view("<u2")


@kernel
def below(draw, chance):
    """Whether a :func:`coarse_uniform` draw falls below ``chance``: true with that probability, to 1/65,536."""
    return (draw + 0.5) * (1.0 / 65536.0) < chance


def happens(rng: np.random.Generator, size: int, chance: float) -> np.ndarray:
    """Whether each of ``size`` events of the same ``chance`` happens: :func:`below` for a whole
    array at once, compared as integers ((draw + 0.5) / 65,536 < chance, multiplied out exactly)."""
    return coarse_uniform(rng, size) < math.ceil(chance * 65536.0 - 0.5)


def unit_noise(rng: np.random.Generator, shape) -> np.ndarray:
    """Float noise of mean 0 and s.d. 1, uniform rather than normal (a quarter of a normal draw's cost),
    for numpy code that needs the numbers themselves."""
    noise = rng.random(shape, dtype=np.float32)
    noise -= np.float32(0.5)
    noise *= np.float32(np.sqrt(12.0))
    return noise
