"""``as_graph()`` for the library's modules and combinators (registered on import).

Graph-module names follow Rockpool: ``f"{ClassName}_{module.name}_{id(module)}"`` (the module's
name carries its quotes), recurrent weights ``f"{ClassName}_recurrent_{name}_{id}"``.
"""

from __future__ import annotations

import numpy as np

from rockpool_nb.graph.graph_base import GraphHolder, SetList
from rockpool_nb.graph.graph_modules import (
    AliasConnection,
    ExpSynRealValue,
    InstantNeurons,
    LIFNeuronWithSynsRealValue,
    LinearWeights,
    RateNeuronWithSynsRealValue,
)
from rockpool_nb.graph.registry import register_graph_converter
from rockpool_nb.graph.utils import connect_modules
from rockpool_nb.nn.combinators.residual import ModResidual
from rockpool_nb.nn.combinators.sequential import ModSequential
from rockpool_nb.nn.modules.activations import H_ReLU, H_sigmoid, H_tanh
from rockpool_nb.nn.modules.expsyn import ExpSyn
from rockpool_nb.nn.modules.instant import Instant
from rockpool_nb.nn.modules.lif import LIF
from rockpool_nb.nn.modules.linear import Linear
from rockpool_nb.nn.modules.rate import Rate
from rockpool_nb.nn.modules.timed_module import TimedModuleWrapper

__all__ = ["graph_name", "ACTIVATION_NAMES"]

ACTIVATION_NAMES = {H_ReLU: "relu", H_tanh: "tanh", H_sigmoid: "sigmoid"}


def graph_name(mod, part: str = "") -> str:
    """Rockpool's naming of graph modules made from ``mod``."""
    middle = f"{part}_" if part else ""
    return f"{mod.class_name}_{middle}{mod.name}_{id(mod)}"


def _array(value) -> np.ndarray:
    return np.array(value, dtype=float)


def _with_recurrence(neurons, mod, w_rec: np.ndarray) -> GraphHolder:
    """A holder around ``neurons`` plus recurrent ``LinearWeights`` from its outputs back to its
    inputs."""
    rec = LinearWeights(
        SetList(neurons.output_nodes),
        SetList(neurons.input_nodes),
        graph_name(mod, "recurrent"),
        mod,
        _array(w_rec),
    )
    del rec
    return GraphHolder(neurons.input_nodes, neurons.output_nodes, graph_name(mod), mod)


@register_graph_converter(Linear)
def _linear(mod: Linear) -> LinearWeights:
    bias = None if np.isscalar(mod.bias) and mod.bias == 0 else _array(mod.bias)
    return LinearWeights._factory(
        mod.size_in, mod.size_out, graph_name(mod), mod, _array(mod.weight), bias, mod.class_name
    )


@register_graph_converter(LIF)
def _lif(mod: LIF) -> GraphHolder:
    n, syn = mod.size_out, mod.n_synapses
    neurons = LIFNeuronWithSynsRealValue._factory(
        mod.size_in,
        mod.size_out,
        graph_name(mod),
        mod,
        tau_mem=np.broadcast_to(_array(mod.tau_mem), (n,)).copy(),
        tau_syn=np.broadcast_to(_array(mod.tau_syn), (n, syn)).copy(),
        threshold=np.broadcast_to(_array(mod.threshold), (n,)).copy(),
        bias=np.broadcast_to(_array(mod.bias), (n,)).copy(),
        dt=float(mod.dt),
        noise_std=float(mod.noise_std),
        max_spikes_per_dt=float(mod.max_spikes_per_dt),
        nn_class=mod.class_name,
    )
    if mod._has_rec:
        return _with_recurrence(neurons, mod, mod.w_rec)
    return GraphHolder(neurons.input_nodes, neurons.output_nodes, graph_name(mod), mod)


@register_graph_converter(Rate)
def _rate(mod: Rate) -> GraphHolder:
    n = mod.size_out
    neurons = RateNeuronWithSynsRealValue._factory(
        mod.size_in,
        mod.size_out,
        graph_name(mod),
        mod,
        tau=np.broadcast_to(_array(mod.tau), (n,)).copy(),
        bias=np.broadcast_to(_array(mod.bias), (n,)).copy(),
        dt=float(mod.dt),
        threshold=np.broadcast_to(_array(mod.threshold), (n,)).copy(),
        activation=ACTIVATION_NAMES.get(mod.act_fn, mod.act_fn),
        noise_std=float(mod.noise_std),
        nn_class=mod.class_name,
    )
    if mod.has_rec:
        return _with_recurrence(neurons, mod, mod.w_rec)
    return GraphHolder(neurons.input_nodes, neurons.output_nodes, graph_name(mod), mod)


@register_graph_converter(ExpSyn)
def _expsyn(mod: ExpSyn) -> ExpSynRealValue:
    return ExpSynRealValue._factory(
        mod.size_in,
        mod.size_out,
        graph_name(mod),
        mod,
        tau=np.broadcast_to(_array(mod.tau), (mod.size_out,)).copy(),
        dt=float(mod.dt),
        noise_std=float(mod.noise_std),
        nn_class=mod.class_name,
    )


@register_graph_converter(Instant)
def _instant(mod: Instant) -> InstantNeurons:
    return InstantNeurons._factory(
        mod.size_in, mod.size_out, graph_name(mod), mod, mod.function, mod.class_name
    )


@register_graph_converter(ModSequential)
def _sequential(mod: ModSequential) -> GraphHolder:
    graphs = [sub.as_graph() for sub in mod._submodules.values()]
    for a, b in zip(graphs[:-1], graphs[1:]):
        connect_modules(a, b)
    return GraphHolder(graphs[0].input_nodes, graphs[-1].output_nodes, graph_name(mod), mod)


@register_graph_converter(ModResidual)
def _residual(mod: ModResidual) -> GraphHolder:
    graphs = [sub.as_graph() for sub in mod._submodules.values()]
    for a, b in zip(graphs[:-1], graphs[1:]):
        connect_modules(a, b)
    AliasConnection(
        SetList(graphs[0].input_nodes),
        SetList(graphs[-1].output_nodes),
        f"Residual_{mod.name}_aliases",
        mod,
    )
    return GraphHolder(graphs[0].input_nodes, graphs[-1].output_nodes, graph_name(mod), mod)


@register_graph_converter(TimedModuleWrapper)
def _timed(mod: TimedModuleWrapper):
    return mod._module.as_graph()
