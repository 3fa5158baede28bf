"""``Sequential``: a stack of modules, each feeding the next."""

from __future__ import annotations

import copy

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
        for name, mod in self._submodules.items():
            x, substate, subrec = mod(x, record=record)
            new_state[name] = substate
            if record:
                rec[name] = subrec
                rec[f"{name}_output"] = copy.copy(x)
        return x, new_state, rec


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
