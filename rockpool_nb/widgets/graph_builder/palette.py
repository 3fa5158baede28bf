"""The graph builder's palette: which module types can be drawn, and their editable parameters.

A registry, read by the widget at start: registering a new ``Module`` subclass makes it appear
in the palette without touching the JavaScript. Parameter kinds are derived from the
constructor's signature (defaults and names) unless given explicitly.
"""

from __future__ import annotations

import inspect
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["ParamSpec", "TypeSpec", "register_builder_type", "builder_types", "palette"]

# Constructor arguments that are never edited as fields: callables and whole matrices (which are
# carried over from an existing network as "fixed" arrays instead).
_SKIP = {
    "weight_init_func",
    "bias_init_func",
    "function",
    "weight",
    "w_rec",
    "self",
    "args",
    "kwargs",
}
_VECTOR_HINTS = ("tau", "bias", "threshold", "noise", "thr")


@dataclass(frozen=True)
class ParamSpec:
    """One editable constructor argument: ``kind`` is shape, vector, number, int, bool or choice."""

    name: str
    kind: str
    default: Any = None
    doc: str = ""
    choices: tuple = ()


@dataclass(frozen=True)
class TypeSpec:
    """A module type of the palette."""

    type: str
    cls: type = field(repr=False)
    params: tuple[ParamSpec, ...]
    doc: str = ""

    def to_json(self) -> dict:
        return {
            "type": self.type,
            "doc": self.doc,
            "params": [{**asdict(p), "choices": list(p.choices)} for p in self.params],
        }


_REGISTRY: dict[str, TypeSpec] = {}


def _json_default(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return None


def _infer(name: str, default) -> ParamSpec | None:
    if name in _SKIP or callable(default):
        return None
    if name == "shape":
        return ParamSpec(name, "shape", None, "number of neurons, or (inputs, outputs)")
    if isinstance(default, bool):
        return ParamSpec(name, "bool", default)
    if isinstance(default, int):
        return ParamSpec(name, "int", default)
    if isinstance(default, float):
        return ParamSpec(name, "number", default)
    if default is None and any(h in name for h in _VECTOR_HINTS):
        return ParamSpec(name, "vector", None, "a number, or one per neuron")
    if isinstance(default, str):
        return ParamSpec(name, "text", default)
    return None


def register_builder_type(
    cls: type,
    params: list[ParamSpec] | None = None,
    name: str | None = None,
    overrides: dict[str, ParamSpec] | None = None,
) -> TypeSpec:
    """Add a module class to the palette (``params`` default: inferred from ``__init__``)."""
    if params is None:
        sig = inspect.signature(cls.__init__)
        params = []
        for pname, p in sig.parameters.items():
            if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                continue
            default = None if p.default is inspect.Parameter.empty else p.default
            if overrides and pname in overrides:
                params.append(overrides[pname])
                continue
            spec = _infer(pname, default)
            if spec is not None:
                params.append(
                    ParamSpec(
                        spec.name, spec.kind, _json_default(spec.default), spec.doc, spec.choices
                    )
                )
    doc = (inspect.getdoc(cls) or "").split("\n")[0]
    spec = TypeSpec(name or cls.__name__, cls, tuple(params), doc)
    _REGISTRY[spec.type] = spec
    return spec


def _register_library_types() -> None:
    from rockpool_nb.nn import modules

    activation = ParamSpec(
        "activation_func", "choice", "relu", "transfer function", ("relu", "tanh", "sigmoid")
    )
    for name in ("Linear", "Instant", "Rate", "LIF", "ExpSyn", "UpDown"):
        cls = getattr(modules, name, None)
        if cls is not None and name not in _REGISTRY:
            register_builder_type(cls, overrides={"activation_func": activation})


def builder_types() -> dict[str, TypeSpec]:
    """The registered types, library modules first."""
    _register_library_types()
    return dict(_REGISTRY)


def palette() -> list[dict]:
    """The palette as JSON for the widget."""
    return [spec.to_json() for spec in builder_types().values()]
