"""Thread counts of the BLAS libraries loaded in this process (NumPy's, and SciPy's, which
numba's ``np.dot`` calls), set around the small matrix products of a training step: OpenBLAS's
default of one thread per core slows them down, and oversubscribes a process pinned to fewer
cores than the machine has."""

from __future__ import annotations

import ctypes
import os
from contextlib import contextmanager

__all__ = ["blas_threads", "numba_threads", "available_cores"]

_SETTERS = (
    ("openblas_set_num_threads", "openblas_get_num_threads"),
    ("scipy_openblas_set_num_threads64_", "scipy_openblas_get_num_threads64_"),
    ("scipy_openblas_set_num_threads", "scipy_openblas_get_num_threads"),
    ("openblas_set_num_threads64_", "openblas_get_num_threads64_"),
)
_found: dict = {}


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


_scans = [0]


def _libraries() -> list:
    """``(set, get)`` function pairs of every OpenBLAS mapped into the process (Linux). The
    process map is read on the first few calls only (numba loads SciPy's BLAS on first use)."""
    if _scans[0] >= 3:
        return [pair for pairs in _found.values() for pair in pairs]
    _scans[0] += 1
    try:
        with open("/proc/self/maps") as fh:
            paths = {line.split()[-1] for line in fh if "openblas" in line.lower()}
    except OSError:
        return []
    for path in paths - _found.keys():
        pairs = []
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            _found[path] = pairs
            continue
        for set_name, get_name in _SETTERS:
            if hasattr(lib, set_name) and hasattr(lib, get_name):
                setter, getter = getattr(lib, set_name), getattr(lib, get_name)
                setter.argtypes, getter.restype = [ctypes.c_int], ctypes.c_int
                pairs.append((setter, getter))
        _found[path] = pairs
    return [pair for pairs in _found.values() for pair in pairs]


@contextmanager
def blas_threads(n: int):
    """Run the block with ``n`` BLAS threads in every OpenBLAS; restore the counts after."""
    libs = _libraries()
    before = [get() for _, get in libs]
    for setter, _ in libs:
        setter(int(n))
    try:
        yield
    finally:
        for (setter, _), k in zip(libs, before):
            setter(k)


@contextmanager
def numba_threads(n: int):
    """Run the block with at most ``n`` threads in numba's ``prange`` loops."""
    import numba

    before = numba.get_num_threads()
    numba.set_num_threads(max(1, min(int(n), numba.config.NUMBA_NUM_THREADS)))
    try:
        yield
    finally:
        numba.set_num_threads(before)
