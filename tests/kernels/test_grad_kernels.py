"""Training kernels against plain-NumPy twins: the vectorised tanh, the Rate training forward
and its reverse pass, segment by segment."""

import numpy as np
from numba import njit

from rockpool_nb.kernels.grad_rate import (
    rate_train_forward,
    rate_train_reverse,
    tanh_f32,
    tanh_vec,
)


@njit
def _map64(z, out):
    for i in range(z.size):
        out[i] = tanh_vec(z[i])


@njit
def _map32(z, out):
    for i in range(z.size):
        out[i] = tanh_f32(z[i])


def test_tanh_equals_numpy():
    z = np.concatenate([np.linspace(-30, 30, 20001), np.geomspace(1e-300, 1e-3, 200)])
    out = np.empty_like(z)
    _map64(z, out)
    np.testing.assert_allclose(out, np.tanh(z), rtol=4e-15, atol=0)
    z32 = z.astype(np.float32)
    out32 = np.empty_like(z32)
    _map32(z32, out32)
    np.testing.assert_allclose(out32, np.tanh(z32.astype(float)), rtol=1e-6, atol=1e-37)


def _twin_forward(u, x0, alpha, bias, thr, w):
    x, xs, ys = x0.copy(), [], []
    for t in range(u.shape[1]):
        x = x + alpha * (-x + u[:, t] + bias + np.tanh(x - thr) @ w)
        xs.append(x)
        ys.append(np.tanh(x - thr))
    return np.stack(ys, 1), np.stack(xs, 1)


def _twin_reverse(xs, ys, x0, alpha, thr, w, g):
    B, T, N = xs.shape
    lam, g_u, ga, gthr = np.zeros((B, N)), np.zeros_like(xs), np.zeros(N), np.zeros(N)
    for t in range(T - 1, -1, -1):
        xp = xs[:, t - 1] if t > 0 else x0
        gy = g[:, t] * (1 - ys[:, t] ** 2)
        gx = gy + lam
        gthr -= gy.sum(0)
        ga += (gx * (xs[:, t] - xp) / alpha).sum(0)
        g_u[:, t] = gx * alpha
        dp = 1 - np.tanh(xp - thr) ** 2
        c = (g_u[:, t] @ w.T) * dp
        lam = gx * (1 - alpha) + c
        gthr -= c.sum(0)
    return g_u, ga, gthr, lam


def test_rate_training_kernels_equal_numpy_twins(rng):
    B, T, N = 2, 50, 6
    u = rng.normal(0, 1, (B, T, N))
    x0 = rng.normal(0, 0.5, (B, N))
    alpha, bias, thr = rng.uniform(0.02, 0.2, N), rng.normal(0, 0.1, N), rng.normal(0, 0.1, N)
    w = rng.normal(0, 0.5, (N, N))
    g = rng.normal(0, 1, (B, T, N))
    y, xs, x = np.empty_like(u), np.empty_like(u), x0.copy()
    rate_train_forward(u, x, alpha, bias, thr, w, 1, y, xs)
    y_ref, xs_ref = _twin_forward(u, x0, alpha, bias, thr, w)
    np.testing.assert_allclose(y, y_ref, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(x, xs_ref[:, -1], rtol=1e-12, atol=1e-13)
    ref = _twin_reverse(xs, y, x0, alpha, thr, w, g)
    # reverse in two segments, the adjoint carried between them
    lam, g_u, ga, gthr = np.zeros((B, N)), np.empty_like(u), np.zeros(N), np.zeros(N)
    w_t = np.ascontiguousarray(w.T)
    k = 20
    x_k, a_k = xs[:, k - 1].copy(), y[:, k - 1].copy()
    rate_train_reverse(
        xs[:, k:].copy(), y[:, k:].copy(), x_k, a_k, alpha, w_t, g[:, k:].copy(), 1, lam,
        g_u[:, k:], ga, gthr,
    )  # fmt: skip
    g_first = np.empty((B, k, N))
    rate_train_reverse(
        xs[:, :k].copy(), y[:, :k].copy(), x0, np.tanh(x0 - thr), alpha, w_t, g[:, :k].copy(), 1,
        lam, g_first, ga, gthr,
    )  # fmt: skip
    g_u[:, :k] = g_first
    for got, want in zip((g_u, ga, gthr, lam), ref):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


def test_lif_training_forward_equals_the_simulation_bit_for_bit_in_float32(rng):
    """The training forward (which records for the reverse pass) and the simulation kernel
    give the same spike counts and membranes in float32, several spikes per step included: the
    training kernel computes in float32 throughout, as the simulation does."""
    from rockpool_nb.kernels.grad_lif import lif_train_forward
    from rockpool_nb.kernels.lif import lif_evolve

    f32 = np.float32
    B, T, N = 3, 200, 40
    x = rng.normal(0.4, 1.5, (B, T, N)).astype(f32)  # strong drive: counts up to several
    alpha = np.exp(-1e-3 / rng.uniform(0.005, 0.05, N)).astype(f32)
    beta = np.exp(-1e-3 / rng.uniform(0.002, 0.02, (N, 1))).astype(f32)
    bias = rng.normal(0, 0.1, N).astype(f32)
    thr = rng.uniform(0.6, 0.9, N).astype(f32)  # not powers of two: V / θ is divided
    w_rec = rng.normal(0, 0.2, (N, N)).astype(f32)
    max_spikes = f32(8)

    def state():
        return np.zeros((B, N), f32), np.zeros((B, N, 1), f32), np.zeros((B, N), f32)

    v1, i1, s1 = state()
    out1 = np.zeros((B, T, N), f32)
    rec_v, rec_pre = np.zeros((B, T, N), f32), np.zeros((B, T, N), f32)
    lif_train_forward(x, v1, i1, s1, alpha, beta, bias, thr, w_rec, np.zeros((B, 0, N), f32),
                      max_spikes, out1, rec_v, rec_pre)  # fmt: skip
    v2, i2, s2 = state()
    out2 = np.zeros((B, T, N), f32)
    none = np.zeros((B, 0, N), f32)
    lif_evolve(x, np.zeros((0, 0), f32), np.zeros(0, f32), v2, i2, s2, alpha, beta, bias, thr,
               w_rec, none, max_spikes, out2, none, np.zeros((B, 0, N, 1), f32),
               np.zeros((B, 0, N, 1), f32))  # fmt: skip
    assert out1.max() >= 3  # several spikes in one step
    np.testing.assert_array_equal(out1, out2)
    np.testing.assert_array_equal(v1, v2)
    np.testing.assert_array_equal(i1, i2)
