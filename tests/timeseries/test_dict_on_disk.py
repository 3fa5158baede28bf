"""``TSDictOnDisk``."""

import numpy as np

from rockpool_nb.timeseries import TSContinuous, TSDictOnDisk, TSEvent


def test_series_go_to_disk_and_come_back_as_copies():
    d = TSDictOnDisk({"a": TSContinuous([0.0, 1.0], [1.0, 2.0], name="a"), "n": 3})
    assert len(d) == 2 and set(d) == {"a", "n"} and d["n"] == 3
    first = d["a"]
    first.samples = first.samples * 0
    np.testing.assert_array_equal(d["a"].samples[:, 0], [1, 2])
    assert "TimeSeries objects:\n['a']" in repr(d) and "Other keys:\n['n']" in repr(d)


def test_overwrite_and_delete():
    d = TSDictOnDisk()
    d["x"] = TSEvent([0.1], t_stop=1.0)
    d["x"] = "plain"
    assert d["x"] == "plain" and len(d) == 1
    d["x"] = TSEvent([0.2], t_stop=1.0)
    assert isinstance(d["x"], TSEvent) and len(d) == 1
    del d["x"]
    assert len(d) == 0


def test_insert_shares_files():
    a = TSDictOnDisk({"s": TSEvent([0.3], t_stop=1.0)})
    b = TSDictOnDisk({"s": 1, "t": 2})
    b.insert(a)
    assert isinstance(b["s"], TSEvent) and b["t"] == 2 and len(b) == 2
    b.insert({"t": 5})
    assert b["t"] == 5


def test_files_removed_when_no_longer_referenced():
    import gc
    import os

    d = TSDictOnDisk({"s": TSEvent([0.3], t_stop=1.0)})
    path = d._mapping_ts["s"].path
    assert os.path.exists(path)
    del d["s"]
    gc.collect()
    assert not os.path.exists(path)
