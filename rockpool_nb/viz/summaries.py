"""Population rates, state heat maps, weight matrices and eigenspectra."""

from __future__ import annotations

import numpy as np

from rockpool_nb.viz._hv import holoviews

__all__ = ["plot_rate", "plot_state_heatmap", "plot_weights", "plot_eigenspectrum"]


def plot_rate(spikes, dt: float = 1e-3, window: float = 0.02, per_neuron: bool = False, **opts):
    """Firing rate (Hz) of spike counts ``(T, N)``, smoothed with a ``window``-second boxcar:
    the population mean, or one curve per neuron."""
    hv = holoviews()
    s = np.asarray(spikes, dtype=float)
    if s.ndim != 2:
        raise ValueError(f"spikes: expected (T, N) counts; got shape {s.shape}")
    k = max(1, int(round(window / dt)))
    kernel = np.ones(k) / (k * dt)
    t = np.arange(s.shape[0]) * dt
    if per_neuron:
        rates = np.stack([np.convolve(s[:, n], kernel, mode="same") for n in range(s.shape[1])], 1)
        return hv.Overlay(
            [hv.Curve((t, rates[:, n]), "time (s)", "rate (Hz)") for n in range(s.shape[1])]
        ).opts(**opts)
    rate = np.convolve(s.mean(1), kernel, mode="same")
    return hv.Curve((t, rate), "time (s)", "rate (Hz)").opts(
        width=opts.pop("width", 650), height=opts.pop("height", 200), **opts
    )


def plot_state_heatmap(state, dt: float = 1e-3, label: str = "state", **opts):
    """A state ``(T, N)`` (e.g. membrane potentials) as an image: time × neuron."""
    hv = holoviews()
    s = np.asarray(state, dtype=float)
    if s.ndim != 2:
        raise ValueError(f"state: expected (T, N); got shape {s.shape}")
    T, N = s.shape
    img = hv.Image(
        s.T[::-1], bounds=(0, -0.5, T * dt, N - 0.5), kdims=["time (s)", "neuron"], vdims=[label]
    )
    return img.opts(
        cmap="viridis",
        colorbar=True,
        width=opts.pop("width", 650),
        height=opts.pop("height", 250),
        **opts,
    )


def plot_weights(weights, label: str = "w", **opts):
    """A weight matrix ``[source, target]`` as an image with a diverging colour map."""
    hv = holoviews()
    w = np.asarray(weights, dtype=float)
    if w.ndim != 2:
        raise ValueError(f"weights: expected a 2-D matrix; got shape {w.shape}")
    lim = float(np.abs(w).max()) or 1.0
    img = hv.Image(
        w[::-1],
        bounds=(-0.5, -0.5, w.shape[1] - 0.5, w.shape[0] - 0.5),
        kdims=["target", "source"],
        vdims=[label],
    )
    return img.opts(
        cmap="RdBu_r",
        clim=(-lim, lim),
        colorbar=True,
        width=opts.pop("width", 400),
        height=opts.pop("height", 350),
        **opts,
    )


def plot_eigenspectrum(weights, unit_circle: bool = True, **opts):
    """Eigenvalues of a square weight matrix in the complex plane, with the unit circle."""
    hv = holoviews()
    w = np.asarray(weights, dtype=float)
    if w.ndim != 2 or w.shape[0] != w.shape[1]:
        raise ValueError(f"weights: expected a square matrix; got shape {w.shape}")
    ev = np.linalg.eigvals(w)
    pts = hv.Scatter((ev.real, ev.imag), "Re", "Im").opts(
        size=4, width=opts.pop("width", 350), height=opts.pop("height", 350), **opts
    )
    if not unit_circle:
        return pts
    a = np.linspace(0, 2 * np.pi, 200)
    return hv.Curve((np.cos(a), np.sin(a)), "Re", "Im").opts(color="red", line_dash="dashed") * pts
