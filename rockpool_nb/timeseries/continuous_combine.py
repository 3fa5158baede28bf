"""Combining ``TSContinuous`` series: ``merge`` (interleave), ``append_t`` (after), ``append_c``
(more channels)."""

from __future__ import annotations

import collections.abc
import warnings

import numpy as np

__all__ = ["ContinuousCombine"]


class ContinuousCombine:
    """Mixin giving ``TSContinuous`` its ``merge``, ``append_t`` and ``append_c`` methods."""

    def _as_series_list(self, other_series, verb: str) -> list:
        if isinstance(other_series, ContinuousCombine):
            return [other_series]
        if not isinstance(other_series, collections.abc.Iterable):
            raise TypeError(
                f"TSContinuous `{self.name}`: other_series: expected a TSContinuous or an "
                f"iterable of them; got {type(other_series).__name__}"
            )
        series_list = list(other_series)
        wrong = [type(s).__name__ for s in series_list if not isinstance(s, ContinuousCombine)]
        if wrong:
            raise TypeError(
                f"TSContinuous `{self.name}`: Can only {verb} `TSContinuous` objects; got {wrong}"
            )
        return series_list

    def merge(self, other_series, remove_duplicates: bool = True, inplace: bool = False):
        """Interleave the samples of other series into this one (stable sort by time).

        Parameters
        ----------
        other_series : TSContinuous or iterable of TSContinuous
            Must have the same number of channels (empty series adapt).
        remove_duplicates : bool
            Drop samples of a later series at times already present in an earlier,
            overlapping series.
        inplace : bool

        Returns
        -------
        TSContinuous
            Spans the earliest ``t_start`` to the latest ``t_stop``.
        """
        others = self._as_series_list(other_series, "merge with")
        # Empty series without channels take the channel count of the others.
        if self.num_channels == 0 and len(self) == 0:
            num_channels = max([s.num_channels for s in others] + [0])
        else:
            num_channels = self.num_channels
        for i, series in enumerate(others):
            if series.num_channels == 0 and len(series) == 0:
                continue
            if series.num_channels != num_channels:
                raise ValueError(
                    f"TSContinuous `{self.name}`: `other_series` must include the same number "
                    f"of traces ({num_channels}). Other series number {i} has "
                    f"{series.num_channels}."
                )
        series_list = [self, *others]
        times = [s.times for s in series_list]
        samples = [s.samples if len(s) else np.zeros((0, num_channels)) for s in series_list]
        if remove_duplicates:
            keep = [np.ones(s.times.size, bool) for s in series_list]
            for i, earlier in enumerate(series_list[:-1]):
                for later, keep_later in zip(series_list[i + 1 :], keep[i + 1 :]):
                    keep_later &= ~_duplicates(earlier, later)
            times = [t[k] for t, k in zip(times, keep)]
            samples = [s[k] for s, k in zip(samples, keep)]
        times_new = np.concatenate(times)
        samples_new = np.concatenate(samples, axis=0)
        order = np.argsort(times_new, kind="stable")
        t_start = min(s.t_start for s in series_list)
        t_stop = max(s.t_stop for s in series_list)
        merged = self if inplace else self.copy()
        merged._times = times_new[order]
        merged._samples = samples_new[order]
        merged._t_start = t_start
        merged._t_stop = t_stop
        merged._create_interpolator()
        return merged

    def append_c(self, other_series, inplace: bool = False):
        """Add the channels of ``other_series``, sampled at ``self.times``.

        Returns
        -------
        TSContinuous
            ``C_self + C_other`` channels on this series' time base.
        """
        if not isinstance(other_series, ContinuousCombine):
            raise TypeError(
                f"TSContinuous `{self.name}`: other_series: expected a TSContinuous; got "
                f"{type(other_series).__name__}"
            )
        other_samples = other_series(self.times)
        appended = self if inplace else self.copy()
        appended.samples = np.concatenate((np.atleast_2d(appended.samples), other_samples), axis=1)
        return appended

    def append_t(self, other_series, offset=None, inplace: bool = False):
        """Append series one after another in time.

        Series ``k`` is delayed so that its ``t_start`` lies ``offset_k`` seconds after the
        (delayed) ``t_stop`` of the series before it.

        Parameters
        ----------
        other_series : TSContinuous or iterable of TSContinuous
        offset : float, iterable of (float or None), or None
            Gap(s) in seconds. ``None`` means the median sample spacing of the preceding
            series (0 if it has fewer than 2 samples or the appended series is empty).
            Extra series beyond the number of offsets given are dropped (with a warning).
        inplace : bool
        """
        others = self._as_series_list(other_series, "append")
        if isinstance(offset, collections.abc.Iterable):
            offsets = list(offset)
            if len(offsets) != len(others):
                warnings.warn(
                    f"TSContinuous `{self.name}`: Numbers of provided offsets and TSContinuous "
                    "objects do not match. Will ignore excess elements.",
                    stacklevel=2,
                )
        else:
            offsets = [offset] * len(others)
        previous = [self, *others[:-1]]
        for i, (prev, series, gap) in enumerate(zip(previous, others, offsets)):
            if gap is None:
                use_median = len(series) > 0 and len(prev) > 1
                offsets[i] = np.median(np.diff(prev.times)) if use_median else 0
        # delay_k = stop of the delayed predecessor + gap_k - t_start_k
        delays = []
        stop = self.t_stop
        for series, gap in zip(others, offsets):
            delays.append(stop + gap - series.t_start)
            stop = delays[-1] + series.t_stop
        shifted = [s.delay(d) for s, d in zip(others, delays)]
        return self.merge(shifted, remove_duplicates=False, inplace=inplace)


def _duplicates(earlier, later) -> np.ndarray:
    """Mask of ``later`` samples at a time that ``earlier`` also samples inside
    ``[later.t_start, later.t_stop]`` (only when the two supports overlap)."""
    if earlier.t_start > later.t_stop or earlier.t_stop < later.t_start:
        return np.zeros(later.times.size, bool)
    inside = earlier.times[(earlier.times >= later.t_start) & (earlier.times <= later.t_stop)]
    return np.isin(later.times, inside)
