import threading
import time

import numpy as np
import pytest

pytest.importorskip("anywidget")

from rockpool_nb.nn.combinators import Sequential  # noqa: E402
from rockpool_nb.nn.modules import LIF, Linear  # noqa: E402
from rockpool_nb.timeseries import TSContinuous, TSEvent  # noqa: E402
from rockpool_nb.widgets.live import (  # noqa: E402
    LiveRunner,
    LiveView,
    PoissonSource,
    SineSource,
    TimeSeriesSource,
)
from rockpool_nb.widgets.live.runner import decode_chunk  # noqa: E402


def net():
    rng = np.random.default_rng(0)
    return Sequential(
        Linear((10, 32), weight=rng.normal(0.002, 0.001, (10, 32))),
        LIF(32, max_spikes_per_dt=1),
        Linear((32, 2)),
    )


def live_threads():
    return [t for t in threading.enumerate() if t.name == "rockpool_nb-live"]


def test_chunks_messages_and_recording():
    sent = []
    r = LiveRunner(
        net(),
        PoissonSource(10, rate=50, seed=1),
        chunk=40,
        on_chunk=lambda h, b: sent.append((h, b)),
    )
    for _ in range(3):
        r.step()
    assert r.t == 120 and len(sent) == 3
    header, buffers = sent[1]
    traces, spikes, outputs = decode_chunk(header, buffers)
    assert (
        header["t0"] == 40
        and traces.shape == (40, 4)
        and spikes.shape == (40, 32)
        and outputs.shape == (40, 2)
    )
    rec = r.recording()
    assert isinstance(rec["vmem"], TSContinuous) and rec["vmem"].samples.shape == (120, 4)
    assert isinstance(rec["spikes"], TSEvent) and rec["spikes"].num_channels == 32
    np.testing.assert_allclose(rec["vmem"].samples[40:80], traces, rtol=1e-6)


def test_parameter_changes_apply_from_the_next_chunk():
    r = LiveRunner(net(), PoissonSource(10, rate=50, seed=2), chunk=200)
    r.step()
    quiet = r.recording()["spikes"].times.size
    assert (
        "1_LIF.bias" in r.controls and "input.rate" in r.controls and "0_Linear.gain" in r.controls
    )
    r.set("1_LIF.bias", 0.3)
    assert np.all(r.net[1].bias == 0.3)  # not running: applied at once
    r.step()
    loud = r.recording()["spikes"].times.size - quiet
    assert loud > 2 * max(quiet, 1)
    r.set("0_Linear.gain", 0.0)
    r.set("1_LIF.bias", 0.0)
    r.step()
    assert np.all(r.net[0].weight == 0)
    with pytest.raises(ValueError, match=r"1_LIF.bias: expected a value in \[-0.5, 0.5\]; got 3"):
        r.set("1_LIF.bias", 3)
    with pytest.raises(KeyError, match="name: expected one of"):
        r.set("nope", 1)


def test_background_run_pause_and_no_thread_left():
    r = LiveRunner(net(), SineSource(10, amplitude=0.5), chunk=20, speed=100)
    r.start()
    deadline = time.monotonic() + 10
    while r.t < 200 and time.monotonic() < deadline:
        time.sleep(0.01)
    r.set("input.amplitude", 2.0)  # while running: queued, applied between chunks
    time.sleep(0.05)
    r.pause()
    assert r.t >= 200 and r.status == "paused" and not live_threads()
    assert r.source.amplitude == 2.0


def test_an_error_in_user_code_stops_the_thread():
    def bad_source(t0, steps):
        if t0 >= 40:
            raise RuntimeError("sensor unplugged")
        return np.zeros((steps, 10))

    r = LiveRunner(net(), bad_source, chunk=20, speed=100)
    r.start()
    deadline = time.monotonic() + 10
    while r.status == "running" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert r.status == "error" and "sensor unplugged" in r.error
    r.pause()
    assert not live_threads()


def test_an_error_in_the_end_callback_is_kept_not_raised_in_the_thread():
    # (a served page closing while its run sends updates: the end callback then fails too)
    def bad_source(t0, steps):
        if t0 >= 40:
            raise RuntimeError("sensor unplugged")
        return np.zeros((steps, 10))

    def gone():
        raise ValueError("the page has gone")

    ended = threading.Event()
    r = LiveRunner(net(), SineSource(10), chunk=20, speed=100, on_end=lambda: (ended.set(), gone()))
    r.start()
    time.sleep(0.05)
    r.pause()
    assert ended.is_set() and not live_threads()
    assert r.status == "error" and r.error == "ValueError: the page has gone"
    r = LiveRunner(net(), bad_source, chunk=20, speed=100, on_end=gone)
    r.start()
    deadline = time.monotonic() + 10
    while r.running and time.monotonic() < deadline:
        time.sleep(0.01)
    assert "sensor unplugged" in r.error  # the first error is the one shown


def test_widget_sends_one_binary_message_per_chunk_and_closes_cleanly():
    view = LiveView(net(), chunk=25)
    got = []
    view.send = lambda content, buffers=None: got.append((content, buffers))
    view.step()
    view.step()
    assert len(got) == 2 and got[0][0]["kind"] == "chunk" and len(got[0][1]) == 3
    view.set("input.rate", 100.0)
    assert view.values["input.rate"] == 100.0
    view._on_message(view, {"cmd": "set", "name": "1_LIF.bias", "value": 9.0}, [])
    assert "expected a value" in view.status
    view.run()
    time.sleep(0.2)
    view.close()
    assert not live_threads()
    dm = view.dynamic_map()
    assert dm is not None


def test_time_series_source_loops():
    ts = TSContinuous.from_clocked(np.arange(5.0)[:, None], dt=1e-3)
    src = TimeSeriesSource(ts)
    np.testing.assert_array_equal(src(3, 4)[:, 0], [3, 4, 0, 1])


def test_status_while_compiling_then_running_and_errors_shown_without_pause():
    from rockpool_nb.widgets.live.control import COMPILING

    def slow_first(t0, steps):
        if t0 == 0:
            time.sleep(0.3)  # stands in for numba compiling on first use
        if t0 >= 100:
            raise RuntimeError("sensor unplugged")
        return np.zeros((steps, 10))

    view = LiveView(net(), source=slow_first, chunk=20, speed=100)
    view.send = lambda content, buffers=None: None
    seen = []
    view.observe(lambda change: seen.append(change["new"]), names="status")
    view.run()
    deadline = time.monotonic() + 10
    while view.runner.running and time.monotonic() < deadline:
        time.sleep(0.01)
    assert seen[0] == COMPILING and seen[1] == "running"
    assert view.status == "error: RuntimeError: sensor unplugged"  # no pause needed
    assert not live_threads()
    view.reset()
    assert view.status == "idle" and view.runner.t == 0
    view.close()


def test_step_n_dynamic_map_on_a_pipe_and_event_playback():
    view = LiveView(net(), chunk=25)
    view.send = lambda content, buffers=None: None
    dm = view.dynamic_map(rate_hz=1e6)  # the two steps below can come within a millisecond
    view.step(7)  # step N steps, not a whole chunk
    assert view.runner.t == 7
    view.step()
    overlay = dm[()]  # the Pipe received the traces recorded so far
    curves = list(overlay)
    assert len(curves) == 4 and len(curves[0]) == 32
    np.testing.assert_allclose(
        curves[1].dimension_values(1), view.recording()["vmem"].samples[:, 1], rtol=1e-6
    )
    view.close()

    events = TSEvent([0.001, 0.003, 0.003], [0, 2, 2], t_stop=0.005, num_channels=3)
    src = TimeSeriesSource(events)
    n = src.data.shape[0]  # the events' raster, one row per dt
    np.testing.assert_array_equal(src(0, n).sum(axis=0), [1, 0, 2])  # counts per channel
    np.testing.assert_array_equal(src(n, n), src(0, n))  # looped at its end
