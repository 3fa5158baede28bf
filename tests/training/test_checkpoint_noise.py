"""Checkpointed reverse passes, training noise, and the errors that stop training."""

import copy

import numpy as np
import pytest

from rockpool_nb.nn.combinators import Residual, Sequential
from rockpool_nb.nn.modules import LIF, ExpSyn, Linear, Rate
from rockpool_nb.training import Adam, fit, losses, value_and_grad
from rockpool_nb.training.gradients import segment_length
from rockpool_nb.training.noise import BLOCK, noise_segment
from rockpool_nb.training.tree import tree_items


def _nets(rng, noise=0.0):
    return {
        "lif": Sequential(
            Linear((3, 6), weight=rng.normal(0, 1.5, (3, 6))),
            LIF(6, has_rec=True, w_rec=rng.normal(0, 0.3, (6, 6)), noise_std=noise, rng=1),
            Linear((6, 2)),
            ExpSyn(2, tau=0.02),
        ),
        "lif 2 synapses": Sequential(
            Linear((3, 8), weight=rng.normal(0, 2.0, (3, 8))),
            LIF(
                (8, 4), has_rec=True, tau_syn=[[0.005, 0.01]] * 4, bias=0.3, noise_std=noise, rng=2
            ),
        ),
        "rate in residual": Sequential(
            Linear((3, 5)),
            Residual(
                Rate(5, has_rec=True, activation_func="tanh", noise_std=noise, rng=3),
                Linear((5, 5)),
            ),
            Rate(5, activation_func="sigmoid", tau=0.03),
        ),
    }


def _walk(mod):
    yield mod
    for sub in mod._submodules.values():
        yield from _walk(sub)


def _grads(net, x, y, **kw):
    value, g = value_and_grad(net, losses.mse, **kw)(net.parameters(), x, y)
    return value, dict(tree_items(g))


@pytest.mark.parametrize("name", ["lif", "lif 2 synapses", "rate in residual"])
@pytest.mark.parametrize("k", [1, 7, 64, 300])
def test_checkpointed_gradients_equal_the_plain_ones(name, k, rng):
    net = _nets(rng)[name]
    x = (rng.random((2, 300, 3)) < 0.3) * 2.0
    y = rng.normal(0, 1, net(x)[0].shape)
    v0, g0 = _grads(net, x, y, checkpoint=None)
    v1, g1 = _grads(net, x, y, checkpoint=k)
    assert v1 == pytest.approx(v0, rel=1e-12)  # matrix products may round per segment size
    assert any(np.any(g != 0) for g in g0.values())
    for path, g in g0.items():
        np.testing.assert_allclose(g1[path], g, rtol=1e-12, atol=1e-14, err_msg=path)


def test_checkpoint_auto_splits_long_runs_only():
    net = Sequential(Linear((1000, 1000)), LIF(1000, has_rec=True))
    assert segment_length(net, 1, 100, "auto") == 100
    assert segment_length(net, 1, 100_000, "auto") == 317  # ≈ √T above the 1 GiB budget
    assert segment_length(net, 1, 100_000, None) == 100_000
    assert segment_length(net, 1, 100_000, 50) == 50
    with pytest.raises(ValueError, match="checkpoint: expected a positive number"):
        segment_length(net, 1, 10, 0)


def test_noise_blocks_do_not_depend_on_the_segmentation():
    whole = noise_segment(5, 0, (2, 3 * BLOCK + 11, 4))
    part = noise_segment(5, BLOCK - 3, (2, 40, 4))
    np.testing.assert_array_equal(part, whole[:, BLOCK - 3 : BLOCK + 37])
    assert not np.array_equal(noise_segment(6, 0, (2, 10, 4)), whole[:, :10])


@pytest.mark.parametrize("name", ["lif", "rate in residual"])
def test_noise_is_the_same_in_forward_reverse_and_recompute(name, rng):
    """Frozen noise: repeated calls agree, checkpointing does not change the gradients, and
    the gradients are those of the noise-free network driven by the same noise."""
    x = (rng.random((2, 600, 3)) < 0.3) * 2.0
    net = _nets(np.random.default_rng(7), noise=0.5)[name]
    net2 = copy.deepcopy(net)  # the same weights and module generators
    y = rng.normal(0, 1, (2, 600, net.size_out))  # (calling net would draw from its generators)
    f_plain = value_and_grad(net, losses.mse, noise="frozen", checkpoint=None)
    v0, g0 = f_plain(net.parameters(), x, y)
    v0b, _ = f_plain(net.parameters(), x, y)
    assert v0b == v0
    v1, g1 = value_and_grad(net2, losses.mse, noise="frozen", checkpoint=37)(
        net2.parameters(), x, y
    )
    assert v1 == pytest.approx(v0, rel=1e-12)  # matrix products may round per segment size
    d1 = dict(tree_items(g1))
    for path, g in tree_items(g0):
        np.testing.assert_allclose(d1[path], g, rtol=1e-12, atol=1e-14, err_msg=path)
    quiet = copy.deepcopy(net2)
    for mod in _walk(quiet):
        if hasattr(mod, "noise_std"):
            mod.noise_std = 0.0
    vq, _ = value_and_grad(quiet, losses.mse)(quiet.parameters(), x, y)
    assert vq != v0  # the noise reaches the loss


def test_redrawn_noise_changes_between_calls_and_follows_the_module_seed(rng):
    x = (rng.random((1, 200, 3)) < 0.3) * 2.0
    y = np.zeros((1, 200, 2))
    a = _nets(np.random.default_rng(0), noise=0.5)["lif"]
    b = copy.deepcopy(a)
    f = value_and_grad(a, losses.mse, noise="redraw")
    v1, _ = f(a.parameters(), x, y)
    v2, _ = f(a.parameters(), x, y)
    assert v1 != v2
    assert value_and_grad(b, losses.mse)(b.parameters(), x, y)[0] == v1
    with pytest.raises(ValueError, match="noise: expected 'redraw' or 'frozen'"):
        value_and_grad(a, losses.mse, noise="fresh")


def test_float32_gradients_are_close_to_float64(rng):
    net = _nets(rng)["rate in residual"]
    x = rng.normal(0, 1, (2, 100, 3))
    y = rng.normal(0, 1, net(x)[0].shape)
    _, g64 = _grads(net, x, y)
    _, g32 = _grads(net, x, y, dtype=np.float32)
    for path, g in g64.items():
        np.testing.assert_allclose(g32[path], g, rtol=2e-3, atol=1e-5, err_msg=path)


def test_nan_gradient_names_the_step_and_parameter(rng):
    net = Sequential(Linear((2, 3)), Rate(3, tau=0.02), Linear((3, 1)))
    x = rng.normal(0, 1, (50, 2))
    y = np.zeros((1, 50, 1))
    calls = []

    class Spoiled(losses.MSE):  # finite loss, non-finite gradient from step 2 on
        def grad(self, out, target):
            calls.append(1)
            g = super().grad(out, target)
            return np.full_like(g, np.nan) if len(calls) > 2 else g

    with pytest.raises(FloatingPointError, match=r"step 2: the gradient of '.*' is not finite"):
        fit(net, Spoiled(), x, y, steps=5, optimiser=Adam(1e-3), progress=False)
    with pytest.raises(ValueError, match=r"target: expected shape \(1, 50, 1\).*got \(50, 2\)"):
        fit(net, losses.mse, x, np.zeros((50, 2)), steps=1, progress=False)
