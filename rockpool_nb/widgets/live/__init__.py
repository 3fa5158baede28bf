"""Live view of evolving state (needs the ``widgets`` extra): :class:`LiveView` in a notebook,
:func:`live_app` (Panel, ``.servable()``) in a served app."""

from rockpool_nb.widgets.live.panel_app import live_app as live_app
from rockpool_nb.widgets.live.runner import LiveRunner as LiveRunner
from rockpool_nb.widgets.live.sources import PoissonSource as PoissonSource
from rockpool_nb.widgets.live.sources import SineSource as SineSource
from rockpool_nb.widgets.live.sources import TimeSeriesSource as TimeSeriesSource
from rockpool_nb.widgets.live.widget import LiveView as LiveView

__all__ = ["LiveView", "LiveRunner", "live_app", "PoissonSource", "SineSource", "TimeSeriesSource"]
