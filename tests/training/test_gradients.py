"""Gradients by BPTT: central finite differences (smooth networks), a NumPy twin of the LIF
reverse pass (surrogate), and Rockpool's JAX modules (with the compare extra)."""

import copy

import numpy as np
import pytest

from rockpool_nb.nn.combinators import Residual, Sequential
from rockpool_nb.nn.modules import LIF, ExpSyn, Instant, Linear, Module, Rate
from rockpool_nb.training import SGD, Adam, fit, losses, value_and_grad
from rockpool_nb.training.tree import tree_items
from tests.cache_runs import run_twice


def _perturbed(params, path, i, d):
    q = copy.deepcopy(params)
    node = q
    keys = path.split(".")
    for k in keys[:-1]:
        node = node[k]
    arr = np.array(node[keys[-1]], dtype=float)
    flat = arr.reshape(-1)
    flat[i] += d
    node[keys[-1]] = flat.reshape(arr.shape)
    return q


def assert_fd(net, x, y, loss=losses.mse, eps=1e-6, rtol=1e-5, **kw):
    f = value_and_grad(net, loss, **kw)
    p = net.parameters()
    _, g = f(p, x, y)
    grads = dict(tree_items(g))
    assert grads, "no trainable parameters"
    for path, value in tree_items(p):
        n = np.size(value)
        for i in sorted({0, n // 2, n - 1}):
            lp, _ = f(_perturbed(p, path, i, eps), x, y)
            lm, _ = f(_perturbed(p, path, i, -eps), x, y)
            num = (lp - lm) / (2 * eps)
            ana = np.asarray(grads[path]).reshape(-1)[i]
            assert ana == pytest.approx(num, rel=rtol, abs=1e-9), f"{path}[{i}]: {ana} vs {num}"
    return g


NETS = {
    "Linear with bias": lambda: Linear((3, 2), has_bias=True),
    "Rate relu recurrent": lambda: Sequential(
        Linear((3, 5)), Rate(5, has_rec=True, bias=0.1, threshold=0.05, tau=0.02), Linear((5, 2))
    ),
    "Rate tanh": lambda: Sequential(
        Linear((3, 4)), Rate(4, activation_func="tanh", has_rec=True, threshold=0.1, tau=0.05)
    ),
    "Rate sigmoid, scalar tau": lambda: Rate(3, activation_func="sigmoid", tau=0.03, bias=0.2),
    "ExpSyn": lambda: Sequential(Linear((3, 2)), ExpSyn(2, tau=[0.01, 0.03])),
    "Instant + Residual": lambda: Sequential(
        Linear((3, 3), has_bias=True), Residual(Linear((3, 3)), Instant(3, function=np.tanh))
    ),
}


@pytest.mark.parametrize("batched", [True, False])
@pytest.mark.parametrize("name", list(NETS))
def test_gradients_equal_finite_differences(name, batched, rng):
    net = NETS[name]()
    shape = (2, 25, 3) if batched else (25, 3)
    x = rng.normal(0, 1, shape)
    y = rng.normal(0, 1, net(x)[0].shape)
    g = assert_fd(net, x, y)
    assert g.keys() == net.parameters().keys()


def test_loss_functions_equal_finite_differences(rng):
    out = rng.normal(0, 1, (2, 10, 3))
    for loss, target in (
        (losses.MSE(), rng.normal(0, 1, (2, 10, 3))),
        (losses.SoftmaxCrossEntropy(), np.array([0, 2])),
        (losses.SpikeCount(), np.array([1.0, 4.0, 0.0])),
        (losses.FiringRate(1e-3), np.array([10.0, 50.0, 0.0])),
    ):
        g = loss.grad(out, target)
        for idx in [(0, 0, 0), (1, 5, 2), (0, 9, 1)]:
            d = np.zeros_like(out)
            d[idx] = 1e-6
            num = (loss.value(out + d, target) - loss.value(out - d, target)) / 2e-6
            assert g[idx] == pytest.approx(num, rel=1e-5, abs=1e-9), type(loss).__name__
    params = {"a": {"w": rng.normal(0, 1, (3, 3)), "tau": np.array([0.005, 0.02])}}
    for reg in (losses.L2(2.0, names=["w"]), losses.Bounds({"tau": 0.011}, weight=10.0)):
        g = dict(tree_items(reg.grad(params)))
        for path, _value in tree_items(params):
            num = (
                reg.value(_perturbed(params, path, 0, 1e-6))
                - reg.value(_perturbed(params, path, 0, -1e-6))
            ) / 2e-6
            assert g[path].reshape(-1)[0] == pytest.approx(num, rel=1e-5, abs=1e-9)


def lif_twin(x, params, w_rec, g_out, dt=1e-3, window=0.5, max_spikes=np.inf):
    """NumPy statement of the LIF forward and reverse pass (one batch element; ``ts`` (N, S):
    S synapses per neuron, input and ``w_rec`` (N, N·S) columns synapse-major per neuron)."""
    tm, ts, b, th = params
    a, be = np.exp(-dt / tm), np.exp(-dt / ts)
    T = x.shape[0]
    N, S_ = ts.shape
    V, I, S = np.zeros(N), np.zeros((N, S_)), np.zeros(N)
    tape = []
    for t in range(T):
        R = (S @ w_rec).reshape(N, S_)
        pre = I + x[t].reshape(N, S_) + R
        I = be * pre
        U = a * V + I.sum(1) + b
        S_new = np.where(U >= th, np.minimum(np.floor(U / th), max_spikes), 0.0)
        tape.append((V.copy(), pre, U, S_new, S.copy()))
        V = U - th * S_new
        S = S_new
    lv, li, gs_rec = np.zeros(N), np.zeros((N, S_)), np.zeros(N)
    ga, gb, gbias, gth, gw = (
        np.zeros(N),
        np.zeros((N, S_)),
        np.zeros(N),
        np.zeros(N),
        np.zeros_like(w_rec),
    )
    for t in range(T - 1, -1, -1):
        v_prev, pre, U, S_t, S_prev = tape[t]
        m = (U >= th - window).astype(float)
        gs = g_out[t] + gs_rec
        gu = lv * (1 - m) + gs * m / th
        gth += lv * (-S_t + m * U / th) - gs * m * U / th**2
        ga += gu * v_prev
        gbias += gu
        lv = gu * a
        gi = li + gu[:, None]
        gb += gi * pre
        gp = gi * be
        li = gp
        gw += np.outer(S_prev, gp.reshape(-1))
        gs_rec = w_rec @ gp.reshape(-1)
    return ga * a * dt / tm**2, gb * be * dt / ts**2, gbias, gth, gw


@pytest.mark.parametrize("synapses", [1, 2])
def test_lif_reverse_pass_equals_a_numpy_twin(rng, synapses):
    n, T = 5, 60
    k = n * synapses
    tm, ts = rng.uniform(0.01, 0.05, n), rng.uniform(0.005, 0.02, (n, synapses))
    bias, th = rng.normal(0.05, 0.02, n), rng.uniform(0.8, 1.2, n)
    w_rec = rng.normal(0, 0.4, (n, k))
    x = (rng.random((T, k)) < 0.3) * rng.uniform(0.5, 2.0, (T, k))
    g_out = rng.normal(0, 1, (T, n))

    class SpikeSum(losses.Loss):  # gradient w.r.t. the output = g_out
        def value(self, out, target):
            return float(np.sum(out[0] * g_out))

        def grad(self, out, target):
            return g_out[None]

    lif = LIF(
        (k, n), tau_mem=tm, tau_syn=ts, bias=bias, threshold=th, has_rec=True, w_rec=w_rec,
        max_spikes_per_dt=3,
    )  # fmt: skip
    _, g = value_and_grad(lif, SpikeSum())(lif.parameters(), x, None)
    counts = lif(x)[0]
    assert counts.max() > 1 and (counts > 0).mean() < 0.9  # several counts, not always on
    ref = lif_twin(x, (tm, ts, bias, th), w_rec, g_out, max_spikes=3)
    for name, r in zip(("tau_mem", "tau_syn", "bias", "threshold", "w_rec"), ref):
        np.testing.assert_allclose(np.asarray(g[name]).reshape(r.shape), r, rtol=1e-10, atol=1e-12)


def test_families_filter_and_surrogates(rng):
    net = Sequential(Linear((3, 6)), LIF(6, has_rec=True), Linear((6, 2)))
    x = (rng.random((40, 3)) < 0.3) * 3.0
    y = rng.normal(0, 1, (1, 40, 2))
    p = net.parameters("weights")
    _, g = value_and_grad(net, losses.mse, families="weights")(p, x, y)
    assert dict(tree_items(g)).keys() == dict(tree_items(p)).keys()
    _, g_fast = value_and_grad(net, losses.mse, surrogate="fast_sigmoid")(net.parameters(), x, y)
    _, g_pwl = value_and_grad(net, losses.mse)(net.parameters(), x, y)
    assert not np.allclose(g_fast["0_Linear"]["weight"], g_pwl["0_Linear"]["weight"])
    with pytest.raises(ValueError, match="surrogate: expected one of"):
        value_and_grad(net, losses.mse, surrogate="box")


def test_errors_name_the_module_and_shapes(rng):
    class Custom(Module):
        def evolve(self, x, record=False):
            return x, {}, {}

    with pytest.raises(TypeError, match="'Custom'.*class Custom has no reverse-time rule|Custom"):
        value_and_grad(Sequential(Linear((2, 2)), Custom(shape=(2,))), losses.mse)
    with pytest.raises(TypeError, match="custom activation"):
        value_and_grad(Rate(2, activation_func=lambda x, t: x**3), losses.mse)
    f = value_and_grad(Linear((2, 3)), losses.mse)
    with pytest.raises(
        ValueError, match=r"target: expected shape \(10, 3\) \(the output's\); got \(10, 2\)"
    ):
        f(Linear((2, 3)).parameters(), rng.normal(0, 1, (10, 2)), np.zeros((10, 2)))


def test_fit_reduces_the_loss_and_stops_on_nan(rng):
    net = Sequential(
        Linear((1, 20)), Rate(20, activation_func="tanh", has_rec=True, tau=0.03), Linear((20, 1))
    )
    t = np.arange(300) * 1e-3
    x = (t < 0.05).astype(float)[:, None]
    y = np.sin(2 * np.pi * 5 * t)[None, :, None] * 0.5
    hist = fit(net, losses.mse, x, y, steps=150, optimiser=Adam(1e-2), progress=False)
    assert hist[-1] < 0.5 * hist[0]
    before = copy.deepcopy(net.parameters())
    with pytest.raises(FloatingPointError, match=r"step 0: the (loss|gradient of '.*') is"):
        fit(net, losses.mse, x * np.nan, y, steps=3, optimiser=SGD(1e-3), progress=False)
    assert dict(tree_items(net.parameters())).keys() == dict(tree_items(before)).keys()


_FIT = """
import numpy as np
from rockpool_nb.nn.combinators import Sequential
from rockpool_nb.nn.modules import ExpSyn, Linear
from rockpool_nb.training import Adam, fit, losses
rng = np.random.default_rng(0)
net = Sequential(Linear((3, 2), weight=rng.normal(size=(3, 2))), ExpSyn(2))
x, y = rng.normal(size=(2, 30, 3)), np.zeros((2, 30, 2))
fit(net, losses.mse, x, y, steps=3, optimiser=Adam(1e-3), dtype=np.float32)
"""


def test_fit_bar_says_while_kernels_compile(tmp_path):
    pytest.importorskip("tqdm")
    cold, warm = run_twice(_FIT, tmp_path, stream="stderr")
    assert "fit (compiling kernels: first use here" in cold
    assert cold.replace("\r", "\n").rstrip().splitlines()[-1].startswith("fit: 100%")
    assert "compiling" not in warm and "fit: 100%" in warm


@pytest.fixture
def jax_x64():
    """JAX with 64-bit floats for the test, restored after it (the flag is process-wide: left
    on, later tests' float32 JAX arrays would be float64)."""
    jax = pytest.importorskip("jax")
    before = jax.config.jax_enable_x64
    jax.config.update("jax_enable_x64", True)
    yield jax
    jax.config.update("jax_enable_x64", before)


@pytest.mark.compare
def test_lif_and_rate_gradients_equal_rockpools_jax_modules(rng, jax_x64):
    jax = jax_x64
    pytest.importorskip("rockpool")
    import warnings

    import jax.numpy as jnp

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from rockpool.nn.combinators import Sequential as RSeq
        from rockpool.nn.modules import LIFJax as RLIF
        from rockpool.nn.modules import LinearJax as RLin
        from rockpool.nn.modules import RateJax as RRate

    def f32(a):  # LIFJax casts its input to float32 even in x64: use representable values
        return np.asarray(a, np.float32).astype(float)

    n_in, n, T = 3, 4, 40
    w_in, w_rec, w_out = (
        f32(rng.normal(0, 1, (n_in, n))),
        f32(rng.normal(0, 0.5, (n, n))),
        f32(rng.normal(0, 1, (n, 2))),
    )
    x = (rng.random((2, T, n_in)) < 0.3) * 2.0
    y = f32(rng.normal(0, 1, (2, T, 2)))
    kw = dict(
        tau_mem=np.full(n, 0.02),
        tau_syn=np.full((n, 1), 0.01),
        bias=np.full(n, 0.05),
        threshold=np.full(n, 1.0),
    )

    def jax_loss(p, net, x, y):
        net = net.reset_state()
        net = net.set_attributes(p)
        out, _, _ = net(x)
        return jnp.mean((out - y) ** 2)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rnet = RSeq(
            RLin((n_in, n), weight=w_in),
            RLIF(n, has_rec=True, w_rec=w_rec, **kw),
            RLin((n, 2), weight=w_out),
        )
        lj, gj = jax.value_and_grad(jax_loss)(rnet.parameters(), rnet, jnp.array(x), jnp.array(y))
        rate_net = RSeq(
            RLin((n_in, n), weight=w_in),
            RRate(n, has_rec=True, w_rec=w_rec, tau=0.03, bias=0.1, activation_func="tanh"),
            RLin((n, 2), weight=w_out),
        )
        xr = f32(rng.normal(0, 1, (1, T, n_in)))
        yr = f32(rng.normal(0, 1, (1, T, 2)))
        lr_, gr = jax.value_and_grad(jax_loss)(
            rate_net.parameters(), rate_net, jnp.array(xr), jnp.array(yr)
        )
    ours = Sequential(
        Linear((n_in, n), weight=w_in),
        LIF(n, has_rec=True, w_rec=w_rec, **kw),
        Linear((n, 2), weight=w_out),
    )
    lo, go = value_and_grad(ours, losses.mse)(ours.parameters(), x, y)
    assert lo == pytest.approx(float(lj), rel=1e-10)
    mine = dict(tree_items(go))
    for pj, vj in tree_items(gj):
        vo = mine[pj.replace("Jax", "")]
        np.testing.assert_allclose(
            np.asarray(vo).reshape(np.shape(vj)), np.asarray(vj), rtol=1e-5, atol=1e-12, err_msg=pj
        )
    from rockpool_nb.nn.modules.rate import Rate as NbRate

    class RateNoFloor(NbRate):  # RateJax's dynamics (no τ floor) in float64
        _tau_floor = 0.0

    ours_r = Sequential(
        Linear((n_in, n), weight=w_in),
        RateNoFloor(n, has_rec=True, w_rec=w_rec, tau=0.03, bias=0.1, activation_func="tanh"),
        Linear((n, 2), weight=w_out),
    )
    lo, go = value_and_grad(ours_r, losses.mse)(ours_r.parameters(), xr, yr)
    assert lo == pytest.approx(float(lr_), rel=1e-6)
    mine = dict(tree_items(go))
    for pj, vj in tree_items(gr):
        vo = mine[pj.replace("RateJax", "RateNoFloor").replace("Jax", "")]
        np.testing.assert_allclose(
            np.asarray(vo).reshape(np.shape(vj)), np.asarray(vj), rtol=1e-5, atol=1e-10, err_msg=pj
        )


@pytest.mark.parametrize("threads", [1, 2])
def test_event_driven_weight_gradients_equal_the_dense_products(rng, monkeypatch, threads):
    import rockpool_nb.training.backprop as bp

    net = Sequential(
        Linear((40, 32), weight=rng.normal(0, 0.5, (40, 32))),
        LIF(32, has_rec=True, w_rec=rng.normal(0, 0.1, (32, 32)), tau_syn=0.005),
        Linear((32, 2), weight=rng.normal(0, 0.3, (32, 2))),
    )
    x = (rng.random((3, 60, 40)) < 0.05).astype(float)
    y = rng.normal(size=(3, 60, 2))
    grads = []
    for sparse in (1.0, 0.0):  # every weight gradient by events, then every one dense
        monkeypatch.setattr(bp, "SPARSE", sparse)
        f = value_and_grad(net, losses.mse, threads=threads)
        grads.append(dict(tree_items(f(net.parameters(), x, y)[1])))
    assert np.abs(grads[0]["1_LIF.w_rec"]).max() > 0
    for name, g in grads[1].items():
        np.testing.assert_allclose(grads[0][name], g, rtol=1e-10, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("group", [4, 10])
def test_lif_reverse_groups_equal_one_element_at_a_time(rng, monkeypatch, threads, group):
    """The ramp reverse sweep steps groups of batch elements back together (sharing weight
    rows); groups of 4 with a remainder, and one group of 10 (a window mask of more than one
    byte), serially or in parallel, give the gradients of running every element alone."""
    import rockpool_nb.training.backprop as bp

    monkeypatch.setattr(bp, "GROUP", group)
    net = Sequential(
        Linear((6, 12), weight=rng.normal(0, 1.0, (6, 12))),
        LIF(12, has_rec=True, w_rec=rng.normal(0, 0.3, (12, 12)), tau_syn=0.004),
        Linear((12, 2), weight=rng.normal(0, 0.5, (12, 2))),
    )
    x = (rng.random((10, 50, 6)) < 0.3) * 2.0
    y = rng.normal(size=(10, 50, 2))

    class Dot(losses.Loss):  # linear in the output: the batch's gradient is the sum of each one's
        def value(self, out, target):
            return float(np.sum(out * target))

        def grad(self, out, target):
            return target

    p = net.parameters()
    _, g_all = value_and_grad(net, Dot(), threads=threads)(p, x, y)
    alone: dict = {}
    for b in range(x.shape[0]):
        _, g = value_and_grad(net, Dot(), threads=1)(p, x[b : b + 1], y[b : b + 1])
        for name, v in tree_items(g):
            alone[name] = alone.get(name, 0.0) + np.asarray(v)
    assert np.abs(alone["1_LIF.w_rec"]).max() > 0
    for name, v in tree_items(g_all):
        np.testing.assert_allclose(v, alone[name], rtol=1e-10, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("threads", [1, 2])
def test_readout_kernels_give_the_gradients_of_the_matrix_products(rng, monkeypatch, threads):
    """A readout (a Linear with few outputs) on a long run goes through kernels/narrow.py;
    forced on for a small network, its gradients equal those of NumPy's products."""
    import rockpool_nb.training.backprop as bp

    net = Sequential(
        Linear((5, 24), weight=rng.normal(0, 0.5, (5, 24))),
        Rate(24, has_rec=True, activation_func="tanh", tau=0.02),
        Linear((24, 3), weight=rng.normal(0, 0.3, (24, 3))),
    )
    x = rng.normal(size=(3, 40, 5))
    y = rng.normal(size=(3, 40, 3))
    grads = []
    for least in (0, 1 << 40):  # the readout kernels, then NumPy's products
        monkeypatch.setattr(bp, "NARROW_MIN", least)
        f = value_and_grad(net, losses.mse, threads=threads)
        grads.append(dict(tree_items(f(net.parameters(), x, y)[1])))
    for name, g in grads[1].items():
        np.testing.assert_allclose(grads[0][name], g, rtol=1e-10, atol=1e-12, err_msg=name)
