"""Combining ``TSEvent`` series: ``merge`` (overlay), ``append_t`` (after), ``append_c``
(channels side by side)."""

from __future__ import annotations

import collections.abc
import warnings

import numpy as np

__all__ = ["EventCombine"]


class EventCombine:
    """Mixin giving ``TSEvent`` its ``merge``, ``append_t`` and ``append_c`` methods."""

    def _as_event_list(self, other_series, verb: str) -> list:
        if isinstance(other_series, EventCombine):
            return [other_series]
        if not isinstance(other_series, collections.abc.Iterable):
            raise TypeError(
                f"TSEvent `{self.name}`: other_series: expected a TSEvent or an iterable of "
                f"them; got {type(other_series).__name__}"
            )
        series_list = list(other_series)
        wrong = [type(s).__name__ for s in series_list if not isinstance(s, EventCombine)]
        if wrong:
            raise TypeError(
                f"TSEvent `{self.name}`: Can only {verb} `TSEvent` objects; got {wrong}"
            )
        return series_list

    def _set_events(self, series_list, times, channels, num_channels):
        """Store events sorted by time (stable) and the union of the supports of ``series_list``."""
        order = np.argsort(times, kind="stable")
        self._times = np.asarray(times, dtype=float)[order]
        self._channels = np.asarray(channels)[order].astype(int)
        self._t_start = min(s.t_start for s in series_list)
        self._t_stop = max(s.t_stop for s in series_list)
        self._num_channels = int(num_channels)

    def append_c(self, other_series, inplace: bool = False):
        """Put the channels of other series after this one's.

        Channels of series ``k`` are offset by the summed ``num_channels`` of the series before
        it; the result has the summed ``num_channels`` and the union of the supports.
        """
        others = self._as_event_list(other_series, "append")
        series_list = [self, *others]
        nums = [s.num_channels for s in series_list]
        shifts = np.cumsum([0, *nums[:-1]])
        times = np.concatenate([s.times for s in series_list])
        channels = np.concatenate([s.channels + k for s, k in zip(series_list, shifts)])
        result = self if inplace else self.copy()
        result._set_events(series_list, times, channels, sum(nums))
        return result

    def append_t(self, other_series, offset=None, remove_duplicates: bool = False, inplace=False):
        """Append series one after another in time.

        Series ``k`` is delayed so that its ``t_start`` lies ``offset_k`` seconds (default 0)
        after the (delayed) ``t_stop`` of the series before it.

        Parameters
        ----------
        other_series : TSEvent or iterable of TSEvent
        offset : float, iterable of (float or None), or None
            Gap(s) in seconds; ``None`` means 0.
        remove_duplicates : bool
            Drop repeated ``(time, channel)`` pairs.
        inplace : bool
        """
        others = self._as_event_list(other_series, "append")
        if isinstance(offset, collections.abc.Iterable):
            offsets = [0 if o is None else o for o in offset]
            if len(offsets) != len(others):
                warnings.warn(
                    f"TSEvent `{self.name}`: Numbers of provided offsets and TSEvent objects do "
                    "not match. Will ignore excess elements.",
                    stacklevel=2,
                )
        else:
            offsets = [0 if offset is None else offset] * len(others)
        # delay_k = stop of the delayed predecessor + gap_k - t_start_k
        delays = []
        stop = self.t_stop
        for series, gap in zip(others, offsets):
            delays.append(stop + gap - series.t_start)
            stop = delays[-1] + series.t_stop
        return self.merge(
            others[: len(delays)],
            delay=delays,
            remove_duplicates=remove_duplicates,
            inplace=inplace,
        )

    def merge(self, other_series, delay=0, remove_duplicates: bool = False, inplace=False):
        """Overlay the events of other series on this one.

        Parameters
        ----------
        other_series : TSEvent or iterable of TSEvent
        delay : float or iterable of float
            Shift (seconds) applied to each other series before merging.
        remove_duplicates : bool
            Drop repeated ``(time, channel)`` pairs.
        inplace : bool

        Returns
        -------
        TSEvent
            ``num_channels`` is the largest of all; the support is the union of all supports.
        """
        others = self._as_event_list(other_series, "merge with")
        if isinstance(delay, collections.abc.Iterable):
            delays = list(delay)
            if len(delays) != len(others):
                warnings.warn(
                    f"TSEvent `{self.name}`: Numbers of provided offsets and TSEvent objects do "
                    "not match. Will ignore excess elements.",
                    stacklevel=2,
                )
        else:
            delays = [delay] * len(others)
        series_list = [self] + [s.delay(d) for s, d in zip(others, delays)]
        times = np.concatenate([s.times for s in series_list])
        channels = np.concatenate([s.channels for s in series_list])
        if remove_duplicates and times.size > 0:
            times, channels = np.unique(np.stack((times, channels)), axis=1)
        result = self if inplace else self.copy()
        result._set_events(series_list, times, channels, max(s.num_channels for s in series_list))
        return result
