"""Notebook widgets (need the ``widgets`` extra): imported lazily, so ``import rockpool_nb`` stays light.

- :class:`GraphBuilder`: draw a network, run it from Python.
- :class:`LiveView`: watch a network evolve, change parameters while it runs.
- :class:`DeploymentPanel`: map a network onto a chip, deploy, compare.
"""

from __future__ import annotations

import importlib

_LAZY = {
    "GraphBuilder": "rockpool_nb.widgets.graph_builder",
    "LiveView": "rockpool_nb.widgets.live",
    "DeploymentPanel": "rockpool_nb.widgets.deployment",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'rockpool_nb.widgets' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
