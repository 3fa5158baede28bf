"""Input sources for live runs: each produces the next ``steps`` of input on demand, with
parameters that sliders can change while the network runs."""

from __future__ import annotations

import numpy as np

__all__ = ["PoissonSource", "SineSource", "TimeSeriesSource", "default_source"]


class PoissonSource:
    """Poisson spike counts on ``channels`` inputs at ``rate`` Hz (per channel)."""

    controls = {"rate": (0.0, 200.0, 1.0, "input rate (Hz)")}

    def __init__(self, channels: int, rate: float = 20.0, dt: float = 1e-3, seed=None):
        self.channels, self.rate, self.dt = int(channels), float(rate), float(dt)
        self._rng = np.random.default_rng(seed)

    def __call__(self, t0: int, steps: int) -> np.ndarray:
        return (self._rng.random((steps, self.channels)) < self.rate * self.dt).astype(float)


class SineSource:
    """A sine of ``amplitude`` and ``frequency`` Hz on every channel (plus ``offset``)."""

    controls = {
        "amplitude": (0.0, 5.0, 0.05, "amplitude"),
        "frequency": (0.1, 50.0, 0.1, "frequency (Hz)"),
        "offset": (-2.0, 2.0, 0.05, "offset"),
    }

    def __init__(
        self,
        channels: int,
        amplitude: float = 1.0,
        frequency: float = 5.0,
        offset: float = 0.0,
        dt: float = 1e-3,
    ):
        self.channels, self.amplitude, self.frequency, self.offset, self.dt = (
            int(channels),
            float(amplitude),
            float(frequency),
            float(offset),
            float(dt),
        )

    def __call__(self, t0: int, steps: int) -> np.ndarray:
        t = (t0 + np.arange(steps)) * self.dt
        y = self.offset + self.amplitude * np.sin(2 * np.pi * self.frequency * t)
        return np.repeat(y[:, None], self.channels, axis=1)


class TimeSeriesSource:
    """A ``TimeSeries`` (``TSContinuous`` sampled every ``dt``, or ``TSEvent`` rasterised) played
    back, looping at its end."""

    controls: dict = {}

    def __init__(self, ts, dt: float = 1e-3):
        from rockpool_nb.timeseries import TSEvent

        if isinstance(ts, TSEvent):
            data = ts.raster(dt, add_events=True).astype(float)
        else:
            data = ts(np.arange(ts.t_start, ts.t_stop, dt))
        self.data = np.asarray(data, dtype=float).reshape(-1, np.asarray(data).shape[-1])
        self.channels, self.dt = self.data.shape[1], float(dt)

    def __call__(self, t0: int, steps: int) -> np.ndarray:
        idx = (t0 + np.arange(steps)) % self.data.shape[0]
        return self.data[idx]


def default_source(net) -> PoissonSource:
    """The input used when none is given: Poisson spikes at 20 Hz on every input of ``net``."""
    return PoissonSource(net.size_in, rate=20.0, dt=float(getattr(net, "dt", 1e-3) or 1e-3))
