"""Plotting backend selection and ``plot()`` for time series.

The simulation core never imports a plotting library: this module only looks up whether
matplotlib / holoviews are installed (``importlib.util.find_spec``) until a plot is drawn.
With the holoviews backend, drawing is delegated to ``rockpool_nb.viz.plot_continuous`` /
``rockpool_nb.viz.plot_events`` when that package provides them; otherwise simple
``hv.Curve`` / ``hv.Scatter`` elements are built here.
"""

from __future__ import annotations

import importlib
import importlib.util

import numpy as np

__all__ = [
    "set_global_ts_plotting_backend",
    "get_global_ts_plotting_backend",
    "resolve_backend",
    "plot_continuous",
    "plot_events",
]

_HOLOVIEWS_NAMES = ("holoviews", "holo", "Holoviews", "HoloViews", "hv")
_MATPLOTLIB_NAMES = ("matplotlib", "mpl", "mp", "pyplot", "plt")


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _default_backend() -> str | None:
    if _installed("matplotlib"):
        return "matplotlib"
    if _installed("holoviews"):
        return "holoviews"
    return None


_global_backend: str | None = _default_backend()


def resolve_backend(backend: str | None) -> str | None:
    """Canonical backend name (``"holoviews"``, ``"matplotlib"`` or ``None``).

    Raises
    ------
    RuntimeError
        The requested library is not installed.
    ValueError
        The name is not recognised.
    """
    if backend is None:
        return None
    if backend in _HOLOVIEWS_NAMES:
        if not _installed("holoviews"):
            raise RuntimeError(
                "Holoviews is not available (pip install 'rockpool_nb[viz]' to install it)."
            )
        return "holoviews"
    if backend in _MATPLOTLIB_NAMES:
        if not _installed("matplotlib"):
            raise RuntimeError(
                "Matplotlib is not available (pip install 'rockpool_nb[viz]' to install it)."
            )
        return "matplotlib"
    raise ValueError(
        f"backend: expected one of {_HOLOVIEWS_NAMES + _MATPLOTLIB_NAMES} or None; got {backend!r}"
    )


def set_global_ts_plotting_backend(backend: str | None, verbose: bool = True) -> None:
    """Set the plotting backend used by every series without its own backend.

    Parameters
    ----------
    backend : str or None
        ``"holoviews"``/``"hv"``/... or ``"matplotlib"``/``"mpl"``/``"plt"``/...; ``None`` unsets.
    verbose : bool
        Print a confirmation.
    """
    global _global_backend
    _global_backend = resolve_backend(backend)
    if verbose:
        if _global_backend is None:
            print("No global plotting backend is set.")
        else:
            print(f"Global plotting backend has been set to {_global_backend}.")


def get_global_ts_plotting_backend() -> str | None:
    """The global plotting backend: ``"matplotlib"``, ``"holoviews"`` or ``None``."""
    return _global_backend


def _import(module: str):
    try:
        return importlib.import_module(module)
    except ImportError as err:
        raise ImportError(
            f"plotting needs {module.split('.')[0]}: pip install 'rockpool_nb[viz]'"
        ) from err


def _viz_function(name: str):
    """``rockpool_nb.viz.<name>`` if the viz package provides it, else ``None``."""
    try:
        viz = importlib.import_module("rockpool_nb.viz")
    except ImportError:
        return None
    return getattr(viz, name, None)


def _is_hv_target(target) -> bool:
    if not _installed("holoviews"):
        return False
    hv = _import("holoviews")
    return isinstance(target, (hv.Curve, hv.Overlay))


def _is_mpl_axes(target) -> bool:
    if not _installed("matplotlib"):
        return False
    return isinstance(target, _import("matplotlib.axes").Axes)


def _unrecognised_target(ts, target):
    return TypeError(
        f"{type(ts).__name__} `{ts.name}`: target: expected a matplotlib Axes or a holoviews "
        f"Curve/Overlay (with that library installed); got {type(target).__name__}"
    )


def plot_continuous(
    ts, times=None, target=None, channels=None, stagger=None, skip=None, dt=None, *args, **kwargs
):
    """Plot a ``TSContinuous`` (implementation of ``TSContinuous.plot``).

    Parameters
    ----------
    ts : TSContinuous
    times : array-like, optional
        ``(T,)`` times in seconds at which to sample; default the sample times.
    target : matplotlib Axes or holoviews Curve/Overlay, optional
        Draw into this instead of a new figure/element.
    channels : int or array-like, optional
        Channels to draw.
    stagger : float, optional
        Vertical offset added per channel: ``y_c + c * stagger``.
    skip : int, optional
        Draw every ``skip``-th channel.
    dt : float, optional
        Sample on ``arange(t_start, t_stop, dt)`` when ``times`` is not given.
    """
    if target is None and ts.plotting_backend == "holoviews":
        fn = _viz_function("plot_continuous")
        if fn is not None:
            return fn(
                ts, times=times, channels=channels, stagger=stagger, skip=skip, dt=dt, **kwargs
            )
    if dt is not None and times is None:
        times = np.arange(ts.t_start, ts.t_stop, dt)
    if times is not None:
        samples = ts(times)
    else:
        times, samples = ts.times, ts.samples
    times = np.atleast_1d(times)
    if channels is not None:
        samples = samples[:, channels]
    if skip:
        samples = samples[:, ::skip]
    if stagger:
        samples = samples + np.arange(samples.shape[1]) * stagger

    if target is None:
        backend = ts.plotting_backend
        if backend == "holoviews":
            hv = _import("holoviews")
            curves = [_hv_curve(hv, times, trace, args, kwargs) for trace in samples.T]
            if len(curves) > 1:
                return hv.Overlay(curves).relabel(group=ts.name)
            return curves[0].relabel(ts.name)
        if backend == "matplotlib":
            plt = _import("matplotlib.pyplot")
            kwargs.setdefault("label", ts.name)
            ax = plt.gca()
            if ax.get_ylabel() == "" and ts.units is not None:
                ax.set_ylabel(ts.units)
            if ax.get_xlabel() == "":
                ax.set_xlabel("Time (s)")
            if ax.get_title() == "" and ts.name != "unnamed":
                ax.set_title(ts.name)
            ax.set_xlim(times[0], times[-1])
            return ax.plot(times, samples, *args, **kwargs)
        raise RuntimeError(f"TSContinuous: `{ts.name}`: No plotting back-end set.")

    if _is_hv_target(target):
        hv = _import("holoviews")
        for trace in samples.T:
            target *= _hv_curve(hv, times, trace, args, kwargs)
        return target.relabel(group=ts.name)
    if _is_mpl_axes(target):
        kwargs.setdefault("label", ts.name)
        target.plot(times, samples, *args, **kwargs)
        return target
    raise _unrecognised_target(ts, target)


def _hv_curve(hv, times, trace, args, kwargs):
    curve = hv.Curve((times, trace)).redim(x="Time")
    return curve.options(*args, **kwargs) if (args or kwargs) else curve


def plot_events(ts, time_limits=None, target=None, channels=None, *args, **kwargs):
    """Plot a ``TSEvent`` as a raster of dots (implementation of ``TSEvent.plot``).

    Parameters
    ----------
    ts : TSEvent
    time_limits : (float or None, float or None), optional
        Plot events in ``[start, stop)`` seconds; ``None`` entries use the series limits.
    target : matplotlib Axes or holoviews Curve/Overlay, optional
    channels : int or array-like, optional
        Channels to draw.
    """
    if time_limits is None:
        t_start, t_stop = ts.t_start, ts.t_stop
    else:
        message = f"TSEvent `{ts.name}`: time_limits: expected None or a tuple of length 2"
        try:
            if len(time_limits) != 2:
                raise ValueError(f"{message}; got length {len(time_limits)}")
        except TypeError as err:
            raise TypeError(f"{message}; got {time_limits!r}") from err
        t_start = ts.t_start if time_limits[0] is None else time_limits[0]
        t_stop = ts.t_stop if time_limits[1] is None else time_limits[1]

    if target is None and ts.plotting_backend == "holoviews":
        fn = _viz_function("plot_events")
        if fn is not None:
            return fn(ts, time_limits=(t_start, t_stop), channels=channels, **kwargs)

    times, event_channels = ts(t_start, t_stop, channels)
    if target is None:
        backend = ts.plotting_backend
        if backend == "holoviews":
            hv = _import("holoviews")
            scatter = hv.Scatter((times, event_channels), *args, **kwargs)
            return scatter.redim(x="Time", y="Channel").relabel(ts.name)
        if backend == "matplotlib":
            plt = _import("matplotlib.pyplot")
            kwargs.setdefault("label", ts.name)
            ax = plt.gca()
            if ax.get_ylabel() == "":
                ax.set_ylabel("Channels")
            if ax.get_xlabel() == "":
                ax.set_xlabel("Time (s)")
            if ax.get_title() == "" and ts.name != "unnamed":
                ax.set_title(ts.name)
            ax.set_xlim(ts.t_start, ts.t_stop)
            ax.set_ylim(-1, ts.num_channels)
            return ax.scatter(times, event_channels, *args, **kwargs)
        raise RuntimeError(f"TSEvent: `{ts.name}`: No plotting back-end set.")

    if _is_hv_target(target):
        hv = _import("holoviews")
        scatter = hv.Scatter((times, event_channels), *args, **kwargs)
        target *= scatter.redim(x="Time", y="Channel").relabel(ts.name)
        return target.relabel(group=ts.name)
    if _is_mpl_axes(target):
        kwargs.setdefault("label", ts.name)
        target.scatter(times, event_channels, *args, **kwargs)
        return target
    raise _unrecognised_target(ts, target)
