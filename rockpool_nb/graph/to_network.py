"""From a graph back to a runnable network: :func:`graph_to_network`.

The graph is walked from its input nodes to its output nodes. Each step finds the module that
consumes the current nodes: weights become ``Linear``, neuron populations their module class
(recurrent weights looping a population's outputs back to its inputs become its ``w_rec``), and
an ``AliasConnection`` bridging a stretch of the walk becomes a ``Residual`` around it. Chains
become ``Sequential``. Graphs that branch (two consumers without an alias) are not networks of
this library and raise ``ValueError`` naming the node's consumers.
"""

from __future__ import annotations

import numpy as np

from rockpool_nb.graph.graph_base import GraphModuleBase
from rockpool_nb.graph.graph_modules import (
    AliasConnection,
    ExpSynRealValue,
    GenericNeurons,
    InstantNeurons,
    LIFNeuronWithSynsRealValue,
    LinearWeights,
    RateNeuronWithSynsRealValue,
)
from rockpool_nb.graph.utils import bag_graph

__all__ = ["graph_to_network", "module_from_graph_module"]


def _same(a, b) -> bool:
    return len(a) == len(b) and all(x is y for x, y in zip(a, b))


def _empty(value) -> bool:
    return value is None or (isinstance(value, (list, tuple)) and len(value) == 0)


def _opt(value):
    return None if _empty(value) else np.array(value, dtype=float)


def _nn_class(name: str | None, default):
    import rockpool_nb.nn.modules as modules

    cls = getattr(modules, name, None) if name else None
    return cls if isinstance(cls, type) and issubclass(cls, default) else default


def module_from_graph_module(gmod: GraphModuleBase, w_rec=None):
    """The ``rockpool_nb`` module a single graph module describes (``w_rec``: folded recurrent
    weights ``(size_out, size_in)`` for a neuron population)."""
    from rockpool_nb.nn.modules import LIF, ExpSyn, Instant, Linear, Rate
    from rockpool_nb.nn.modules.activations import H_ReLU, H_sigmoid, H_tanh

    n_in, n_out = gmod.size_in, gmod.size_out
    rec = {} if w_rec is None else {"has_rec": True, "w_rec": np.array(w_rec, dtype=float)}
    if isinstance(gmod, LinearWeights):
        cls = _nn_class(gmod.nn_class, Linear)
        return cls((n_in, n_out), weight=gmod.weights, bias=gmod.biases)
    if isinstance(gmod, LIFNeuronWithSynsRealValue):
        cls = _nn_class(gmod.nn_class, LIF)
        shape = n_out if n_in == n_out else (n_in, n_out)
        kwargs = dict(
            tau_mem=_opt(gmod.tau_mem),
            tau_syn=_opt(gmod.tau_syn),
            bias=_opt(gmod.bias),
            threshold=_opt(gmod.threshold),
            noise_std=float(gmod.noise_std),
            max_spikes_per_dt=gmod.max_spikes_per_dt,
        )
        if gmod.dt is not None:
            kwargs["dt"] = float(gmod.dt)
        return cls(shape, **kwargs, **rec)
    if isinstance(gmod, RateNeuronWithSynsRealValue):
        cls = _nn_class(gmod.nn_class, Rate)
        names = {"relu": H_ReLU, "tanh": H_tanh, "sigmoid": H_sigmoid}
        act = gmod.activation
        if isinstance(act, str):
            if act not in names:
                raise ValueError(
                    f"{gmod!r}: activation must be one of {sorted(names)} or a callable; "
                    f"got {act!r}"
                )
            act = names[act]
        kwargs = dict(
            tau=_opt(gmod.tau),
            bias=_opt(gmod.bias),
            threshold=_opt(gmod.threshold),
            activation_func=act,
            noise_std=float(gmod.noise_std),
        )
        if gmod.dt is not None:
            kwargs["dt"] = float(gmod.dt)
        return cls(n_out, **kwargs, **rec)
    if w_rec is not None:
        raise ValueError(f"{gmod!r} ({type(gmod).__name__}) cannot have recurrent weights")
    if isinstance(gmod, ExpSynRealValue):
        cls = _nn_class(gmod.nn_class, ExpSyn)
        kwargs = dict(tau=_opt(gmod.tau), noise_std=float(gmod.noise_std))
        if gmod.dt is not None:
            kwargs["dt"] = float(gmod.dt)
        return cls(n_out, **kwargs)
    if isinstance(gmod, InstantNeurons):
        cls = _nn_class(gmod.nn_class, Instant)
        return cls(n_out) if gmod.function is None else cls(n_out, function=gmod.function)
    raise ValueError(
        f"graph module {gmod!r} of type {type(gmod).__name__} has no rockpool_nb module "
        "equivalent (supported: LinearWeights, LIFNeuronWithSynsRealValue, "
        "RateNeuronWithSynsRealValue, ExpSynRealValue, InstantNeurons, AliasConnection)"
    )


def graph_to_network(graph: GraphModuleBase):
    """Build a runnable network from ``graph`` (a holder, e.g. from ``net.as_graph()``, or a
    single graph module). A chain becomes a ``Sequential``; a single module is returned as is."""
    if not isinstance(graph, GraphModuleBase):
        raise TypeError(f"graph: expected a GraphModule or GraphHolder; got {type(graph).__name__}")
    _, modules = bag_graph(graph)
    recurrent: dict[int, LinearWeights] = {}
    for w in modules:
        if not isinstance(w, LinearWeights):
            continue
        for pop in modules:
            if (
                isinstance(pop, GenericNeurons)
                and _same(w.input_nodes, pop.output_nodes)
                and _same(w.output_nodes, pop.input_nodes)
            ):
                recurrent[id(pop)] = w
    skip = {id(w) for w in recurrent.values()}
    chain = _walk(list(graph.input_nodes), list(graph.output_nodes), recurrent, skip)
    if len(chain) == 1:
        return chain[0]
    from rockpool_nb.nn.combinators import Sequential

    return Sequential(*chain)


def _walk(frontier, target, recurrent, skip) -> list:
    chain = []
    guard = 0
    while not _same(frontier, target):
        guard += 1
        if guard > 10_000:
            raise ValueError("graph: the walk from inputs to outputs does not end (a loop?)")
        consumers = []
        for node in frontier[:1]:
            for mod in node.sink_modules:
                if id(mod) not in skip and _same(mod.input_nodes, frontier):
                    consumers.append(mod)
        if not consumers:
            sinks = [m for n in frontier for m in n.sink_modules if id(m) not in skip]
            raise ValueError(
                f"graph: no module consumes exactly the {len(frontier)} current nodes (consumers "
                f"of some of them: {sinks}); graphs must be chains of modules, with aliases for "
                "residual connections"
            )
        aliases = [m for m in consumers if isinstance(m, AliasConnection)]
        if aliases:
            alias = aliases[0]
            from rockpool_nb.nn.combinators import Residual

            inner = _walk(frontier, list(alias.output_nodes), recurrent, skip | {id(alias)})
            chain.append(Residual(*inner))
            frontier = list(alias.output_nodes)
            continue
        if len(consumers) > 1:
            raise ValueError(
                f"graph: the network branches: {consumers} all consume the same nodes; only "
                "chains (and residual aliases) become networks"
            )
        mod = consumers[0]
        w_rec = recurrent.get(id(mod))
        chain.append(module_from_graph_module(mod, None if w_rec is None else w_rec.weights))
        frontier = list(mod.output_nodes)
    return chain
