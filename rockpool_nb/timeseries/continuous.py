"""``TSContinuous``: samples of a continuous signal at known times, interpolated in between."""

from __future__ import annotations

import warnings

import numpy as np

from rockpool_nb.timeseries._base import TOLERANCE_ABSOLUTE, TOLERANCE_RELATIVE, TimeSeries
from rockpool_nb.timeseries._interp import check_fill_value, check_interp_kind, make_interpolator
from rockpool_nb.timeseries.arithmetic import ContinuousArithmetic
from rockpool_nb.timeseries.continuous_combine import ContinuousCombine
from rockpool_nb.timeseries.continuous_slicing import ContinuousSlicing

__all__ = ["TSContinuous"]


class TSContinuous(ContinuousSlicing, ContinuousArithmetic, ContinuousCombine, TimeSeries):
    """A multi-channel continuous signal sampled at ``times``.

    Parameters
    ----------
    times : array-like, optional
        ``(T,)`` non-decreasing sample times, seconds.
    samples : array-like, optional
        ``(T, C)`` samples (a ``(T,)`` vector is one channel).
    num_channels : int, optional
        Number of channels of an empty series (when ``samples`` is ``None``).
    periodic : bool
        Repeat with period ``t_stop - t_start``.
    t_start, t_stop : float, optional
        Support in seconds; default first / last sample time.
    name : str
    units : str, optional
        Units of the samples (y-axis label of matplotlib plots).
    interp_kind : str
        ``scipy.interpolate.interp1d`` kind: ``"previous"`` (default), ``"linear"``, ...
        Unknown kinds raise ``ValueError`` here.
    fill_value : "extrapolate" or float
        Value used outside the sample range.
    """

    def __init__(
        self,
        times=None,
        samples=None,
        num_channels: int | None = None,
        periodic: bool = False,
        t_start: float | None = None,
        t_stop: float | None = None,
        name: str = "unnamed",
        units: str | None = None,
        interp_kind: str = "previous",
        fill_value="extrapolate",
    ):
        name = "unnamed" if name is None else name
        interp_kind = check_interp_kind(interp_kind, name)
        check_fill_value(fill_value, name)
        if times is None:
            times = np.array([])
        if samples is None:
            samples = np.zeros((0, 0 if num_channels is None else num_channels))
        samples = np.atleast_1d(np.asarray(samples)).astype(float)
        super().__init__(times=times, periodic=periodic, t_start=t_start, t_stop=t_stop, name=name)
        self.interp = None
        self._interp_kind = interp_kind
        self._fill_value = fill_value
        self.samples = samples  # also builds the interpolator
        self.units = units
        self.beyond_range_exception = True
        self.approx_limit_times = True

    @staticmethod
    def from_clocked(
        samples,
        dt: float,
        t_start: float = 0.0,
        periodic: bool = False,
        name: str | None = None,
        interp_kind: str = "previous",
    ) -> TSContinuous:
        """Build a series from regularly sampled data.

        Sample ``k`` sits at ``t_start + k * dt``; ``t_stop`` is one ``dt`` after the last sample.

        Parameters
        ----------
        samples : (T, C) or (T,) array
        dt : float
            Sample spacing, seconds.
        t_start : float
            Time of the first sample, seconds.
        """
        if samples is None or np.size(samples) == 0:
            raise TypeError("TSContinuous.from_clocked: `samples` must not be empty or `None`.")
        samples = np.atleast_1d(samples)
        times = np.arange(np.shape(samples)[0]) * dt + t_start
        return TSContinuous(
            times,
            samples,
            t_stop=times[-1] + dt,
            periodic=periodic,
            name=name,
            interp_kind=interp_kind,
        )

    # ------------------------------------------------------------------ data
    @property
    def samples(self) -> np.ndarray:
        """``(T, C)`` float array of samples."""
        return self._samples

    @samples.setter
    def samples(self, new_samples):
        new_samples = np.asarray(new_samples)
        if new_samples.size == 0 and new_samples.ndim < 2:
            new_samples = new_samples.reshape(0, 0)
        new_samples = np.atleast_2d(new_samples)
        if new_samples.shape[0] == 1 and self._times.size > 1:
            # a (1, T) row or a flat vector: one column per sample time
            new_samples = np.reshape(new_samples, (self._times.size, -1))
        if new_samples.shape[0] != self._times.size:
            raise ValueError(
                f"TSContinuous `{self.name}`: New samples matrix must have the same number of "
                f"samples as `.times` ({self._times.size}); got {new_samples.shape[0]}."
            )
        self._samples = new_samples
        self._create_interpolator()

    @TimeSeries.times.setter
    def times(self, new_times):
        TimeSeries.times.fset(self, new_times)
        self._create_interpolator()

    def _shift_times(self, offset: float) -> None:
        super()._shift_times(offset)
        self._create_interpolator()

    @property
    def num_channels(self) -> int:
        """Number of channels ``C``."""
        return self._samples.shape[1]

    @property
    def num_traces(self) -> int:
        """Synonym of ``num_channels``."""
        return self._samples.shape[1]

    @property
    def max(self) -> float:
        """Largest sample, ignoring NaN."""
        return np.nanmax(self._samples)

    @property
    def min(self) -> float:
        """Smallest sample, ignoring NaN."""
        return np.nanmin(self._samples)

    @property
    def interp_kind(self):
        """``interp1d`` kind used between samples (read-only)."""
        return self._interp_kind

    @property
    def beyond_range_exception(self) -> bool:
        """Raise (``True``) or return NaN with a warning (``False``) when sampling outside the
        interpolation range."""
        return self._beyond_range_exception

    @beyond_range_exception.setter
    def beyond_range_exception(self, value):
        self._beyond_range_exception = _as_bool(value, "beyond_range_exception", self.name)

    @property
    def approx_limit_times(self) -> bool:
        """Snap times within ``min(1e-9, 1e-6 * duration)`` s of a limit onto it."""
        return self._approx_limit_times

    @approx_limit_times.setter
    def approx_limit_times(self, value):
        self._approx_limit_times = _as_bool(value, "approx_limit_times", self.name)

    @property
    def fill_value(self):
        """``"extrapolate"`` or the value used outside the sample range."""
        return self._fill_value

    @fill_value.setter
    def fill_value(self, value):
        self._fill_value = check_fill_value(value, self.name)
        self._create_interpolator()

    def _create_interpolator(self) -> None:
        self.interp = make_interpolator(
            self._times, self._samples, self._interp_kind, self._fill_value, self
        )

    # ------------------------------------------------------------------ sampling
    def __call__(self, times) -> np.ndarray:
        """Interpolate at ``times`` (seconds); returns a ``(T, C)`` array.

        Periodic series wrap ``t -> t_start + (t - t_start) mod duration``. The valid range is
        ``[times[0], t_stop]`` for ``"previous"`` and ``[times[0], times[-1]]`` otherwise;
        times just outside snap onto it (warning), times further out raise ``ValueError``
        (or give NaN with a warning when ``beyond_range_exception`` is ``False``). Times
        outside ``[t_start, t_stop]`` give NaN.
        """
        times = np.asarray(times, dtype=float)
        if self.isempty():
            return np.zeros((times.size, 0))
        if self.periodic and self.duration > 0:
            times = (times - self._t_start) % self.duration + self._t_start
        t_first = self._times[0]
        t_last = self._t_stop if self._interp_kind == "previous" else self._times[-1]
        is_early = np.array(times < t_first)
        is_late = np.array(times > t_last)
        if self.approx_limit_times:
            tol = min(TOLERANCE_ABSOLUTE, TOLERANCE_RELATIVE * self.duration)
            snap_first = is_early & (times >= t_first - tol)
            snap_last = is_late & (times <= t_last + tol)
            if snap_first.any() or snap_last.any():
                times = np.where(snap_first, t_first, np.where(snap_last, t_last, times))
                warnings.warn(
                    f"TSContinuous `{self.name}`: Some of the requested time points were "
                    f"slightly outside the time range of this series (by at most {tol} s) and "
                    "were approximated by the first or last time point of this series. To "
                    "prevent this behavior, set the `approx_limit_times` attribute to `False`.",
                    stacklevel=2,
                )
                is_early = is_early & ~snap_first
                is_late = is_late & ~snap_last
        if is_early.any() or is_late.any():
            message = (
                f"TSContinuous `{self.name}`: Some of the requested time points are beyond the "
                f"first and last time points of this series ({t_first}, {t_last}) and cannot be "
                "sampled.\nIf you think that this is due to rounding errors, try setting the "
                "`approx_limit_times` attribute to `True`.\n"
            )
            if self.beyond_range_exception:
                raise ValueError(
                    message + "If you want to sample at these time points anyway, set the "
                    "`beyond_range_exception` attribute of this time series to `False` and you "
                    "will receive `NaN` as values."
                )
            warnings.warn(message + "Will return `NaN` for these time points.", stacklevel=2)
        samples = np.reshape(self.interp(times), (-1, self.num_channels))
        outside = np.atleast_1d((times < self._t_start) | (times > self._t_stop))
        samples[outside, :] = np.nan
        return samples

    # ------------------------------------------------------------------ display and export
    def __repr__(self) -> str:
        if self.isempty():
            head = f"Empty TSContinuous object `{self.name}` "
        else:
            head = f"{'' if self.periodic else 'non-'}periodic TSContinuous object `{self.name}` "
        return head + (
            f"from t={self.t_start} to {self.t_stop}. "
            f"Samples: {self._samples.shape[0]}. Channels: {self.num_channels}"
        )

    def print(
        self, full: bool = False, num_first: int = 4, num_last: int = 4, limit_shorten: int = 10
    ) -> None:
        """Print ``repr`` then one ``"{t}: \\t {samples}"`` line per sample.

        Series longer than ``limit_shorten`` show the first ``num_first`` and last ``num_last``
        samples around a ``\\t...`` line (unless ``full``).
        """

        def lines(times, samples):
            return [f"{t}: \t {s}" for t, s in zip(times, samples)]

        if full or len(self._times) <= limit_shorten:
            body = lines(self._times, self._samples)
        else:
            body = lines(self._times[:num_first], self._samples[:num_first])
            body.append("\t...")
            body += lines(self._times[-num_last:], self._samples[-num_last:])
            if self.periodic:
                body.append("\t (...periodic...)")
        print("\n".join([repr(self), *body]))

    def __iter__(self):
        """Yield ``(t, samples_at_t)`` pairs."""
        yield from zip(self._times, self._samples)

    def plot(
        self,
        times=None,
        target=None,
        channels=None,
        stagger=None,
        skip=None,
        dt=None,
        *args,
        **kwargs,
    ):
        """Plot the series (see :func:`rockpool_nb.timeseries.plotting.plot_continuous`).

        With holoviews: one ``hv.Curve`` per channel (an ``hv.Overlay`` if several); with
        matplotlib: ``ax.plot`` on the current axes (label = name, x label "Time (s)").
        """
        from rockpool_nb.timeseries.plotting import plot_continuous

        return plot_continuous(self, times, target, channels, stagger, skip, dt, *args, **kwargs)

    def to_dict(self, dtype_times=None, dtype_samples=None) -> dict:
        """Arrays describing this series (the ``.npz`` layout written by ``save``).

        Keys ``times``, ``samples``, ``t_start``, ``t_stop``, ``periodic`` and the flag keys
        ``interp_kind_<kind>``, ``name_<name>``, ``type_TSContinuous`` (empty arrays).
        """
        times, t_start, t_stop = self._times, self.t_start, self.t_stop
        if dtype_times is not None:
            times = times.astype(dtype_times)
            t_start = np.clip(t_start, None, np.min(times))
            t_stop = np.clip(t_stop, np.max(times), None)
        samples = self._samples if dtype_samples is None else self._samples.astype(dtype_samples)
        return {
            "times": times,
            "samples": samples,
            "t_start": np.array(t_start),
            "t_stop": np.array(t_stop),
            f"interp_kind_{self._interp_kind}": np.array([]),
            "periodic": np.array(self.periodic),
            f"name_{self.name}": np.array([]),
            "type_TSContinuous": np.array([]),
        }

    def save(self, path, verbose: bool = False, dtype_times=None, dtype_samples=None) -> None:
        """Write the series to ``path`` (``.npz``; see ``to_dict``)."""
        from rockpool_nb.timeseries.io import save_npz

        save_npz(self, path, self.to_dict(dtype_times, dtype_samples), verbose)


def _as_bool(value, what: str, name: str) -> bool:
    try:
        return bool(value)
    except (TypeError, ValueError) as err:
        raise TypeError(
            f"TSContinuous `{name}`: {what}: expected a boolean; got {value!r}"
        ) from err
