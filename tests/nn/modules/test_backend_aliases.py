"""Rockpool's backend-named classes (``RateJax``, ``LIFTorch``, ...) on the numba core."""

import warnings

import numpy as np
import pytest

from rockpool_nb.nn import modules as M
from rockpool_nb.nn.modules import backend_aliases

ALIASES = {
    "RateJax": (M.Rate, (3,), {"tau": 0.05}),
    "RateTorch": (M.Rate, (3,), {"tau": 0.05}),
    "LIFJax": (M.LIF, (3,), {"bias": 0.5}),
    "LIFTorch": (M.LIF, (3,), {"bias": 0.5}),
    "LinearJax": (M.Linear, ((3, 2),), {}),
    "LinearTorch": (M.Linear, ((3, 2),), {}),
    "ExpSynJax": (M.ExpSyn, (3,), {}),
    "ExpSynTorch": (M.ExpSyn, (3,), {}),
    "InstantJax": (M.Instant, (3,), {}),
    "InstantTorch": (M.Instant, (3,), {}),
}


def build(name):
    base, args, kwargs = ALIASES[name]
    alias = getattr(M, name)(*args, **kwargs)
    plain = base(*args, **kwargs)
    plain.set_attributes({k: np.array(v, dtype=np.float64) for k, v in alias.parameters().items()})
    return alias, plain


def spikes_or_currents(name, rng, n):
    x = rng.random((2, 40, n))
    return (x > 0.7).astype(float) if name.startswith("ExpSyn") else 2 * x


@pytest.mark.parametrize("name", sorted(ALIASES))
def test_importable_prints_and_matches_the_numba_module(name, rng):
    alias, plain = build(name)
    assert name in backend_aliases.__all__ and isinstance(alias, ALIASES[name][0])
    assert alias.class_name == name
    assert repr(alias) == f"{name}  with shape {alias.shape}"
    x = spikes_or_currents(name, rng, alias.size_in)
    out_a, state_a, _ = alias(x.astype(np.float32))
    out_p, state_p, _ = plain(x.astype(np.float32).astype(np.float64))
    assert isinstance(out_a, np.ndarray)
    np.testing.assert_allclose(out_a, out_p, rtol=1e-4, atol=1e-5)
    assert state_a.keys() == state_p.keys()


@pytest.mark.parametrize("name", ["RateJax", "RateTorch", "LIFJax", "LIFTorch", "ExpSynJax"])
def test_parameters_are_float32_and_stay_so_after_reset(name):
    alias, _ = build(name)
    for key, value in alias.parameters().items():
        assert value.dtype == np.float32, key
    alias.reset_parameters()
    alias.reset_state()
    for key, value in {**alias.parameters(), **alias.state()}.items():
        assert np.asarray(value).dtype == np.float32, key


def test_families_follow_rockpool():
    assert set(M.LIFTorch(3).parameters("thresholds")) == {"threshold"}
    assert set(M.LIFJax(3).parameters("threshold")) == {"threshold"}
    assert set(M.RateJax(3).parameters("thresholds")) == {"threshold"}


def test_rate_jax_has_no_tau_floor():
    """Rockpool's RateJax integrates with dt/τ; the NumPy Rate clips τ at 10 dt."""
    fast = M.RateJax(1, tau=0.002)(np.ones((1, 1)), record=True)[2]["x"]
    clipped = M.Rate(1, tau=0.002)(np.ones((1, 1)), record=True)[2]["x"]
    np.testing.assert_allclose(fast[0, 0], [0.5], rtol=1e-6)
    np.testing.assert_allclose(clipped[0, 0], [0.1], rtol=1e-12)


def test_subclassing_like_page_000():
    class Noisy(M.LIFTorch):
        def __init__(self, shape, scale=2.0, **kwargs):
            super().__init__(shape, **kwargs)
            self.scale = scale

        def evolve(self, x, record=False):
            return super().evolve(self.scale * np.asarray(x), record)

    mod = Noisy(2, bias=0.0)
    assert repr(mod) == "Noisy  with shape (2, 2)"
    ref = M.LIFTorch(2, bias=0.0)
    x = np.full((10, 2), 0.3)
    np.testing.assert_array_equal(mod(x)[0], ref(2 * x)[0])


def test_jax_arrays_are_converted():
    jnp = pytest.importorskip("jax.numpy")
    mod = M.RateJax(3)
    mod.tau = jnp.full(3, 0.05)
    assert isinstance(mod.tau, np.ndarray) and mod.tau.dtype == np.float32
    out = mod(jnp.ones((5, 3)))[0]  # a float32 JAX array
    ref = M.RateJax(3, tau=0.05)(np.ones((5, 3), np.float32))[0]
    assert isinstance(out, np.ndarray)
    np.testing.assert_array_equal(out, ref)


@pytest.mark.compare
@pytest.mark.parametrize("name", ["RateJax", "LIFJax", "ExpSynJax", "LinearJax", "InstantJax"])
def test_same_outputs_and_printing_as_rockpool_jax(name, rng):
    pytest.importorskip("jax")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        R = pytest.importorskip("rockpool.nn.modules")
        _, args, kwargs = ALIASES[name]
        theirs = getattr(R, name)(*args, **kwargs)
    ours = getattr(M, name)(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    for key, value in ours.parameters().items():
        setattr(theirs, key, np.array(value))
    x = spikes_or_currents(name, rng, ours.size_in).astype(np.float32)
    o1, s1, r1 = ours(x, record=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        o2, s2, r2 = theirs(x, record=True)
    np.testing.assert_allclose(o1, np.asarray(o2), rtol=1e-5, atol=1e-6)
    assert sorted(r1) == sorted(r2)
    assert set(s1) == set(s2) - {"rng_key"}
    # XLA's float32 exp(-dt/tau) differs from the correctly rounded one by an ulp; LIF
    # integrates that difference over the run (about 1e-4 of V after 40 steps)
    for key in s1:
        np.testing.assert_allclose(s1[key], np.asarray(s2[key]), rtol=2e-3, atol=1e-5)


class TensorLike:
    """Stands in for a torch.Tensor: only the conversion path ``detach().cpu().numpy()``."""

    def __init__(self, array):
        self._array = np.asarray(array, np.float32)

    def detach(self):
        return self

    def cpu(self):
        return self

    def numpy(self):
        return self._array

    @property
    def shape(self):
        return self._array.shape


@pytest.mark.parametrize("name", [n for n in sorted(ALIASES) if n.endswith("Torch")])
def test_torch_style_tensors_are_converted(name, rng):
    alias, _ = build(name)
    x = spikes_or_currents(name, rng, alias.size_in)[0].astype(np.float32)
    out = alias(TensorLike(x))[0]
    alias.reset_state()
    assert isinstance(out, np.ndarray)
    np.testing.assert_array_equal(out, alias(x)[0])
    if "tau_mem" in alias.parameters():
        alias.tau_mem = TensorLike(np.full(alias.size_out, 0.05))
        assert isinstance(alias.tau_mem, np.ndarray) and alias.tau_mem.dtype == np.float32
