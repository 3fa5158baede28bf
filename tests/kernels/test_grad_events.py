"""The event-driven weight-gradient kernels against a NumPy twin (the dense product)."""

import numpy as np
import pytest

from rockpool_nb.kernels.grad_events import (
    event_matmul,
    event_matmul_parallel,
    event_outer,
    event_outer_parallel,
)


def twin(a, a0, g, shift):
    """``Σ_{b,t} A'[b, t]ᵀ G[b, t]`` as one dense product (``A'`` shifted by one step)."""
    if shift:
        a = np.concatenate([a0[:, None], a[:, :-1]], axis=1)
    return a.reshape(-1, a.shape[-1]).T @ g.reshape(-1, g.shape[-1])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shift", [False, True])
def test_event_outer_equals_the_dense_product(rng, dtype, shift):
    a = ((rng.random((5, 40, 7)) < 0.1) * rng.integers(1, 3, (5, 40, 7))).astype(dtype)
    a0 = (rng.random((5, 7)) < 0.3).astype(dtype)
    g = rng.normal(size=(5, 40, 33)).astype(dtype)
    want = twin(a.astype(float), a0.astype(float), g.astype(float), shift)
    out = np.full((7, 33), 0.5, dtype)
    event_outer(a, a0, g, out, shift)
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(out, want + 0.5, rtol=tol, atol=tol)
    parts = np.zeros((3, 7, 33), dtype)
    event_outer_parallel(a, a0, g, parts, shift)
    np.testing.assert_allclose(parts.sum(0), want, rtol=tol, atol=tol)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_event_matmul_equals_the_dense_product(rng, dtype):
    a = ((rng.random((4, 30, 9)) < 0.1) * rng.integers(1, 3, (4, 30, 9))).astype(dtype)
    w = rng.normal(size=(9, 40)).astype(dtype)
    out = np.full((4, 30, 40), np.nan, dtype)
    event_matmul(a, w, out)
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(out, a.astype(float) @ w.astype(float), rtol=tol, atol=tol)
    par = np.full_like(out, np.nan)
    event_matmul_parallel(a, w, par)
    np.testing.assert_array_equal(par, out)
