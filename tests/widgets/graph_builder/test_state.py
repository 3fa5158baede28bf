"""Graph builder conversions, without a browser."""

from collections import OrderedDict

import numpy as np
import pytest

pytest.importorskip("anywidget")

from rockpool_nb.nn.combinators import Sequential  # noqa: E402
from rockpool_nb.nn.modules import LIF, ExpSyn, Instant, Linear, Rate  # noqa: E402
from rockpool_nb.widgets.graph_builder import (  # noqa: E402
    GraphBuilder,
    builder_types,
    code_from_graph,
    graph_from_network,
    network_from_graph,
    validate_graph,
)

RNG = np.random.default_rng(0)


def networks():
    yield "linear", Sequential(Linear((3, 4), weight=RNG.standard_normal((3, 4))))
    yield (
        "lif",
        Sequential(
            Linear((3, 5)), LIF(5, tau_mem=np.linspace(0.01, 0.03, 5), threshold=0.5, bias=0.1)
        ),
    )
    yield "lif_rec", Sequential(Linear((2, 4)), LIF(4, has_rec=True, tau_syn=0.005))
    yield (
        "rate",
        Sequential(Linear((2, 6)), Rate(6, has_rec=True, activation_func="tanh"), Linear((6, 1))),
    )
    yield "expsyn", Sequential(Linear((2, 3)), LIF(3), ExpSyn(3, tau=0.02))
    yield "instant", Sequential(Linear((2, 3)), Instant(3))
    yield "named", Sequential(OrderedDict([("inp", Linear((2, 3))), ("hidden", LIF(3))]))


def run(net, x):
    return np.asarray(net(x)[0])


@pytest.mark.parametrize("name, net", list(networks()))
def test_network_to_drawing_to_network_and_code_round_trip(name, net):
    x = (RNG.random((30, net.size_in)) < 0.3).astype(float)
    expected = run(net, x)
    net.reset_state()
    graph, fixed = graph_from_network(net)
    rebuilt = network_from_graph(graph, fixed)
    np.testing.assert_allclose(run(rebuilt, x), expected)
    assert [type(m).__name__ for m in rebuilt.modules().values()] == [
        type(m).__name__ for m in net.modules().values()
    ]
    namespace = {}
    exec(code_from_graph(graph, fixed), namespace)
    np.testing.assert_allclose(run(namespace["net"], x), expected)
    if name == "named":
        assert list(rebuilt.modules()) == ["inp", "hidden"]


def test_palette_lists_every_library_module_with_fields():
    types = builder_types()
    for name in ("Linear", "Instant", "Rate", "LIF", "ExpSyn"):
        assert name in types
    lif = {p.name: p.kind for p in types["LIF"].params}
    assert lif["shape"] == "shape" and lif["tau_mem"] == "vector" and lif["has_rec"] == "bool"
    rate = {p.name: p for p in types["Rate"].params}
    assert rate["activation_func"].kind == "choice" and "tanh" in rate["activation_func"].choices


def test_size_mismatch_and_spiking_mismatch_are_shown_on_edges():
    b = GraphBuilder()
    lin = b.add("Linear", shape=[2, 8])
    lif = b.add("LIF", shape=[4])
    edge = b.connect(lin, lif)
    assert "gives 8 outputs; LIF expects 4 inputs" in b.issues["edges"][edge]
    b.set_param(lif, "shape", [8])
    assert edge not in b.issues["edges"]
    syn = b.add("ExpSyn", shape=[8])
    rate = b.add("Rate", shape=[8])
    b.disconnect(edge)
    bad = b.connect(rate, syn)
    assert "ExpSyn expects spikes; Rate gives continuous values" in b.issues["edges"][bad]


def test_invalid_parameters_are_shown_on_the_node_not_raised():
    b = GraphBuilder()
    n = b.add("LIF", shape=[3])
    b.set_param(n, "tau_mem", [0.01, 0.02])
    assert "tau_mem" in b.issues["nodes"][n]
    with pytest.raises(ValueError, match="not a valid network"):
        b.to_network()
    b.set_param(n, "tau_mem", [0.01, 0.02, 0.03])
    assert n not in b.issues["nodes"]
    with pytest.raises(KeyError, match="no editable parameter 'nope'"):
        b.set_param(n, "nope", 1)


def test_three_modules_placed_connected_and_run():
    b = GraphBuilder()
    a = b.add("Linear", shape=[2, 16])
    c = b.add("LIF", shape=[16], label="hidden")
    d = b.add("Linear", shape=[16, 1])
    b.connect(a, c)
    b.connect(c, d)
    b.set_param(c, "threshold", 0.5)
    net = b.to_network()
    assert np.all(np.broadcast_to(net[1].threshold, 16) == 0.5)
    out, _, _ = net(np.ones((20, 2)))
    assert np.shape(out)[-2:] == (20, 1)
    assert "LIF(16, threshold=0.5)" in b.to_code()
    assert b.issues["network"] == ""


def test_chain_rules_are_reported():
    b = GraphBuilder()
    assert "empty" in b.issues["network"]
    a = b.add("Linear", shape=[2, 2])
    c = b.add("Linear", shape=[2, 2])
    assert "2 modules have no input" in b.issues["network"]
    b.connect(a, c)
    assert b.issues["network"] == ""


def test_undo_redo_and_history():
    b = GraphBuilder()
    a = b.add("Linear", shape=[2, 3])
    b.set_param(a, "shape", [2, 5])
    assert b.graph["nodes"][0]["size_out"] == 5
    assert b.undo() and b.graph["nodes"][0]["size_out"] == 3
    assert b.undo() and b.graph["nodes"] == []
    assert not b.undo()
    assert b.redo() and len(b.graph["nodes"]) == 1
    assert b.redo() and b.graph["nodes"][0]["size_out"] == 5
    assert not b.redo()


def test_view_commands_mirror_the_python_api():
    b = GraphBuilder()
    b._on_message(b, {"cmd": "add_node", "type": "LIF", "x": 10, "y": 20}, [])
    node = b.graph["nodes"][0]
    assert (node["x"], node["y"]) == (10, 20) and b.selected == node["id"]
    b._on_message(b, {"cmd": "set_param", "id": node["id"], "name": "shape", "value": [4]}, [])
    assert b.graph["nodes"][0]["size_in"] == 4
    b._on_message(b, {"cmd": "bogus"}, [])
    assert "unknown command" in b.status
    b._on_message(b, {"cmd": "delete_node", "id": node["id"]}, [])
    assert b.graph["nodes"] == [] and b.selected == ""


def test_from_network_refuses_what_it_cannot_draw():
    from rockpool_nb.nn.combinators import Residual

    with pytest.raises(ValueError, match="the builder draws chains of"):
        graph_from_network(Sequential(Linear((2, 2)), Residual(Linear((2, 2)))))


def test_validate_graph_fills_sizes():
    graph, fixed = graph_from_network(Sequential(Linear((2, 7)), LIF(7)))
    issues = validate_graph(graph, fixed)
    assert issues == {"nodes": {}, "edges": {}, "network": ""}
    assert [n["size_out"] for n in graph["nodes"]] == [7, 7]
    assert graph["nodes"][1]["spiking_output"] is True
