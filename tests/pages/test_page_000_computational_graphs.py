"""Page 000, "Computational graphs", re-typed with ``rockpool`` renamed to ``rockpool_nb``."""

import re

import numpy as np

import rockpool_nb.graph as rg
from rockpool_nb.nn.modules import LIFTorch, Linear, Module, Rate


def test_exploring_graphs(capsys):
    mod1 = rg.GraphModule._factory(1, 2, "Mod1")
    mod2 = rg.GraphModule._factory(2, 1, "Mod2")
    rg.connect_modules(mod1, mod2)
    graph = rg.GraphHolder(mod1.input_nodes, mod2.output_nodes, "Graph", None)
    print(graph)
    print(graph.input_nodes[0])
    print(graph.input_nodes[0].sink_modules[0])
    print(graph.input_nodes[0].sink_modules[0].output_nodes[0])
    print(graph.input_nodes[0].sink_modules[0].output_nodes[0].sink_modules[0])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == 'GraphHolder "Graph" with 1 input nodes -> 1 output nodes'
    assert re.fullmatch(r"GraphNode \d+ with 0 source modules and 1 sink modules", lines[1])
    assert lines[2] == 'GraphModule "Mod1" with 1 input nodes -> 2 output nodes'
    assert re.fullmatch(r"GraphNode \d+ with 1 source modules and 1 sink modules", lines[3])
    assert lines[4] == 'GraphModule "Mod2" with 2 input nodes -> 1 output nodes'


def test_bag_graph():
    mod1 = rg.GraphModule._factory(1, 2, "Mod1")
    mod2 = rg.GraphModule._factory(2, 1, "Mod2")
    rg.connect_modules(mod1, mod2)
    graph = rg.GraphHolder(mod1.input_nodes, mod2.output_nodes, "Graph", None)
    nodes, modules = rg.bag_graph(graph)
    assert len(nodes) == 4
    counts = sorted((len(n.source_modules), len(n.sink_modules)) for n in nodes)
    assert counts == [(0, 1), (1, 0), (1, 1), (1, 1)]
    assert [repr(m) for m in modules] == [
        'GraphModule "Mod1" with 1 input nodes -> 2 output nodes',
        'GraphModule "Mod2" with 2 input nodes -> 1 output nodes',
    ]


def test_find_modules_of_subclass(capsys):
    lin = rg.LinearWeights._factory(1, 2, "Lin", None, np.zeros((1, 2)))
    rate = rg.RateNeuronWithSynsRealValue._factory(2, 2, "Rate")
    rg.connect_modules(lin, rate)
    graph = rg.GraphHolder(lin.input_nodes, rate.output_nodes, "Graph", None)
    print(rg.find_modules_of_subclass(graph, rg.LinearWeights))
    print(rg.find_modules_of_subclass(graph, rg.RateNeuronWithSynsRealValue))
    assert capsys.readouterr().out.splitlines() == [
        '[LinearWeights "Lin" with 1 input nodes -> 2 output nodes]',
        '[RateNeuronWithSynsRealValue "Rate" with 2 input nodes -> 2 output nodes]',
    ]


def test_find_recurrent_modules():
    rec_mod1 = rg.GraphModule._factory(2, 2, "Recurrent 1")
    rec_mod2 = rg.GraphModule(rec_mod1.output_nodes, rec_mod1.input_nodes, "Recurrent 2", None)
    graph = rg.GraphHolder(rec_mod1.input_nodes, rec_mod2.output_nodes, "Graph", None)
    _, recurrent = rg.find_recurrent_modules(graph)
    assert sorted(repr(m) for m in recurrent) == [
        'GraphModule "Recurrent 1" with 2 input nodes -> 2 output nodes',
        'GraphModule "Recurrent 2" with 2 input nodes -> 2 output nodes',
    ]


class MyLIFNeuron(LIFTorch):
    def as_graph(self) -> rg.GraphModuleBase:
        return rg.LIFNeuronWithSynsRealValue._factory(
            size_in=self.size_in,
            size_out=self.size_out,
            name=self.name,
            tau_mem=self.tau_mem,
            tau_syn=self.tau_syn,
            bias=self.bias,
            dt=self.dt,
        )


def test_custom_module_as_graph():
    mod = MyLIFNeuron(4)
    assert repr(mod.as_graph()) == "LIFNeuronWithSynsRealValue with 4 input nodes -> 4 output nodes"


class WeightedRate(Module):
    def __init__(self, shape: tuple, *args, **kwargs):
        super().__init__(shape, *args, **kwargs)
        self.lin = Linear(shape[0:2])
        self.rate = Rate(shape[1])

    def evolve(self, input_data, record: bool = False):
        out, ns_lin, rd_lin = self.lin(input_data, record)
        out, ns_rate, rd_rate = self.rate(out, record)
        ns = {"lin": ns_lin, "rate": ns_rate}
        rd = {"lin": rd_lin, "rate": rd_rate}
        return out, ns, rd


class WeightedRateGraph(WeightedRate):
    def as_graph(self) -> rg.GraphModuleBase:
        glin = self.lin.as_graph()
        grate = self.rate.as_graph()
        rg.connect_modules(glin, grate)
        return rg.GraphHolder(glin.input_nodes, grate.output_nodes, self.name, self)


def test_composed_graph_of_a_custom_module():
    mod = WeightedRateGraph((1, 2))
    g = mod.as_graph()
    assert repr(g) == "GraphHolder with 1 input nodes -> 2 output nodes"
    # the composed graph is a runnable network again, with the same output
    net = rg.graph_to_network(g)
    x = np.random.default_rng(0).random((20, 1))
    np.testing.assert_array_equal(net(x)[0], mod(x)[0])
