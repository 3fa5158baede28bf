"""``LiveView``: watch a network evolve in the notebook, change its parameters while it runs.

The network runs in a background thread (numba kernels release the GIL, so the notebook stays
responsive) in chunks; each chunk is one binary message to the browser, where the ES module
(``widgets/live_view.js``) keeps ring buffers and draws membrane traces (min/max per pixel
column), the spike raster and the population rate on a canvas.
"""

from __future__ import annotations

import time

from rockpool_nb.widgets.graph_builder.widget import _asset_dir, load_esm
from rockpool_nb.widgets.live.control import LiveControls
from rockpool_nb.widgets.live.runner import LiveRunner
from rockpool_nb.widgets.live.sources import default_source

__all__ = ["LiveView"]

try:
    import anywidget
    import traitlets
except ImportError as err:  # pragma: no cover - the widgets extra is missing
    raise ImportError("LiveView needs anywidget: pip install 'rockpool_nb[widgets]'") from err


class LiveView(LiveControls, anywidget.AnyWidget):
    """Live view of ``net`` driven by ``source`` (Poisson spikes at 20 Hz by default).

    Buttons: Run, Pause, Step (one chunk), Reset, and a speed factor. Sliders come from the
    network's parameters (time constants, bias, threshold, weight gains) and from the source
    (rate, amplitude, frequency); a change applies from the next chunk. Every control is also a
    method: :meth:`run`, :meth:`pause`, :meth:`step`, :meth:`reset`, :meth:`set`.

    Parameters
    ----------
    net : Module
    source : callable, optional
        ``source(t0, steps) -> (steps, size_in)`` (see :mod:`rockpool_nb.widgets.live.sources`).
    chunk : int
        Time steps per chunk (and per message).
    window : int
        Steps shown on the canvas.
    """

    _esm = load_esm("live_view.js", "live_view_logic.js")
    _css = (_asset_dir() / "live_view.css").read_text()

    controls = traitlets.Dict().tag(sync=True)
    values = traitlets.Dict().tag(sync=True)
    status = traitlets.Unicode("idle").tag(sync=True)
    window = traitlets.Int(2000).tag(sync=True)

    def __init__(self, net, source=None, chunk: int = 50, window: int = 2000, **runner_kwargs):
        super().__init__()
        if source is None:
            source = default_source(net)
        self.runner = LiveRunner(
            net,
            source,
            chunk=chunk,
            on_chunk=self._send_chunk,
            on_end=self._after_run,
            **runner_kwargs,
        )
        self.window = int(window)
        self.controls = {k: list(v[:4]) for k, v in self.runner.controls.items()}
        self.values = dict(self.runner.values)
        self.messages_sent = 0
        self._pipe = None
        self._last_pipe = 0.0
        self.on_msg(self._on_message)

    def close(self) -> None:
        """Stop the run and close the widget: no thread is left running."""
        self.runner.pause()
        super().close()

    def dynamic_map(self, rate_hz: float = 2.0):
        """A HoloViews ``DynamicMap`` of the membrane traces fed by a ``Pipe``, updated at most
        ``rate_hz`` times per second: for composing dashboards at human pace."""
        import holoviews as hv
        from holoviews.streams import Pipe

        from rockpool_nb.viz.traces import plot_traces

        self._pipe = Pipe(data=[])
        self._pipe_period = 1.0 / rate_hz
        dt = self.runner.dt

        def view(data):
            import numpy as np

            arr = np.asarray(data, dtype=float)
            if arr.size == 0:
                arr = np.zeros((1, max(1, len(self.runner.trace_neurons))))
            return plot_traces(arr, dt=dt)

        return hv.DynamicMap(view, streams=[self._pipe])

    # --------------------------------------------------------------------------- plumbing
    def _send_chunk(self, header: dict, buffers: list[bytes]) -> None:
        self.send(dict(header, kind="chunk"), buffers)
        self.messages_sent += 1
        self._after_chunk()
        if self._pipe is not None and time.monotonic() - self._last_pipe > self._pipe_period:
            self._last_pipe = time.monotonic()
            rec = self.runner.recording()
            if "vmem" in rec:
                self._pipe.send(rec["vmem"].samples[-self.window :])

    def _on_message(self, _widget, msg: dict, _buffers) -> None:
        self._dispatch(msg)
