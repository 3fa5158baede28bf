"""``Sequential``: a stack of modules, each feeding the next."""

from __future__ import annotations

import copy

import numpy as np

from rockpool_nb.nn.modules.module import Module

__all__ = ["Sequential", "ModSequential", "SequentialMixin"]


class SequentialMixin:
    """Shared stacking logic of :class:`ModSequential` and its subclasses."""

    _FORBIDDEN = ("shape", "spiking_input", "spiking_output")

    def _init_stack(self, args, kwargs) -> None:
        bad = [k for k in kwargs if k in self._FORBIDDEN]
        if bad or kwargs:
            raise ValueError(
                f"{type(self).__name__}: the shape and spiking flags come from the submodules; "
                f"unexpected keyword arguments {sorted(kwargs)}"
            )
        Module.__init__(self, shape=None)
        items = list(args)
        if items and isinstance(items[0], dict):
            for key, mod in items[0].items():
                self.append(mod, key)
            for index, mod in enumerate(items[1:], start=1):
                self.append(mod, f"{index}_{type(mod).__name__}")
        else:
            for index, mod in enumerate(items):
                self.append(mod, f"{index}_{type(mod).__name__}")

    def append(self, mod: Module, name: str | None = None):
        """Add ``mod`` at the end of the stack, optionally under ``name``; returns ``self``."""
        if not isinstance(mod, Module):
            raise TypeError(f"mod: expected a Module; got {type(mod).__name__}")
        existing = list(self._submodules.values())
        name = name or f"{len(existing)}_{type(mod).__name__}"
        if name in self._submodules:
            raise ValueError(
                f"name: a submodule called {name!r} already exists in {self.full_name}"
            )
        if existing:
            last = existing[-1]
            if last.size_out != mod.size_in:
                raise ValueError(
                    f"The output of submodule {len(existing) - 1} ({last.class_name}) does not "
                    f"match the input shape of submodule {len(existing)} ({mod.class_name}): "
                    f"{last.size_out} ≠ {mod.size_in}"
                )
        setattr(self, name, mod)
        mods = existing + [mod]
        first, final = mods[0], mods[-1]
        if len(mods) == 1 and len(first.shape) == 1:
            self._shape = tuple(first.shape)
        else:
            self._shape = (first.size_in, final.size_out)
        self._spiking_input = first.spiking_input
        self._spiking_output = final.spiking_output
        return self

    def __getitem__(self, item):
        mods = list(self._submodules.values())
        if isinstance(item, str):
            return self._submodules[item]
        return mods[item]

    def evolve(self, input_data, record: bool = False):
        """Pass ``input_data`` through every submodule in turn.

        Returns ``(output, {name: state}, record)``; with ``record=True`` the record holds each
        submodule's record under its name and its output under ``f"{name}_output"``.
        """
        x = input_data
        new_state, rec = {}, {}
        items = list(self._submodules.items())
        i = 0
        while i < len(items):
            name, mod = items[i]
            if not record and i + 1 < len(items) and _fusable(mod, items[i + 1][1], x):
                # Linear -> LIF on sparse events: the LIF kernel adds weight rows event by event
                nxt_name, nxt = items[i + 1]
                new_state[name] = {}
                x, new_state[nxt_name], _ = nxt._evolve_weighted(x, mod.weight, mod.bias)
                i += 2
                continue
            x, substate, subrec = mod(x, record=record)
            new_state[name] = substate
            if record:
                rec[name] = subrec
                rec[f"{name}_output"] = copy.copy(x)
            i += 1
        return x, new_state, rec

    def _wrap_recorded_state(self, recorded_dict: dict, t_start: float) -> dict:
        """The record of :meth:`evolve` as ``TimeSeries`` (used by :meth:`timed`).

        Each submodule's record is wrapped by that submodule's ``_wrap_recorded_state``; each
        ``f"{name}_output"`` becomes a ``TSEvent`` (spiking submodule) or ``TSContinuous``
        named ``f"{name}_output"``, with batch 0 of a ``(B, T, N)`` output. A ``(T, N)``
        output (``Linear`` does not add a batch axis) is taken whole; Rockpool 3.1 takes its
        first row as the series there (``N`` samples of one channel), which is not kept.
        """
        from rockpool_nb.timeseries import TSContinuous, TSEvent

        dt = _stack_dt(self)
        out = {}
        for name, mod in self._submodules.items():
            if name in recorded_dict:
                out[name] = mod._wrap_recorded_state(recorded_dict[name], t_start)
            key = f"{name}_output"
            if key not in recorded_dict:
                continue
            data = np.asarray(recorded_dict[key])
            if data.ndim == 3:
                data = data[0]
            mod_dt = float(getattr(mod, "dt", dt))
            if mod.spiking_output:
                out[key] = TSEvent.from_raster(
                    data, dt=mod_dt, t_start=t_start, name=key, num_channels=mod.size_out
                )
            else:
                out[key] = TSContinuous.from_clocked(
                    data.reshape(data.shape[0], -1), dt=mod_dt, t_start=t_start, name=key
                )
        return out


class ModSequential(SequentialMixin, Module):
    """A stack of modules (built by :func:`Sequential`)."""

    def __init__(self, *args, **kwargs):
        self._init_stack(args, kwargs)


def Sequential(*args, **kwargs) -> ModSequential:
    """Build a sequential stack: ``Sequential(mod0, mod1, ...)`` or ``Sequential(OrderedDict)``.

    Submodules are named ``"{index}_{ClassName}"`` unless an ``OrderedDict`` gives their names.
    Each module's ``size_in`` must equal the previous module's ``size_out``.
    """
    return ModSequential(*args, **kwargs)


def _fusable(first, second, x) -> bool:
    """Whether ``first`` is a plain ``Linear`` feeding a plain ``LIF`` with sparse event input
    ``x`` (fewer than 10 % non-zero), so that the pair can run as one event-driven kernel.

    The density only chooses the faster path (both give ``x @ W + b`` up to summation order):
    from 8,000 steps on, it is counted on every 8th step."""
    from rockpool_nb.kernels.linear import SPARSE_DENSITY
    from rockpool_nb.nn.modules.lif import LIF
    from rockpool_nb.nn.modules.linear import Linear

    if not (isinstance(first, Linear) and isinstance(second, LIF)):
        return False
    if type(first).evolve is not Linear.evolve or type(second).evolve is not LIF.evolve:
        return False
    if type(first).__call__ is not Linear.__call__ or type(second).__call__ is not LIF.__call__:
        return False
    x = np.asarray(x)
    if x.dtype.kind != "f" or x.shape[-1] != first.size_in or not x.size:
        return False
    steps = x.reshape(-1, x.shape[-1])
    if steps.shape[0] >= 8 * _DENSITY_SAMPLE:  # density from every 8th step: one read of 1/8
        steps = steps[::8]
    return np.count_nonzero(steps) < SPARSE_DENSITY * steps.size


_DENSITY_SAMPLE = 1000  # with at least this many sampled steps, the density is estimated


def _stack_dt(mod, default: float = 1e-3) -> float:
    """The time step of the first submodule (depth first) that has one; else ``default``."""
    for sub in mod.modules().values() if hasattr(mod, "modules") else ():
        if hasattr(sub, "dt"):
            return float(sub.dt)
        found = _stack_dt(sub, None)
        if found is not None:
            return found
    return default
