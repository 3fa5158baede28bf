"""rockpool_nb: build, simulate, watch, train and deploy spiking and dynamical neural networks.

The API is Rockpool's (rename ``rockpool`` to ``rockpool_nb``); the simulation core is numba.
Top-level names are loaded on first use, so ``import rockpool_nb`` stays light.
"""

from importlib import import_module

from rockpool_nb._version import __version__

__all__ = [
    "__version__",
    "TimeSeries",
    "TSContinuous",
    "TSEvent",
    "TSDictOnDisk",
    "load_ts_from_file",
    "set_global_ts_plotting_backend",
    "get_global_ts_plotting_backend",
    "save",
    "load",
]

_LAZY = {
    "TimeSeries": "rockpool_nb.timeseries",
    "TSContinuous": "rockpool_nb.timeseries",
    "TSEvent": "rockpool_nb.timeseries",
    "TSDictOnDisk": "rockpool_nb.timeseries",
    "load_ts_from_file": "rockpool_nb.timeseries",
    "set_global_ts_plotting_backend": "rockpool_nb.timeseries",
    "get_global_ts_plotting_backend": "rockpool_nb.timeseries",
    "save": "rockpool_nb.io",
    "load": "rockpool_nb.io",
}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'rockpool_nb' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
