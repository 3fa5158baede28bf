"""Rate activations: built-ins, compiled user callables, and the Python fallback."""

import functools

import numpy as np
import pytest

from rockpool_nb.kernels.rate import TANH, rate_evolve
from rockpool_nb.kernels.rate_callable import rate_evolve_callable
from rockpool_nb.nn.modules import H_ReLU, H_sigmoid, H_tanh, Rate
from rockpool_nb.nn.modules.activations import compile_activation, resolve_activation

GAIN = 2.0


def gained(x, t):
    return GAIN * np.tanh(x - t)


class Softplus:
    def __call__(self, x, t):
        return np.log1p(np.exp(x - t))


def test_builtins_values_and_names():
    x = np.array([-1.0, 0.0, 0.5, 2.0])
    np.testing.assert_array_equal(H_ReLU(x, 0.5), [0, 0, 0, 1.5])
    np.testing.assert_allclose(H_tanh(x, 0.5), np.tanh(x - 0.5))
    np.testing.assert_allclose(H_sigmoid(x), (np.tanh(x) + 1) / 2)
    for name, fn in [("relu", H_ReLU), ("R", H_ReLU), ("tanh", H_tanh), ("sig", H_sigmoid)]:
        assert resolve_activation(name)[0] is fn
    assert resolve_activation(lambda x, t: x)[1] == -1
    with pytest.raises(TypeError, match="expected a callable f"):
        resolve_activation(3)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_pure_functions_compile(dtype):
    fn = compile_activation(lambda x, t: np.maximum(x - t, 0.0) ** 2, dtype)
    assert fn is not None
    x = np.array([-1.0, 0.5, 2.0], dtype)
    np.testing.assert_allclose(fn(x, np.zeros(3, dtype)), [0, 0.25, 4], rtol=1e-6)


@pytest.mark.parametrize(
    "fn",
    [
        gained,  # reads a global float: numba would freeze it
        (lambda k: lambda x, t: k * x)(3.0),  # closure
        functools.partial(lambda x, t, k: k * x, k=2.0),
        Softplus(),
        lambda x, t: np.sum(x - t),  # wrong shape
        np.add,
    ],
    ids=["global", "closure", "partial", "object", "scalar", "ufunc"],
)
def test_unsafe_or_uncompilable_functions_are_refused(fn):
    assert compile_activation(fn) is None


def run_kernel(act, u, w, alpha, bias, thr):
    b, t, n = u.shape
    x = np.zeros((b, n))
    out, rec_x, rec_r = np.empty_like(u), np.zeros_like(u), np.zeros_like(u)
    rate_evolve_callable(u, x, alpha, bias, thr, w, act, out, rec_x, rec_r)
    return out, x, rec_x, rec_r


def run_python(fn, u, w, alpha, bias, thr):
    b, t, n = u.shape
    x = np.zeros((b, n))
    out, rec_x, rec_r = np.empty_like(u), np.zeros_like(u), np.zeros_like(u)
    Rate._evolve_python(fn, u, x, alpha, bias, thr, w, out, rec_x, rec_r)
    return out, x, rec_x, rec_r


@pytest.mark.parametrize("rec", [True, False])
def test_compiled_kernel_matches_the_python_loop_and_the_builtin(rng, rec):
    n = 4
    u = rng.standard_normal((2, 30, n))
    w = rng.standard_normal((n, n)) / 2 if rec else np.zeros((0, 0))
    alpha, bias, thr = np.full(n, 0.1), rng.normal(0, 0.1, n), rng.uniform(0, 0.2, n)

    def softsign(x, t):
        return (x - t) / (1.0 + np.abs(x - t))

    compiled = compile_activation(softsign)
    assert compiled is not None
    for got, want in zip(
        run_kernel(compiled, u, w, alpha, bias, thr), run_python(softsign, u, w, alpha, bias, thr)
    ):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)

    tanh = compile_activation(lambda x, t: np.tanh(x - t))
    x = np.zeros((2, n))
    out, rx, rr = np.empty_like(u), np.zeros_like(u), np.zeros_like(u)
    rate_evolve(u, x, alpha, bias, thr, w, TANH, out, rx, rr)
    np.testing.assert_allclose(run_kernel(tanh, u, w, alpha, bias, thr)[0], out, rtol=1e-12)


def test_python_path_follows_a_changing_global():
    global GAIN
    x = np.ones((5, 2))
    ref = Rate(2, activation_func=H_tanh)(x)[0]
    try:
        np.testing.assert_allclose(Rate(2, activation_func=gained)(x)[0], 2 * ref, rtol=1e-12)
        GAIN = 3.0
        np.testing.assert_allclose(Rate(2, activation_func=gained)(x)[0], 3 * ref, rtol=1e-12)
    finally:
        GAIN = 2.0


SCALE = {"gain": 2.0}


def softsign(x, t):
    return (x - t) / (1.0 + np.abs(x - t))


def dict_gain(x, t):
    return SCALE["gain"] * np.tanh(x - t)  # a global dict: refused, runs in Python


def scipy_expit(x, t):
    import scipy.special

    return scipy.special.expit(x - t)  # not compilable by numba


def spy_paths(monkeypatch):
    """Count the calls of the compiled kernel and of the Python loop inside ``Rate.evolve``."""
    import rockpool_nb.nn.modules.rate as rate_mod

    calls = {"compiled": 0, "python": 0}
    kernel, loop = rate_mod.rate_evolve_callable, Rate._evolve_python

    def compiled(*args):
        calls["compiled"] += 1
        return kernel(*args)

    def python(*args):
        calls["python"] += 1
        return loop(*args)

    monkeypatch.setattr(rate_mod, "rate_evolve_callable", compiled)
    monkeypatch.setattr(Rate, "_evolve_python", staticmethod(python))
    return calls


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_rate_runs_a_compilable_callable_in_the_kernel(rng, monkeypatch, dtype):
    n = 6
    u = rng.standard_normal((2, 40, n)).astype(dtype)
    kw = dict(has_rec=True, w_rec=rng.standard_normal((n, n)) / 2, bias=rng.normal(0, 0.1, n))
    calls = spy_paths(monkeypatch)
    out, state, rec = Rate(n, activation_func=softsign, **kw)(u, record=True)
    assert calls == {"compiled": 1, "python": 0}
    w, alpha = kw["w_rec"].astype(dtype), np.full(n, 1e-3 / 20e-3, dtype)
    want = run_python(softsign, u, w, alpha, kw["bias"].astype(dtype), np.zeros(n, dtype))
    tol = dict(rtol=1e-5, atol=1e-6) if dtype == np.float32 else dict(rtol=1e-12, atol=1e-14)
    assert out.dtype == dtype
    np.testing.assert_allclose(out, want[0], **tol)
    np.testing.assert_allclose(state["x"], want[1][0], **tol)
    np.testing.assert_allclose(rec["x"], want[2], **tol)
    np.testing.assert_allclose(rec["rec_input"], want[3], **tol)


@pytest.mark.parametrize("fn", [dict_gain, scipy_expit], ids=["dict", "scipy"])
def test_rate_keeps_the_python_path_for_uncompilable_callables(rng, monkeypatch, fn):
    pytest.importorskip("scipy")
    n = 5
    u = rng.standard_normal((30, n))
    w = rng.standard_normal((n, n)) / 2
    calls = spy_paths(monkeypatch)
    out, state, _ = Rate(n, has_rec=True, w_rec=w, activation_func=fn)(u)
    assert calls == {"compiled": 0, "python": 1}
    # plain NumPy reference: a = H(x); x += α(−x + u + a @ W); y = H(x)
    x, a, want = np.zeros(n), fn(np.zeros(n), 0.0), []
    for t in range(u.shape[0]):
        x = x + 0.05 * (-x + u[t] + a @ w)
        a = fn(x, 0.0)
        want.append(a)
    np.testing.assert_allclose(out[0], want, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(state["x"], x, rtol=1e-12, atol=1e-14)
