"""Shared helpers: seeded generators, spectral radius, argument checks."""

from __future__ import annotations

import numpy as np


def generator(rng) -> np.random.Generator:
    """``rng`` as a NumPy ``Generator`` (an int seeds one; ``None`` gives a fresh one)."""
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(rng)


def spectral_radius(weights: np.ndarray) -> float:
    """Largest absolute eigenvalue of a square matrix."""
    return float(np.max(np.abs(np.linalg.eigvals(weights)))) if weights.size else 0.0


def normalise(weights: np.ndarray, radius: float | None) -> np.ndarray:
    """Scale ``weights`` so that its spectral radius is ``radius`` (unchanged if ``None`` or 0)."""
    if radius is None:
        return weights
    current = spectral_radius(weights)
    return weights * (radius / current) if current > 0 else weights


def check_fraction(name: str, value: float) -> float:
    if not 0.0 <= float(value) <= 1.0:
        raise ValueError(f"{name}: expected a fraction in [0, 1]; got {value!r}")
    return float(value)


def check_size(name: str, value) -> int:
    if int(value) != value or int(value) < 1:
        raise ValueError(f"{name}: expected a positive integer; got {value!r}")
    return int(value)
