"""Spike rasters: ``hv.Points`` for modest counts, datashader-rasterised images beyond."""

from __future__ import annotations

import numpy as np

from rockpool_nb.viz._hv import holoviews

__all__ = ["plot_raster", "plot_events", "RASTERIZE_ABOVE"]

RASTERIZE_ABOVE = 50_000  # events: above this, points are rasterised by datashader


def plot_raster(times, channels, rasterize: bool | None = None, size: float = 2, **opts):
    """Events at ``times`` (s) on ``channels`` as a raster plot. Above :data:`RASTERIZE_ABOVE`
    events (or with ``rasterize=True``) the points are aggregated per pixel by datashader and
    re-aggregated on zoom, so millions of events stay interactive."""
    hv = holoviews()
    t = np.asarray(times, dtype=float)
    c = np.asarray(channels)
    if t.shape != c.shape:
        raise ValueError(f"channels: expected the shape of times {t.shape}; got {c.shape}")
    points = hv.Points((t, c), kdims=["time (s)", "channel"])
    big = len(t) > RASTERIZE_ABOVE if rasterize is None else rasterize
    width, height = opts.pop("width", 650), opts.pop("height", 250)
    if big:
        from holoviews.operation.datashader import dynspread
        from holoviews.operation.datashader import rasterize as hv_rasterize

        return dynspread(hv_rasterize(points)).opts(width=width, height=height, cmap="fire", **opts)
    return points.opts(size=size, width=width, height=height, **opts)


def plot_events(ts, time_limits=None, channels=None, **opts):
    """A ``TSEvent`` as a raster (``TSEvent.plot`` with the HoloViews backend)."""
    t, c = np.asarray(ts.times), np.asarray(ts.channels)
    keep = np.ones(len(t), dtype=bool)
    if time_limits is not None:
        lo, hi = time_limits
        keep &= (t >= (ts.t_start if lo is None else lo)) & (t < (ts.t_stop if hi is None else hi))
    if channels is not None:
        keep &= np.isin(c, np.atleast_1d(channels))
    return plot_raster(t[keep], c[keep], **opts).relabel(ts.name)
