"""``TimedModule``: evolve a module on :class:`~rockpool_nb.timeseries.TimeSeries` with a clock.

``mod.timed()`` wraps a clocked module. Calling the wrapper with a ``TSContinuous`` (or a
``TSEvent`` for spiking input) samples or rasterises it on the module's ``dt`` grid starting at
the wrapper's clock ``t``, evolves the module, and returns the output as a ``TimeSeries``
starting at the same ``t``. The clock then advances by ``num_timesteps · dt``.

A ``TimedModule`` subclass writes ``evolve(ts_input, duration, num_timesteps, kwargs_timeseries,
record)`` as in Rockpool: ``self._prepare_input(...)`` gives ``(time_base, input, num_timesteps)``,
``self._gen_timeseries(output, **kwargs_timeseries)`` wraps the result, and the clock advances by
itself after each outermost ``evolve`` call (``evolve`` is wrapped when the class is defined).
"""

from __future__ import annotations

import functools
import math
import warnings

import numpy as np

from rockpool_nb.nn.modules.module import Module
from rockpool_nb.parameters import SimulationParameter

__all__ = ["TimedModule", "TimedModuleWrapper", "astimedmodule"]

_STEP_TOLERANCE = 1e-6  # seconds added before flooring duration / dt


def _clocked(evolve):
    """Wrap a subclass's ``evolve`` so that the outermost call advances the clock."""

    @functools.wraps(evolve)
    def clocked_evolve(
        self,
        ts_input=None,
        duration=None,
        num_timesteps=None,
        kwargs_timeseries=None,
        record: bool = False,
        *args,
        **kwargs,
    ):
        if args:  # extra positional arguments: pass everything in Rockpool's order
            args = (kwargs_timeseries, record, *args)
        else:  # passed on only when given, so an evolve() that does not take them still works
            if kwargs_timeseries is not None:
                kwargs["kwargs_timeseries"] = kwargs_timeseries
            if record:
                kwargs["record"] = record
        if self.__dict__.get("_evolving", False):  # super().evolve(...) inside an evolve
            return evolve(self, ts_input, duration, num_timesteps, *args, **kwargs)
        n = self._determine_timesteps(ts_input, duration, num_timesteps)
        object.__setattr__(self, "_evolving", True)
        try:
            result = evolve(self, ts_input, duration, n, *args, **kwargs)
        finally:
            object.__setattr__(self, "_evolving", False)
        self._timestep += n
        return result

    clocked_evolve._advances_clock = True
    return clocked_evolve


class TimedModule(Module):
    """A module with a clock that consumes and produces ``TimeSeries``.

    Parameters
    ----------
    shape : tuple
        Module shape.
    dt : float
        Time step, seconds.
    spiking_input, spiking_output : bool
        ``TSEvent`` (rasterised) input / output instead of ``TSContinuous``.
    add_events : bool
        Rasterise spiking input as event counts per step (default, as Rockpool) instead of
        presence.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        evolve = cls.__dict__.get("evolve")
        if callable(evolve) and not getattr(evolve, "_advances_clock", False):
            cls.evolve = _clocked(evolve)

    def __init__(
        self,
        shape=None,
        dt: float | None = None,
        spiking_input=False,
        spiking_output=False,
        add_events: bool = True,
    ):
        super().__init__(shape=shape, spiking_input=spiking_input, spiking_output=spiking_output)
        if dt is not None:
            if not np.isscalar(dt) or not dt > 0:
                raise ValueError(f"dt: expected a positive number of seconds; got {dt!r}")
            self.dt = SimulationParameter(float(dt))
        self._timestep = 0
        self._add_events = bool(add_events)

    def __call__(self, *args, **kwargs):
        """Evolve on ``TimeSeries``; returns ``(TimeSeries, new_state, record)``."""
        return self.evolve(*args, **kwargs)

    @property
    def input_type(self) -> type:
        """``TSEvent`` for spiking input, else ``TSContinuous``."""
        from rockpool_nb.timeseries import TSContinuous, TSEvent

        return TSEvent if self.spiking_input else TSContinuous

    @property
    def output_type(self) -> type:
        """``TSEvent`` for spiking output, else ``TSContinuous``."""
        from rockpool_nb.timeseries import TSContinuous, TSEvent

        return TSEvent if self.spiking_output else TSContinuous

    @property
    def t(self) -> float:
        """Current time of the module's clock, seconds."""
        return self._timestep * self.dt

    @t.setter
    def t(self, new_t: float) -> None:
        # whole steps; 1e-9 s absorbs float round-off (0.003 / 0.001 = 2.9999999999999996)
        self._timestep = int(math.floor((new_t + 1e-9) / self.dt))

    def reset_time(self) -> TimedModule:
        """Set the clock of this module and of timed submodules back to zero; returns ``self``."""
        self._timestep = 0
        for mod in self.modules().values():
            if isinstance(mod, TimedModule):
                mod.reset_time()
        return self

    def reset_all(self) -> TimedModule:
        """Reset state and clock; returns ``self``."""
        self.reset_state()
        return self.reset_time()

    # ----------------------------------------------------------------------- input side
    def _determine_timesteps(self, ts_input=None, duration=None, num_timesteps=None) -> int:
        if num_timesteps is not None:
            if int(num_timesteps) != num_timesteps or num_timesteps < 0:
                raise ValueError(
                    f"num_timesteps: expected a non-negative integer; got {num_timesteps!r}"
                )
            return int(num_timesteps)
        if duration is None:
            if ts_input is None:
                raise TypeError(
                    f"{self.full_name.strip()}: ts_input, duration, num_timesteps: expected at "
                    f"least one; got none"
                )
            # Rockpool's rule: a periodic input runs for one period, otherwise up to its t_stop
            duration = ts_input.duration if ts_input.periodic else ts_input.t_stop - self.t
            if math.floor((duration + _STEP_TOLERANCE) / self.dt) <= 0:
                raise ValueError(
                    f"ts_input: ends at t_stop = {ts_input.t_stop} s, not a time step after the "
                    f"module's clock t = {self.t} s; pass `duration=` or `num_timesteps=`, or "
                    f"`reset_time()`"
                )
        if duration < 0:
            raise ValueError(f"duration: expected a non-negative number of seconds; got {duration}")
        return int(math.floor((duration + _STEP_TOLERANCE) / self.dt))

    def _prepare_input(self, ts_input=None, duration=None, num_timesteps=None):
        """Sample or rasterise ``ts_input`` on this module's time base.

        Returns
        -------
        time_base : (T,) float array, seconds
            ``t + k·dt``, k = 0 … T−1.
        input : (T, size_in) float array
            Samples of a ``TSContinuous``, or event counts (presence without ``add_events``) of a
            ``TSEvent``; zeros without ``ts_input``.
        num_timesteps : int
            ``T``, from ``num_timesteps``, ``duration`` or the input (see Rockpool's rule).
        """
        n = self._determine_timesteps(ts_input, duration, num_timesteps)
        time_base = np.arange(n) * self.dt + self.t
        return time_base, self._sample_input(ts_input, n), n

    def _sample_input(self, ts_input, n: int) -> np.ndarray:
        from rockpool_nb.timeseries import TSContinuous, TSEvent

        add_events = self._add_events
        if ts_input is None:
            return np.zeros((n, self.size_in))
        if self.spiking_input:
            if not isinstance(ts_input, TSEvent):
                raise TypeError(
                    f"ts_input: expected a TSEvent for spiking input; got {type(ts_input).__name__}"
                )
            raster = ts_input.raster(
                self.dt,
                t_start=self.t,
                num_timesteps=n,
                channels=np.arange(self.size_in),
                add_events=add_events,
            )
            return np.asarray(raster, dtype=float)
        if not isinstance(ts_input, TSContinuous):
            raise TypeError(
                f"ts_input: expected a TSContinuous for continuous input; got "
                f"{type(ts_input).__name__}"
            )
        times = np.arange(n) * self.dt + self.t
        if n and not ts_input.periodic:
            covered = (times >= ts_input.t_start - 1e-9) & (times <= ts_input.t_stop + 1e-9)
            if not covered.all():
                warnings.warn(
                    f"ts_input covers [{ts_input.t_start}, {ts_input.t_stop}] s but the module "
                    f"evolves over [{times[0]}, {times[-1]}] s; missing samples are 0",
                    stacklevel=3,
                )
            samples = np.zeros((n, ts_input.num_channels))
            if covered.any():
                samples[covered] = ts_input(times[covered])
        else:
            samples = ts_input(times) if n else np.zeros((0, ts_input.num_channels))
        if samples.shape[-1] == 1 and self.size_in != 1:
            samples = np.repeat(samples, self.size_in, axis=-1)
        return np.asarray(samples, dtype=float)

    # ---------------------------------------------------------------------- output side
    def _output_name(self, kind: str) -> str:
        return f"Output {kind} {self.name}" if self.name else f"Output {kind}"

    def _gen_tsevent(
        self,
        output,
        dt: float | None = None,
        t_start: float | None = None,
        name: str | None = None,
        periodic: bool = False,
        num_channels: int | None = None,
        spikes_at_bin_start: bool = False,
    ):
        """``TSEvent`` of a ``(T, N)`` count raster, starting at the clock ``t`` by default."""
        from rockpool_nb.timeseries import TSEvent

        return TSEvent.from_raster(
            output,
            dt=self.dt if dt is None else dt,
            t_start=self.t if t_start is None else t_start,
            name=self._output_name("events") if name is None else name,
            periodic=periodic,
            num_channels=np.shape(output)[-1] if num_channels is None else num_channels,
            spikes_at_bin_start=spikes_at_bin_start,
        )

    def _gen_tscontinuous(
        self,
        output,
        dt: float | None = None,
        t_start: float | None = None,
        name: str | None = None,
        periodic: bool = False,
        interp_kind: str = "previous",
    ):
        """``TSContinuous`` of ``(T, N)`` clocked samples, starting at the clock ``t`` by default."""
        from rockpool_nb.timeseries import TSContinuous

        return TSContinuous.from_clocked(
            output,
            dt=self.dt if dt is None else dt,
            t_start=self.t if t_start is None else t_start,
            name=self._output_name("samples") if name is None else name,
            periodic=periodic,
            interp_kind=interp_kind,
        )

    def _gen_timeseries(self, output, **kwargs):
        """Wrap ``(T, N)`` (or batch 0 of ``(B, T, N)``) output as this module's output type."""
        output = np.asarray(output)
        while output.ndim > 2:
            output = output[0]
        if self.spiking_output:
            return self._gen_tsevent(output, **kwargs)
        return self._gen_tscontinuous(output, **kwargs)


class TimedModuleWrapper(TimedModule):
    """Wrap a clocked :class:`Module` so that it is evolved on ``TimeSeries``.

    Parameters
    ----------
    module : Module
        The module to wrap. Its ``dt`` is used; a module without ``dt`` (e.g. a ``Sequential``)
        needs ``dt``, which is then added to it as a ``SimulationParameter``.
    output_num : int
        Which output to convert when the module returns a tuple of outputs.
    dt : float, optional
        Time step, seconds.
    add_events : bool
        Count several input events in one time step instead of marking presence.
    """

    def __init__(
        self, module: Module, output_num: int = 0, dt: float | None = None, add_events=False
    ):
        if not isinstance(module, Module):
            raise TypeError(f"module: expected a Module; got {type(module).__name__}")
        module_dt = getattr(module, "dt", None)
        if module_dt is None:
            if dt is None:
                raise KeyError(
                    f"dt: {module.class_name} has no `dt`; pass `dt=` (seconds) to `timed()`"
                )
            module.dt = SimulationParameter(float(dt))
        elif dt is not None and not np.isclose(dt, module_dt):
            warnings.warn(
                f"dt: using the module's dt = {module_dt} s, not the requested {dt} s",
                stacklevel=3,
            )
        super().__init__(
            shape=(module.size_in, module.size_out),
            spiking_input=module.spiking_input,
            spiking_output=module.spiking_output,
            add_events=add_events,
        )
        self._module = module
        self.output_num = output_num

    @property
    def add_events(self) -> bool:
        """Spiking input is rasterised as counts (``True``) or presence (``False``)."""
        return self._add_events

    @property
    def dt(self) -> float:
        """Time step of the wrapped module, seconds."""
        return float(self._module.dt)

    @property
    def module(self) -> Module:
        """The wrapped module."""
        return self._module

    def __repr__(self, indent: str = "") -> str:
        return super().__repr__(indent) + f" with {self._module.full_name} as module"

    def evolve(
        self,
        ts_input=None,
        duration=None,
        num_timesteps=None,
        kwargs_timeseries=None,
        record: bool = False,
        *args,
        **kwargs,
    ):
        """Evolve on ``ts_input``; returns ``(TimeSeries, new_state, record)``."""
        _, data, _ = self._prepare_input(ts_input, duration, num_timesteps)
        t_start = self.t
        output, new_state, rec = self._module(data, record=record)
        if isinstance(output, tuple):
            output = output[self.output_num]
        ts_out = self._gen_timeseries(output, **dict(kwargs_timeseries or {}))
        if record:
            rec = self._module._wrap_recorded_state(rec, t_start)
        return ts_out, new_state, rec


def astimedmodule(module: Module, dt: float | None = None) -> TimedModuleWrapper:
    """Functional form of :meth:`Module.timed`."""
    return TimedModuleWrapper(module, dt=dt)
