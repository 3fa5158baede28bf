"""``TSContinuous``: construction, sampling, indexing, clipping, display."""

import warnings

import numpy as np
import pytest

from rockpool_nb.timeseries import TSContinuous


@pytest.fixture
def ramp():
    # samples y = 10 t at t = 0, 1, 2, 3 (two channels: y and -y)
    t = np.arange(4.0)
    return TSContinuous(t, np.stack([10 * t, -10 * t], 1), name="ramp", interp_kind="linear")


# ---------------------------------------------------------------------- construction
def test_defaults():
    ts = TSContinuous([0.0, 1.0], [1.0, 2.0])
    assert ts.interp_kind == "previous" and ts.fill_value == "extrapolate"
    assert ts.units is None and ts.beyond_range_exception and ts.approx_limit_times
    assert ts.samples.shape == (2, 1) and ts.num_channels == ts.num_traces == 1


def test_sample_shapes():
    assert TSContinuous([0, 1, 2], [1, 2, 3]).samples.shape == (3, 1)
    assert TSContinuous([0, 1, 2], [[1, 2, 3]]).samples.shape == (3, 1)
    assert TSContinuous([0.5], [1.0, 2.0]).samples.shape == (1, 2)
    assert TSContinuous(num_channels=3).samples.shape == (0, 3)
    assert TSContinuous().num_channels == 0
    assert TSContinuous([0, 1], [1, 2]).samples.dtype == float


def test_sample_shape_errors():
    with pytest.raises(ValueError, match="cannot reshape"):
        TSContinuous([0, 1, 2], [1, 2])
    with pytest.raises(ValueError, match="same number of samples"):
        TSContinuous([0, 1, 2], np.zeros((2, 2)))


def test_nan_samples_accepted_and_propagate():
    ts = TSContinuous([0, 1, 2, 3], [0.0, np.nan, 2.0, 3.0], interp_kind="linear")
    assert np.isnan(ts([0.5, 1.5])).all() and ts(2.5)[0, 0] == 2.5
    assert ts.max == 3.0 and ts.min == 0.0


@pytest.mark.parametrize("kind", ["cubicx", "Linear", "", True, -1])
def test_unknown_interp_kind_rejected_at_construction(kind):
    with pytest.raises(ValueError, match="interp_kind"):
        TSContinuous([0, 1], [0, 1], interp_kind=kind)


def test_int_interp_kind_is_a_spline_order():
    ts = TSContinuous(np.arange(5.0), np.arange(5.0) ** 2, interp_kind=2)
    np.testing.assert_allclose(ts(1.5), [[2.25]])


def test_fill_value_validation():
    with pytest.raises(ValueError, match="fill_value"):
        TSContinuous([0, 1], [0, 1], fill_value="nan")
    ts = TSContinuous([0, 1], [0, 1], fill_value=5.0)
    assert ts.fill_value == 5.0
    ts.fill_value = "extrapolate"
    assert ts.fill_value == "extrapolate"


def test_from_clocked():
    ts = TSContinuous.from_clocked(np.arange(6.0).reshape(3, 2), dt=0.5, t_start=1.0, name="c")
    np.testing.assert_array_equal(ts.times, [1.0, 1.5, 2.0])
    assert ts.t_stop == 2.5 and ts.name == "c" and ts.interp_kind == "previous"
    assert TSContinuous.from_clocked([1.0, 2.0], dt=1.0).samples.shape == (2, 1)
    for empty in (None, [], np.zeros((0, 3))):
        with pytest.raises(TypeError, match="must not be empty"):
            TSContinuous.from_clocked(empty, dt=1.0)


def test_samples_setter(ramp):
    ramp.samples = np.ones((4, 3))
    assert ramp.num_channels == 3 and ramp(1.5).shape == (1, 3)
    with pytest.raises(ValueError, match="same number of samples"):
        ramp.samples = np.ones((5, 3))
    assert ramp.samples.shape == (4, 3)


def test_times_setter_rebuilds_interpolator(ramp):
    ramp.times = ramp.times * 2
    np.testing.assert_allclose(ramp(1.0), [[5.0, -5.0]])


def test_boolean_flags_must_be_convertible(ramp):
    with pytest.raises(TypeError, match="beyond_range_exception"):
        ramp.beyond_range_exception = np.array([True, False])
    with pytest.raises(TypeError, match="approx_limit_times"):
        ramp.approx_limit_times = np.array([1, 0])


# ---------------------------------------------------------------------- sampling
def test_call_linear_and_previous(ramp):
    np.testing.assert_allclose(ramp([0.5, 2.25]), [[5, -5], [22.5, -22.5]])
    prev = TSContinuous([0, 1, 2], [0.0, 1.0, 2.0], t_stop=3.0)
    np.testing.assert_array_equal(prev([0.5, 1.0, 2.9, 3.0])[:, 0], [0, 1, 2, 2])
    assert ramp(1.0).shape == (1, 2)


def test_call_beyond_range_raises_or_warns(ramp):
    with pytest.raises(ValueError, match="beyond the first and last"):
        ramp(3.5)
    ramp.beyond_range_exception = False
    with pytest.warns(UserWarning, match="Will return `NaN`"):
        assert np.isnan(ramp([-1.0, 3.5])).all()


def test_linear_range_ends_at_last_sample_even_with_later_t_stop():
    ts = TSContinuous([0, 1], [0.0, 1.0], t_stop=2.0, interp_kind="linear")
    with pytest.raises(ValueError):
        ts(1.5)
    prev = TSContinuous([0, 1], [0.0, 1.0], t_stop=2.0)
    assert prev(1.5)[0, 0] == 1.0


def test_call_snaps_near_limits_with_warning(ramp):
    with pytest.warns(UserWarning, match="approximated"):
        np.testing.assert_allclose(ramp([3.0 + 1e-12, -1e-12]), [[30, -30], [0, 0]])
    ramp.approx_limit_times = False
    with pytest.raises(ValueError):
        ramp(3.0 + 1e-12)


def test_call_outside_support_is_nan_when_range_is_wider():
    ts = TSContinuous([0, 1, 2], [0.0, 1.0, 2.0], t_start=0.0, fill_value=7.0)
    ts.beyond_range_exception = False
    with pytest.warns(UserWarning):
        assert np.isnan(ts(-0.5)).all()


def test_periodic_call_wraps():
    ts = TSContinuous([0, 1, 2, 3], [0.0, 1.0, 2.0, 3.0], periodic=True, t_stop=4.0)
    np.testing.assert_array_equal(ts([4.0, 5.5, 9.0, -1.0])[:, 0], [0, 1, 1, 3])


def test_single_sample_series():
    ts = TSContinuous([1.0], [[2.0, 3.0]], t_start=0.0, t_stop=2.0)
    np.testing.assert_array_equal(ts([1.0, 1.5, 2.0]), [[2, 3]] * 3)
    pinned = TSContinuous([1.0], [2.0], fill_value=0.0)
    np.testing.assert_array_equal(pinned([1.0])[:, 0], [2.0])


def test_empty_series_call():
    assert TSContinuous()([0.0, 1.0]).shape == (2, 0)


# ---------------------------------------------------------------------- display
def test_repr_forms():
    assert repr(TSContinuous([0, 1], [[1, 2], [3, 4]], name="a")) == (
        "non-periodic TSContinuous object `a` from t=0.0 to 1.0. Samples: 2. Channels: 2"
    )
    assert repr(TSContinuous([0, 1], [1, 2], periodic=True)).startswith("periodic TSContinuous")
    assert repr(TSContinuous()) == (
        "Empty TSContinuous object `unnamed` from t=0 to 0. Samples: 0. Channels: 0"
    )


def test_print_short_and_shortened(capsys):
    TSContinuous([0, 1], [1.0, 2.0], name="s").print()
    assert capsys.readouterr().out == (
        "non-periodic TSContinuous object `s` from t=0.0 to 1.0. Samples: 2. Channels: 1\n"
        "0.0: \t [1.]\n1.0: \t [2.]\n"
    )
    ts = TSContinuous(np.arange(12.0), np.arange(12.0))
    ts.print(num_first=1, num_last=2)
    lines = capsys.readouterr().out.splitlines()
    assert lines[1:] == ["0.0: \t [0.]", "\t...", "10.0: \t [10.]", "11.0: \t [11.]"]
    ts.print(full=True)
    assert len(capsys.readouterr().out.splitlines()) == 13


def test_print_periodic_aligns_times_and_samples(capsys):
    ts = TSContinuous(np.arange(12.0), np.arange(12.0), periodic=True)
    ts.print()
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2:] == ["11.0: \t [11.]", "\t (...periodic...)"]


def test_iter_yields_time_sample_pairs(ramp):
    pairs = list(ramp)
    assert len(pairs) == 4 and pairs[2][0] == 2.0
    np.testing.assert_array_equal(pairs[2][1], [20, -20])


def test_to_dict_layout(ramp):
    d = ramp.to_dict()
    assert set(d) == {
        "times",
        "samples",
        "t_start",
        "t_stop",
        "periodic",
        "interp_kind_linear",
        "name_ramp",
        "type_TSContinuous",
    }
    assert all(isinstance(v, np.ndarray) and v.dtype != object for v in d.values())
    d32 = ramp.to_dict(dtype_times="float32", dtype_samples="float16")
    assert d32["times"].dtype == np.float32 and d32["samples"].dtype == np.float16


def test_no_warning_for_in_range_sampling(ramp):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ramp(np.linspace(0, 3, 31))


def test_units_and_num_traces_carry_through_operations():
    ts = TSContinuous([0.0, 1.0, 2.0], [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], units="mV")
    assert ts.units == "mV" and ts.num_traces == ts.num_channels == 2
    derived = [
        ts.copy(),
        ts.clip(0.5, 1.5),
        ts + 1,
        ts.delay(1),
        ts.resample([0.5, 1.0]),
        ts.append_t(ts),
        ts.merge(ts.delay(0.5)),
        ts[0:1.5],
        ts[:, 1],
    ]
    assert [d.units for d in derived] == ["mV"] * len(derived)
    assert ts.append_c(ts).num_traces == 4 and ts[:, 1].num_traces == 1
    assert TSContinuous.from_clocked(np.ones(3), dt=0.1).units is None
