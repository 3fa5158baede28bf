"""Weight initialisers ``f(shape) -> array``; each draws from its own generator (``rng``)."""

from __future__ import annotations

import numpy as np

__all__ = ["kaiming", "xavier", "unit_eigs", "uniform_sqrt", "as_generator"]


def as_generator(rng=None) -> np.random.Generator:
    """A ``numpy.random.Generator`` from ``None`` (fresh), a seed, or a generator."""
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(rng)


def kaiming(shape, rng=None) -> np.ndarray:
    """Uniform in ±√(6 / shape[0])."""
    lim = np.sqrt(6.0 / shape[0])
    return as_generator(rng).uniform(-lim, lim, size=shape)


def xavier(shape, rng=None) -> np.ndarray:
    """Uniform in ±√(6 / Σ shape)."""
    lim = np.sqrt(6.0 / np.sum(shape))
    return as_generator(rng).uniform(-lim, lim, size=shape)


def unit_eigs(shape, rng=None) -> np.ndarray:
    """Normal / √shape[0]: a square matrix with eigenvalues spread over the unit disc."""
    return as_generator(rng).standard_normal(shape) / np.sqrt(shape[0])


def uniform_sqrt(shape, rng=None) -> np.ndarray:
    """Uniform in ±√(1 / shape[0])."""
    lim = np.sqrt(1.0 / shape[0])
    return as_generator(rng).uniform(-lim, lim, size=shape)
