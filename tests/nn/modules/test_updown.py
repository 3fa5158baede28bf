import numpy as np
import pytest

from rockpool_nb.nn.modules import UpDown


def twin(x, thr_up, thr_down, max_events=2**16):
    """Plain NumPy statement of the delta modulation (one batch)."""
    T, C = x.shape
    ref = np.zeros(C)
    out = np.zeros((T, 2 * C))
    for t in range(T):
        for c in range(C):
            d = x[t, c] - ref[c]
            if d >= thr_up[c]:
                k = min(np.floor(d / thr_up[c]), max_events)
                out[t, 2 * c] = k
                ref[c] += k * thr_up[c]
            elif -d >= thr_down[c]:
                k = min(np.floor(-d / thr_down[c]), max_events)
                out[t, 2 * c + 1] = k
                ref[c] -= k * thr_down[c]
    return out, ref


def test_matches_the_twin_step_by_step(rng):
    x = np.cumsum(rng.normal(0, 0.05, (300, 3)), axis=0)
    up, down = np.array([0.1, 0.05, 0.2]), np.array([0.1, 0.08, 0.2])
    mod = UpDown(3, thr_up=up, thr_down=down)
    out, state, rec = mod(x, record=True)
    ref_out, ref_level = twin(x, up, down)
    np.testing.assert_array_equal(out[0], ref_out)
    np.testing.assert_allclose(state["ref"], ref_level)
    assert out.shape == (1, 300, 6) and out.sum() > 0
    assert rec["ref"].shape == (1, 300, 3)
    # the reference tracks the signal to within one threshold
    assert np.all(np.abs(rec["ref"][0] - x) < np.maximum(up, down) + 1e-12)


def test_reconstruction_and_caps():
    t = np.linspace(0, 1, 500)
    x = np.sin(2 * np.pi * 3 * t)[:, None]
    out, _, _ = UpDown(1, thr_up=0.05, thr_down=0.05)(x)
    recon = np.cumsum(out[0, :, 0] - out[0, :, 1]) * 0.05
    assert np.max(np.abs(recon - x[:, 0])) < 0.05 + 1e-9
    step = np.r_[np.zeros(5), np.full(5, 1.0)][:, None]
    capped, _, _ = UpDown(1, thr_up=0.1, max_events_per_dt=3)(step)
    assert capped[0, 5, 0] == 3


def test_errors():
    with pytest.raises(ValueError, match="UpDown.thr_up: expected positive thresholds"):
        UpDown(2, thr_up=0.0)
    with pytest.raises(ValueError, match=r"shape must be \(C,\) or \(C, 2C\)"):
        UpDown((2, 3))
