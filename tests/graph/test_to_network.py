"""net -> as_graph() -> graph_to_network gives identical outputs, for every module type."""

import numpy as np
import pytest

import rockpool_nb.graph as rg
from rockpool_nb.nn.combinators import Residual, Sequential
from rockpool_nb.nn.modules import (
    LIF,
    ExpSyn,
    ExpSynJax,
    Instant,
    LIFJax,
    LIFTorch,
    Linear,
    LinearTorch,
    Rate,
    RateJax,
    RateTorch,
)


def nets():
    return {
        "Linear": Linear((3, 4), bias=np.arange(4.0)),
        "LinearTorch": LinearTorch((3, 4)),
        "LIF": LIF(3, tau_mem=[0.01, 0.02, 0.03], bias=0.01),
        "LIF multi-synapse recurrent": LIF((6, 3), has_rec=True, max_spikes_per_dt=2),
        "LIFJax": LIFJax(3),
        "LIFTorch recurrent": LIFTorch(3, has_rec=True),
        "Rate tanh recurrent": Rate(3, has_rec=True, activation_func="tanh", threshold=0.1),
        "RateJax": RateJax(3),
        "RateTorch recurrent": RateTorch(3, has_rec=True),
        "ExpSyn": ExpSyn(3, tau=[0.01, 0.02, 0.05]),
        "ExpSynJax": ExpSynJax(3),
        "Instant": Instant(3, function=np.tanh),
        "Sequential": Sequential(Linear((3, 5)), LIF(5, has_rec=True), Linear((5, 2)), ExpSyn(2)),
        "Residual in Sequential": Sequential(
            Linear((3, 4)), Rate(4), Residual(Linear((4, 4)), Instant(4, function=np.tanh))
        ),
    }


@pytest.mark.parametrize("name", list(nets()))
def test_round_trip_gives_identical_outputs(name, rng):
    net = nets()[name]
    graph = net.as_graph()
    rebuilt = rg.graph_to_network(graph)
    x = rng.random((60, net.size_in)) * 2
    out, _, _ = net(x)
    out2, _, _ = rebuilt(x)
    assert out.shape == out2.shape
    np.testing.assert_array_equal(out, out2)
    assert type(rebuilt).__name__ == type(net).__name__
    assert rebuilt.shape == net.shape


def test_lif_graph_structure_follows_rockpool():
    lif = LIF((6, 3), has_rec=True)
    g = lif.as_graph()
    assert isinstance(g, rg.GraphHolder) and (g.size_in, g.size_out) == (6, 3)
    neurons = rg.find_modules_of_subclass(g, rg.LIFNeuronWithSynsRealValue)
    (weights,) = rg.find_modules_of_subclass(g, rg.LinearWeights)
    assert weights.weights.shape == (3, 6)
    assert neurons[0].name == f"LIF__{id(lif)}"
    assert weights.name == f"LIF_recurrent__{id(lif)}"
    _, recurrent = rg.find_recurrent_modules(g)
    assert len(recurrent) == 2


def test_linear_graph_is_a_linear_weights_module():
    lin = Linear((2, 3))
    g = lin.as_graph()
    assert isinstance(g, rg.LinearWeights) and g.computational_module is lin
    np.testing.assert_array_equal(g.weights, lin.weight)


def test_unsupported_graph_modules_are_named():
    g = rg.GraphModule._factory(2, 2, "Mystery")
    with pytest.raises(ValueError, match='GraphModule "Mystery".*has no rockpool_nb module'):
        rg.graph_to_network(g)
    a = rg.LinearWeights._factory(2, 2, "A", None, np.eye(2))
    b = rg.LinearWeights._factory(2, 2, "B", None, np.eye(2))
    c = rg.LinearWeights._factory(2, 2, "C", None, np.eye(2))
    rg.connect_modules(a, b)
    rg.connect_modules(a, c)  # a branch: two consumers of the same nodes
    with pytest.raises(ValueError, match="the network branches"):
        rg.graph_to_network(rg.GraphHolder(a.input_nodes, b.output_nodes, "G"))
