"""Plotting backend selection and ``plot()`` with matplotlib and holoviews."""

import json
import subprocess
import sys
import types

import numpy as np
import pytest

from rockpool_nb.timeseries import (
    TSContinuous,
    TSEvent,
    get_global_ts_plotting_backend,
    plotting,
    set_global_ts_plotting_backend,
)


@pytest.fixture(autouse=True)
def restore_global_backend():
    before = get_global_ts_plotting_backend()
    yield
    plotting._global_backend = before


@pytest.fixture
def plt():
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    plt.figure()
    yield plt
    plt.close("all")


@pytest.fixture
def hv():
    return pytest.importorskip("holoviews")


@pytest.fixture
def ts():
    return TSContinuous([0.0, 1.0, 2.0], [[0.0, 1.0], [1.0, 2.0], [2.0, 3.0]], name="two")


@pytest.fixture
def ev():
    return TSEvent([0.1, 0.5, 0.9], [0, 2, 1], t_start=0.0, t_stop=1.0, name="spikes")


def test_default_global_backend_prefers_matplotlib(monkeypatch):
    monkeypatch.setattr(plotting, "_installed", lambda module: True)
    assert plotting._default_backend() == "matplotlib"
    monkeypatch.setattr(plotting, "_installed", lambda module: module == "holoviews")
    assert plotting._default_backend() == "holoviews"


def test_set_global_backend_prints(capsys):
    set_global_ts_plotting_backend("holoviews")
    assert get_global_ts_plotting_backend() == "holoviews"
    assert capsys.readouterr().out == "Global plotting backend has been set to holoviews.\n"
    set_global_ts_plotting_backend("plt", verbose=False)
    assert get_global_ts_plotting_backend() == "matplotlib"
    set_global_ts_plotting_backend(None)
    assert get_global_ts_plotting_backend() is None
    assert capsys.readouterr().out == "No global plotting backend is set.\n"
    with pytest.raises(ValueError, match="backend"):
        set_global_ts_plotting_backend("nope")


def test_missing_library_raises_runtime_error(monkeypatch):
    monkeypatch.setattr(plotting, "_installed", lambda module: False)
    with pytest.raises(RuntimeError, match="Holoviews is not available"):
        set_global_ts_plotting_backend("hv")
    with pytest.raises(RuntimeError, match="Matplotlib is not available"):
        set_global_ts_plotting_backend("mpl")
    assert plotting._default_backend() is None


def test_no_backend_raises(ts, ev):
    set_global_ts_plotting_backend(None, verbose=False)
    with pytest.raises(RuntimeError, match="No plotting back-end"):
        ts.plot()
    with pytest.raises(RuntimeError, match="No plotting back-end"):
        ev.plot()


def test_matplotlib_continuous(plt, ts):
    set_global_ts_plotting_backend("matplotlib", verbose=False)
    ts.units = "mV"
    lines = ts.plot()
    ax = plt.gca()
    assert len(lines) == 2 and lines[0].get_label() == "two"
    assert ax.get_xlabel() == "Time (s)" and ax.get_title() == "two" and ax.get_ylabel() == "mV"
    np.testing.assert_array_equal(lines[1].get_ydata(), [1, 2, 3])
    lines = ts.plot(times=[0.5, 1.5], channels=[1], stagger=1)
    np.testing.assert_array_equal(lines[0].get_ydata(), [1, 2])
    assert ts.plot(target=ax) is ax


def test_matplotlib_resampled_by_dt(plt, ts):
    ts.set_plotting_backend("mpl", verbose=False)
    (line, _) = ts.plot(dt=0.5)
    np.testing.assert_array_equal(line.get_xdata(), [0, 0.5, 1, 1.5])


def test_matplotlib_events(plt, ev):
    ev.set_plotting_backend("matplotlib", verbose=False)
    points = ev.plot()
    ax = plt.gca()
    np.testing.assert_array_equal(points.get_offsets()[:, 1], [0, 2, 1])
    assert ax.get_ylim() == (-1, 3) and ax.get_ylabel() == "Channels"
    assert len(ev.plot(time_limits=(0.2, None)).get_offsets()) == 2
    with pytest.raises(ValueError, match="time_limits"):
        ev.plot(time_limits=(0.1, 0.2, 0.3))
    with pytest.raises(TypeError, match="time_limits"):
        ev.plot(time_limits=5)


def test_holoviews_continuous(hv, ts, monkeypatch):
    monkeypatch.setattr(plotting, "_viz_function", lambda name: None)
    ts.set_plotting_backend("hv", verbose=False)
    overlay = ts.plot()
    assert isinstance(overlay, hv.Overlay) and overlay.group == "two"
    curves = list(overlay)
    assert len(curves) == 2 and curves[0].kdims[0].name == "Time"
    single = ts.plot(channels=[0])
    assert isinstance(single, hv.Curve) and single.label == "two"
    combined = ts.plot(target=hv.Curve([]))
    assert isinstance(combined, hv.Overlay)


def test_holoviews_events(hv, ev, monkeypatch):
    monkeypatch.setattr(plotting, "_viz_function", lambda name: None)
    ev.set_plotting_backend("hv", verbose=False)
    scatter = ev.plot()
    assert isinstance(scatter, hv.Scatter) and scatter.label == "spikes"
    assert [d.name for d in scatter.dimensions()][:2] == ["Time", "Channel"]
    np.testing.assert_array_equal(scatter.dimension_values("Channel"), [0, 2, 1])


def test_holoviews_delegates_to_viz_when_available(ts, ev, monkeypatch):
    calls = []
    fake = types.SimpleNamespace(
        plot_continuous=lambda series, **kw: calls.append(("c", series, kw)) or "curve",
        plot_events=lambda series, **kw: calls.append(("e", series, kw)) or "scatter",
    )
    monkeypatch.setitem(sys.modules, "rockpool_nb.viz", fake)
    set_global_ts_plotting_backend("hv", verbose=False)
    assert ts.plot(channels=[1]) == "curve" and ev.plot() == "scatter"
    assert calls[0][1] is ts and calls[0][2]["channels"] == [1]
    assert calls[1][2]["time_limits"] == (0.0, 1.0)


def test_bad_target(ts, ev):
    with pytest.raises(TypeError, match="target"):
        ts.plot(target="axes")
    with pytest.raises(TypeError, match="target"):
        ev.plot(target=3)


def test_import_does_not_load_plotting_libraries():
    probe = (
        "import json, sys; import rockpool_nb.timeseries as t; "
        "t.TSContinuous([0, 1], [0, 1])([0.5]); "
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert not loaded & {"matplotlib", "holoviews", "bokeh", "panel"}
