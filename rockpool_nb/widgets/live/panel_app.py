"""The live view as a served Panel app, for teaching: ``live_app(net).servable()``.

It runs **the same ES module** as the notebook widget (``widgets/live_view.js``) in Panel's
``pn.custom.AnyWidgetComponent``, which shims anywidget's ``model.get/set/save_changes/on``. Two
things differ from anywidget, and the module handles both (``live_view_logic.js``):

- Python -> browser: ``AnyWidgetComponent.send`` takes one message and no separate buffers, so a
  chunk goes as ``{"kind": "chunk", ..., "buffers": [bytes, bytes, bytes]}``. Bokeh serialises
  ``bytes`` as binary websocket frames (no base64), and the browser receives ``ArrayBuffer``\\ s.
- browser -> Python: the shim has no ``model.send``, so commands are written to a synced
  ``command`` property (numbered, so Step twice is two changes) and dispatched by a watcher.

Chunks are sent from the runner's thread; Panel queues them on the session's event loop
(``doc.add_next_tick_callback``). Closing the browser tab stops the run (no thread left).

Usage (``app.py``, then ``panel serve app.py``)::

    from rockpool_nb.widgets.live import live_app
    live_app(net).servable()
"""

from __future__ import annotations

import functools

from rockpool_nb.widgets.graph_builder.widget import _asset_dir, load_esm
from rockpool_nb.widgets.live.control import LiveControls
from rockpool_nb.widgets.live.runner import LiveRunner
from rockpool_nb.widgets.live.sources import default_source

__all__ = ["live_app"]  # and LivePanel, created on first access (module __getattr__)


def _panel():
    try:
        import panel as pn
        import param
    except ImportError as err:
        raise ImportError(
            "the served live view needs Panel: pip install 'rockpool_nb[widgets]'"
        ) from err
    return pn, param


@functools.cache
def _component_class():
    """``LivePanel`` is defined on first use, so importing this module does not import Panel."""
    pn, param = _panel()

    class LivePanel(LiveControls, pn.custom.AnyWidgetComponent):
        """Live view of ``net`` in a Panel app (parameters as :class:`LiveView`)."""

        controls = param.Dict(default={}, doc="Slider specs name -> [min, max, step, label].")
        values = param.Dict(default={}, doc="Current value of each control.")
        status = param.String(default="idle", doc="Status line (see live.control).")
        window = param.Integer(default=2000, bounds=(1, None), doc="Steps shown on the canvas.")
        command = param.Dict(default={}, doc="Last command from the browser, with a number.")

        _esm = load_esm("live_view.js", "live_view_logic.js")
        _stylesheets = [(_asset_dir() / "live_view.css").read_text()]

        def __init__(self, net, source=None, chunk: int = 50, window: int = 2000, **runner_kwargs):
            super().__init__(window=int(window))
            self.runner = LiveRunner(
                net,
                default_source(net) if source is None else source,
                chunk=chunk,
                on_chunk=self._send_chunk,
                on_end=self._after_run,
                **runner_kwargs,
            )
            self.controls = {k: list(v[:4]) for k, v in self.runner.controls.items()}
            self.values = dict(self.runner.values)
            self.messages_sent = 0
            self.param.watch(self._on_command, "command")
            if pn.state.curdoc is not None and pn.state.curdoc.session_context is not None:
                pn.state.on_session_destroyed(lambda _ctx: self.runner.pause())

        def close(self) -> None:
            """Stop the run: no thread is left running."""
            self.runner.pause()

        def _send_chunk(self, header: dict, buffers: list[bytes]) -> None:
            self.send(dict(header, kind="chunk", buffers=list(buffers)))
            self.messages_sent += 1
            self._after_chunk()

        def _on_command(self, event) -> None:
            self._dispatch(dict(event.new))

    LivePanel.__module__ = __name__
    return LivePanel


def __getattr__(name: str):
    if name == "LivePanel":
        return _component_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def live_app(net, source=None, title: str = "rockpool_nb live view", **kwargs):
    """A Panel layout (title + live view) to ``.servable()`` or show in a notebook.

    Parameters
    ----------
    net : Module
    source : callable, optional
        ``source(t0, steps) -> (steps, size_in)``; Poisson spikes at 20 Hz by default.
    title : str
        Heading shown above the view.
    **kwargs
        Passed to :class:`LivePanel` (``chunk``, ``window``, ``speed``, ``trace_neurons``, ...).

    Returns
    -------
    panel.Column
        ``[Markdown title, LivePanel]``; the view is ``layout[1]`` (its methods ``run``,
        ``pause``, ``step``, ``reset``, ``set``, ``recording`` work as in the notebook).
    """
    pn, _ = _panel()
    view = _component_class()(net, source=source, **kwargs)
    return pn.Column(pn.pane.Markdown(f"## {title}"), view)
