"""``TSEvent``: construction, selection, clipping, display."""

import numpy as np
import pytest

from rockpool_nb.timeseries import TSEvent


@pytest.fixture
def ev():
    return TSEvent([0.1, 0.2, 0.3, 0.5], [0, 2, 1, 2], t_start=0.0, t_stop=1.0, name="ev")


def test_construction_defaults():
    e = TSEvent([0.2, 0.4], t_stop=1.0)
    np.testing.assert_array_equal(e.channels, [0, 0])
    assert e.num_channels == 1 and e.t_start == 0.2 and e.name == "unnamed"
    assert e.channels.dtype.kind == "i"
    assert TSEvent([0.2], 3, t_stop=1.0).num_channels == 4
    assert TSEvent([0.2], np.int64(2), t_stop=1.0).num_channels == 3
    np.testing.assert_array_equal(TSEvent([0.1, 0.2], [1.7, 0.2], t_stop=1).channels, [1, 0])


def test_missing_t_stop_is_just_after_last_event():
    e = TSEvent([0.1, 0.7], [0, 1])
    assert e.t_stop > 0.7 and e.t_stop - 0.7 < 1e-14
    assert e(0.0, None)[0].size == 2  # last event inside [t_start, t_stop)
    big = TSEvent([1e9])
    assert big.t_stop > 1e9


def test_construction_errors():
    with pytest.raises(ValueError, match="strictly greater"):
        TSEvent([0.1, 0.5], t_stop=0.5)
    with pytest.raises(ValueError, match="channels"):
        TSEvent([0.1, 0.5], [1, 2, 3], t_stop=1.0)
    with pytest.raises(ValueError, match="num_channels"):
        TSEvent([0.1], [3], t_stop=1.0, num_channels=2)
    with pytest.raises(ValueError, match="not decreasing"):
        TSEvent([0.5, 0.1], t_stop=1.0)


def test_negative_channels_accepted():
    assert TSEvent([0.1, 0.2], [-1, 1], t_stop=1.0).num_channels == 2


def test_empty_event_series():
    e = TSEvent()
    assert e.isempty() and e.num_channels == 0
    assert repr(e) == "Empty `TSEvent` object `unnamed` from t=0 to t=0."
    assert TSEvent(t_stop=2.0).t_stop == 2.0


def test_channels_setter(ev):
    ev.channels = [0, 1, 7, 1]
    assert ev.num_channels == 8
    ev.channels = 3
    np.testing.assert_array_equal(ev.channels, [3, 3, 3, 3])
    with pytest.raises(ValueError, match="channels"):
        ev.channels = [1, 2]


def test_num_channels_setter(ev):
    ev.num_channels = 10
    assert ev.num_channels == 10
    with pytest.raises(ValueError, match="num_channels"):
        ev.num_channels = 2
    assert ev.num_channels == 10


def test_times_setter_keeps_t_stop_after_last(ev):
    ev.times = [0.1, 0.2, 0.3, 2.0]
    assert ev.t_stop > 2.0


def test_call_selects_time_window_and_channels(ev):
    t, c = ev(0.2, 0.5)
    np.testing.assert_array_equal(t, [0.2, 0.3])
    np.testing.assert_array_equal(c, [2, 1])
    t, c = ev(channels=[2])
    np.testing.assert_array_equal(t, [0.2, 0.5])
    t, _ = ev(0.5, 0.2)  # swapped limits
    np.testing.assert_array_equal(t, [0.2, 0.3])
    with pytest.raises(IndexError, match="channels"):
        ev(channels=[5])


def test_periodic_call_tiles_events():
    e = TSEvent([0.1, 0.6], [0, 1], t_start=0.0, t_stop=1.0, periodic=True)
    t, c = e(0.0, 2.5)
    np.testing.assert_allclose(t, [0.1, 0.6, 1.1, 1.6, 2.1])
    np.testing.assert_array_equal(c, [0, 1, 0, 1, 0])


def test_clip_and_remap(ev):
    c = ev.clip(0.15, 0.45)
    np.testing.assert_array_equal(c.times, [0.2, 0.3])
    assert (c.t_start, c.t_stop, c.num_channels) == (0.15, 0.45, 3)
    r = ev.clip(channels=[1, 2], remap_channels=True)
    np.testing.assert_array_equal(r.channels, [1, 0, 1])
    assert r.num_channels == 2 and r.t_stop == 1.0
    assert ev.clip(0.2, 0.3, inplace=True) is ev and len(ev) == 1


def test_remap_channels(ev):
    r = ev.remap_channels([2, 1, 0])
    np.testing.assert_array_equal(r.channels, [2, 0, 1, 0])
    with pytest.raises(ValueError, match="channel_map"):
        ev.remap_channels([0, 1])


def test_getitem_keeps_limits(ev):
    s = ev[1:3]
    np.testing.assert_array_equal(s.times, [0.2, 0.3])
    assert (s.t_start, s.t_stop, s.num_channels) == (0.0, 1.0, 3)
    assert ev[0].times.shape == (1,)
    np.testing.assert_array_equal(ev[[3, 0]].channels, [2, 0])


def test_repr_and_print(ev, capsys):
    assert repr(ev) == (
        "non-periodic `TSEvent` object `ev` from t=0.0 to 1.0. Channels: 3. Events: 4"
    )
    ev.print()
    assert capsys.readouterr().out.splitlines()[1:3] == ["Time \t Ch.-ID", "0.1: \t 0"]
    long = TSEvent(np.arange(20.0), t_stop=21.0)
    long.print()
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 + 4 + 1 + 4 and lines[6] == "\t..."


def test_iter(ev):
    assert [(float(t), int(c)) for t, c in ev][:2] == [(0.1, 0), (0.2, 2)]


def test_to_dict_layout(ev):
    d = ev.to_dict()
    assert set(d) == {
        "times",
        "channels",
        "t_start",
        "t_stop",
        "periodic",
        "num_channels",
        "name_ev",
        "type_TSEvent",
    }
    small = ev.to_dict(dtype_times="float32", dtype_channels="uint8")
    assert small["channels"].dtype == np.uint8 and small["t_stop"] > small["times"].max()
    big = TSEvent([0.1], [300], t_stop=1.0)
    with pytest.raises(ValueError, match="dtype_channels"):
        big.to_dict(dtype_channels="uint8")
