"""Compile the numba kernels into numba's on-disk cache ahead of time.

Every kernel is ``cache=True``: the first call on a machine compiles it (seconds), later
processes load it (milliseconds). :func:`precompile` makes those first calls on tiny networks,
so that a notebook's first simulation or training step waits only for the load. Binder's
``postBuild`` runs it (``rockpool-nb compile``) while the image is built. numba keys its cache by
the CPU it compiles for: a machine with another CPU model recompiles on first use, unless both
name one target (``NUMBA_CPU_NAME``, as ``binder/numba-target`` does). :func:`kernel_cache_use`
tells which kernels this process loaded and which it had to compile.
"""

from __future__ import annotations

import importlib
import pkgutil
import time
from collections.abc import Callable

import numpy as np

__all__ = ["precompile", "kernel_cache_use"]


def _simulation(dtype) -> None:
    from rockpool_nb.nn.combinators import Sequential
    from rockpool_nb.nn.modules import LIF, ExpSyn, Linear, Rate

    rng = np.random.default_rng(0)
    net = Sequential(
        Linear((40, 32)), LIF(32, has_rec=True), Linear((32, 4)), Rate(4, has_rec=True), ExpSyn(4)
    )
    x = ((rng.random((3, 20, 40)) < 0.05) * 1.0).astype(dtype)
    for record in (False, True):
        net.reset_state()
        net(x, record=record)  # batched (the parallel kernels where there are several cores)
        net.reset_state()
        net(x[0], record=record)  # one batch element


def _training(dtype) -> None:
    from rockpool_nb.nn.combinators import Sequential
    from rockpool_nb.nn.modules import LIF, ExpSyn, Linear, Rate
    from rockpool_nb.training import losses, value_and_grad

    rng = np.random.default_rng(0)
    spiking = Sequential(
        Linear((40, 32), weight=rng.normal(0, 0.5, (40, 32))),
        LIF(32, has_rec=True, w_rec=rng.normal(0, 0.1, (32, 32))),
        Linear((32, 2)),
        ExpSyn(2),
    )
    rate = Sequential(Linear((1, 8)), Rate(8, has_rec=True, activation_func="tanh"), Linear((8, 1)))
    x = (rng.random((3, 20, 40)) < 0.05) * 1.0  # sparse: the event-driven paths
    y = rng.normal(size=(3, 20, 2))
    for threads in (1, None):  # serial kernels, and the parallel ones on several cores
        f = value_and_grad(spiking, losses.mse, dtype=dtype, threads=threads)
        f(spiking.parameters(), x, y)
        f(spiking.parameters(), x[0], y[0])
        g = value_and_grad(rate, losses.mse, dtype=dtype, threads=threads)
        g(rate.parameters(), rng.normal(size=(20, 1)), rng.normal(size=(20, 1)))


def precompile(
    training: bool = True,
    dtypes=(np.float64, np.float32),
    report: Callable[[str], None] | None = None,
) -> dict[str, float]:
    """Compile (or load) the kernels of simulation and, with ``training``, of gradient
    training, for each of ``dtypes``. Returns seconds per part; ``report`` (e.g. ``print``)
    receives a line per part as it finishes."""
    parts: list[tuple[str, Callable]] = []
    for dt in dtypes:
        name = np.dtype(dt).name
        parts.append((f"simulation, {name}", lambda dt=dt: _simulation(dt)))
        if training:
            parts.append((f"training, {name}", lambda dt=dt: _training(dt)))
    seconds: dict[str, float] = {}
    for name, run in parts:
        t0 = time.perf_counter()
        run()
        seconds[name] = time.perf_counter() - t0
        if report is not None:
            report(f"{name}: {seconds[name]:.1f} s")
    return seconds


def kernel_cache_use() -> tuple[list[str], list[str]]:
    """The kernels of ``rockpool_nb.kernels`` this process has called, as two sorted lists of
    names: those loaded from numba's on-disk cache, and those it compiled (a signature missing
    from the cache, or cached for another CPU target). A helper called only from other kernels
    is listed as compiled when it was compiled for them, and not at all when they were loaded
    (its code is inside theirs)."""
    import numba

    import rockpool_nb.kernels as package

    loaded, compiled = set(), set()
    for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        module = importlib.import_module(info.name)
        for attr, obj in vars(module).items():
            if not isinstance(obj, numba.core.registry.CPUDispatcher):
                continue
            if obj.py_func.__module__ != info.name:
                continue  # imported from another kernel module: counted there
            stats = obj.stats
            name = f"{info.name.rsplit('.', 1)[-1]}.{attr}"
            if sum(stats.cache_misses.values()):
                compiled.add(name)
            elif sum(stats.cache_hits.values()):
                loaded.add(name)
    return sorted(loaded), sorted(compiled)
