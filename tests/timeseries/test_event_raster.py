"""``TSEvent.raster``, ``xraster`` and ``from_raster``."""

import numpy as np
import pytest

from rockpool_nb.timeseries import TSEvent


@pytest.fixture
def ev():
    # bins of 0.25 s: events in bins 0, 0, 1, 3 on channels 0, 0, 2, 1
    return TSEvent([0.05, 0.1, 0.3, 0.8], [0, 0, 2, 1], t_start=0.0, t_stop=1.0)


def test_raster_counts(ev):
    r = ev.raster(0.25, add_events=True)
    np.testing.assert_array_equal(r, [[2, 0, 0], [0, 0, 1], [0, 0, 0], [0, 1, 0]])
    assert r.dtype.kind == "i"


def test_raster_presence_warns_on_multi_event_bins(ev):
    with pytest.warns(UserWarning, match="multiple events per time step"):
        r = ev.raster(0.25)
    assert r.dtype == bool and r[0, 0] and r.sum() == 3


def test_raster_time_window(ev):
    r = ev.raster(0.25, t_start=0.25, num_timesteps=2)
    np.testing.assert_array_equal(r, [[False, False, True], [False, False, False]])
    assert ev.raster(0.25, t_start=0.25, t_stop=1.0).shape == (3, 3)
    with pytest.raises(ValueError, match="only one of"):
        ev.raster(0.25, t_stop=1.0, num_timesteps=4)


def test_raster_channels_as_list_follow_given_order(ev):
    r = ev.raster(0.25, channels=[2, 1], add_events=True)
    np.testing.assert_array_equal(r, [[0, 0], [1, 0], [0, 0], [0, 1]])
    np.testing.assert_array_equal(ev.raster(0.25, channels=1, add_events=True)[:, 0], [0, 0, 0, 1])


def test_raster_undefined_channels_warn_and_stay_empty(ev):
    with pytest.warns(UserWarning, match=r"not defined for some of the channels .*\(3, 4, 5\)"):
        r = ev.raster(0.25, channels=np.arange(6), add_events=True)
    assert r.shape == (4, 6) and r[:, 3:].sum() == 0 and r.sum() == 4
    with pytest.raises(ValueError, match="non-negative"):
        ev.raster(0.25, channels=[-1])


def test_xraster_yields_rows(ev):
    rows = list(ev.xraster(0.25, add_events=True))
    np.testing.assert_array_equal(np.stack(rows), ev.raster(0.25, add_events=True))


def test_from_raster_places_events_mid_bin():
    raster = np.array([[0, 2], [1, 0], [0, 0]])
    e = TSEvent.from_raster(raster, dt=0.1, t_start=1.0, name="r")
    np.testing.assert_allclose(e.times, [1.05, 1.05, 1.15])
    np.testing.assert_array_equal(e.channels, [1, 1, 0])
    assert (e.t_start, e.t_stop, e.num_channels, e.name) == (1.0, 1.3, 2, "r")
    s = TSEvent.from_raster(raster, dt=0.1, spikes_at_bin_start=True, num_channels=5)
    np.testing.assert_allclose(s.times, [0.0, 0.0, 0.1])
    assert s.num_channels == 5


def test_from_raster_bool_and_vector():
    e = TSEvent.from_raster(np.array([True, False, True]))
    np.testing.assert_array_equal(e.times, [0.5, 2.5])
    assert e.num_channels == 1 and e.t_stop == 3.0
    assert TSEvent.from_raster(np.zeros((4, 3))).isempty()


def test_round_trip_raster(rng):
    raster = rng.integers(0, 4, (30, 5))
    e = TSEvent.from_raster(raster, dt=0.01)
    np.testing.assert_array_equal(e.raster(0.01, num_timesteps=30, add_events=True), raster)


def test_num_timesteps_is_exact():
    e = TSEvent.from_raster(np.zeros((3, 1)), dt=0.1)
    # ceil((0.1 * 3) / 0.1) == 4 in floating point; the requested count wins
    assert e.raster(0.1, num_timesteps=3).shape == (3, 1)
    assert e.raster(0.1, t_start=0.7, num_timesteps=3).shape == (3, 1)
