"""A network as a JSON-able structure plus named arrays, and back.

Each module becomes ``{"class", "name", "init", "values", "submodules"}``: ``init`` holds the
constructor arguments that fix the structure (shape, recurrence, activation by name), ``values``
maps every Parameter and SimulationParameter (and State, when asked) to a JSON scalar or to the
key of an array. Functions (``Rate`` activations, ``Instant`` functions) are stored by name from
an allow-list, never as code.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np

__all__ = ["network_spec", "network_from_spec", "FUNCTIONS"]


def _functions() -> dict[str, Any]:
    from rockpool_nb.nn.modules.activations import H_ReLU, H_sigmoid, H_tanh
    from rockpool_nb.nn.modules.instant import identity

    table = {"identity": identity, "H_ReLU": H_ReLU, "H_tanh": H_tanh, "H_sigmoid": H_sigmoid}
    for name in ("tanh", "sin", "cos", "exp", "abs", "sign", "square", "sqrt", "log1p", "expm1"):
        table[f"numpy.{name}"] = getattr(np, name)
    return table


FUNCTIONS = _functions  # callable: the allow-list of functions a file may name


def _function_name(fn, where: str) -> str:
    for name, known in _functions().items():
        if fn is known:
            return name
    raise ValueError(
        f"{where}: cannot save the function {fn!r}: only these can be stored by name: "
        f"{sorted(_functions())}"
    )


def _library_classes() -> dict[str, type]:
    import rockpool_nb.nn.modules as modules
    from rockpool_nb.nn.combinators.residual import ModResidual
    from rockpool_nb.nn.combinators.sequential import ModSequential

    names = [
        "Linear", "LIF", "Rate", "ExpSyn", "Instant", "LinearJax", "LinearTorch", "LIFJax",
        "LIFTorch", "RateJax", "RateTorch", "ExpSynJax", "ExpSynTorch", "InstantJax",
        "InstantTorch",
    ]  # fmt: skip
    classes = {n: getattr(modules, n) for n in names if hasattr(modules, n)}
    classes.update(ModSequential=ModSequential, ModResidual=ModResidual)
    return classes


def _init_args(mod) -> dict:
    """Constructor arguments that fix the module's structure."""
    from rockpool_nb.nn.modules import LIF, ExpSyn, Instant, Linear, Rate

    shape = [int(s) for s in mod.shape]
    if isinstance(mod, Linear):
        return {"shape": shape, "has_bias": "bias" in mod._registry}
    if isinstance(mod, LIF):
        return {"shape": shape, "has_rec": bool(mod._has_rec)}
    if isinstance(mod, Rate):
        where = f"{mod.class_name}.activation_func"
        return {
            "shape": shape[-1],
            "has_rec": bool(mod.has_rec),
            "activation_func": _function_name(mod.act_fn, where),
        }
    if isinstance(mod, ExpSyn):
        return {"shape": shape[-1]}
    if isinstance(mod, Instant):
        return {
            "shape": shape[-1],
            "function": _function_name(mod.function, f"{mod.class_name}.function"),
        }
    raise TypeError(f"{mod.class_name}: no saving rule (not a library module)")


def network_spec(net, state: bool = False) -> tuple[dict, dict[str, np.ndarray]]:
    """``(structure, arrays)`` of ``net``; raises naming the module that cannot be saved."""
    arrays: dict[str, np.ndarray] = {}
    return _spec(net, "", state, arrays), arrays


def _spec(mod, name: str, state: bool, arrays: dict) -> dict:
    classes = _library_classes()
    cls = mod.class_name
    if cls not in classes or type(mod) is not classes[cls]:
        raise TypeError(
            f"save: module {name or 'network'!r} is a {cls}, which is not a library module or "
            f"combinator; only {sorted(classes)} can be saved"
        )
    spec: dict[str, Any] = {"class": cls, "name": name}
    if cls in ("ModSequential", "ModResidual"):
        spec["submodules"] = [
            _spec(sub, sub_name, state, arrays) for sub_name, sub in mod._submodules.items()
        ]
        return spec
    spec["init"] = _init_args(mod)
    values = {}
    kinds = ("Parameter", "SimulationParameter") + (("State",) if state else ())
    for attr, reg in mod._registry.items():
        if reg.kind not in kinds:
            continue
        value = getattr(mod, attr)
        if callable(value):
            continue  # functions are part of "init", by name
        if isinstance(value, (bool, np.bool_)):
            values[attr] = bool(value)
        elif np.ndim(value) == 0 and isinstance(value, (int, float, np.number)):
            values[attr] = float(value) if not isinstance(value, (int, np.integer)) else int(value)
        else:
            key = f"a{len(arrays)}"
            arrays[key] = np.array(value)
            values[attr] = {"array": key}
    spec["values"] = values
    return spec


def network_from_spec(spec: dict, arrays, path: str = "file"):
    """Build the network a structure describes, reading arrays from ``arrays`` (a mapping)."""
    return _build(spec, arrays, path, "network")


def _build(spec: dict, arrays, path: str, where: str):
    from rockpool_nb.nn.combinators.residual import ModResidual
    from rockpool_nb.nn.combinators.sequential import ModSequential

    if not isinstance(spec, dict) or "class" not in spec:
        raise ValueError(f"{path}: {where}: expected a module description with a 'class'")
    classes = _library_classes()
    cls_name = spec["class"]
    if cls_name not in classes:
        raise ValueError(f"{path}: {where}: unknown module class {cls_name!r}")
    cls = classes[cls_name]
    if cls in (ModSequential, ModResidual):
        subs = spec.get("submodules")
        if not isinstance(subs, list) or not subs:
            raise ValueError(f"{path}: {where}: a {cls_name} needs a non-empty 'submodules' list")
        built = OrderedDict(
            (s.get("name") or f"{i}", _build(s, arrays, path, f"{where}.{s.get('name', i)}"))
            for i, s in enumerate(subs)
        )
        return cls(built)
    init = dict(spec.get("init") or {})
    functions = _functions()
    for key in ("activation_func", "function"):
        if key in init:
            if init[key] not in functions:
                raise ValueError(
                    f"{path}: {where}: {key} {init[key]!r} is not a known function "
                    f"(expected one of {sorted(functions)})"
                )
            init[key] = functions[init[key]]
    if "shape" in init and isinstance(init["shape"], list):
        init["shape"] = tuple(init["shape"])
    try:
        mod = cls(**init)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{path}: {where}: cannot build {cls_name}({init}): {err}") from err
    values = {}
    for attr, value in (spec.get("values") or {}).items():
        if isinstance(value, dict):
            key = value.get("array")
            if key not in arrays:
                raise ValueError(f"{path}: {where}.{attr}: the array {key!r} is missing")
            value = np.array(arrays[key])
        values[attr] = value
    try:
        mod.set_attributes(values)
    except (KeyError, TypeError, ValueError) as err:
        raise ValueError(f"{path}: {where}: {err}") from err
    return mod
