"""``TSEvent.merge``, ``append_t``, ``append_c``."""

import numpy as np
import pytest

from rockpool_nb.timeseries import TSContinuous, TSEvent


@pytest.fixture
def a():
    return TSEvent([0.1, 0.5], [0, 1], t_start=0.0, t_stop=1.0, name="a")


@pytest.fixture
def b():
    return TSEvent([0.2, 0.3], [2, 0], t_start=0.0, t_stop=0.5, num_channels=4, name="b")


def test_append_c_offsets_channels(a, b):
    out = a.append_c(b)
    np.testing.assert_array_equal(out.times, [0.1, 0.2, 0.3, 0.5])
    np.testing.assert_array_equal(out.channels, [0, 4, 2, 1])
    assert out.num_channels == 6 and (out.t_start, out.t_stop) == (0.0, 1.0)
    assert a.num_channels == 2
    three = a.append_c([b, a])
    assert three.num_channels == 8 and len(three) == 6


def test_append_t_places_after_t_stop(a, b):
    out = a.append_t(b)
    np.testing.assert_allclose(out.times, [0.1, 0.5, 1.2, 1.3])
    assert out.t_stop == 1.5 and out.num_channels == 4
    gap = a.append_t([b, b], offset=[0.5, None])
    np.testing.assert_allclose(gap.times, [0.1, 0.5, 1.7, 1.8, 2.2, 2.3])
    assert gap.t_stop == pytest.approx(2.5)


def test_append_t_remove_duplicates():
    e = TSEvent([0.0], [0], t_stop=1.0)
    same = TSEvent([0.0], [0], t_stop=1.0)
    assert len(e.append_t(same, offset=-1.0, remove_duplicates=True)) == 1


def test_merge_overlays_with_delay(a, b):
    out = a.merge(b, delay=0.05)
    np.testing.assert_allclose(out.times, [0.1, 0.25, 0.35, 0.5])
    np.testing.assert_array_equal(out.channels, [0, 2, 0, 1])
    assert out.num_channels == 4
    assert len(a.merge(a, remove_duplicates=True)) == 2
    assert a.merge([b], inplace=True) is a and len(a) == 4


def test_merge_offsets_mismatch_warns(a, b):
    with pytest.warns(UserWarning, match="offsets"):
        a.merge([b, b], delay=[0.1])


def test_type_errors(a):
    with pytest.raises(TypeError, match="TSEvent"):
        a.merge(TSContinuous([0.0], [1.0]))
    with pytest.raises(TypeError, match="TSEvent"):
        a.append_c(5)
