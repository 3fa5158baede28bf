"""Live view of evolving state (needs the ``widgets`` extra)."""

from rockpool_nb.widgets.live.runner import LiveRunner as LiveRunner
from rockpool_nb.widgets.live.sources import PoissonSource as PoissonSource
from rockpool_nb.widgets.live.sources import SineSource as SineSource
from rockpool_nb.widgets.live.sources import TimeSeriesSource as TimeSeriesSource
from rockpool_nb.widgets.live.widget import LiveView as LiveView

__all__ = ["LiveView", "LiveRunner", "PoissonSource", "SineSource", "TimeSeriesSource"]
