"""Rockpool's backend-named classes (``RateJax``, ``LIFTorch``, ...) on the numba core.

Code written for Rockpool imports these names. Here they are subclasses of our numba modules
with the defaults, families, dtypes and printed class names of Rockpool's JAX / Torch classes.
No JAX or PyTorch runs underneath: they take NumPy arrays (JAX and Torch arrays are converted),
and they are trained with :mod:`rockpool_nb.training`.
"""

from __future__ import annotations

import numpy as np

from rockpool_nb.nn.modules.expsyn import ExpSyn
from rockpool_nb.nn.modules.instant import Instant
from rockpool_nb.nn.modules.lif import LIF
from rockpool_nb.nn.modules.linear import Linear
from rockpool_nb.nn.modules.rate import Rate

__all__ = [
    "RateJax",
    "LinearJax",
    "LIFJax",
    "ExpSynJax",
    "InstantJax",
    "RateTorch",
    "LinearTorch",
    "LIFTorch",
    "ExpSynTorch",
    "InstantTorch",
]


class _Float32Mixin:
    """Store every floating Parameter and State as float32 (JAX/Torch default precision)."""

    _float32_kinds = ("Parameter", "State")

    def _cast_float32(self) -> None:
        for name, reg in list(self._registry.items()):
            value = getattr(self, name)
            is_float = isinstance(value, float) or (
                isinstance(value, np.ndarray) and value.dtype == np.float64
            )
            if reg.kind in self._float32_kinds and is_float:
                init = reg.init_func

                def as_f32(shape, _init=init):
                    return np.asarray(_init(shape), dtype=np.float32)

                self._registry[name] = reg._replace(init_func=as_f32)
                object.__setattr__(self, name, np.asarray(value, dtype=np.float32))

    def _set_family(self, name: str, family: str) -> None:
        self._registry[name] = self._registry[name]._replace(family=family)


class RateJax(_Float32Mixin, Rate):
    """Rockpool's ``RateJax``: rate neurons without the τ ≥ 10·dt clip, float32 parameters."""

    _tau_floor = 0.0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._cast_float32()


class RateTorch(RateJax):
    """Rockpool's ``RateTorch`` (same dynamics as ``RateJax``)."""


class LIFJax(_Float32Mixin, LIF):
    """Rockpool's ``LIFJax``: the same LIF dynamics, float32 parameters and state."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._cast_float32()


class LIFTorch(LIFJax):
    """Rockpool's ``LIFTorch``: LIF dynamics, threshold in family ``"thresholds"``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_family("threshold", "thresholds")


class LinearJax(Linear):
    """Rockpool's ``LinearJax`` (weights stay float64 until replaced, as in Rockpool)."""


class LinearTorch(_Float32Mixin, Linear):
    """Rockpool's ``LinearTorch``: float32 weights."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._cast_float32()


class ExpSynJax(_Float32Mixin, ExpSyn):
    """Rockpool's ``ExpSynJax``: exponential synapses, float32."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._cast_float32()


class ExpSynTorch(ExpSynJax):
    """Rockpool's ``ExpSynTorch``."""


class InstantJax(Instant):
    """Rockpool's ``InstantJax``: ``y = f(x)``."""


class InstantTorch(Instant):
    """Rockpool's ``InstantTorch``: ``y = f(x)``."""
