import os

import numpy as np
import pytest

from rockpool_nb.kernels._jit import parallel_cores
from rockpool_nb.kernels.lif import lif_evolve, lif_evolve_batches
from tests.kernels.twins import lif_twin


def setup(n=6, syn=2, rec=True, noise=True, dtype=np.float64, seed=0, B=1, T=40):
    rng = np.random.default_rng(seed)
    x = (rng.random((B, T, n * syn)) * 1.5).astype(dtype)
    p = dict(
        alpha=np.exp(-1e-3 / rng.uniform(0.005, 0.05, n)).astype(dtype),
        beta=np.exp(-1e-3 / rng.uniform(0.002, 0.03, (n, syn))).astype(dtype),
        bias=rng.normal(0, 0.1, n).astype(dtype),
        thr=rng.uniform(0.5, 1.5, n).astype(dtype),
        w_rec=(rng.normal(0, 0.5, (n, n * syn)) if rec else np.zeros((0, 0))).astype(dtype),
    )
    nz = (rng.normal(0, 0.05, (B, T, n)) if noise else np.zeros((B, 0, n))).astype(dtype)
    return x, p, nz


def run(kernel, x, p, nz, max_spikes=2.0**16, record=True, w_in=None, b_in=None):
    B, T, _ = x.shape
    n = p["alpha"].shape[0]
    K = p["beta"].size
    syn = K // n
    dt = x.dtype
    v, isyn, spk = np.zeros((B, n), dt), np.zeros((B, n, syn), dt), np.zeros((B, n), dt)
    tr = T if record else 0
    out = np.empty((B, T, n), dt)
    rv, ri, rr = (
        np.zeros((B, tr, n), dt),
        np.zeros((B, tr, n, syn), dt),
        np.zeros((B, tr, n, syn), dt),
    )
    if w_in is None:
        w_in, b_in = np.zeros((0, 0), x.dtype), np.zeros(0, x.dtype)
    kernel(
        x,
        w_in,
        b_in,
        v,
        isyn,
        spk,
        p["alpha"],
        p["beta"],
        p["bias"],
        p["thr"],
        p["w_rec"],
        nz,
        dt.type(max_spikes),
        out,
        rv,
        ri,
        rr,
    )
    return out, rv, ri, rr, v


@pytest.mark.parametrize("rec", [True, False])
@pytest.mark.parametrize("noise", [True, False])
@pytest.mark.parametrize("syn", [1, 3])
def test_matches_numpy_twin_step_by_step(rec, noise, syn):
    x, p, nz = setup(syn=syn, rec=rec, noise=noise)
    out, rv, ri, rr, v = run(lif_evolve, x, p, nz)
    n = p["alpha"].shape[0]
    t_out, t_v, t_i, t_r = lif_twin(
        x[0],
        np.zeros(n),
        np.zeros((n, syn)),
        np.zeros(n),
        p["alpha"],
        p["beta"],
        p["bias"],
        p["thr"],
        p["w_rec"],
        nz[0] if noise else np.zeros((0,)),
        2.0**16,
    )
    assert out.sum() > 0  # the case exercises spiking
    np.testing.assert_array_equal(out[0], t_out)
    np.testing.assert_allclose(rv[0], t_v, rtol=1e-9, atol=1e-9)  # summation order differs
    np.testing.assert_allclose(ri[0], t_i, rtol=1e-9, atol=1e-9)  # summation order differs
    np.testing.assert_allclose(rr[0], t_r, rtol=1e-9, atol=1e-9)  # summation order differs
    np.testing.assert_allclose(v[0], t_v[-1])


def test_multi_spike_counts_are_capped():
    x, p, nz = setup(rec=False, noise=False, syn=1)
    x *= 50
    out, *_ = run(lif_evolve, x, p, nz, max_spikes=3.0)
    assert out.max() == 3.0
    out_free, *_ = run(lif_evolve, x, p, nz)
    assert out_free.max() > 3.0


def test_float32_matches_float64_within_tolerance():
    x, p, nz = setup(rec=False, noise=False, syn=2)
    o64, v64, *_ = run(lif_evolve, x, p, nz)
    x32, p32, nz32 = setup(rec=False, noise=False, syn=2, dtype=np.float32)
    o32, v32, *_ = run(lif_evolve, x32, p32, nz32)
    assert o32.dtype == np.float32
    assert np.mean(o32 == o64) > 0.99
    np.testing.assert_allclose(v32[0, :5], v64[0, :5], rtol=1e-4, atol=1e-4)


def test_parallel_batches_equal_serial():
    x, p, nz = setup(B=4, T=30)
    serial = run(lif_evolve, x, p, nz)
    parallel = run(lif_evolve_batches, x, p, nz)
    for a, b in zip(serial, parallel):
        np.testing.assert_array_equal(a, b)


def test_no_record_leaves_records_empty():
    x, p, nz = setup()
    out, rv, ri, rr, _ = run(lif_evolve, x, p, nz, record=False)
    assert rv.shape[1] == 0 and out.shape == (1, 40, 6)
    np.testing.assert_array_equal(out, run(lif_evolve, x, p, nz)[0])


@pytest.mark.parametrize("syn", [1, 2])
@pytest.mark.parametrize("kernel", [lif_evolve, lif_evolve_batches])
def test_fused_input_weights_equal_dense_product(syn, kernel):
    """Event-driven ``u @ W_in + b_in`` inside the kernel equals feeding the dense product."""
    rng = np.random.default_rng(3)
    n, n_in, B, T = 5, 7, 2, 60
    _, p, nz = setup(n=n, syn=syn, B=B, T=T, seed=4)
    u = (rng.random((B, T, n_in)) < 0.2) * rng.integers(1, 3, (B, T, n_in)).astype(float)
    w_in = rng.normal(0, 0.8, (n_in, n * syn))
    b_in = rng.normal(0, 0.05, n * syn)
    dense = run(kernel, u @ w_in + b_in, p, nz)
    fused = run(kernel, u, p, nz, w_in=w_in, b_in=b_in)
    assert dense[0].sum() > 0
    np.testing.assert_array_equal(dense[0], fused[0])  # the same spikes
    for a, b in zip(dense[1:], fused[1:]):  # states up to summation order
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("rec", [True, False])
def test_power_of_two_thresholds_multiply_by_the_exact_inverse(rec):
    """θ ∈ {½, 1, 2, 4}: the kernel uses V·(1/θ), which must equal the twin's V/θ bit for bit."""
    x, p, nz = setup(n=9, syn=1, rec=rec, noise=False, T=80, seed=5)
    p["thr"] = np.array([0.5, 1.0, 2.0, 4.0, 1.0, 0.5, 2.0, 1.0, 4.0])
    x *= 2.0
    out, rv, *_ = run(lif_evolve, x, p, nz)
    t_out, t_v, *_ = lif_twin(
        x[0], np.zeros(9), np.zeros((9, 1)), np.zeros(9), p["alpha"], p["beta"], p["bias"],
        p["thr"], p["w_rec"], np.zeros((0,)), 2.0**16,
    )  # fmt: skip
    assert out.sum() > 0 and out.max() > 1  # several spikes per step occur
    np.testing.assert_array_equal(out[0], t_out)
    np.testing.assert_allclose(rv[0], t_v, rtol=1e-9, atol=1e-9)


def test_fused_signed_sparse_events_equal_dense_product():
    """Negative and positive event values (the block test of the event compaction sums |x|)."""
    rng = np.random.default_rng(7)
    n, n_in, T = 4, 37, 50
    _, p, nz = setup(n=n, syn=1, rec=False, noise=False, T=T, seed=8)
    u = (rng.random((1, T, n_in)) < 0.1) * rng.normal(0, 2, (1, T, n_in))
    w_in = rng.normal(0, 0.8, (n_in, n))
    b_in = np.zeros(n)
    dense = run(lif_evolve, u @ w_in, p, nz, record=False)
    fused = run(lif_evolve, u, p, nz, w_in=w_in, b_in=b_in, record=False)
    assert dense[0].sum() > 0
    np.testing.assert_array_equal(dense[0], fused[0])
    np.testing.assert_allclose(dense[4], fused[4], rtol=1e-9, atol=1e-9)


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs sched_setaffinity")
def test_parallel_cores_is_one_when_pinned_to_one_cpu():
    """Pinned to one CPU, modules run the serial kernel (no oversubscribed thread pool)."""
    allowed = os.sched_getaffinity(0)
    try:
        os.sched_setaffinity(0, {min(allowed)})
        assert parallel_cores() == 1
    finally:
        os.sched_setaffinity(0, allowed)
    assert 1 <= parallel_cores() <= len(allowed)
