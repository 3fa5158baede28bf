import numpy as np
import pytest

nir = pytest.importorskip("nir")

from rockpool_nb.nir import from_nir, to_nir  # noqa: E402
from rockpool_nb.nn.combinators import Residual, Sequential  # noqa: E402
from rockpool_nb.nn.modules import LIF, ExpSyn, Instant, LIFTorch, Linear, Rate  # noqa: E402

NETS = {
    "Linear with bias": lambda: Linear((3, 2), has_bias=True),
    "LIF": lambda: Sequential(Linear((3, 4)), LIF(4, bias=0.02, tau_syn=0.005, threshold=0.8)),
    "recurrent LIF": lambda: Sequential(Linear((3, 5)), LIF(5, has_rec=True, dt=2e-3)),
    "LIFTorch": lambda: Sequential(Linear((3, 4)), LIFTorch(4)),
    "ExpSyn": lambda: Sequential(Linear((3, 2)), ExpSyn(2, tau=[0.01, 0.05])),
    "Rate": lambda: Sequential(
        Linear((3, 4)), Rate(4, activation_func="tanh", threshold=0.1, bias=0.1)
    ),
    "chain": lambda: Sequential(
        Linear((3, 5), has_bias=True),
        LIF(5, has_rec=True, bias=0.02),
        Linear((5, 4)),
        Rate(4),
        Linear((4, 2)),
        ExpSyn(2),
    ),
}


@pytest.mark.parametrize("name", list(NETS))
def test_round_trip_through_a_file(name, tmp_path, rng):
    net = NETS[name]()
    path = tmp_path / "net.nir"
    nir.write(path, to_nir(net))
    net2 = from_nir(nir.read(path))
    x = rng.random((80, 3)) * 2
    out, out2 = net(x)[0], net2(x)[0]
    np.testing.assert_allclose(out, out2, rtol=1e-9, atol=1e-12)
    assert [m.class_name for m in getattr(net2, "_submodules", {"": net2}).values()] == [
        m.class_name for m in getattr(net, "_submodules", {"": net}).values()
    ]


def test_exported_nodes_follow_the_documented_mapping():
    lif = LIF(3, bias=0.05, tau_mem=0.02, tau_syn=0.01, threshold=1.5, dt=1e-3)
    g = to_nir(Sequential(Linear((2, 3)), lif))
    node = g.nodes["1_LIF"]
    assert isinstance(node, nir.CubaLIF) and isinstance(g.nodes["0_Linear"], nir.Linear)
    alpha = np.exp(-1e-3 / 0.02)
    np.testing.assert_allclose(node.r, 0.02 * alpha / 1e-3)
    np.testing.assert_allclose(node.v_leak, 0.05 / (1 - alpha))
    np.testing.assert_allclose(node.v_threshold, 1.5)
    assert g.nodes["0_Linear"].weight.shape == (3, 2)  # NIR weights are (out, in)
    assert ("input", "0_Linear") in g.edges and ("1_LIF", "output") in g.edges


def test_foreign_graph_gain_is_folded_into_the_weights(rng):
    """A CubaLIF with w_in = 2 behaves like our LIF after weights doubled."""
    w = rng.normal(0, 1, (4, 3))  # NIR (out, in)
    tau = np.full(4, 0.02)
    dt = 1e-3
    r0 = tau * np.exp(-dt / tau) / dt
    g = nir.NIRGraph(
        nodes={
            "in": nir.Input(input_type={"input": np.array([3])}),
            "w": nir.Linear(weight=w),
            "lif": nir.CubaLIF(
                tau_syn=np.full(4, 0.01),
                tau_mem=tau,
                r=r0,
                v_leak=np.zeros(4),
                v_threshold=np.ones(4),
                w_in=np.full(4, 2.0),
            ),
            "out": nir.Output(output_type={"output": np.array([4])}),
        },
        edges=[("in", "w"), ("w", "lif"), ("lif", "out")],
    )
    net = from_nir(g, dt=dt)
    ref = Sequential(Linear((3, 4), weight=2 * w.T), LIF(4, tau_mem=tau, tau_syn=0.01, dt=dt))
    x = rng.random((60, 3)) * 2
    np.testing.assert_allclose(net(x)[0], ref(x)[0])


def _lif_reference(x, w, tau, r, v_leak, thr, dt, leak=True):
    """The NIR LIF/IF discretised as documented: V ← αV + (1−α)v_leak + gain·(x W), spikes and
    subtractive reset (α = 1 and gain = r·dt for IF)."""
    n = w.shape[0]
    alpha = np.exp(-dt / tau) if leak else np.ones(n)
    gain = r * dt / (tau * alpha) if leak else r * dt
    v = np.zeros(n)
    out = []
    for xt in x:
        v = alpha * v + (1 - alpha) * v_leak + gain * (w @ xt)
        s = np.where(v >= thr, np.floor(v / thr), 0.0)
        v = v - s * thr
        out.append(s)
    return np.array(out)


@pytest.mark.parametrize("kind", ["LIF", "IF"])
def test_lif_and_if_nodes_without_synapses(kind, rng):
    dt, n = 1e-3, 4
    w = rng.normal(0.5, 0.2, (n, 3))
    tau, r, thr = np.full(n, 0.02), np.full(n, 30.0), np.full(n, 1.0)
    v_leak = np.full(n, 0.2)
    node = (
        nir.LIF(tau=tau, r=r, v_leak=v_leak, v_threshold=thr)
        if kind == "LIF"
        else nir.IF(r=r, v_threshold=thr)
    )
    g = nir.NIRGraph(
        nodes={
            "in": nir.Input(input_type={"input": np.array([3])}),
            "w": nir.Linear(weight=w),
            "n": node,
            "out": nir.Output(output_type={"output": np.array([n])}),
        },
        edges=[("in", "w"), ("w", "n"), ("n", "out")],
    )
    net = from_nir(g, dt=dt)
    x = (rng.random((200, 3)) < 0.3).astype(float)
    ref = _lif_reference(
        x, w, tau, r, v_leak if kind == "LIF" else 0.0, thr, dt, leak=kind == "LIF"
    )
    out = net(x)[0][0]
    assert ref.sum() > 0
    np.testing.assert_array_equal(out, ref)


def test_unsupported_nodes_and_modules_are_named(tmp_path):
    g = nir.NIRGraph(
        nodes={
            "in": nir.Input(input_type={"input": np.array([2])}),
            "acc": nir.I(r=np.ones(2)),
            "out": nir.Output(output_type={"output": np.array([2])}),
        },
        edges=[("in", "acc"), ("acc", "out")],
    )
    with pytest.raises(ValueError, match="node 'acc' of type I has no rockpool_nb equivalent"):
        from_nir(g)
    with pytest.raises(ValueError, match=r"module 1 \(Instant\): has no NIR equivalent"):
        to_nir(Sequential(Linear((2, 2)), Instant(2)))
    with pytest.raises(ValueError, match="Residual"):
        to_nir(Sequential(Linear((2, 2)), Residual(Linear((2, 2)))))
    with pytest.raises(ValueError, match="2 synapses per neuron"):
        to_nir(LIF((4, 2)))
    with pytest.raises(ValueError, match="dt: expected a positive time step"):
        from_nir(to_nir(Linear((2, 2))), dt=-1.0)
