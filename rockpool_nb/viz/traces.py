"""Continuous traces (membrane potentials, rates, outputs) as HoloViews curves."""

from __future__ import annotations

import numpy as np

from rockpool_nb.viz._hv import holoviews

__all__ = ["plot_continuous", "plot_traces"]


def plot_traces(
    data,
    dt: float = 1e-3,
    t_start: float = 0.0,
    channels=None,
    stagger=None,
    skip=None,
    label: str = "y",
    **opts,
):
    """Curves of ``data`` ``(T, N)`` sampled every ``dt`` seconds from ``t_start``: one per
    channel (``channels`` to choose, every ``skip``-th), offset by ``c · stagger`` if given."""
    hv = holoviews()
    y = np.asarray(data, dtype=float)
    if y.ndim == 1:
        y = y[:, None]
    if y.ndim != 2:
        raise ValueError(f"data: expected (T, N) samples; got shape {y.shape}")
    idx = np.arange(y.shape[1]) if channels is None else np.atleast_1d(channels)
    if skip:
        idx = idx[::skip]
    t = t_start + np.arange(y.shape[0]) * dt
    size = {"width": opts.pop("width", 650), "height": opts.pop("height", 250)}
    curves = []
    for k, c in enumerate(idx):
        off = k * stagger if stagger else 0.0
        curve = hv.Curve((t, y[:, c] + off), "time (s)", label, label=f"{c}")
        curves.append(curve.opts(**size, **opts))
    return hv.Overlay(curves).opts(show_legend=len(curves) <= 10)


def plot_continuous(ts, times=None, channels=None, stagger=None, skip=None, dt=None, **opts):
    """A ``TSContinuous`` as curves (``TSContinuous.plot`` with the HoloViews backend)."""
    if dt is not None and times is None:
        times = np.arange(ts.t_start, ts.t_stop, dt)
    if times is not None:
        t = np.atleast_1d(times)
        samples = ts(t)
    else:
        t, samples = ts.times, ts.samples
    hv = holoviews()
    samples = np.asarray(samples).reshape(len(t), -1)
    idx = np.arange(samples.shape[1]) if channels is None else np.atleast_1d(channels)
    if skip:
        idx = idx[::skip]
    curves = [
        hv.Curve(
            (t, samples[:, c] + (k * stagger if stagger else 0.0)),
            "Time",
            ts.units or "y",
            label=f"{c}",
        )
        for k, c in enumerate(idx)
    ]
    if opts:
        curves = [c.opts(**opts) for c in curves]
    if len(curves) == 1:
        return curves[0].relabel(ts.name)
    return hv.Overlay(curves).relabel(group=ts.name)
