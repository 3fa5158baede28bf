"""Activation functions ``H(x, threshold)`` of rate neurons."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from rockpool_nb.kernels.rate import RELU, SIGMOID, TANH

__all__ = ["H_ReLU", "H_tanh", "H_sigmoid", "resolve_activation"]


def H_ReLU(x, threshold=0.0):
    """Linear-threshold: ``(x − θ)·[x − θ > 0]``."""
    z = np.asarray(x) - threshold
    return z * (z > 0)


def H_tanh(x, threshold=0.0):
    """``tanh(x − θ)``."""
    return np.tanh(np.asarray(x) - threshold)


def H_sigmoid(x, threshold=0.0):
    """``(tanh(x − θ) + 1) / 2``."""
    return (np.tanh(np.asarray(x) - threshold) + 1.0) / 2.0


_NAMES = {
    "relu": H_ReLU,
    "r": H_ReLU,
    "tanh": H_tanh,
    "t": H_tanh,
    "sigmoid": H_sigmoid,
    "sig": H_sigmoid,
    "s": H_sigmoid,
}
_CODES = {H_ReLU: RELU, H_tanh: TANH, H_sigmoid: SIGMOID}


def resolve_activation(fn: str | Callable) -> tuple[Callable, int]:
    """The activation function and its kernel code (``-1``: a custom Python callable)."""
    if isinstance(fn, str):
        if fn.lower() not in _NAMES:
            raise ValueError(
                f"activation_func: expected a callable or one of {sorted(_NAMES)}; got {fn!r}"
            )
        fn = _NAMES[fn.lower()]
    if not callable(fn):
        raise TypeError(
            f"activation_func: expected a callable f(x, threshold); got {type(fn).__name__}"
        )
    return fn, _CODES.get(fn, -1)
