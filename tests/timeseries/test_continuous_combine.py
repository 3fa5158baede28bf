"""``TSContinuous.merge``, ``append_t``, ``append_c``."""

import numpy as np
import pytest

from rockpool_nb.timeseries import TSContinuous, TSEvent


def _ts(times, values, **kw):
    return TSContinuous(times, values, **kw)


def test_merge_interleaves_and_removes_duplicates():
    a = _ts([0.0, 2.0], [0.0, 2.0])
    b = _ts([1.0, 2.0, 3.0], [1.0, 99.0, 3.0])
    m = a.merge(b)
    np.testing.assert_array_equal(m.times, [0, 1, 2, 3])
    np.testing.assert_array_equal(m.samples[:, 0], [0, 1, 2, 3])
    assert (m.t_start, m.t_stop) == (0, 3)
    kept = a.merge(b, remove_duplicates=False)
    np.testing.assert_array_equal(kept.samples[:, 0], [0, 1, 2, 99, 3])  # stable order
    assert a.times.size == 2  # not in place


def test_merge_channel_mismatch_and_types():
    a = _ts([0.0], [[1.0, 2.0]])
    with pytest.raises(ValueError, match="same number of traces"):
        a.merge(_ts([1.0], [3.0]))
    with pytest.raises(TypeError):
        a.merge([a, TSEvent([0.1], t_stop=1.0)])
    with pytest.raises(TypeError):
        a.merge(3)


def test_merge_empty_series_adapts():
    a = _ts([0.0, 1.0], [[1.0, 2.0], [3.0, 4.0]])
    assert TSContinuous().merge(a).num_channels == 2
    assert a.merge(TSContinuous()).samples.shape == (2, 2)


def test_merge_in_place():
    a = _ts([0.0], [1.0])
    assert a.merge(_ts([1.0], [2.0]), inplace=True) is a and a.times.size == 2


def test_append_t_default_gap_is_median_spacing():
    a = _ts([0.0, 1.0, 3.0], [0.0, 1.0, 3.0])  # spacings 1, 2 -> median 1.5
    b = _ts([0.0, 1.0], [5.0, 6.0])
    out = a.append_t(b)
    np.testing.assert_array_equal(out.times, [0, 1, 3, 4.5, 5.5])
    assert out.t_stop == 5.5


def test_append_t_offsets():
    a = _ts([0.0, 1.0], [0.0, 1.0], t_stop=2.0)
    b = _ts([10.0, 11.0], [5.0, 6.0])
    np.testing.assert_array_equal(a.append_t(b, offset=0).times, [0, 1, 2, 3])
    out = a.append_t([b, b], offset=[1.0, None])
    np.testing.assert_array_equal(out.times, [0, 1, 3, 4, 5, 6])
    with pytest.warns(UserWarning, match="offsets"):
        a.append_t([b, b], offset=[1.0])


def test_append_c_resamples_other():
    a = _ts([0.0, 1.0, 2.0], [0.0, 1.0, 2.0])
    b = _ts([0.0, 2.0], [0.0, 20.0], interp_kind="linear")
    out = a.append_c(b)
    np.testing.assert_array_equal(out.samples, [[0, 0], [1, 10], [2, 20]])
    assert a.num_channels == 1
    with pytest.raises(TypeError, match="TSContinuous"):
        a.append_c(np.ones(3))
