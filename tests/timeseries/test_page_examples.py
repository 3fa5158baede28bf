"""Time-series examples of the reference pages, re-expressed in the v2 API with checked values.

Page 003 (v1 docs) printed its values with linear interpolation, so these tests ask for
``interp_kind="linear"``; page 002 uses the v2 defaults.
"""

import warnings

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
def theta_times():
    times = np.arange(0.0, 10.0, 0.1)
    return times, times / 10.0 * 2 * np.pi


@pytest.fixture
def sine(theta_times):
    times, theta = theta_times
    return TSContinuous(times, np.sin(theta), name="sine wave", interp_kind="linear")


@pytest.fixture
def sine_cosine(theta_times):
    times, theta = theta_times
    samples = np.column_stack([np.sin(theta), np.cos(theta)])
    return TSContinuous(times, samples, name="sine and cosine", interp_kind="linear")


def test_003_sine_repr(sine):
    assert repr(sine) == (
        "non-periodic TSContinuous object `sine wave` from t=0.0 to 9.9. Samples: 100. Channels: 1"
    )


def test_003_holoviews_backend_and_plots(sine, sine_cosine, capsys, monkeypatch):
    hv = pytest.importorskip("holoviews")
    monkeypatch.setattr(plotting, "_viz_function", lambda name: None)  # our own hv elements
    set_global_ts_plotting_backend("holoviews")
    assert capsys.readouterr().out == "Global plotting backend has been set to holoviews.\n"
    assert isinstance(sine.plot(), hv.Curve)
    print(sine_cosine)
    assert capsys.readouterr().out == (
        "non-periodic TSContinuous object `sine and cosine` from t=0.0 to 9.9. "
        "Samples: 100. Channels: 2\n"
    )
    overlay = sine_cosine.plot()
    assert isinstance(overlay, hv.Overlay) and len(overlay) == 2
    combined = ((sine + 2).plot() + (sine_cosine**6).plot()).cols(1)
    assert isinstance(combined, hv.Layout) and len(combined) == 2


def test_003_periodic_series(theta_times, capsys):
    times, theta = theta_times
    periodic = TSContinuous(
        times, np.sin(theta), periodic=True, name="periodic sine wave", interp_kind="linear"
    )
    print(periodic)
    assert capsys.readouterr().out == (
        "periodic TSContinuous object `periodic sine wave` from t=0.0 to 9.9. "
        "Samples: 100. Channels: 1\n"
    )
    # sampling far beyond the first period wraps modulo the duration (9.9 s)
    long_times = np.arange(0, 100, 0.1)
    values = periodic(long_times)
    assert values.shape == (1000, 1) and not np.isnan(values).any()
    np.testing.assert_allclose(values[:99], periodic(times[:99]))


def test_003_interpolation_values(sine):
    np.testing.assert_allclose(
        sine([1, 1.1, 1.2]), [[0.58778525], [0.63742399], [0.68454711]], atol=5e-9
    )


def test_003_slice_with_step_and_channel(sine_cosine, capsys):
    part = sine_cosine[:1:0.09, 0]
    part.print()
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "non-periodic TSContinuous object `sine and cosine` from t=0.0 to 0.99. "
        "Samples: 12. Channels: 1"
    )
    rows = [line.split(": \t ") for line in lines[1:]]
    assert [r[0] for r in rows] == [
        "0.0",
        "0.09",
        "0.18",
        "0.27",
        "\t...",
        "0.72",
        "0.8099999999999999",
        "0.8999999999999999",
        "0.99",
    ]
    shown = [r[1] for r in rows if len(r) == 2]
    assert shown == [
        "[0.]",
        "[0.05651147]",
        "[0.11282469]",
        "[0.16876689]",
        "[0.43697417]",
        "[0.48716099]",
        "[0.53582679]",
        "[0.58258941]",
    ]


def test_003_arithmetic_examples(sine, sine_cosine):
    np.testing.assert_allclose((sine + 2).samples, sine.samples + 2)
    np.testing.assert_allclose((sine_cosine**6).samples, sine_cosine.samples**6)
    delayed_cube = (sine**3).delay(2)
    # v2: sampling the delayed series before its start raises unless asked for NaN
    with pytest.raises(ValueError, match="beyond the first and last"):
        sine - delayed_cube
    delayed_cube.beyond_range_exception = False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        diff = sine - delayed_cube
    early = sine.times < 2.0
    np.testing.assert_allclose(diff.samples[early], sine.samples[early])  # NaN counts as 0
    late = ~early
    expected = sine.samples[late, 0] - np.sin((sine.times[late] - 2) / 10 * 2 * np.pi) ** 3
    np.testing.assert_allclose(diff.samples[late, 0], expected, atol=1e-12)


@pytest.fixture
def spikes(rng):
    times = np.sort(rng.random(100))
    channels = rng.integers(0, 10, 100)
    channels[0] = 9  # make sure all 10 channels are counted
    return TSEvent(times=times, channels=channels)


def test_003_events_without_t_stop(spikes):
    r = repr(spikes)
    assert r.startswith(f"non-periodic `TSEvent` object `unnamed` from t={spikes.times[0]} to ")
    assert r.endswith("Channels: 10. Events: 100")
    assert spikes.t_stop > spikes.times[-1]


def test_003_event_selection(spikes):
    t, c = spikes(0.5, 0.6)
    in_window = (spikes.times >= 0.5) & (spikes.times < 0.6)
    np.testing.assert_array_equal(t, spikes.times[in_window])
    t, c = spikes(0.5, 0.6, channels=[3, 7, 8])
    assert set(c) <= {3, 7, 8}
    assert t.size == np.count_nonzero(in_window & np.isin(spikes.channels, [3, 7, 8]))
    first5 = spikes[:5]
    assert repr(first5).endswith("Channels: 10. Events: 5")
    assert (first5.t_start, first5.t_stop) == (spikes.t_start, spikes.t_stop)


def test_003_event_plot(spikes, monkeypatch):
    hv = pytest.importorskip("holoviews")
    monkeypatch.setattr(plotting, "_viz_function", lambda name: None)
    spikes.set_plotting_backend("holoviews", verbose=False)
    scatter = spikes.plot()
    assert isinstance(scatter, hv.Scatter) and len(scatter) == 100


def test_002_sinusoid_and_noise(rng):
    pytest.importorskip("matplotlib").use("Agg")
    import matplotlib.pyplot as plt

    dt, T = 1e-3, 1000
    time_base = np.arange(T) * dt
    ts_sin = TSContinuous(
        times=time_base, samples=np.sin(time_base * 2 * np.pi * 2), periodic=True, name="Sinusoid"
    )
    ts_noise = TSContinuous.from_clocked(
        samples=rng.standard_normal((T, 4)), dt=dt, periodic=True, name="White noise"
    )
    assert ts_sin.t_stop == pytest.approx(0.999) and ts_noise.t_stop == pytest.approx(1.0)
    assert ts_noise.num_channels == 4 and ts_noise.interp_kind == "previous"
    set_global_ts_plotting_backend("matplotlib", verbose=False)
    plt.figure()
    assert len(ts_sin.plot()) == 1
    plt.figure()
    assert len(ts_noise.plot()) == 4
    plt.close("all")
