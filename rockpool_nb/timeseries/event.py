"""``TSEvent``: discrete events (e.g. spikes), each a time and a channel."""

from __future__ import annotations

import numbers

import numpy as np

from rockpool_nb.timeseries._base import TimeSeries, as_time_vector
from rockpool_nb.timeseries.event_combine import EventCombine
from rockpool_nb.timeseries.event_raster import EventRaster

__all__ = ["TSEvent"]


def _after(t: float) -> float:
    """Smallest admissible ``t_stop`` for a last event at ``t``: strictly later than ``t`` and at
    least ``t + resolution(float64)`` (1e-15 s)."""
    return max(t + np.finfo(float).resolution, np.nextafter(t, np.inf))


class TSEvent(EventRaster, EventCombine, TimeSeries):
    """A stream of events, each at a time (seconds) on an integer channel.

    Parameters
    ----------
    times : array-like, optional
        ``(N,)`` non-decreasing event times, seconds. NaN is rejected.
    channels : int or array-like, optional
        ``(N,)`` channel of each event (cast to int), or one int for all events; default 0.
    periodic : bool
        Repeat with period ``t_stop - t_start``.
    t_start : float, optional
        Start of the support, seconds; default the first event time (0 if empty).
    t_stop : float, optional
        End of the support, seconds; must be later than every event. Default: just after the
        last event (``max(t + 1e-15, nextafter(t))``; Rockpool requires it).
    name : str, optional
    num_channels : int, optional
        Default ``max(channels) + 1``; smaller values raise ``ValueError``.
    """

    def __init__(
        self,
        times=None,
        channels=None,
        periodic: bool = False,
        t_start: float | None = None,
        t_stop: float | None = None,
        name: str | None = None,
        num_channels: int | None = None,
    ):
        name = "unnamed" if name is None else name
        times = as_time_vector([] if times is None else times, name)
        if times.size > 0:
            if t_stop is None:
                t_stop = _after(times[-1])
            elif not np.max(times) < t_stop:
                raise ValueError(
                    f"TSEvent `{name}`: t_stop: expected a value strictly greater than the "
                    f"largest entry in `times` ({np.max(times)}); got {t_stop}"
                )
        if channels is None or np.size(channels) == 0:
            channels = np.zeros(times.size)
            min_num_ch = min(times.size, 1)
        elif isinstance(channels, numbers.Integral):
            min_num_ch = int(channels) + 1
            channels = np.full(times.size, int(channels))
        else:
            if np.size(channels) != times.size:
                raise ValueError(
                    f"TSEvent `{name}`: channels: expected an int, None, or {times.size} "
                    f"elements (one per event); got {np.size(channels)} elements"
                )
            min_num_ch = int(np.amax(channels)) + 1
        if num_channels is None:
            num_channels = min_num_ch
        elif num_channels < min_num_ch:
            raise ValueError(
                f"TSEvent `{name}`: num_channels: expected None or at least {min_num_ch} "
                f"(highest channel ID + 1); got {num_channels}"
            )
        super().__init__(times=times, periodic=periodic, t_start=t_start, t_stop=t_stop, name=name)
        self._num_channels = int(num_channels)
        self._channels = np.zeros(0, int)
        self.channels = np.array(channels, dtype=int).flatten()

    def _min_t_stop(self) -> float:
        return _after(self._times[-1]) if self._times.size > 0 else self._t_start

    # ------------------------------------------------------------------ data
    @property
    def channels(self) -> np.ndarray:
        """``(N,)`` int array: channel of each event."""
        return self._channels

    @channels.setter
    def channels(self, new_channels):
        new_channels = np.asarray(new_channels)
        if new_channels.size not in (1, self._times.size):
            raise ValueError(
                f"TSEvent `{self.name}`: channels: expected 1 or {self._times.size} elements "
                f"(same as `times`); got {new_channels.size}"
            )
        if new_channels.size == 1:
            new_channels = np.repeat(new_channels.reshape(1), self._times.size)
        if new_channels.size > 0:
            highest = int(np.amax(new_channels))
            if self._num_channels <= highest:
                self._num_channels = highest + 1
        self._channels = new_channels

    @property
    def num_channels(self) -> int:
        """Number of channels (at least the highest channel ID + 1)."""
        return self._num_channels

    @num_channels.setter
    def num_channels(self, new_num_ch):
        min_num_ch = int(np.amax(self._channels)) + 1 if self._channels.size > 0 else 0
        if new_num_ch < min_num_ch:
            raise ValueError(
                f"TSEvent `{self.name}`: num_channels: expected at least {min_num_ch}; "
                f"got {new_num_ch}"
            )
        self._num_channels = int(new_num_ch)

    # ------------------------------------------------------------------ selection
    def _matching_channels(self, channels, event_channels) -> np.ndarray:
        """Mask of ``event_channels`` that are in ``channels`` (all channels if ``None``)."""
        if channels is None:
            channels = np.arange(self.num_channels)
        else:
            channels = np.asarray(channels)
            if channels.size > 0 and not (
                np.min(channels) >= 0 and np.max(channels) < self.num_channels
            ):
                raise IndexError(
                    f"TSEvent `{self.name}`: channels: expected values between 0 and "
                    f"{self.num_channels - 1}; got {np.unique(channels).tolist()}"
                )
        return np.isin(event_channels, channels)

    def __call__(self, t_start=None, t_stop=None, channels=None):
        """Events in ``[t_start, t_stop)`` on ``channels``.

        Returns
        -------
        times : (M,) float array, seconds
        channels : (M,) int array
            For periodic series the events are repeated over every period that overlaps.
        """
        t_start = self.t_start if t_start is None else t_start
        t_stop = self.t_stop if t_stop is None else t_stop
        if t_stop < t_start:
            t_start, t_stop = t_stop, t_start
        if self.periodic and self._times.size > 0:
            all_times = self._extend_periodic_times(t_start, t_stop)
            all_channels = np.tile(self._channels, all_times.size // self._times.size)
        else:
            all_times, all_channels = self._times, self._channels
        choose = (
            (all_times >= t_start)
            & (all_times < t_stop)
            & self._matching_channels(channels, all_channels)
        )
        return all_times[choose], all_channels[choose]

    def clip(
        self,
        t_start: float | None = None,
        t_stop: float | None = None,
        channels=None,
        remap_channels: bool = False,
        inplace: bool = False,
    ) -> TSEvent:
        """Keep the events in ``[t_start, t_stop)`` on ``channels``.

        The given limits become the new ``t_start`` / ``t_stop``. With ``remap_channels`` the
        kept channels are renumbered ``0..k-1`` (in increasing order) and ``num_channels``
        becomes the number of distinct requested channels.
        """
        times, event_channels = self(t_start, t_stop, channels)
        series = self if inplace else self.copy()
        series._times = times
        if t_start is not None:
            series._t_start = t_start
        if t_stop is not None:
            series._t_stop = t_stop
        if remap_channels:
            if event_channels.size > 0:
                _, event_channels = np.unique(event_channels, return_inverse=True)
            kept = np.unique(channels) if channels is not None else np.unique(event_channels)
            series._num_channels = int(kept.size)
        series._channels = np.asarray(event_channels, dtype=int).reshape(-1)
        return series

    def remap_channels(self, channel_map, inplace: bool = False) -> TSEvent:
        """Renumber channels: ``channels = channel_map[channels]``.

        Parameters
        ----------
        channel_map : (num_channels,) int array-like
        """
        channel_map = np.asarray(channel_map)
        if channel_map.size != self.num_channels:
            raise ValueError(
                f"TSEvent `{self.name}`: channel_map: expected {self.num_channels} elements "
                f"(one per channel); got {channel_map.size}"
            )
        series = self if inplace else self.copy()
        series.channels = channel_map[series.channels]
        return series

    def __getitem__(self, index) -> TSEvent:
        """Select events by index (int, slice, array); limits and ``num_channels`` are kept."""
        series = self.copy()
        series._times = np.atleast_1d(self._times[index])
        series._channels = np.atleast_1d(self._channels[index])
        return series

    # ------------------------------------------------------------------ display and export
    def __repr__(self) -> str:
        if self.isempty():
            return f"Empty `TSEvent` object `{self.name}` from t={self.t_start} to t={self.t_stop}."
        return (
            f"{'' if self.periodic else 'non-'}periodic `TSEvent` object `{self.name}` from "
            f"t={self.t_start} to {self.t_stop}. Channels: {self.num_channels}. "
            f"Events: {self._times.size}"
        )

    def print(
        self, full: bool = False, num_first: int = 4, num_last: int = 4, limit_shorten: int = 10
    ) -> None:
        """Print ``repr``, a ``Time \\t Ch.-ID`` header and one ``"{t}: \\t {channel}"`` line per
        event (first ``num_first`` and last ``num_last`` beyond ``limit_shorten`` events)."""

        def lines(times, channels):
            return [f"{t}: \t {c}" for t, c in zip(times, channels)]

        if full or len(self._times) <= limit_shorten:
            body = lines(self._times, self._channels)
        else:
            body = lines(self._times[:num_first], self._channels[:num_first])
            body.append("\t...")
            body += lines(self._times[-num_last:], self._channels[-num_last:])
        print("\n".join([repr(self), "Time \t Ch.-ID", *body]))

    def __iter__(self):
        """Yield ``(t, channel)`` pairs."""
        yield from zip(self._times, self._channels)

    def plot(self, time_limits=None, target=None, channels=None, *args, **kwargs):
        """Plot the events (see :func:`rockpool_nb.timeseries.plotting.plot_events`).

        With holoviews: ``hv.Scatter`` with dims ``Time`` / ``Channel``; with matplotlib:
        ``ax.scatter`` on the current axes with y limits ``-1 .. num_channels``.
        """
        from rockpool_nb.timeseries.plotting import plot_events

        return plot_events(self, time_limits, target, channels, *args, **kwargs)

    def to_dict(self, dtype_times=None, dtype_channels=None) -> dict:
        """Arrays describing this series (the ``.npz`` layout written by ``save``).

        Keys ``times``, ``channels``, ``t_start``, ``t_stop``, ``periodic``, ``num_channels`` and
        flag keys ``name_<name>``, ``type_TSEvent`` (empty arrays).
        """
        times, t_start, t_stop = self._times, self.t_start, self.t_stop
        if dtype_times is not None:
            times = times.astype(dtype_times)
            t_start = np.clip(t_start, None, np.min(times))
            t_stop = np.clip(t_stop, np.max(times) + np.finfo(dtype_times).resolution, None)
        channels = self._channels
        if dtype_channels is not None:
            if np.iinfo(dtype_channels).max < self.num_channels:
                raise ValueError(
                    f"TSEvent `{self.name}`: dtype_channels: type `{dtype_channels}` cannot hold "
                    f"{self.num_channels} channels"
                )
            channels = channels.astype(dtype_channels)
        return {
            "times": times,
            "channels": channels,
            "t_start": np.array(t_start),
            "t_stop": np.array(t_stop),
            "periodic": np.array(self.periodic),
            "num_channels": np.array(self.num_channels),
            f"name_{self.name}": np.array([]),
            "type_TSEvent": np.array([]),
        }

    def save(self, path, verbose: bool = False, dtype_times=None, dtype_channels=None) -> None:
        """Write the series to ``path`` (``.npz``; see ``to_dict``)."""
        from rockpool_nb.timeseries.io import save_npz

        save_npz(self, path, self.to_dict(dtype_times, dtype_channels), verbose)
