"""Arithmetic on ``TSContinuous``: operands, broadcasting and NaN rules."""

import numpy as np
import pytest

from rockpool_nb.timeseries import TSContinuous


@pytest.fixture
def a():
    return TSContinuous([0.0, 1.0, 2.0], [[1.0, np.nan], [2.0, 4.0], [np.nan, 8.0]], name="a")


@pytest.fixture
def b():
    return TSContinuous([0.0, 1.0, 2.0], [[np.nan, 1.0], [2.0, np.nan], [np.nan, 2.0]], name="b")


def test_add_treats_single_nan_as_zero(a, b):
    np.testing.assert_array_equal((a + b).samples, [[1, 1], [4, 4], [np.nan, 10]])
    np.testing.assert_array_equal((a - b).samples, [[1, -1], [0, 4], [np.nan, 6]])


def test_multiplicative_ops_propagate_nan(a, b):
    np.testing.assert_array_equal((a * b).samples, [[np.nan, np.nan], [4, np.nan], [np.nan, 16]])
    np.testing.assert_array_equal((a / b).samples, [[np.nan, np.nan], [1, np.nan], [np.nan, 4]])
    np.testing.assert_array_equal((a // 3).samples, [[0, np.nan], [0, 1], [np.nan, 2]])
    np.testing.assert_array_equal((a**2).samples, [[1, np.nan], [4, 16], [np.nan, 64]])


def test_scalar_and_reflected_forms(a):
    np.testing.assert_array_equal((1 + a).samples, (a + 1).samples)
    # reflected subtraction is -(a - 10): a lone NaN counts as 0 before the negation
    np.testing.assert_array_equal((10 - a).samples, [[9, 10], [8, 6], [10, 2]])
    np.testing.assert_array_equal((2 * a).samples, (a * 2).samples)
    np.testing.assert_array_equal((8 / a).samples, [[8, np.nan], [4, 2], [np.nan, 1]])
    np.testing.assert_array_equal((2**a).samples, [[2, np.nan], [4, 16], [np.nan, 256]])
    np.testing.assert_array_equal((9 // a).samples, [[9, np.nan], [4, 2], [np.nan, 1]])


def test_array_operand_broadcasts(a):
    np.testing.assert_array_equal((a + [10, 20]).samples[1], [12, 24])
    with pytest.raises(ValueError, match="could not be broadcast"):
        a + np.ones(3)


def test_multiplication_may_broadcast_channels():
    ts = TSContinuous([0.0, 1.0], [1.0, 2.0])
    assert (ts * np.array([1.0, 10.0, 100.0])).samples.shape == (2, 3)


def test_series_operand_is_resampled_on_own_times():
    coarse = TSContinuous([0.0, 2.0], [0.0, 2.0], interp_kind="linear")
    fine = TSContinuous([0.0, 1.0, 2.0], [1.0, 1.0, 1.0])
    np.testing.assert_array_equal((fine + coarse).samples[:, 0], [1, 2, 3])
    np.testing.assert_array_equal((fine / coarse).samples[1:, 0], [1, 0.5])


def test_in_place_forms_modify_self():
    a = TSContinuous([0.0, 1.0, 2.0], [[1.0, 3.0], [2.0, 4.0], [5.0, 8.0]])
    original = a
    a += 1
    a *= 2
    a -= 1
    a /= 2
    a **= 1
    a //= 1
    assert a is original
    np.testing.assert_array_equal(a.samples, [[1, 3], [2, 4], [5, 8]])


def test_failed_operation_leaves_series_unchanged(a):
    before = a.samples.copy()
    with pytest.raises(ValueError):
        a += np.ones(5)
    np.testing.assert_array_equal(a.samples, before)


def test_matmul_mixes_channels(a):
    m = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
    out = TSContinuous([0.0], [[1.0, 2.0]]) @ m
    np.testing.assert_array_equal(out.samples, [[1, 2, 3]])
    with pytest.raises(NotImplementedError, match="series @ matrix"):
        a.__rmatmul__(m.T)


def test_unary(a):
    np.testing.assert_array_equal((-a).samples[1], [-2, -4])
    np.testing.assert_array_equal(abs(-a).samples[1], [2, 4])
    assert (-a) is not a
