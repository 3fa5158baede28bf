"""The :class:`Module` base class: registered attributes, submodules, inspection and evolution.

A module *describes*: it declares its parameters, state and simulation parameters by assigning
:mod:`rockpool_nb.parameters` wrappers in ``__init__``, validates shapes, and in ``evolve`` calls
one kernel. It keeps Rockpool's user contract::

    output, new_state, record = mod(input, record=True)

with ``input`` of shape ``(T, Nin)`` or ``(batches, T, Nin)``.
"""

from __future__ import annotations

import abc
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

import numpy as np

from rockpool_nb.parameters import ParameterBase, RP_Constant, registered_kind

__all__ = ["Module", "ModuleBase", "PostInitMetaMixin"]

_KINDS = ("Parameter", "State", "SimulationParameter")


class Registered(NamedTuple):
    """Registry entry of one attribute."""

    kind: str
    family: str | None
    init_func: Callable | None
    shape: tuple | None
    permitted_shapes: list | None


class PostInitMetaMixin(abc.ABCMeta):
    """Metaclass: after ``__init__`` run ``__post_init__`` (if any) and close the init phase."""

    def __call__(cls, *args, **kwargs):
        obj = super().__call__(*args, **kwargs)
        if "_registry" not in obj.__dict__:
            raise NotImplementedError(
                f"{cls.__name__}.__init__ must call super().__init__() (the Module base "
                f"initialiser) before the module can be used"
            )
        if hasattr(obj, "__post_init__"):
            obj.__post_init__()
        object.__setattr__(obj, "_in_Module_init", False)
        return obj


def _family_matches(family: str | None, wanted: tuple[str, ...] | None) -> bool:
    return wanted is None or family in wanted


def _as_families(family: str | Iterable[str] | None) -> tuple[str, ...] | None:
    if family is None:
        return None
    if isinstance(family, str):
        return (family,)
    families = tuple(family)
    for f in families:
        if not isinstance(f, str):
            raise TypeError(
                f"family: expected a string or a tuple/list of strings; got {type(f).__name__} {f!r}"
            )
    return families


class ModuleBase(metaclass=PostInitMetaMixin):
    """Base class of every module (see :class:`Module`)."""

    def __init__(
        self,
        shape: tuple | int | None = None,
        spiking_input: bool = False,
        spiking_output: bool = False,
        *args,
        **kwargs,
    ):
        if args or kwargs:
            raise TypeError(
                f"{type(self).__name__}: unexpected arguments {args or ''} {kwargs or ''}".rstrip()
            )
        object.__setattr__(self, "_registry", {})
        object.__setattr__(self, "_submodules", OrderedDict())
        object.__setattr__(self, "_in_Module_init", True)
        object.__setattr__(self, "_force_set_attributes", False)
        if not isinstance(shape, Iterable):
            shape = (shape,)
        self._shape = tuple(shape)
        self._spiking_input = bool(spiking_input)
        self._spiking_output = bool(spiking_output)
        self._name: str | None = None

    # ----------------------------------------------------------------- descriptive properties
    @property
    def shape(self) -> tuple:
        """Dimensions of the module: ``shape[0]`` inputs, ``shape[-1]`` outputs."""
        return self._shape

    @property
    def size_in(self) -> int:
        """Number of input channels."""
        return self._shape[0]

    @property
    def size_out(self) -> int:
        """Number of output channels."""
        return self._shape[-1]

    @property
    def size(self) -> int:
        """Deprecated alias of :attr:`size_out`."""
        warnings.warn("`size` is deprecated; use `size_out`", DeprecationWarning, stacklevel=2)
        return self.size_out

    @property
    def spiking_input(self) -> bool:
        """``True`` if this module expects spiking (event count) input."""
        return self._spiking_input

    @property
    def spiking_output(self) -> bool:
        """``True`` if this module produces spiking (event count) output."""
        return self._spiking_output

    @property
    def class_name(self) -> str:
        """Name of the module's class."""
        return type(self).__name__

    @property
    def name(self) -> str:
        """Attribute name this module was assigned to, in single quotes, or ``""``."""
        return f"'{self._name}'" if self._name else ""

    @property
    def full_name(self) -> str:
        """Class name and module name together."""
        return f"{self.class_name} {self.name}"

    def __repr__(self, indent: str = "") -> str:
        text = f"{indent}{self.full_name} with shape {self._shape}"
        if self._submodules:
            lines = [mod.__repr__(indent + "    ") for mod in self._submodules.values()]
            text += " {\n" + "\n".join(lines) + f"\n{indent}}}"
        return text

    # ------------------------------------------------------------------- attribute registry
    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, (ParameterBase, ModuleBase)) and "_registry" not in self.__dict__:
            raise NotImplementedError(
                f"{type(self).__name__}: call super().__init__() before assigning the "
                f"{type(value).__name__} `{name}`"
            )
        if isinstance(value, ParameterBase):
            self._register_attribute(name, value)
        elif isinstance(value, ModuleBase):
            self._register_module(name, value)
        elif "_registry" in self.__dict__ and name in self._registry:
            self._store(name, self._checked_value(name, value))
        else:
            if "_submodules" in self.__dict__ and name in self._submodules:
                del self._submodules[name]
            object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        self._registry.pop(name, None)
        self._submodules.pop(name, None)
        object.__delattr__(self, name)

    def _register_attribute(self, name: str, value: ParameterBase) -> None:
        if name in self._registry and not self._in_Module_init:
            raise ValueError(
                f"{type(self).__name__}.{name}: cannot assign a new {type(value).__name__} to an "
                f"existing attribute after construction; assign a plain value instead"
            )
        kind = registered_kind(value)
        if kind == "Parameter":
            _reject_nan(f"{type(self).__name__}.{name}", value.data)
        self._registry[name] = Registered(
            kind, value.family, value.init_func, value.shape, value.permitted_shapes
        )
        self._submodules.pop(name, None)
        object.__setattr__(self, name, value.data)

    def _register_module(self, name: str, mod: ModuleBase) -> None:
        self._registry.pop(name, None)
        mod._name = name
        self._submodules[name] = mod
        object.__setattr__(self, name, mod)

    def _checked_value(self, name: str, value: Any) -> Any:
        """Validate a plain value assigned to a registered attribute; return what to store."""
        reg = self._registry[name]
        if value is None or reg.shape is None:
            return value
        where = f"{type(self).__name__}.{name}"
        if hasattr(value, "detach"):  # torch tensors
            value = value.detach().cpu().numpy()
        new_shape = np.shape(value)
        allowed = [reg.shape] + [s for s in (reg.permitted_shapes or []) if s != reg.shape]
        if new_shape not in allowed and not self._force_set_attributes:
            raise ValueError(
                f"{where}: expected shape {' or '.join(map(str, allowed))}; got {new_shape}"
            )
        current = getattr(self, name, None)
        if isinstance(current, np.ndarray) and current.dtype.kind in "fc":
            array = np.asarray(value)
            if array.dtype.kind not in "biufc":
                raise TypeError(f"{where}: expected a numeric array; got dtype {array.dtype}")
            value = np.array(array, dtype=current.dtype)
            if isinstance(current, RP_Constant):
                value = value.view(type(current))
        elif isinstance(current, (int, float, np.number)) and not isinstance(current, bool):
            kind = np.asarray(value).dtype.kind
            if kind not in "biufc":
                raise TypeError(f"{where}: expected a number; got {type(value).__name__} {value!r}")
        if reg.kind == "Parameter":
            _reject_nan(where, value)
        return value

    def _store(self, name: str, value: Any) -> None:
        """Store an already validated value, keeping the registered shape in step."""
        reg = self._registry[name]
        if value is not None and reg.shape is not None and np.shape(value) != reg.shape:
            self._registry[name] = reg._replace(shape=np.shape(value))
        object.__setattr__(self, name, value)

    def _get_attribute_registry(self) -> tuple[dict, dict]:
        """Rockpool-compatible view: ``({name: [value, kind, family, init, shape]}, {name: [mod, cls]})``."""
        attrs = {
            n: [getattr(self, n), r.kind, r.family, r.init_func, r.shape]
            for n, r in self._registry.items()
        }
        mods = {n: [m, m.class_name] for n, m in self._submodules.items()}
        return attrs, mods

    def _has_registered_attribute(self, name: str) -> bool:
        return name in self._registry

    # ------------------------------------------------------------------------- inspection
    def _get_attribute_family(self, kind: str, family: tuple | None) -> dict:
        out = {
            n: getattr(self, n)
            for n, r in self._registry.items()
            if r.kind == kind and _family_matches(r.family, family)
        }
        for n, mod in self._submodules.items():
            sub = mod._get_attribute_family(kind, family)
            if sub or family is None:
                out[n] = sub
        return out

    def _known_families(self) -> set:
        fams = {r.family for r in self._registry.values() if r.family is not None}
        for mod in self._submodules.values():
            fams |= mod._known_families()
        return fams

    def _family_query(self, kind: str, family) -> dict:
        families = _as_families(family)
        if families is not None:
            unknown = [f for f in families if f not in self._known_families()]
            if len(unknown) == len(families):
                known = sorted(self._known_families())
                raise ValueError(
                    f"family: expected one of {known} for {self.full_name.strip()}; got {family!r}"
                )
        return self._get_attribute_family(kind, families)

    def parameters(self, family: str | Iterable[str] | None = None) -> dict:
        """Nested dict of ``Parameter`` values, optionally of the given family or families."""
        return self._family_query("Parameter", family)

    def state(self, family: str | Iterable[str] | None = None) -> dict:
        """Nested dict of ``State`` values, optionally of the given family or families."""
        return self._family_query("State", family)

    def simulation_parameters(self, family: str | Iterable[str] | None = None) -> dict:
        """Nested dict of ``SimulationParameter`` values, optionally filtered by family."""
        return self._family_query("SimulationParameter", family)

    def modules(self) -> OrderedDict:
        """Direct submodules, by name, in the order they were assigned."""
        return OrderedDict(self._submodules)

    def attributes_named(self, name: str | tuple | list) -> dict:
        """Nested dict of registered attributes (any kind) called ``name`` (or any of ``name``)."""
        names = (name,) if isinstance(name, str) else tuple(name)
        out = {n: getattr(self, n) for n in self._registry if n in names}
        for n, mod in self._submodules.items():
            sub = mod.attributes_named(names)
            if sub:
                out[n] = sub
        return out

    # ------------------------------------------------------------------------ modification
    def set_attributes(self, new_attributes: dict) -> ModuleBase:
        """Set registered attributes and submodule attributes from a nested dict.

        Every value is validated before any is set: on error nothing changes.
        Returns ``self``.
        """
        plan: list[tuple[ModuleBase, str, Any]] = []
        self._plan_set(new_attributes, plan, self.full_name.strip())
        for mod, name, value in plan:
            mod._store(name, value)
        return self

    def _plan_set(self, new: dict, plan: list, path: str) -> None:
        if not isinstance(new, dict):
            raise TypeError(f"set_attributes: expected a dict for {path}; got {type(new).__name__}")
        for key, value in new.items():
            if key in self._submodules:
                self._submodules[key]._plan_set(value, plan, f"{path}.{key}")
            elif key in self._registry:
                plan.append((self, key, self._checked_value(key, value)))
            else:
                known = sorted(list(self._registry) + list(self._submodules))
                raise KeyError(
                    f"set_attributes: {path} has no attribute or submodule {key!r}; "
                    f"expected one of {known}"
                )

    def _reset_attribute(self, name: str) -> ModuleBase:
        reg = self._registry[name]
        if reg.init_func is not None:
            object.__setattr__(self, name, reg.init_func(reg.shape))
        return self

    def _reset_kind(self, kind: str) -> ModuleBase:
        for n, r in self._registry.items():
            if r.kind == kind:
                self._reset_attribute(n)
        for mod in self._submodules.values():
            mod._reset_kind(kind)
        return self

    def reset_state(self) -> ModuleBase:
        """Re-initialise every ``State`` of this module and its submodules; returns ``self``."""
        return self._reset_kind("State")

    def reset_parameters(self) -> ModuleBase:
        """Re-initialise every ``Parameter`` of this module and its submodules; returns ``self``."""
        return self._reset_kind("Parameter")

    # --------------------------------------------------------------------------- evolution
    def __call__(self, input_data, *args, **kwargs):
        if isinstance(input_data, tuple) and len(input_data) == 3:
            data, state, record = input_data
            output, new_state, new_record = self.evolve(data, *args, **kwargs)
            state = dict(state)
            record = dict(record)
            state[self._name or ""] = new_state
            record[self._name or ""] = new_record
            return output, state, record
        return self.evolve(input_data, *args, **kwargs)

    @abc.abstractmethod
    def evolve(self, input_data, record: bool = False) -> tuple[np.ndarray, dict, dict]:
        """Evolve over ``input_data`` ``(T, Nin)`` or ``(B, T, Nin)``.

        Returns ``(output, new_state, record_dict)``.
        """

    def _wrap_recorded_state(self, recorded_dict: dict, t_start: float) -> dict:
        """Convert a record dict to ``TimeSeries`` (used by :meth:`timed`); identity here."""
        return recorded_dict

    def as_graph(self):
        """The computational graph of this module (see :mod:`rockpool_nb.graph`)."""
        from rockpool_nb.graph.registry import graph_converter_for

        converter = graph_converter_for(type(self))
        if converter is None:
            raise NotImplementedError(
                f"The Module class '{self.class_name}' used by module [{self!r}] does not "
                f"implement the graph serialisation API"
            )
        return converter(self)


def _reject_nan(where: str, value: Any) -> None:
    if isinstance(value, (np.ndarray, float, np.floating)) and np.isnan(np.sum(value)):
        raise ValueError(f"{where}: expected finite values; got NaN in {np.shape(value)} array")


class Module(ModuleBase):
    """Base class of every ``rockpool_nb`` module.

    Subclasses call ``super().__init__(shape=..., spiking_input=..., spiking_output=...)``,
    assign ``Parameter`` / ``State`` / ``SimulationParameter`` wrappers and submodules as
    attributes, and implement :meth:`evolve`.
    """

    def _auto_batch(
        self, data, states: tuple = (), target_shapes: tuple | None = None
    ) -> tuple[np.ndarray, tuple]:
        """Give ``data`` a batch dimension and replicate ``states`` over it.

        ``(T,)`` becomes ``(1, T, size_in)``, ``(T, N)`` becomes ``(1, T, N)``; a last dimension
        of 1 is broadcast to ``size_in``. Each state of shape ``s`` becomes ``(B, *s)`` (or the
        matching entry of ``target_shapes`` with the batch size prepended).
        """
        array = np.asarray(data.detach().cpu().numpy() if hasattr(data, "detach") else data)
        if array.dtype not in (np.float32, np.float64):
            array = array.astype(np.float64)
        if array.ndim == 1:
            array = array[None, :, None]
        elif array.ndim == 2:
            array = array[None, :, :]
        elif array.ndim != 3:
            raise ValueError(
                f"input: expected shape (T,), (T, {self.size_in}) or (batches, T, {self.size_in}); "
                f"got {array.shape}"
            )
        if array.shape[-1] == 1 and self.size_in != 1:
            array = np.broadcast_to(array, array.shape[:-1] + (self.size_in,))
        if array.shape[-1] != self.size_in:
            raise ValueError(
                f"Input has wrong neuron dimension. It is {array.shape[-1]}, must be {self.size_in}"
            )
        batches = array.shape[0]
        if target_shapes is None:
            target_shapes = [None] * len(states)
        out_states = []
        for state, target in zip(states, target_shapes):
            state = np.asarray(state)
            if target is None:
                out_states.append(np.broadcast_to(state, (batches,) + state.shape).copy())
            else:
                target = list(target)
                target = (
                    [batches] + target[1:] if len(target) == state.ndim + 1 else [batches] + target
                )
                for i in range(1, len(target)):
                    if target[i] == -1:
                        target[i] = state.shape[i - len(target)]
                out_states.append(np.broadcast_to(state, tuple(target)).copy())
        return array, tuple(out_states)

    def timed(self, output_num: int = 0, dt: float | None = None, add_events: bool = False):
        """Wrap this module as a ``TimedModule`` consuming and producing ``TimeSeries``."""
        from rockpool_nb.nn.modules.timed_module import TimedModuleWrapper

        return TimedModuleWrapper(self, output_num=output_num, dt=dt, add_events=add_events)
