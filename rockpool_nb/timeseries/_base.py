"""``TimeSeries``: the time base shared by continuous and event series.

A series owns a non-decreasing vector of times (seconds) and a half-open support
``[t_start, t_stop]``. Subclasses add what lives at those times (samples, channels).
"""

from __future__ import annotations

import collections.abc
import copy
from typing import TypeVar

import numpy as np

from rockpool_nb.timeseries import plotting

__all__ = ["TimeSeries", "TOLERANCE_ABSOLUTE", "TOLERANCE_RELATIVE"]

TS = TypeVar("TS", bound="TimeSeries")

# Times closer than this (seconds) to a limit are treated as lying on it.
TOLERANCE_ABSOLUTE = 1e-9
# ... or closer than this fraction of the series duration (whichever is smaller).
TOLERANCE_RELATIVE = 1e-6


def as_time_vector(times, name: str) -> np.ndarray:
    """Flatten ``times`` to a float vector; reject NaN and decreasing entries.

    Parameters
    ----------
    times : array-like
        Time points in seconds, any shape (flattened).
    name : str
        Name of the series, used in error messages.

    Returns
    -------
    (T,) float array, seconds
    """
    times = np.atleast_1d(np.asarray(times, dtype=float)).flatten()
    if np.isnan(times).any():
        bad = np.flatnonzero(np.isnan(times))[:5].tolist()
        raise ValueError(
            f"TimeSeries `{name}`: times: expected real numbers; got NaN at indices {bad}"
        )
    if (np.diff(times) < 0).any():
        raise ValueError(
            f"TimeSeries `{name}`: times: the time trace must be sorted and not decreasing"
        )
    return times


class TimeSeries:
    """Base class of time series: a time vector and the interval ``[t_start, t_stop]``.

    Parameters
    ----------
    times : array-like, optional
        ``(T,)`` non-decreasing time points in seconds. NaN is rejected.
    periodic : bool
        If ``True`` the series repeats with period ``t_stop - t_start``.
    t_start : float, optional
        Start of the support in seconds; default ``times[0]`` (``0`` when empty). Must not be
        later than the first time point (within 1e-9 s it snaps onto it).
    t_stop : float, optional
        End of the support in seconds; default ``times[-1]`` (``t_start`` when empty). Must not
        precede the last time point (within 1e-9 s it snaps onto it).
    plotting_backend : str, optional
        ``"holoviews"`` or ``"matplotlib"`` for this series; ``None`` uses the global backend.
    name : str
        Name shown by ``repr`` and plots.
    """

    def __init__(
        self,
        times=(),
        periodic: bool = False,
        t_start: float | None = None,
        t_stop: float | None = None,
        plotting_backend: str | None = None,
        name: str = "unnamed",
    ):
        self.name = name
        times = as_time_vector(times, self.name)
        self._times = times
        self.periodic = periodic
        # Limits go through the checked setters (an empty series accepts any t_start).
        self._t_start = 0 if times.size == 0 else times[0]
        self._t_stop = self._t_start if times.size == 0 else times[-1]
        if t_start is not None and times.size == 0:
            self._t_start = float(t_start)
        elif t_start is not None:
            self.t_start = float(t_start)
        if t_stop is None:
            self._t_stop = self._t_start if times.size == 0 else times[-1]
        else:
            self.t_stop = float(t_stop)
        self.set_plotting_backend(plotting_backend, verbose=False)

    # ------------------------------------------------------------------ time base
    @property
    def times(self) -> np.ndarray:
        """``(T,)`` float array of time points, seconds."""
        return self._times

    @times.setter
    def times(self, new_times):
        new_times = as_time_vector(new_times, self.name)
        if new_times.size != self._times.size:
            raise ValueError(
                f"TimeSeries `{self.name}`: times: expected {self._times.size} elements "
                f"(same as the current trace); got {new_times.size}"
            )
        self._times = new_times
        if new_times.size > 0:
            # New times may only widen the support.
            self._t_start = min(self._t_start, new_times[0])
            self._t_stop = max(self._t_stop, self._min_t_stop())

    def _min_t_stop(self) -> float:
        """Smallest admissible ``t_stop`` for the current times."""
        return self._times[-1] if self._times.size > 0 else self._t_start

    @property
    def t_start(self) -> float:
        """Start of the support, seconds."""
        return self._t_start

    @t_start.setter
    def t_start(self, new_start):
        max_start = self._times[0] if self._times.size > 0 else self._t_stop
        if new_start <= max_start:
            self._t_start = new_start
        elif new_start - max_start < TOLERANCE_ABSOLUTE:
            self._t_start = max_start
        else:
            raise ValueError(
                f"TimeSeries `{self.name}`: t_start: expected a value <= {max_start} "
                f"(the first time point); got {new_start}"
            )

    @property
    def t_stop(self) -> float:
        """End of the support, seconds."""
        return self._t_stop

    @t_stop.setter
    def t_stop(self, new_stop):
        min_stop = self._min_t_stop()
        if new_stop >= min_stop:
            self._t_stop = new_stop
        elif min_stop - new_stop < TOLERANCE_ABSOLUTE:
            self._t_stop = min_stop
        else:
            raise ValueError(
                f"TimeSeries `{self.name}`: t_stop must be greater or equal to {min_stop}. "
                f"It was {new_stop}."
            )

    @property
    def duration(self) -> float:
        """``t_stop - t_start``, seconds."""
        return self._t_stop - self._t_start

    @property
    def name(self) -> str:
        """Name of the series (``"unnamed"`` when set to ``None``)."""
        return self._name

    @name.setter
    def name(self, new_name: str | None):
        self._name = "unnamed" if new_name is None else new_name

    # ------------------------------------------------------------------ shifting
    def delay(self: TS, offset: float, inplace: bool = False) -> TS:
        """Shift times, ``t_start`` and ``t_stop`` by ``offset`` seconds.

        Parameters
        ----------
        offset : float
            Shift in seconds (negative moves the series earlier).
        inplace : bool
            Modify this series instead of returning a shifted copy.
        """
        series = self if inplace else self.copy()
        t_start, t_stop = series._t_start, series._t_stop
        if not series.isempty():
            series._shift_times(offset)
        series._t_start = t_start + offset
        series._t_stop = t_stop + offset
        return series

    def _shift_times(self, offset: float) -> None:
        self._times = self._times + offset

    def start_at_zero(self: TS, inplace: bool = False) -> TS:
        """Delay the series so that ``t_start`` becomes 0."""
        return self.delay(-self.t_start, inplace=inplace)

    def start_at(self: TS, t_start: float, inplace: bool = False) -> TS:
        """Delay the series so that ``t_start`` becomes ``t_start`` (seconds)."""
        return self.delay(t_start - self.t_start, inplace=inplace)

    # ------------------------------------------------------------------ inspection
    def isempty(self) -> bool:
        """``True`` when the series has no time points."""
        return self._times.size == 0

    def __len__(self) -> int:
        return self._times.size

    def print(self) -> None:
        """Print ``repr(self)``."""
        print(repr(self))

    def copy(self: TS) -> TS:
        """Deep copy."""
        return copy.deepcopy(self)

    def contains(self, times) -> bool:
        """``True`` if all ``times`` lie in ``[t_start, t_stop]`` (always for periodic series)."""
        return bool(
            self.periodic or (self.t_start <= np.min(times) and self.t_stop >= np.max(times))
        )

    def _modulo_period(self, times):
        """Wrap ``times`` into ``[t_start, t_stop)``: ``t_start + (t - t_start) mod duration``."""
        return self.t_start + np.mod(times - self.t_start, self.duration)

    def _extend_periodic_times(self, t_start: float, t_stop: float) -> np.ndarray:
        """Times of a periodic series repeated to cover ``[t_start, t_stop]``.

        Period ``k`` contributes ``times + k * duration`` for every ``k`` with some overlap;
        the period starting at the series itself is always included.
        """
        d = self.duration
        n_after = int(np.ceil((t_stop - self.t_start) / d)) if t_stop > self.t_stop else 1
        n_before = int(np.ceil((self.t_start - t_start) / d)) if t_start < self.t_start else 0
        periods = np.arange(n_before + n_after) - n_before
        return np.tile(self._times, periods.size) + d * np.repeat(periods, self._times.size)

    # ------------------------------------------------------------------ plotting backend
    def set_plotting_backend(self, backend: str | None, verbose: bool = True) -> None:
        """Choose the plotting backend of this series.

        Parameters
        ----------
        backend : str or None
            ``"holoviews"`` (also ``"holo"``, ``"hv"``, ...), ``"matplotlib"`` (also ``"mpl"``,
            ``"plt"``, ...), or ``None`` to follow the global backend.
        verbose : bool
            Print a confirmation.
        """
        resolved = plotting.resolve_backend(backend)
        self._plotting_backend = resolved
        if verbose:
            what = (
                "Using global plotting backend."
                if resolved is None
                else f"Plotting backend has been set to {resolved}."
            )
            print(f"{type(self).__name__} `{self.name}`: {what}")

    @property
    def plotting_backend(self) -> str | None:
        """Backend used by ``plot()``: this series' own, else the global one."""
        if self._plotting_backend is not None:
            return self._plotting_backend
        return plotting.get_global_ts_plotting_backend()

    # ------------------------------------------------------------------ class helpers
    @classmethod
    def concatenate_t(cls, series, offset=None):
        """Concatenate series in time (``append_t`` of all onto an empty series).

        Parameters
        ----------
        series : TimeSeries or iterable of TimeSeries
            The result has the class of the first element and starts at its ``t_start``.
        offset : float, iterable of float, or None
            Gaps between consecutive series, seconds (see ``append_t``).
        """
        if isinstance(series, cls):
            series = [series]
        elif isinstance(series, collections.abc.Iterable):
            series = list(series)
        else:
            raise TypeError(
                f"{cls.__name__}: series: expected a {cls.__name__} or an iterable of them; "
                f"got {type(series).__name__}"
            )
        if not series:
            return cls()
        first = series[0]
        empty = type(first)(t_start=first.t_start)
        return empty.append_t(series, offset=offset, inplace=False)

    @classmethod
    def load(cls, path, expected_type: str | None = None):
        """Load a series saved with ``save`` (``.npz``).

        Parameters
        ----------
        path : str, Path or file object
        expected_type : str, optional
            ``"TSContinuous"`` or ``"TSEvent"``; only allowed on ``TimeSeries`` itself (a
            subclass always expects its own type).
        """
        from rockpool_nb.timeseries.io import load_ts_from_file

        if cls is not TimeSeries:
            if expected_type is not None:
                raise TypeError(
                    "expected_type: can only be given when calling `TimeSeries.load`; "
                    f"`{cls.__name__}.load` always expects `{cls.__name__}`"
                )
            expected_type = cls.__name__
        return load_ts_from_file(path, expected_type)
