"""A training run's loss history, drawn while it trains.

``fit(..., callback=history)`` calls the history after every optimiser step; the history sends
its points through a HoloViews ``Pipe`` to a ``DynamicMap`` at human pace (at most every
``interval`` seconds, so a 3 ms training step does not flood the notebook with redraws), and
:func:`rockpool_nb.training.fit` flushes the last point when training ends.
"""

from __future__ import annotations

import math
import time

import numpy as np

from rockpool_nb.viz._hv import holoviews

__all__ = ["LossHistory"]


class LossHistory:
    """Loss per optimiser step, as a live HoloViews curve.

    Parameters
    ----------
    interval : float
        Shortest time between redraws, seconds.
    logy : bool
        Logarithmic loss axis.

    Examples
    --------
    >>> history = LossHistory()                          # doctest: +SKIP
    >>> history.plot()                                   # shown in one cell ...
    >>> fit(net, losses.mse, x, y, steps=500, callback=history)   # ... updates while this runs
    """

    def __init__(self, interval: float = 0.25, logy: bool = True):
        if not (isinstance(interval, (int, float)) and math.isfinite(interval) and interval >= 0):
            raise ValueError(
                f"interval: expected a finite number of seconds >= 0; got {interval!r}"
            )
        hv = holoviews()
        self.interval = float(interval)
        self.logy = bool(logy)
        self.steps: list[int] = []
        self.losses: list[float] = []
        self.pipe = hv.streams.Pipe(data=self._data())
        self._last_send = -math.inf

    def __call__(self, step: int, loss: float, params=None) -> None:
        """Record ``loss`` at optimiser ``step`` (the signature of ``fit``'s ``callback``)."""
        self.steps.append(int(step))
        self.losses.append(float(loss))
        now = time.monotonic()
        if now - self._last_send >= self.interval:
            self.flush(now)

    def flush(self, now: float | None = None) -> None:
        """Send every recorded point to the plot now."""
        self._last_send = time.monotonic() if now is None else now
        self.pipe.send(self._data())

    def _data(self) -> tuple[np.ndarray, np.ndarray]:
        return np.asarray(self.steps, dtype=float), np.asarray(self.losses, dtype=float)

    def plot(self, **opts):
        """A ``DynamicMap`` of the loss against the step, redrawn as points arrive."""
        hv = holoviews()
        opts = {"width": 500, "height": 250, "logy": self.logy, "framewise": True, **opts}

        def curve(data):
            return hv.Curve(data, "step", "loss").opts(**opts)

        return hv.DynamicMap(curve, streams=[self.pipe])
