"""Registered attributes of a :class:`~rockpool_nb.nn.modules.Module`.

A module declares what it holds by assigning one of these wrappers to an attribute inside its
``__init__``::

    self.tau = Parameter(shape=(N,), family="taus", init_func=lambda s: np.full(s, 20e-3))

The module then stores the plain value under that attribute and remembers the kind, family,
initialiser and permitted shapes, so that :meth:`Module.parameters`, :meth:`Module.state`,
:meth:`Module.simulation_parameters`, :meth:`Module.reset_parameters` and
:meth:`Module.reset_state` can find it.

- :class:`Parameter`: configuration of the network, usually trainable (weights, time constants).
- :class:`State`: internal values that evolve with time (membrane potentials, currents).
- :class:`SimulationParameter`: needed to simulate but not part of the model (``dt``, noise).
- :class:`Constant`: wraps a value so that a ``Parameter`` or ``State`` built from it becomes a
  ``SimulationParameter`` (not trainable).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = [
    "Parameter",
    "State",
    "SimulationParameter",
    "Constant",
    "ParameterBase",
    "RP_Constant",
    "conform",
]

ShapeSpec = int | tuple | list | None


class RP_Constant:
    """Marker mixin: a value wrapped by :func:`Constant` is never trainable."""


class _ConstantArray(np.ndarray, RP_Constant):
    pass


class _ConstantFloat(float, RP_Constant):
    pass


class _ConstantInt(int, RP_Constant):
    pass


class _ConstantComplex(complex, RP_Constant):
    pass


def Constant(obj: Any) -> Any:
    """Mark ``obj`` as a constant: ``Parameter(Constant(x))`` registers a ``SimulationParameter``.

    NumPy arrays become a view of an ``RP_Constant`` array subclass; Python numbers become
    ``RP_Constant`` subclasses of their type (``Constant(0.1)`` is still a ``float``).
    Other objects get their class patched to derive from ``RP_Constant`` as well.
    """
    if isinstance(obj, RP_Constant):
        return obj
    if isinstance(obj, np.ndarray):
        return obj.view(_ConstantArray)
    if isinstance(obj, bool):
        return _ConstantInt(obj)
    for base, wrapper in (
        (int, _ConstantInt),
        (float, _ConstantFloat),
        (complex, _ConstantComplex),
    ):
        if isinstance(obj, base):
            return wrapper(obj)
    if isinstance(obj, np.generic):
        return np.asarray(obj).view(_ConstantArray)
    try:
        obj.__class__ = type(f"Constant{type(obj).__name__}", (type(obj), RP_Constant), {})
    except TypeError as err:
        raise TypeError(
            f"Constant: expected a numpy array, a number or an object whose class can be "
            f"extended; got {type(obj).__name__}"
        ) from err
    return obj


def _normalise_shapes(shape: ShapeSpec) -> list[tuple[int, ...]] | None:
    """Turn a shape argument into a list of permitted shape tuples (``None`` if not given)."""
    if shape is None:
        return None
    if isinstance(shape, (int, np.integer)):
        return [(int(shape),)]
    if isinstance(shape, tuple):
        shapes = [shape]
    elif isinstance(shape, list):
        shapes = [s if isinstance(s, tuple) else (s,) for s in shape]
    else:
        raise TypeError(
            f"shape: expected an int, a tuple or a list of shapes; got {type(shape).__name__} {shape!r}"
        )
    for s in shapes:
        for entry in s:
            if not isinstance(entry, (int, np.integer)):
                raise TypeError(
                    f"shape: every entry must be an int; got {type(entry).__name__} {entry!r} in {s}"
                )
    return [tuple(int(e) for e in s) for s in shapes]


class ParameterBase:
    """Base of the registered-attribute wrappers.

    Parameters
    ----------
    data : array-like, optional
        Concrete initial value. Restored by ``reset_parameters()`` / ``reset_state()``.
    family : str, optional
        Family name used to filter (``"weights"``, ``"taus"``, ``"biases"``, ...).
    init_func : callable, optional
        ``init_func(shape) -> array``, called when ``data`` is not given and on reset.
    shape : int, tuple or list of tuples, optional
        Permitted shape(s). A list permits several shapes; the first is used to initialise.
    permit_reshape : bool
        If ``data`` has the right number of elements but another shape, reshape it to the first
        permitted shape of that size (default ``True``).
    cast_fn : callable, optional
        Applied once to ``data`` at construction.
    """

    def __init__(
        self,
        data: Any = None,
        family: str | None = None,
        init_func: Callable[[tuple], Any] | None = None,
        shape: ShapeSpec = None,
        permit_reshape: bool = True,
        cast_fn: Callable[[Any], Any] | None = None,
    ):
        shapes = _normalise_shapes(shape)
        if data is None and shapes is None:
            raise ValueError(
                f"{type(self).__name__}: expected `data` or `shape` (or both); got neither"
            )
        if init_func is not None and not callable(init_func):
            raise ValueError(
                f"{type(self).__name__}: init_func must be callable; got {type(init_func).__name__}"
            )

        if data is not None:
            if cast_fn is not None:
                data = cast_fn(data)
            if shapes is not None:
                data = conform(data, shapes, permit_reshape)
            initial = copy.deepcopy(data)
            init_func = _CopyOf(initial)
        else:
            if init_func is None:
                raise ValueError(
                    f"{type(self).__name__}: expected `init_func` when no `data` is given "
                    f"(shape {shapes[0]})"
                )
            data = init_func(shapes[0])
            if cast_fn is not None:
                data = cast_fn(data)

        self.data = data
        self.family = family
        self.init_func = init_func
        self.shape = np.shape(data) if _is_array_like(data) else None
        self.permitted_shapes = shapes

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(data={self.data!r}, family={self.family!r}, "
            f"init_func={self.init_func!r}, shape={self.shape!r})"
        )


def conform(data: Any, shape: ShapeSpec, permit_reshape: bool = True, what: str = "shape") -> Any:
    """``data`` if its shape is permitted, else reshaped to the first permitted shape of its size.

    ``what`` names the argument in the error (e.g. ``"LIF.tau_mem"``); ``None`` passes through.
    """
    if data is None:
        return None
    shapes = (
        _normalise_shapes(shape)
        if not (isinstance(shape, list) and all(isinstance(s, tuple) for s in shape))
        else shape
    )
    data_shape = np.shape(data)
    if data_shape in shapes:
        return data
    size = int(np.prod(data_shape))
    if permit_reshape:
        for s in shapes:
            if int(np.prod(s)) == size:
                return np.array(data).reshape(s)
    raise ValueError(f"{what}: expected shape {' or '.join(map(str, shapes))}; got {data_shape}")


class _CopyOf:
    """Initialiser that returns a fresh deep copy of a stored initial value."""

    def __init__(self, value: Any):
        self.value = value

    def __call__(self, shape: tuple | None = None) -> Any:
        return copy.deepcopy(self.value)

    def __repr__(self) -> str:
        return f"<copy of initial value with shape {np.shape(self.value)}>"


def _is_array_like(value: Any) -> bool:
    return isinstance(value, (np.ndarray, np.generic, int, float, complex, list, tuple)) or hasattr(
        value, "__array__"
    )


class Parameter(ParameterBase):
    """A configuration value of the network, trainable unless wrapped in :func:`Constant`."""


class State(ParameterBase):
    """An internal value that evolves over time and is reset by ``reset_state()``."""


class SimulationParameter(ParameterBase):
    """A value needed to simulate (``dt``, noise level, ...) that is not part of the model."""


def registered_kind(value: ParameterBase) -> str:
    """The registry bucket of a wrapper: Parameter and State built on Constants are demoted."""
    kind = type(value).__name__
    if isinstance(value, SimulationParameter):
        return "SimulationParameter"
    if isinstance(value, Parameter):
        kind = "Parameter"
    elif isinstance(value, State):
        kind = "State"
    if isinstance(value.data, RP_Constant):
        return "SimulationParameter"
    return kind
