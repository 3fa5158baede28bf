"""HoloViews views of what was recorded (needs the ``viz`` extra), loaded on first use.

- traces: :func:`plot_traces` (arrays), :func:`plot_continuous` (``TSContinuous``);
- rasters: :func:`plot_raster`, :func:`plot_events` (``TSEvent``), an image of counts per pixel
  (re-aggregated on zoom) above 5·10⁴ events;
- summaries: :func:`plot_rate`, :func:`plot_state_heatmap`, :func:`plot_weights`,
  :func:`plot_eigenspectrum`; sweeps: :func:`plot_sweep`; training: :class:`LossHistory` (the
  loss of a ``fit`` run, drawn while it trains).
"""

from __future__ import annotations

import importlib

_LAZY = {
    "plot_traces": "rockpool_nb.viz.traces",
    "plot_continuous": "rockpool_nb.viz.traces",
    "plot_raster": "rockpool_nb.viz.rasters",
    "plot_events": "rockpool_nb.viz.rasters",
    "RASTERIZE_ABOVE": "rockpool_nb.viz.rasters",
    "plot_rate": "rockpool_nb.viz.summaries",
    "plot_state_heatmap": "rockpool_nb.viz.summaries",
    "plot_weights": "rockpool_nb.viz.summaries",
    "plot_eigenspectrum": "rockpool_nb.viz.summaries",
    "plot_sweep": "rockpool_nb.viz.sweep",
    "LossHistory": "rockpool_nb.viz.loss",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'rockpool_nb.viz' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
