import os
import threading
import time

import numpy as np
import pytest

pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")

from distributed import Client, LocalCluster  # noqa: E402

from rockpool_nb.sweep import expand_grid, sweep, sweep_async  # noqa: E402
from tests.sweep import helpers  # noqa: E402

GRID = {"a": [0.5, 0.8, 0.95], "gain": [0.0, 1.0, 2.0]}
X = np.random.default_rng(0).random((2, 20, 3))


def serial(grid, x, measure):
    names, points = expand_grid(grid)
    rows = []
    for p in points:
        out, state, rec = helpers.build(**p)(x)
        rows.append({**p, **measure(out, state, rec)})
    return pd.DataFrame(rows).set_index(names)


def test_expand_grid_orders_and_validates():
    names, points = expand_grid({"a": [1, 2], "b": [3, 4]})
    assert names == ["a", "b"] and points[1] == {"a": 1, "b": 4} and len(points) == 4
    with pytest.raises(ValueError, match=r"grid\['b'\]: expected at least one value"):
        expand_grid({"a": [1], "b": []})
    with pytest.raises(TypeError, match=r"grid\['a'\]: expected a sequence"):
        expand_grid({"a": "abc"})
    with pytest.raises(ValueError, match=r"grid\[1\]: expected parameters \['a'\]"):
        expand_grid([{"a": 1}, {"b": 2}])


def test_default_local_run_equals_serial_loop():
    table = sweep(helpers.build, GRID, X, helpers.mean_output, progress=False)
    expected = serial(GRID, X, helpers.mean_output)
    pd.testing.assert_frame_equal(table[["mean", "last"]], expected[["mean", "last"]])
    assert table["error"].isna().all()
    assert table.index.names == ["a", "gain"]


@pytest.mark.parametrize("chunk_size", [1, 4, 100])
def test_chunking_does_not_change_the_table(chunk_size):
    table = sweep(
        helpers.build,
        GRID,
        [X[0], X[1]],
        helpers.mean_output,
        progress=False,
        chunk_size=chunk_size,
    )
    expected = sweep(helpers.build, GRID, [X[0], X[1]], helpers.mean_output, progress=False)
    pd.testing.assert_frame_equal(table, expected)
    assert len(table) == 18


def test_failed_point_is_reported_and_others_complete():
    with pytest.warns(
        RuntimeWarning, match=r"3 of 9 runs failed; first at \{'a': 0.5, 'gain': 0.0\}"
    ):
        table = sweep(helpers.build, GRID, X, helpers.fragile_measure, progress=False)
    failed = table[table["error"].notna()]
    assert sorted(failed.index.get_level_values("gain")) == [0.0, 0.0, 0.0]
    assert failed["error"].str.contains("ZeroDivisionError: no activity").all()
    ok = table[table["error"].isna()]
    assert len(ok) == 6 and ok["value"].notna().all()
    failures = table.attrs["failures"]
    assert failures[0].params == {"a": 0.5, "gain": 0.0}
    assert "fragile_measure" in failures[0].traceback


def test_list_of_inputs_adds_an_input_level():
    table = sweep(
        helpers.build,
        {"a": [0.5], "gain": [1.0, 2.0]},
        [X[0], X[1]],
        helpers.mean_output,
        progress=False,
    )
    assert table.index.names == ["a", "gain", "input"] and len(table) == 4
    out, _, _ = helpers.build(0.5, 2.0)(X[1])
    assert table.loc[(0.5, 2.0, 1), "mean"] == pytest.approx(np.mean(out))


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match="measure: expected a callable"):
        sweep(helpers.build, GRID, X, 3)
    with pytest.raises(TypeError, match="inputs: expected an array"):
        sweep(helpers.build, GRID, {"x": 1}, helpers.mean_output)
    with pytest.raises(ValueError, match="chunk_size: expected a positive integer or None; got 0"):
        sweep(helpers.build, GRID, X, helpers.mean_output, chunk_size=0)


def test_cancel_stops_remaining_tasks_and_leaves_no_cluster_thread():
    before = {t.name for t in threading.enumerate()}
    run = sweep_async(
        helpers.build,
        {"a": [0.5] * 2, "gain": list(range(20)), "delay": [0.2]},
        X,
        helpers.mean_output,
    )
    time.sleep(0.5)
    run.cancel()
    assert run.done() < len(run)
    time.sleep(0.5)
    # Dask-Offload is distributed's one process-wide serialisation thread (created by scatter
    # and reused by every client), not a thread of the sweep's cluster
    leftover = {t.name for t in threading.enumerate()} - before - {"Dask-Offload_0"}
    assert not any("Dask" in name or "worker" in name.lower() for name in leftover), leftover


@pytest.mark.slow
def test_two_worker_cluster_equals_serial_and_survives_a_killed_worker():
    import cloudpickle

    cloudpickle.register_pickle_by_value(helpers)
    grid = {"a": [0.5, 0.9], "gain": [1.0, 2.0, 3.0, 4.0], "delay": [0.3]}
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        run = sweep_async(helpers.build, grid, X, helpers.mean_output, client=client, retries=3)
        time.sleep(1.0)  # let both workers start tasks
        victim = list(cluster.workers.values())[0]
        pid = client.run(os.getpid)[victim.worker_address]
        os.kill(pid, 9)
        table = run.result(progress=False)
    expected = serial({"a": grid["a"], "gain": grid["gain"]}, X, helpers.mean_output)
    got = table.droplevel("delay")[["mean", "last"]]
    pd.testing.assert_frame_equal(got, expected[["mean", "last"]])
    assert table["error"].isna().all()
