"""The one JIT policy of rockpool_nb's kernels.

Every kernel is compiled with ``cache=True`` (compiled code is kept on disk, so a new process
loads it instead of compiling) and ``nogil=True`` (threads, e.g. a live view or a Dask worker,
run while a kernel computes). Kernels compute in float32 when every floating input is float32,
and in float64 otherwise.
"""

from __future__ import annotations

import os

import numba
import numpy as np

__all__ = [
    "njit",
    "njit_parallel",
    "compute_dtype",
    "parallel_cores",
    "prange",
    "set_step_splitting",
    "step_split_cores",
]

_STEP_SPLITTING = [False]  # see set_step_splitting

prange = numba.prange


def njit(fn=None, **options):
    """``numba.njit`` with the project's policy (cache, nogil, no fastmath)."""
    options.setdefault("cache", True)
    options.setdefault("nogil", True)
    options.setdefault("error_model", "numpy")
    if fn is None:
        return lambda f: numba.njit(**options)(f)
    return numba.njit(**options)(fn)


def njit_parallel(fn=None, **options):
    """As :func:`njit`, with ``parallel=True`` (``prange`` loops over batches)."""
    options.setdefault("parallel", True)
    return njit(fn, **options)


def parallel_cores() -> int:
    """Threads a ``parallel=True`` kernel can use here: numba's thread count, capped by the CPUs
    this process may run on (1 when pinned to one core: a parallel kernel would only add its
    threading layer's start-up and oversubscribe that core)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return min(cpus, numba.get_num_threads())


def set_step_splitting(enabled: bool) -> None:
    """Let large recurrent ``Rate`` layers split every time step over the cores (off by default).

    Batch elements always run in parallel when there are several cores: one parallel region per
    call. Splitting a single time step instead synchronises the threads at every step; on an idle
    2-core machine that makes a recurrent ``Rate(1000)`` 1.6x faster, but when another process
    takes a core (a browser drawing a live view, a second kernel) every step waits for it and the
    run becomes several times slower than on one core. Turn it on for dedicated runs.
    """
    if not isinstance(enabled, bool):
        raise TypeError(f"enabled: expected True or False; got {enabled!r}")
    _STEP_SPLITTING[0] = enabled


def step_split_cores() -> int:
    """Threads to split one time step over: :func:`parallel_cores` when step splitting is on
    (:func:`set_step_splitting`), else 1."""
    return parallel_cores() if _STEP_SPLITTING[0] else 1


def compute_dtype(*arrays) -> np.dtype:
    """float32 if every floating array given is float32, else float64."""
    kinds = [np.asarray(a).dtype for a in arrays if a is not None]
    if (
        kinds
        and all(k == np.float32 for k in kinds if k.kind == "f")
        and any(k == np.float32 for k in kinds)
    ):
        return np.dtype(np.float32)
    return np.dtype(np.float64)
