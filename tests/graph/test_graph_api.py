import numpy as np
import pytest

import rockpool_nb.graph as rg


def test_factory_connect_and_printing():
    mod1 = rg.GraphModule._factory(1, 2, "Mod1")
    mod2 = rg.GraphModule._factory(2, 1, "Mod2")
    rg.connect_modules(mod1, mod2)
    graph = rg.GraphHolder(mod1.input_nodes, mod2.output_nodes, "Graph", None)
    assert repr(graph) == 'GraphHolder "Graph" with 1 input nodes -> 1 output nodes'
    node = graph.input_nodes[0]
    assert repr(node) == f"GraphNode {id(node)} with 0 source modules and 1 sink modules"
    assert node.sink_modules[0] is mod1
    middle = mod1.output_nodes[0]
    assert middle is mod2.input_nodes[0]  # connecting merged the nodes
    assert list(middle.source_modules) == [mod1] and list(middle.sink_modules) == [mod2]
    assert repr(mod2) == 'GraphModule "Mod2" with 2 input nodes -> 1 output nodes'


def test_connect_subsets_and_count_mismatch():
    a = rg.GraphModule._factory(1, 4, "A")
    b = rg.GraphModule._factory(2, 1, "B")
    rg.connect_modules(a, b, source_indices=[1, 3])
    assert b.input_nodes[0] is a.output_nodes[1] and b.input_nodes[1] is a.output_nodes[3]
    assert len(a.output_nodes[0].sink_modules) == 0
    c = rg.GraphModule._factory(3, 1, "C")
    with pytest.raises(ValueError, match="4 source output nodes cannot connect to 3"):
        rg.connect_modules(a, c)
    with pytest.raises(
        IndexError, match=r"source_indices: expected indices in \[0, 4\); got \[7\]"
    ):
        rg.connect_modules(a, c, source_indices=[7])


def test_bag_graph_and_find_modules_of_subclass():
    lin = rg.LinearWeights._factory(1, 2, "Lin", None, np.zeros((1, 2)))
    rate = rg.RateNeuronWithSynsRealValue._factory(2, 2, "Rate")
    rg.connect_modules(lin, rate)
    graph = rg.GraphHolder(lin.input_nodes, rate.output_nodes, "Graph", None)
    nodes, modules = rg.bag_graph(graph)
    assert len(nodes) == 5 and list(modules) == [lin, rate]
    assert [repr(m) for m in rg.find_modules_of_subclass(graph, rg.LinearWeights)] == [
        'LinearWeights "Lin" with 1 input nodes -> 2 output nodes'
    ]
    assert list(rg.find_modules_of_subclass(graph, rg.RateNeuronWithSynsRealValue)) == [rate]


def test_find_recurrent_modules():
    rec1 = rg.GraphModule._factory(2, 2, "Recurrent 1")
    rec2 = rg.GraphModule(
        "Recurrent 2" and rec1.output_nodes, rec1.input_nodes, "Recurrent 2", None
    )
    graph = rg.GraphHolder(rec1.input_nodes, rec2.output_nodes, "Graph", None)
    modules, recurrent = rg.find_recurrent_modules(graph)
    assert set(map(id, recurrent)) == {id(rec1), id(rec2)}
    lin = rg.GraphModule._factory(2, 2, "Feed-forward")
    rg.connect_modules(lin, rec1)
    _, recurrent = rg.find_recurrent_modules(rg.as_GraphHolder(lin))
    assert all(m is not lin for m in recurrent)


def test_validation_messages():
    with pytest.raises(
        ValueError, match=r"weights must be \(input nodes, output nodes\) = \(1, 2\); got \(2, 2\)"
    ):
        rg.LinearWeights._factory(1, 2, "W", None, np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"biases must be \(2,\); got \(3,\)"):
        rg.LinearWeights._factory(1, 2, "W", None, np.zeros((1, 2)), np.zeros(3))
    with pytest.raises(ValueError, match="input and output node counts must match; got 2 and 3"):
        rg.AliasConnection._factory(2, 3, "A")
    holder = rg.GraphHolder([], [], "H")
    with pytest.raises(ValueError, match="GraphHolder computes nothing"):
        rg.GraphNode().add_sink(holder)
    with pytest.raises(TypeError, match="expected GraphNode objects; got int"):
        rg.GraphModule([1], [], "bad")


def test_setlist_keeps_first_occurrence():
    node = rg.GraphNode()
    s = rg.SetList([node, node])
    s.append(node)
    assert len(s) == 1


def test_replace_module_rewires_nodes():
    a = rg.GraphModule._factory(1, 2, "A")
    b = rg.GraphModule._factory(2, 1, "B")
    rg.connect_modules(a, b)
    new = rg.GraphModule._factory(2, 1, "New")
    rg.replace_module(b, new)
    assert new.input_nodes[0] is a.output_nodes[0]
    assert list(a.output_nodes[0].sink_modules) == [new]
    with pytest.raises(ValueError, match="node counts must match"):
        rg.replace_module(a, rg.GraphModule._factory(3, 3, "Wrong"))
