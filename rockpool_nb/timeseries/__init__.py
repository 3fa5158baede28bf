"""Time series: continuous signals (``TSContinuous``) and event streams (``TSEvent``).

Rockpool 3.1's time-series API. Plotting libraries are imported only when a plot is drawn.
"""

from rockpool_nb.timeseries._base import TimeSeries as TimeSeries
from rockpool_nb.timeseries.continuous import TSContinuous as TSContinuous
from rockpool_nb.timeseries.dict_on_disk import TSDictOnDisk as TSDictOnDisk
from rockpool_nb.timeseries.event import TSEvent as TSEvent
from rockpool_nb.timeseries.io import load_ts_from_file as load_ts_from_file
from rockpool_nb.timeseries.plotting import (
    get_global_ts_plotting_backend as get_global_ts_plotting_backend,
)
from rockpool_nb.timeseries.plotting import (
    set_global_ts_plotting_backend as set_global_ts_plotting_backend,
)

__all__ = [
    "TimeSeries",
    "TSContinuous",
    "TSEvent",
    "TSDictOnDisk",
    "load_ts_from_file",
    "set_global_ts_plotting_backend",
    "get_global_ts_plotting_backend",
]
