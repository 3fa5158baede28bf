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
