"""Noticing when numba compiles one of our kernels instead of loading it from its cache.

A kernel's first call on a machine compiles it (seconds: a training step of a recurrent LIF
network waits about 15 s with an empty cache), later processes load it (milliseconds). Code that
shows progress, such as :func:`rockpool_nb.training.fit`'s bar, uses :func:`kernel_compiles` to
say why a step is slow, through numba's event API (``"numba:compile"`` is broadcast only when
a dispatcher compiles, not when it loads from the cache).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from numba.core import event

__all__ = ["kernel_compiles"]

_PACKAGE = __name__.rsplit(".", 1)[0]  # rockpool_nb.kernels


class _Watch(event.Listener):
    def __init__(self, callback: Callable[[str], None] | None):
        self.callback = callback
        self.names: list[str] = []

    def on_start(self, ev: event.Event) -> None:
        fn = getattr(ev.data["dispatcher"], "py_func", None)
        module = getattr(fn, "__module__", None) or ""
        if module == _PACKAGE or module.startswith(_PACKAGE + "."):
            name = f"{module.rsplit('.', 1)[-1]}.{fn.__qualname__}"
            self.names.append(name)
            if self.callback is not None:
                self.callback(name)

    def on_end(self, ev: event.Event) -> None:
        pass


@contextmanager
def kernel_compiles(callback: Callable[[str], None] | None = None) -> Iterator[list[str]]:
    """Watch numba compile kernels of ``rockpool_nb.kernels`` inside the ``with`` block.

    ``callback(name)`` (e.g. ``"grad_lif.lif_reverse_ramp"``) is called in the compiling thread
    as each compilation starts, helpers called from other kernels included; the list yielded
    collects the names in that order. Kernels loaded from numba's cache are not reported."""
    watch = _Watch(callback)
    with event.install_listener("numba:compile", watch):
        yield watch.names
