"""Interpolator construction: accepted kinds, agreement with scipy, 0/1-sample cases."""

import numpy as np
import pytest
import scipy.interpolate as spint

from rockpool_nb.timeseries import TSContinuous
from rockpool_nb.timeseries._interp import INTERP_KINDS, check_fill_value, check_interp_kind


@pytest.mark.parametrize("kind", INTERP_KINDS)
def test_every_kind_matches_scipy_inside_range(kind, rng):
    t = np.sort(rng.uniform(0, 1, 12))
    y = rng.standard_normal((12, 2))
    ts = TSContinuous(t, y, interp_kind=kind)
    q = np.linspace(t[0], t[-1], 40)
    want = spint.interp1d(t, y, kind=kind, axis=0, fill_value="extrapolate")(q)
    np.testing.assert_allclose(ts(q), want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("kind", ["previous", "nearest", "next"])
def test_exact_at_sample_times(kind, rng):
    t = np.sort(rng.uniform(0, 1, 9))
    y = rng.standard_normal((9, 3))
    np.testing.assert_array_equal(TSContinuous(t, y, interp_kind=kind)(t), y)


def test_linear_at_sample_times_within_rounding(rng):
    t = np.sort(rng.uniform(0, 1, 9))
    y = rng.standard_normal((9, 3))
    np.testing.assert_allclose(TSContinuous(t, y, interp_kind="linear")(t), y, atol=1e-14)


def test_check_helpers():
    assert check_interp_kind("cubic", "x") == "cubic" and check_interp_kind(3, "x") == 3
    with pytest.raises(ValueError, match="interp_kind: expected one of"):
        check_interp_kind("spline", "x")
    assert check_fill_value(0.0, "x") == 0.0
    with pytest.raises(ValueError, match="fill_value"):
        check_fill_value("constant", "x")


def test_empty_interpolator_returns_none():
    assert TSContinuous().interp(0.5) is None
