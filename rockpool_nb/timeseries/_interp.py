"""Interpolators for ``TSContinuous``: ``scipy.interpolate.interp1d`` plus the 0/1-sample cases."""

from __future__ import annotations

import numbers

import numpy as np
import scipy.interpolate as spint

__all__ = ["INTERP_KINDS", "check_interp_kind", "check_fill_value", "make_interpolator"]

#: Interpolation kinds accepted by ``scipy.interpolate.interp1d`` (an int is a spline order).
INTERP_KINDS = (
    "previous",
    "next",
    "linear",
    "nearest",
    "nearest-up",
    "zero",
    "slinear",
    "quadratic",
    "cubic",
)


def check_interp_kind(kind, name: str):
    """Return ``kind`` if ``interp1d`` supports it, else raise ``ValueError`` naming ``name``."""
    if isinstance(kind, str) and kind in INTERP_KINDS:
        return kind
    if isinstance(kind, numbers.Integral) and not isinstance(kind, bool) and kind >= 0:
        return int(kind)
    raise ValueError(
        f"TSContinuous `{name}`: interp_kind: expected one of {INTERP_KINDS} or a "
        f"non-negative spline order; got {kind!r}"
    )


def check_fill_value(value, name: str):
    """``"extrapolate"`` or a value that ``interp1d`` accepts as ``fill_value``."""
    if isinstance(value, str) and value != "extrapolate":
        raise ValueError(
            f"TSContinuous `{name}`: fill_value: expected 'extrapolate' or a fill value for "
            f"scipy.interpolate.interp1d; got {value!r}"
        )
    return value


def make_interpolator(times: np.ndarray, samples: np.ndarray, kind, fill_value, series):
    """Callable ``f(t) -> (len(t), C)`` interpolating ``samples`` over ``times``.

    Parameters
    ----------
    times : (T,) float array, seconds
    samples : (T, C) float array
    kind : str or int
        ``interp1d`` kind.
    fill_value : "extrapolate" or float
        Value outside ``[times[0], times[-1]]``.
    series : TSContinuous
        Read (at call time) for ``t_start``/``t_stop`` of a one-sample series.
    """
    if times.size == 0:
        return _empty
    if times.size == 1:
        return _SingleSample(series)
    return spint.interp1d(
        times,
        samples,
        kind=kind,
        axis=0,
        assume_sorted=True,
        bounds_error=False,
        copy=False,
        fill_value=fill_value,
    )


def _empty(t):
    return None


class _SingleSample:
    """A one-sample series is constant on ``[t_start, t_stop]`` (extrapolating) and NaN
    elsewhere; with a fill value it is defined only at its single time point."""

    def __init__(self, series):
        self._series = series

    def __call__(self, t):
        s = self._series
        t = np.asarray(t, dtype=float).flatten()
        out = np.full((t.size, s.num_channels), np.nan)
        if isinstance(s.fill_value, str):
            defined = (s.t_start <= t) & (t <= s.t_stop)
        else:
            defined = t == s.times[0]
        out[defined] = s.samples[0]
        return out
