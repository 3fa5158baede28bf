import numpy as np
import pytest

from rockpool_nb.kernels.expsyn import expsyn_evolve
from rockpool_nb.kernels.linear import add_rows, matmul, sparse_matmul
from rockpool_nb.kernels.rate import (
    RELU,
    SIGMOID,
    TANH,
    rate_evolve,
    rate_evolve_split,
    split_columns,
)
from rockpool_nb.nn.modules.activations import H_ReLU, H_sigmoid, H_tanh
from tests.kernels.twins import expsyn_twin, rate_twin

ACTS = {RELU: H_ReLU, TANH: H_tanh, SIGMOID: H_sigmoid}


@pytest.mark.parametrize("code", [RELU, TANH, SIGMOID])
@pytest.mark.parametrize("rec", [True, False])
def test_rate_matches_twin(code, rec):
    rng = np.random.default_rng(code + 10 * rec)
    B, T, N = 2, 50, 7
    u = rng.standard_normal((B, T, N))
    x0 = rng.standard_normal((B, N)) * 0.1
    alpha = rng.uniform(0.01, 0.1, N)
    bias, thr = rng.normal(0, 0.1, N), rng.normal(0, 0.1, N)
    w = rng.standard_normal((N, N)) / np.sqrt(N) if rec else np.zeros((0, 0))
    x = x0.copy()
    out = np.empty_like(u)
    rx, rr = np.zeros_like(u), np.zeros_like(u)
    rate_evolve(u, x, alpha, bias, thr, w, code, out, rx, rr)
    for b in range(B):
        t_out, t_x, t_r = rate_twin(u[b], x0[b], alpha, bias, thr, w, ACTS[code])
        np.testing.assert_allclose(out[b], t_out, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(rx[b], t_x, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(rr[b], t_r, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(x[b], t_x[-1])


@pytest.mark.parametrize("n, blocks", [(5, 2), (37, 2), (64, 3), (300, 2), (300, 1)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_rate_split_equals_serial_bit_for_bit(n, blocks, dtype):
    rng = np.random.default_rng(n + blocks)
    B, T = 2, 60
    u = rng.standard_normal((B, T, n)).astype(dtype)
    x0 = (rng.standard_normal((B, n)) * 0.1).astype(dtype)
    alpha = rng.uniform(0.01, 0.1, n).astype(dtype)
    bias, thr = rng.normal(0, 0.5, n).astype(dtype), rng.normal(0, 0.1, n).astype(dtype)
    w = (rng.standard_normal((n, n)) / np.sqrt(n)).astype(dtype)
    wb, edges = split_columns(w, blocks)
    assert edges[0] == 0 and edges[-1] == n and np.all(np.diff(edges) >= 0)
    for code in (RELU, TANH):
        runs = []
        for split in (False, True):
            x = x0.copy()
            out, rx, rr = np.empty_like(u), np.zeros_like(u), np.zeros_like(u)
            if split:
                rate_evolve_split(u, x, alpha, bias, thr, wb, edges, code, out, rx, rr)
            else:
                rate_evolve(u, x, alpha, bias, thr, w, code, out, rx, rr)
            runs.append((out, x, rx, rr))
        for got, want in zip(*runs):
            np.testing.assert_array_equal(got, want)


def test_expsyn_matches_twin():
    rng = np.random.default_rng(3)
    x = (rng.random((2, 60, 4)) < 0.2).astype(float)
    beta = np.exp(-1e-3 / rng.uniform(0.005, 0.05, 4))
    isyn = np.zeros((2, 4))
    out = np.empty_like(x)
    expsyn_evolve(x, isyn, beta, out)
    for b in range(2):
        np.testing.assert_allclose(out[b], expsyn_twin(x[b], np.zeros(4), beta), rtol=1e-13)


@pytest.mark.parametrize("density", [0.02, 0.5])
def test_matmul_event_driven_and_dense_agree(density):
    rng = np.random.default_rng(4)
    x = (rng.random((3, 100, 20)) < density) * rng.integers(1, 4, (3, 100, 20)).astype(float)
    w = rng.standard_normal((20, 9))
    np.testing.assert_allclose(matmul(x, w), np.einsum("bti,io->bto", x, w), rtol=1e-12, atol=1e-12)
    out = np.zeros((300, 9))
    sparse_matmul(x.reshape(300, 20), w, out)
    np.testing.assert_allclose(out, x.reshape(300, 20) @ w, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("m", [0, 3, 4, 7, 9])
def test_add_rows_equals_rows_added_one_at_a_time(m):
    """Four rows per pass, in the same order: bit-identical to adding them one by one."""
    rng = np.random.default_rng(m)
    w = rng.normal(0, 1, (12, 33))
    idx = rng.integers(0, 12, 10)
    val = rng.normal(0, 2, 10)
    acc = rng.normal(0, 1, 33)
    expected = acc.copy()
    for e in range(m):
        expected = expected + val[e] * w[idx[e]]
    add_rows(acc, w, idx, val, m)
    np.testing.assert_array_equal(acc, expected)


def test_one_input_channel_products_equal_matmul(rng):
    """With one input channel the products are broadcast (NumPy's matmul is slow there), with
    the values of ``matmul``, in simulation and in training."""
    from rockpool_nb.kernels.linear import matmul_into

    for dtype in (np.float32, np.float64):
        x = rng.normal(size=(2, 300, 1)).astype(dtype)
        w = rng.normal(size=(1, 7)).astype(dtype)
        np.testing.assert_array_equal(matmul(x, w), np.matmul(x, w))
        out = np.empty((2, 300, 7), dtype)
        assert matmul_into(x, w, out) is out
        np.testing.assert_array_equal(out, np.matmul(x, w))
        w2 = rng.normal(size=(3, 7)).astype(dtype)  # several channels: matmul itself
        x2 = rng.normal(size=(2, 300, 3)).astype(dtype)
        np.testing.assert_array_equal(matmul_into(x2, w2, out), np.matmul(x2, w2))
