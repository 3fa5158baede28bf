"""Defaults, families, shapes, records and errors of the neuron modules."""

import numpy as np
import pytest

from rockpool_nb.nn.modules import LIF, ExpSyn, H_tanh, Instant, Linear, Rate


def test_lif_defaults_families_and_state():
    lif = LIF(3)
    assert lif.shape == (3, 3) and lif.spiking_output and not lif.spiking_input
    assert list(lif.parameters()) == ["tau_mem", "tau_syn", "bias", "threshold"]
    assert list(lif.state()) == ["spikes", "isyn", "vmem"]
    assert list(lif.simulation_parameters()) == [
        "_has_rec",
        "w_rec",
        "dt",
        "noise_std",
        "max_spikes_per_dt",
    ]
    np.testing.assert_array_equal(lif.tau_mem, [0.02] * 3)
    assert lif.tau_syn.shape == (3, 1) and lif.max_spikes_per_dt == 65536.0
    assert set(lif.parameters("taus")) == {"tau_mem", "tau_syn"}
    assert list(LIF(3, has_rec=True).parameters())[0] == "w_rec"
    assert LIF((6, 3)).tau_syn.shape == (3, 2) and LIF((6, 3)).n_synapses == 2


def test_lif_errors_name_the_argument():
    with pytest.raises(ValueError, match=r"LIF.tau_mem: expected shape \(3,\) or \(\); got \(2,\)"):
        LIF(3, tau_mem=[0.01, 0.02])
    with pytest.raises(ValueError, match="w_rec given but has_rec is False"):
        LIF(3, w_rec=np.zeros((3, 3)))
    with pytest.raises(ValueError, match=r"Linear\(\(256, 512\)\) then LIF\(512\)"):
        LIF((256, 512))
    with pytest.raises(ValueError, match="It is 4, must be 3"):
        LIF(3)(np.ones((5, 4)))


def test_lif_records_only_on_request_and_shapes():
    lif = LIF((4, 2), has_rec=True)
    out, state, rec = lif(np.ones((3, 7, 4)))
    assert out.shape == (3, 7, 2) and rec == {}
    out, state, rec = lif(np.ones((7, 4)), record=True)
    assert {k: v.shape for k, v in rec.items()} == {
        "vmem": (1, 7, 2),
        "isyn": (1, 7, 2, 2),
        "irec": (1, 7, 2, 2),
        "spikes": (1, 7, 2),
    }
    assert set(state) == {"spikes", "isyn", "vmem"}


def test_lif_noise_is_seeded_per_module_and_leaves_global_rng_alone():
    np.random.seed(1)
    before = np.random.random()
    np.random.seed(1)
    a = LIF(4, noise_std=0.5, rng=7)(np.zeros((50, 4)), record=True)[2]["vmem"]
    assert np.random.random() == before
    b = LIF(4, noise_std=0.5, rng=7)(np.zeros((50, 4)), record=True)[2]["vmem"]
    np.testing.assert_array_equal(a, b)
    assert np.std(a) > 0


def test_lif_float32_input_runs_float32():
    out, _, _ = LIF(3)(np.ones((5, 3), np.float32))
    assert out.dtype == np.float32


def test_rate_clips_tau_and_records():
    r = Rate(2, tau=0.001)  # below 10 dt: clipped to 10 ms
    _, _, rec = r(np.ones((1, 2)), record=True)
    np.testing.assert_allclose(rec["x"][0, 0], [0.1, 0.1])
    assert set(rec) == {"rec_input", "x"}


def test_rate_custom_callable_activation_matches_builtin():
    rng = np.random.default_rng(0)
    w = rng.standard_normal((3, 3)) / 2
    x = rng.standard_normal((20, 3))
    fast = Rate(3, has_rec=True, w_rec=w, activation_func=H_tanh)(x)[0]
    slow = Rate(3, has_rec=True, w_rec=w, activation_func=lambda x, t: np.tanh(x - t))(x)[0]
    np.testing.assert_allclose(slow, fast, rtol=1e-12)
    with pytest.raises(ValueError, match="activation_func: expected a callable or one of"):
        Rate(3, activation_func="swish")
    with pytest.raises(ValueError, match="input and output sizes must be equal"):
        Rate((2, 3))


def test_expsyn_and_instant_and_linear():
    e = ExpSyn(2)
    assert e.spiking_input and not e.spiking_output and e.tau.tolist() == [0.01, 0.01]
    out, state, _ = e(np.array([[1.0, 0.0], [0.0, 0.0]]))
    np.testing.assert_allclose(out[0, :, 0], [np.exp(-0.1), np.exp(-0.2)])
    np.testing.assert_allclose(state["isyn"], [np.exp(-0.2), 0])
    with pytest.raises(ValueError, match="one-dimensional"):
        ExpSyn((2, 3))
    assert Instant(3, np.abs)(-np.ones((2, 3)))[0].min() == 1
    with pytest.raises(ValueError, match="shape must be given"):
        Instant()
    lin = Linear((2, 3), weight=np.arange(6.0).reshape(2, 3), has_bias=True, bias=np.ones(3))
    out, _, _ = lin(np.ones((4, 2)))
    assert out.shape == (4, 3)  # rank kept, as Rockpool's Linear
    np.testing.assert_allclose(out[0], [4, 6, 8])
    assert list(Linear((2, 3)).parameters()) == ["weight"] and Linear((2, 3)).bias == 0
    with pytest.raises(ValueError, match=r"Linear.weight: expected shape \(2, 3\)"):
        Linear((2, 3), weight=np.ones((3, 3)))
    with pytest.raises(ValueError, match=r"shape must be \(Nin, Nout\)"):
        Linear(3)


def test_step_splitting_is_off_by_default_and_switchable(monkeypatch):
    from rockpool_nb.kernels import _jit

    monkeypatch.setattr(_jit, "parallel_cores", lambda: 2)
    assert _jit.step_split_cores() == 1
    _jit.set_step_splitting(True)
    try:
        assert _jit.step_split_cores() == 2
    finally:
        _jit.set_step_splitting(False)
    assert _jit.step_split_cores() == 1
    with pytest.raises(TypeError, match="enabled: expected True or False"):
        _jit.set_step_splitting(1)


@pytest.mark.parametrize("cores", [1, 2])
def test_large_recurrent_rate_splits_over_cores_with_the_same_result(rng, monkeypatch, cores):
    import rockpool_nb.kernels.rate as kernels
    import rockpool_nb.nn.modules.rate as rate_mod

    n = rate_mod.SPLIT_MIN_N
    calls = []
    split = kernels.rate_evolve_split

    def spy(*args):
        calls.append(args[5].shape)  # the column blocks of w_rec
        return split(*args)

    monkeypatch.setattr(rate_mod, "rate_evolve_split", spy)
    monkeypatch.setattr(rate_mod, "step_split_cores", lambda: cores)
    mod = Rate(n, has_rec=True, bias=rng.normal(0, 1, n))
    u = rng.standard_normal((2, 20, n))
    out, state, rec = mod(u, record=True)
    assert calls == ([] if cores == 1 else [(cores, n, n // cores)])
    x = np.zeros((2, n))
    want = [np.empty_like(u), np.zeros_like(u), np.zeros_like(u)]
    alpha, zero = np.full(n, 0.05), np.zeros(n)
    w = np.asarray(mod.w_rec)
    kernels.rate_evolve(u, x, alpha, np.asarray(mod.bias), zero, w, 0, want[0], want[1], want[2])
    np.testing.assert_array_equal(out, want[0])
    np.testing.assert_array_equal(rec["x"], want[1])
    np.testing.assert_array_equal(rec["rec_input"], want[2])
    np.testing.assert_array_equal(state["x"], x[0])
    Rate(n - 8, has_rec=True)(u[:, :, : n - 8])  # below the size: serial kernel
    assert len(calls) == (cores > 1)
