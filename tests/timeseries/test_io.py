"""Saving and loading time series (``.npz`` without pickle)."""

import io

import numpy as np
import pytest

from rockpool_nb.timeseries import TimeSeries, TSContinuous, TSEvent, load_ts_from_file


def test_continuous_round_trip(tmp_path, rng):
    ts = TSContinuous(
        np.sort(rng.uniform(0, 1, 7)),
        rng.standard_normal((7, 2)),
        t_start=-0.5,
        t_stop=2.0,
        periodic=True,
        name="my series",
        interp_kind="nearest",
    )
    ts.save(tmp_path / "c")
    back = TSContinuous.load(tmp_path / "c.npz")
    np.testing.assert_array_equal(back.times, ts.times)
    np.testing.assert_array_equal(back.samples, ts.samples)
    assert (back.t_start, back.t_stop, back.periodic) == (-0.5, 2.0, True)
    assert back.name == "my series" and back.interp_kind == "nearest"
    assert repr(back) == repr(ts)


def test_event_round_trip_through_file_object():
    ev = TSEvent([0.1, 0.4], [3, 1], t_start=0.0, t_stop=1.0, num_channels=6, name="spikes")
    buf = io.BytesIO()
    ev.save(buf)
    back = load_ts_from_file(buf, "TSEvent")
    np.testing.assert_array_equal(back.channels, [3, 1])
    assert back.num_channels == 6 and back.name == "spikes" and back.t_stop == 1.0


def test_files_contain_no_objects(tmp_path):
    TSContinuous([0.0, 1.0], [1.0, 2.0], name="n").save(tmp_path / "x.npz")
    with np.load(tmp_path / "x.npz", allow_pickle=False) as data:
        assert all(data[k].dtype != object for k in data.files)
        assert "name_n" in data.files and "type_TSContinuous" in data.files


def test_type_checks(tmp_path):
    TSContinuous([0.0], [1.0]).save(tmp_path / "c.npz")
    with pytest.raises(TypeError, match="does not match expected type `TSEvent`"):
        load_ts_from_file(tmp_path / "c.npz", expected_type="TSEvent")
    np.savez(tmp_path / "odd.npz", times=np.zeros(1), type_Foo=np.array([]))
    with pytest.raises(TypeError, match="`Foo` not supported"):
        TimeSeries.load(tmp_path / "odd.npz")


def test_untyped_files(tmp_path):
    fields = dict(
        times=np.array([0.0, 1.0]),
        samples=np.array([[1.0], [2.0]]),
        t_start=np.array(0.0),
        t_stop=np.array(1.0),
        periodic=np.array(False),
    )
    np.savez(tmp_path / "u.npz", **fields)
    with pytest.raises(KeyError, match="Cannot determine type"):
        load_ts_from_file(tmp_path / "u.npz")
    with pytest.warns(UserWarning, match="Will assume expected type"):
        ts = load_ts_from_file(tmp_path / "u.npz", "TSContinuous")
    assert ts.interp_kind == "linear" and ts.name == "unnamed"  # legacy default


def test_legacy_string_keys(tmp_path):
    np.savez(
        tmp_path / "old.npz",
        times=np.array([0.1]),
        channels=np.array([0]),
        t_start=np.array(0.0),
        t_stop=np.array(1.0),
        periodic=np.array(False),
        num_channels=np.array(1),
        strType=np.array("TSEvent"),
        name=np.array("legacy"),
        trial_start_times=np.array([0.0, 0.5]),
    )
    ev = load_ts_from_file(tmp_path / "old.npz")
    assert isinstance(ev, TSEvent) and ev.name == "legacy"
    np.testing.assert_array_equal(ev.trial_start_times, [0.0, 0.5])


def test_verbose_save_reports_path(tmp_path, capsys):
    TSEvent([0.1], t_stop=1.0, name="v").save(str(tmp_path / "v"), verbose=True)
    assert capsys.readouterr().out.strip().endswith(f"`{tmp_path / 'v.npz'}`.")


def test_series_pickle(rng):
    import pickle

    ts = TSContinuous([0.0, 1.0, 2.0], rng.standard_normal((3, 2)), interp_kind="linear")
    one = TSContinuous([1.0], [5.0], t_start=0.0, t_stop=2.0)
    ev = TSEvent([0.1, 0.3], [2, 0], t_stop=1.0)
    back = pickle.loads(pickle.dumps(ts))
    np.testing.assert_array_equal(back([0.5, 1.5]), ts([0.5, 1.5]))
    assert pickle.loads(pickle.dumps(one))(1.5)[0, 0] == 5.0
    assert repr(pickle.loads(pickle.dumps(ev))) == repr(ev)
