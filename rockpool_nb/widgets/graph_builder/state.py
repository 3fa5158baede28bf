"""Plain conversions behind the graph builder (no widget, no browser).

The drawn state is JSON::

    {"nodes": [{"id", "type", "label", "x", "y", "params": {...},
                "size_in", "size_out", "spiking_input", "spiking_output", "fixed": [...]}],
     "edges": [{"id", "source", "target"}]}

``params`` holds the edited constructor arguments (numbers, lists, shapes). Whole matrices of a
network that was drawn from Python (``weight``, ``w_rec``) are kept beside the state, in
``fixed[node_id]``, so that drawing a network and building it again gives the same network.
The builder makes ``Sequential`` chains: every module has at most one input and one output.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from rockpool_nb.widgets.graph_builder.palette import builder_types

__all__ = [
    "empty_graph",
    "new_node",
    "node_module",
    "validate_graph",
    "chain_order",
    "network_from_graph",
    "graph_from_network",
    "code_from_graph",
]

_ACTIVATIONS = {"H_ReLU": "relu", "H_tanh": "tanh", "H_sigmoid": "sigmoid"}


def empty_graph() -> dict:
    return {"nodes": [], "edges": []}


def new_node(graph: dict, type_name: str, x=None, y=None, label: str = "", params=None) -> dict:
    """A node dict for ``type_name`` with an id not yet used in ``graph``."""
    types = builder_types()
    if type_name not in types:
        raise ValueError(f"type: expected one of {sorted(types)}; got {type_name!r}")
    used = {n["id"] for n in graph["nodes"]}
    i = len(used) + 1
    while f"n{i}" in used:
        i += 1
    params = dict(params or {})
    if "shape" not in params and any(p.name == "shape" for p in types[type_name].params):
        params["shape"] = [2, 2] if type_name == "Linear" else [2]
    return {
        "id": f"n{i}",
        "type": type_name,
        "label": label,
        "x": x,
        "y": y,
        "params": params,
        "size_in": None,
        "size_out": None,
        "spiking_input": False,
        "spiking_output": False,
        "fixed": [],
    }


def _kwargs(node: dict, fixed: dict) -> dict:
    spec = builder_types()[node["type"]]
    kinds = {p.name: p.kind for p in spec.params}
    kwargs: dict[str, Any] = {}
    for name, value in node["params"].items():
        if value is None:
            continue
        kind = kinds.get(name)
        if kind is None:
            raise ValueError(f"{name}: {node['type']} has no parameter {name!r}")
        if kind == "shape":
            value = tuple(int(v) for v in value) if isinstance(value, (list, tuple)) else int(value)
            if isinstance(value, tuple) and len(value) == 1:
                value = value[0]
        elif kind == "vector" and isinstance(value, list):
            value = np.asarray(value, dtype=float)
        kwargs[name] = value
    for name, array in fixed.get(node["id"], {}).items():
        kwargs[name] = np.array(array)
    return kwargs


def node_module(node: dict, fixed: dict | None = None):
    """Construct the module a node describes (raises the module's own error if invalid)."""
    spec = builder_types()[node["type"]]
    kwargs = _kwargs(node, fixed or {})
    shape = kwargs.pop("shape", None)
    return spec.cls(shape, **kwargs) if shape is not None else spec.cls(**kwargs)


def validate_graph(graph: dict, fixed: dict | None = None) -> dict:
    """Check every node and edge; fill in sizes and spiking flags. Returns the issues dict.

    ``{"nodes": {id: reason}, "edges": {id: reason}, "network": reason or ""}``.
    """
    issues: dict[str, Any] = {"nodes": {}, "edges": {}, "network": ""}
    by_id = {}
    for node in graph["nodes"]:
        by_id[node["id"]] = node
        try:
            mod = node_module(node, fixed)
        except Exception as err:  # shown on the node, not as a traceback
            issues["nodes"][node["id"]] = f"{type(err).__name__}: {err}"
            node.update(size_in=None, size_out=None)
            continue
        node.update(
            size_in=int(mod.size_in),
            size_out=int(mod.size_out),
            spiking_input=bool(mod.spiking_input),
            spiking_output=bool(mod.spiking_output),
        )
    for edge in graph["edges"]:
        s, t = by_id.get(edge["source"]), by_id.get(edge["target"])
        if s is None or t is None:
            issues["edges"][edge["id"]] = "connects a module that no longer exists"
            continue
        name_s, name_t = s["label"] or s["type"], t["label"] or t["type"]
        if s["size_out"] is not None and t["size_in"] is not None and s["size_out"] != t["size_in"]:
            issues["edges"][edge["id"]] = (
                f"size mismatch: {name_s} gives {s['size_out']} outputs; "
                f"{name_t} expects {t['size_in']} inputs"
            )
        elif t["spiking_input"] and not s["spiking_output"] and s["size_out"] is not None:
            issues["edges"][edge["id"]] = (
                f"{name_t} expects spikes; {name_s} gives continuous values"
            )
    try:
        chain_order(graph)
    except ValueError as err:
        issues["network"] = str(err)
    return issues


def chain_order(graph: dict) -> list[dict]:
    """The nodes in the order of the chain their edges form (ValueError naming what is wrong)."""
    nodes = graph["nodes"]
    if not nodes:
        raise ValueError("the canvas is empty: add modules from the palette")
    outs, ins = {}, {}
    for e in graph["edges"]:
        if e["source"] in outs:
            raise ValueError(
                f"{e['source']} has two outgoing connections; the builder makes Sequential chains"
            )
        if e["target"] in ins:
            raise ValueError(
                f"{e['target']} has two incoming connections; the builder makes Sequential chains"
            )
        outs[e["source"]], ins[e["target"]] = e["target"], e["source"]
    starts = [n for n in nodes if n["id"] not in ins]
    if len(starts) != 1:
        loose = ", ".join(n["label"] or n["id"] for n in starts)
        raise ValueError(
            f"connect every module into one chain: {len(starts)} modules have no input ({loose})"
        )
    by_id = {n["id"]: n for n in nodes}
    order, current, seen = [], starts[0]["id"], set()
    while current is not None and current not in seen:
        seen.add(current)
        order.append(by_id[current])
        current = outs.get(current)
    if len(order) != len(nodes):
        raise ValueError("the connections form a loop or leave modules out of the chain")
    return order


def network_from_graph(graph: dict, fixed: dict | None = None):
    """Build the ``Sequential`` network the drawing describes (ValueError if it is invalid)."""
    from collections import OrderedDict

    from rockpool_nb.nn.combinators import Sequential

    graph = copy.deepcopy(graph)
    issues = validate_graph(graph, fixed)
    problems = [f"{nid}: {msg}" for nid, msg in issues["nodes"].items()]
    problems += [f"connection {eid}: {msg}" for eid, msg in issues["edges"].items()]
    if issues["network"]:
        problems.append(issues["network"])
    if problems:
        raise ValueError("the drawing is not a valid network: " + "; ".join(problems))
    from rockpool_nb.graph import GraphHolder, connect_modules, graph_to_network

    order = chain_order(graph)
    # through the graph API: each drawn module's graph, wired along the drawn connections,
    # then one network built from the whole graph
    graphs = [node_module(n, fixed).as_graph() for n in order]
    for a, b in zip(graphs[:-1], graphs[1:]):
        connect_modules(a, b)
    holder = GraphHolder(graphs[0].input_nodes, graphs[-1].output_nodes, "GraphBuilder")
    net = graph_to_network(holder)
    mods = list(net._submodules.values()) if len(order) > 1 else [net]
    labels = [n["label"] for n in order]
    if all(labels):
        return Sequential(OrderedDict(zip(labels, mods)))
    return Sequential(*mods)


def _flatten(net) -> list[tuple[str, Any]]:
    from rockpool_nb.nn.combinators import ModSequential

    if type(net) is ModSequential:
        out = []
        for name, mod in net.modules().items():
            sub = _flatten(mod)
            out += sub if len(sub) > 1 or type(mod) is ModSequential else [(name, mod)]
        return out
    return [("", net)]


def _param_value(mod, name: str, kind: str):
    if kind == "shape":
        return [int(s) for s in mod.shape]
    if name == "activation_func":
        fn = getattr(mod, "act_fn", None)
        return _ACTIVATIONS.get(getattr(fn, "__name__", ""), "relu")
    if name in mod._registry:
        value = getattr(mod, name)
    elif f"_{name}" in mod._registry:
        value = getattr(mod, f"_{name}")
    elif isinstance(getattr(type(mod), name, None), property):
        value = getattr(mod, name)
    else:
        return None
    if value is None or callable(value):
        return None
    array = np.asarray(value)
    if array.dtype.kind == "b" or isinstance(value, bool):
        return bool(array)
    if array.ndim == 0:
        return array.item()
    if array.ndim == 1:
        flat = array.astype(float)
        return float(flat[0]) if np.all(flat == flat[0]) else flat.tolist()
    return None


def graph_from_network(net) -> tuple[dict, dict]:
    """Drawing state and fixed matrices of an existing network (a chain of library modules)."""
    types = builder_types()
    graph, fixed = empty_graph(), {}
    named = _flatten(net)
    prev = None
    for name, mod in named:
        tname = type(mod).__name__
        if tname not in types:
            raise ValueError(
                f"net: the builder draws chains of {sorted(types)}; got {tname} {mod.name}".rstrip()
            )
        spec = types[tname]
        params = {}
        for p in spec.params:
            value = _param_value(mod, p.name, p.kind)
            if value is not None and value != p.default:
                params[p.name] = value
        node = new_node(graph, tname, label=name if not name[:1].isdigit() else "", params=params)
        arrays = {
            k: np.array(v)
            for k, v in mod.parameters().items()
            if np.ndim(v) >= 2
            or (k in ("weight", "w_rec", "bias") and np.ndim(v) >= 1 and tname == "Linear")
        }
        if arrays:
            fixed[node["id"]] = arrays
            node["fixed"] = sorted(arrays)
        graph["nodes"].append(node)
        if prev is not None:
            graph["edges"].append(
                {"id": f"e{len(graph['edges']) + 1}", "source": prev, "target": node["id"]}
            )
        prev = node["id"]
    validate_graph(graph, fixed)
    return graph, fixed


def _literal(value) -> str:
    if isinstance(value, np.ndarray):
        return f"np.array({value.tolist()!r})"
    if isinstance(value, list):
        return f"np.array({value!r})"
    if isinstance(value, tuple):
        return repr(value)
    return repr(value)


def code_from_graph(graph: dict, fixed: dict | None = None, name: str = "net") -> str:
    """Python source that rebuilds the drawn network (exactly, including fixed matrices)."""
    fixed = fixed or {}
    order = chain_order(graph)
    types = sorted({n["type"] for n in order})
    lines = []
    calls = []
    uses_numpy = False
    for node in order:
        kwargs = _kwargs(node, fixed)
        shape = kwargs.pop("shape", None)
        args = [] if shape is None else [repr(shape)]
        for key, value in kwargs.items():
            uses_numpy |= isinstance(value, (np.ndarray, list))
            args.append(f"{key}={_literal(value)}")
        calls.append((node["label"], f"{node['type']}({', '.join(args)})"))
    if uses_numpy:
        lines.append("import numpy as np")
    named = all(label for label, _ in calls)
    if named:
        lines.append("from collections import OrderedDict")
        lines.append("")
    lines.append("from rockpool_nb.nn.combinators import Sequential")
    lines.append(f"from rockpool_nb.nn.modules import {', '.join(types)}")
    lines.append("")
    if named:
        lines.append(f"{name} = Sequential(OrderedDict([")
        lines += [f"    ({label!r}, {call})," for label, call in calls]
        lines.append("]))")
    else:
        lines.append(f"{name} = Sequential(")
        lines += [f"    {call}," for _, call in calls]
        lines.append(")")
    return "\n".join(lines) + "\n"
