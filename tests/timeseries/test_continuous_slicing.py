"""``TSContinuous`` indexing, ``resample``, ``clip`` and ``to_clocked``."""

import warnings

import numpy as np
import pytest

from rockpool_nb.timeseries import TSContinuous


@pytest.fixture
def ramp():
    # samples y = 10 t at t = 0, 1, 2, 3 (two channels: y and -y)
    t = np.arange(4.0)
    return TSContinuous(t, np.stack([10 * t, -10 * t], 1), name="ramp", interp_kind="linear")


def test_getitem_points_and_channels(ramp):
    r = ramp[[0.5, 1.5]]
    np.testing.assert_allclose(r.samples, [[5, -5], [15, -15]])
    assert (r.t_start, r.t_stop) == (0.5, 1.5)
    np.testing.assert_allclose(ramp[1.5, 1].samples, [[-15]])
    np.testing.assert_allclose(ramp[[1.0], [1, 0]].samples, [[-10, 10]])
    assert ramp[:, ::-1].samples[0, 1] == 0 and ramp[:, ::-1].samples[1, 0] == -10
    with pytest.raises(IndexError, match="at most 2"):
        ramp[1, 2, 3]
    with pytest.raises(IndexError, match="channels"):
        ramp[1.0, 5]


def test_getitem_slices(ramp):
    part = ramp[1:3]  # stop excluded, no samples added at limits
    np.testing.assert_array_equal(part.times, [1.0, 2.0])
    assert (part.t_start, part.t_stop) == (1, 3)
    np.testing.assert_array_equal(ramp[1:].times, [1.0, 2.0, 3.0])
    stepped = ramp[0:2:0.5]
    np.testing.assert_allclose(stepped.times, [0, 0.5, 1, 1.5])
    np.testing.assert_allclose(ramp[::-1.0].times, [2, 1, 0])
    assert ramp[()].times.size == 4


def test_resample(ramp):
    r = ramp.resample([0.25, 2.75], channels=0)
    np.testing.assert_allclose(r.samples, [[2.5], [27.5]])
    assert ramp.samples.shape == (4, 2)
    assert ramp.resample([1.0], inplace=True) is ramp and ramp.times.size == 1
    with pytest.raises(IndexError, match="does not have any channels"):
        TSContinuous([0, 1], np.zeros((2, 0))).resample([0.5], channels=[0])


def test_to_clocked(ramp):
    np.testing.assert_allclose(ramp.to_clocked(1.25)[:, 0], [0, 12.5, 25])


def test_clip_with_and_without_limit_samples(ramp):
    c = ramp.clip(0.5, 2.5)
    np.testing.assert_allclose(c.times, [0.5, 1, 2, 2.5])
    np.testing.assert_allclose(c.samples[:, 0], [5, 10, 20, 25])
    c = ramp.clip(0.5, 2.5, sample_limits=False)
    np.testing.assert_allclose(c.times, [1, 2])
    assert (c.t_start, c.t_stop) == (0.5, 2.5)
    c = ramp.clip(1, 2, include_stop=False)
    np.testing.assert_allclose(c.times, [1])
    c = ramp.clip(2.5, 0.5, channels=[1])  # limits are sorted
    assert c.num_channels == 1 and c.t_start == 0.5


def test_clip_beyond_range_warns():
    ts = TSContinuous([0, 1, 2], [0.0, 1.0, 2.0], t_stop=3.0)
    ts.beyond_range_exception = False
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        clipped = ts.clip(0.5, 4.0)
    messages = [str(w.message) for w in caught]
    assert any("`t_stop` beyond interpolation-range" in m for m in messages)
    assert np.isnan(clipped.samples[-1, 0]) and clipped.t_stop == 4.0


def test_clip_periodic_extends_over_periods():
    ts = TSContinuous([0, 1], [0.0, 1.0], periodic=True, t_stop=2.0)
    c = ts.clip(1.0, 5.0, sample_limits=False)
    np.testing.assert_array_equal(c.times, [1, 2, 3, 4, 5])
    np.testing.assert_array_equal(c.samples[:, 0], [1, 0, 1, 0, 1])
