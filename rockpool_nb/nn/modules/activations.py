"""Activation functions ``H(x, threshold)`` of rate neurons.

``Rate`` accepts any Python callable ``f(x, threshold)`` of two ``(N,)`` arrays. The three
built-ins run inside the Rate kernel. Another callable is compiled with numba by
:func:`compile_activation` when that is safe; otherwise ``Rate`` runs a slower NumPy loop over
time steps that calls the Python function itself. Compiling is refused (slow path, same answer)
when the function:

- cannot be compiled in numba's nopython mode (``functools.partial``, objects with
  ``__call__``, SciPy functions, Python containers, ...);
- reads a closure variable or a global other than a module or a numba-jitted function (numba
  would freeze its value at compile time, and a later change would be ignored);
- gives a different answer from the Python function on probe inputs (shape, dtype or values).
"""

from __future__ import annotations

import types
import warnings
import weakref
from collections.abc import Callable

import numpy as np

from rockpool_nb.kernels.rate import RELU, SIGMOID, TANH

__all__ = ["H_ReLU", "H_tanh", "H_sigmoid", "resolve_activation", "compile_activation"]


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


_COMPILED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _reads_only_modules(fn) -> bool:
    """``True`` if ``fn`` has no closure and every global it names is a module or jitted."""
    import numba

    if not isinstance(fn, types.FunctionType) or fn.__closure__:
        return False
    for name in fn.__code__.co_names:
        if name in fn.__globals__:
            value = fn.__globals__[name]
            if not isinstance(value, (types.ModuleType, numba.core.registry.CPUDispatcher)):
                return False
    return True


def _probe(fn, dtype) -> tuple:
    x = np.linspace(-3.0, 3.0, 13).astype(dtype)
    thr = np.linspace(-0.5, 0.5, 13).astype(dtype)
    return x, thr


def compile_activation(fn: Callable, dtype=np.float64):
    """A numba-jitted version of ``fn(x, threshold)``, or ``None`` if it must run in Python.

    Parameters
    ----------
    fn : callable
        ``fn(x, threshold) -> array``, with ``x`` and ``threshold`` ``(N,)`` arrays.
    dtype : numpy dtype
        Precision the kernel computes in (float32 or float64).

    Returns
    -------
    numba dispatcher or None
        ``None`` when compiling is refused (see the module docstring); the caller then
        evaluates ``fn`` in Python.
    """
    import numba

    dtype = np.dtype(dtype)
    try:
        cached = _COMPILED.get(fn, {})
    except TypeError:  # not weak-referenceable (e.g. a builtin)
        return None
    if dtype in cached:
        return cached[dtype]
    jitted = None
    if isinstance(fn, numba.core.registry.CPUDispatcher) or _reads_only_modules(fn):
        candidate = fn if isinstance(fn, numba.core.registry.CPUDispatcher) else numba.njit(fn)
        x, thr = _probe(fn, dtype)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                got = np.asarray(candidate(x.copy(), thr))
                want = np.asarray(fn(x.copy(), thr))
            # numba may promote float32 to float64 where NumPy keeps float32: compare to the
            # precision of the less precise result
            single = np.dtype(np.float32) in (got.dtype, want.dtype)
            rtol, atol = (1e-5, 1e-7) if single else (1e-9, 1e-12)
            if (
                got.shape == x.shape
                and want.shape == x.shape
                and got.dtype.kind == want.dtype.kind
                and np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=True)
            ):
                jitted = candidate
        except Exception:  # noqa: BLE001 - any failure to compile or run means: use Python
            jitted = None
    cached = dict(cached)
    cached[dtype] = jitted
    _COMPILED[fn] = cached
    return jitted
