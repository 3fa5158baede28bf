"""Shape helpers shared by the neuron modules: scalar-or-vector parameters and noise."""

from __future__ import annotations

import numpy as np

__all__ = ["per_neuron", "neuron_shape"]


def per_neuron(value, shape: tuple, dtype) -> np.ndarray:
    """A parameter given as a scalar or per neuron, as a new C-contiguous ``shape`` array of
    ``dtype`` (always writable: read-only views would make numba compile another specialisation)."""
    return np.array(np.broadcast_to(np.asarray(value, dtype=dtype), shape), order="C")


def neuron_shape(shape, cls: str) -> tuple[int, ...]:
    """Normalise a module shape argument to a tuple of ints."""
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    try:
        out = tuple(int(s) for s in shape)
    except TypeError:
        raise TypeError(f"{cls}: shape must be an int or a tuple of ints; got {shape!r}") from None
    if not out or any(s <= 0 for s in out):
        raise ValueError(f"{cls}: shape must hold positive sizes; got {shape!r}")
    return out
