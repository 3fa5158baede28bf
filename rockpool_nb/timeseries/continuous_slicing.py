"""Selecting parts of a ``TSContinuous``: ``[]`` indexing, ``resample``, ``clip``, ``to_clocked``."""

from __future__ import annotations

import warnings

import numpy as np

__all__ = ["ContinuousSlicing"]


class ContinuousSlicing:
    """Mixin giving ``TSContinuous`` its indexing and resampling methods (they rely on
    ``__call__`` for interpolation)."""

    def __getitem__(self, indices=None):
        """``ts[t]``, ``ts[[t0, t1]]``: resample; ``ts[a:b]``: clip without adding samples at
        the limits (``b`` excluded unless ``None``); ``ts[a:b:step]``: resample on
        ``arange(a, b, |step|)`` within ``[t_start, t_stop)`` (reversed for negative step).
        A second index selects channels (int, list or slice)."""
        if isinstance(indices, tuple):
            if len(indices) > 2:
                raise IndexError(
                    f"TSContinuous: `{self.name}`: Supports at most 2 indices (times and "
                    f"channels); got {len(indices)}."
                )
            indices_time, indices_channel = (tuple(indices) + (None, None))[:2]
        else:
            indices_time, indices_channel = indices, None

        channels = indices_channel
        if isinstance(indices_channel, slice):
            start = 0 if indices_channel.start is None else indices_channel.start
            stop = self.num_channels if indices_channel.stop is None else indices_channel.stop
            step = 1 if indices_channel.step is None else indices_channel.step
            channels = np.arange(start, stop, abs(step))
            if step < 0:
                channels = channels[::-1]

        if indices_time is None:
            indices_time = slice(None)
        if not isinstance(indices_time, slice):
            return self.resample(indices_time, channels, inplace=False)
        if indices_time.step is None:
            return self.clip(
                t_start=indices_time.start,
                t_stop=indices_time.stop,
                channels=channels,
                include_stop=indices_time.stop is None,
                sample_limits=False,
                inplace=False,
            )
        t_start = self.t_start if indices_time.start is None else indices_time.start
        t_stop = self.t_stop if indices_time.stop is None else indices_time.stop
        points = np.arange(t_start, t_stop, abs(indices_time.step))
        points = points[(points >= self.t_start) & (points < self.t_stop)]
        if indices_time.step < 0:
            points = points[::-1]
        return self.resample(points, channels, inplace=False)

    def resample(self, times, channels=None, inplace: bool = False):
        """Sample at ``times`` (seconds); the result spans ``times[0]`` to ``times[-1]``.

        Parameters
        ----------
        times : float or array-like
        channels : int or array-like, optional
            Channels to keep, in this order.
        inplace : bool
        """
        times = np.atleast_1d(np.asarray(times, dtype=float))
        if channels is not None:
            channels = np.atleast_1d(channels)
            if self.num_channels == 0 and channels.size > 0:
                raise IndexError(f"TSContinuous `{self.name}` does not have any channels.")
        new_samples = self(times)
        if channels is not None:
            try:
                new_samples = new_samples[:, channels]
            except IndexError as err:
                raise IndexError(
                    f"TSContinuous `{self.name}`: channels: expected values between 0 and "
                    f"{self.num_channels - 1}; got {channels.tolist()}"
                ) from err
        series = self if inplace else self.copy()
        series._times = times
        series._samples = new_samples
        if times.size > 0:
            series._t_start = times[0]
            series._t_stop = times[-1]
        series._create_interpolator()
        return series

    def to_clocked(self, dt: float) -> np.ndarray:
        """Samples at ``t_start + k * dt`` for ``k < ceil(duration / dt)``: ``(K, C)`` array."""
        num_samples = np.ceil((self.t_stop - self.t_start) / dt)
        return self.resample(np.arange(num_samples) * dt + self.t_start).samples

    def clip(
        self,
        t_start: float | None = None,
        t_stop: float | None = None,
        channels=None,
        include_stop: bool = True,
        sample_limits: bool = True,
        inplace: bool = False,
    ):
        """Keep the samples in ``[t_start, t_stop)`` (``]`` with ``include_stop``).

        With ``sample_limits`` the result also has (interpolated) samples exactly at the limits.
        Limits outside the series warn. The limits become the new ``t_start`` / ``t_stop``.
        """
        t_start = self.t_start if t_start is None else t_start
        include_stop = True if t_stop is None else include_stop
        t_stop = self.t_stop if t_stop is None else t_stop
        t_start, t_stop = sorted((t_start, t_stop))
        candidates = self._extend_periodic_times(t_start, t_stop) if self.periodic else self._times
        keep = (candidates >= t_start) & (candidates < t_stop)
        if include_stop:
            keep |= candidates == t_stop
        times = candidates[keep]
        if sample_limits:
            add_start = times.size == 0 or times[0] > t_start
            add_stop = times.size == 0 or (times[-1] < t_stop and include_stop)
            if not self.contains(t_start):
                warnings.warn(
                    f"TSContinuous '{self.name}`: `t_start` beyond interpolation-range. ",
                    stacklevel=2,
                )
            if not self.contains(t_stop):
                warnings.warn(
                    f"TSContinuous '{self.name}`: `t_stop` beyond interpolation-range. ",
                    stacklevel=2,
                )
            times = np.r_[[t_start] if add_start else [], times, [t_stop] if add_stop else []]
        series = self.resample(times, channels, inplace=inplace)
        series._t_start = t_start
        series._t_stop = t_stop
        return series
