"""``TimeSeries`` base class: time base, limits, shifting, copying, backend choice."""

import numpy as np
import pytest

from rockpool_nb.timeseries import TimeSeries, TSContinuous, TSEvent


def test_defaults_follow_the_times():
    ts = TimeSeries([0.5, 1.0, 2.0])
    assert ts.t_start == 0.5 and ts.t_stop == 2.0 and ts.duration == 1.5
    assert ts.name == "unnamed" and ts.periodic is False
    assert len(ts) == 3 and not ts.isempty()
    assert ts.times.dtype == float


def test_empty_series_starts_at_integer_zero():
    ts = TimeSeries()
    assert ts.isempty() and len(ts) == 0
    assert ts.t_start == 0 and ts.t_stop == 0
    assert TimeSeries(t_start=3.0).t_stop == 3.0


def test_times_are_flattened():
    np.testing.assert_array_equal(TimeSeries([[0, 1], [2, 3]]).times, [0, 1, 2, 3])


def test_decreasing_times_rejected():
    with pytest.raises(ValueError, match="sorted and not decreasing"):
        TimeSeries([0.0, 2.0, 1.0])


def test_nan_times_rejected_with_clear_message():
    with pytest.raises(ValueError, match="NaN at indices \\[1\\]"):
        TimeSeries([0.0, np.nan, 1.0])
    with pytest.raises(ValueError, match="NaN"):
        TSContinuous([0.0, np.nan], [1.0, 2.0])
    with pytest.raises(ValueError, match="NaN"):
        TSEvent([0.0, np.nan], t_stop=3.0)


def test_t_start_after_first_sample_rejected():
    with pytest.raises(ValueError, match="t_start: expected a value <= 1.0"):
        TimeSeries([1.0, 2.0], t_start=1.5)
    with pytest.raises(ValueError, match="t_start"):
        TSContinuous([1.0, 2.0], [0.0, 1.0], t_start=1.5)


def test_t_start_within_tolerance_snaps():
    assert TimeSeries([1.0, 2.0], t_start=1.0 + 1e-12).t_start == 1.0
    assert TimeSeries([1.0, 2.0], t_start=0.2).t_start == 0.2


def test_t_stop_rules():
    with pytest.raises(ValueError, match="t_stop must be greater or equal to 2.0"):
        TimeSeries([1.0, 2.0], t_stop=1.5)
    assert TimeSeries([1.0, 2.0], t_stop=2.0 - 1e-12).t_stop == 2.0
    assert TimeSeries([1.0, 2.0], t_stop=5.0).t_stop == 5.0


def test_limit_setters_check_and_leave_object_unchanged():
    ts = TimeSeries([1.0, 2.0])
    with pytest.raises(ValueError):
        ts.t_start = 1.5
    with pytest.raises(ValueError):
        ts.t_stop = 1.5
    assert (ts.t_start, ts.t_stop) == (1.0, 2.0)
    ts.t_start, ts.t_stop = 0.0, 3.0
    assert ts.duration == 3.0


def test_times_setter_checks_length_order_and_widens_limits():
    ts = TimeSeries([1.0, 2.0])
    with pytest.raises(ValueError, match="expected 2 elements"):
        ts.times = [1.0, 2.0, 3.0]
    with pytest.raises(ValueError, match="not decreasing"):
        ts.times = [2.0, 1.0]
    ts.times = [0.5, 4.0]
    assert (ts.t_start, ts.t_stop) == (0.5, 4.0)
    ts.times = [1.0, 2.0]
    assert (ts.t_start, ts.t_stop) == (0.5, 4.0)  # only widens


def test_name_none_becomes_unnamed():
    ts = TimeSeries([0.0], name="a")
    ts.name = None
    assert ts.name == "unnamed"


def test_delay_and_start_at():
    ts = TimeSeries([1.0, 2.0], t_stop=3.0)
    moved = ts.delay(2.0)
    np.testing.assert_array_equal(moved.times, [3.0, 4.0])
    assert (moved.t_start, moved.t_stop) == (3.0, 5.0)
    np.testing.assert_array_equal(ts.times, [1.0, 2.0])  # not in place
    zero = ts.start_at_zero()
    assert zero.t_start == 0.0 and zero.t_stop == 2.0
    at = ts.start_at(10.0)
    np.testing.assert_array_equal(at.times, [10.0, 11.0])
    assert ts.delay(-1.0, inplace=True) is ts and ts.t_start == 0.0


def test_delay_of_empty_series_moves_limits():
    ts = TimeSeries(t_start=1.0, t_stop=2.0).delay(1.0)
    assert (ts.t_start, ts.t_stop) == (2.0, 3.0)


def test_copy_is_deep():
    ts = TSContinuous([0.0, 1.0], [1.0, 2.0])
    c = ts.copy()
    c.samples[0, 0] = 99.0
    assert ts.samples[0, 0] == 1.0


def test_contains_and_periodic():
    ts = TimeSeries([0.0, 1.0])
    assert ts.contains([0.0, 0.5, 1.0]) and not ts.contains(1.5)
    assert TimeSeries([0.0, 1.0], periodic=True).contains(100.0)


def test_print_shows_repr(capsys):
    ts = TSContinuous([0.0, 1.0], [1.0, 2.0], name="p")
    TimeSeries.print(ts)
    assert capsys.readouterr().out == repr(ts) + "\n"


@pytest.mark.parametrize("name", ["holoviews", "holo", "hv", "HoloViews"])
def test_set_plotting_backend_holoviews_aliases(name, capsys):
    ts = TimeSeries([0.0], name="b")
    ts.set_plotting_backend(name)
    assert ts.plotting_backend == "holoviews"
    assert (
        capsys.readouterr().out == "TimeSeries `b`: Plotting backend has been set to holoviews.\n"
    )


@pytest.mark.parametrize("name", ["matplotlib", "mpl", "plt", "pyplot", "mp"])
def test_set_plotting_backend_matplotlib_aliases(name):
    ts = TimeSeries([0.0])
    ts.set_plotting_backend(name, verbose=False)
    assert ts.plotting_backend == "matplotlib"


def test_set_plotting_backend_none_follows_global(capsys):
    from rockpool_nb.timeseries import get_global_ts_plotting_backend

    ts = TimeSeries([0.0], plotting_backend="hv")
    ts.set_plotting_backend(None)
    assert ts.plotting_backend == get_global_ts_plotting_backend()
    assert "Using global plotting backend." in capsys.readouterr().out


def test_unknown_plotting_backend_rejected():
    with pytest.raises(ValueError, match="backend"):
        TimeSeries([0.0]).set_plotting_backend("bokehx")


def test_concatenate_t_uses_class_of_first_series():
    a = TSContinuous([0.0, 1.0], [1.0, 2.0], t_stop=1.0)
    b = TSContinuous([0.0, 1.0], [3.0, 4.0])
    cat = TSContinuous.concatenate_t([a, b], offset=[0.0, 0.5])
    np.testing.assert_array_equal(cat.times, [0.0, 1.0, 1.5, 2.5])
    # a scalar offset also separates the first series from the (empty) start
    np.testing.assert_array_equal(
        TSContinuous.concatenate_t([a, b], offset=0.5).times[:2], [0.5, 1.5]
    )
    np.testing.assert_array_equal(cat.samples[:, 0], [1, 2, 3, 4])
    assert TSContinuous.concatenate_t([]).isempty()
    assert TSContinuous.concatenate_t(a).times.size == 2
    with pytest.raises(TypeError, match="series"):
        TSContinuous.concatenate_t(3)


def test_load_expected_type_only_on_base_class(tmp_path):
    ts = TSEvent([0.1], t_stop=1.0)
    ts.save(tmp_path / "e.npz")
    with pytest.raises(TypeError, match="expected_type"):
        TSEvent.load(tmp_path / "e.npz", expected_type="TSEvent")
    with pytest.raises(TypeError, match="does not match"):
        TSContinuous.load(tmp_path / "e.npz")
    assert isinstance(TimeSeries.load(tmp_path / "e.npz"), TSEvent)
