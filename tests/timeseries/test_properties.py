"""Property tests (hypothesis) of time-series invariants."""

import io

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from rockpool_nb.timeseries import TSContinuous, TSEvent

finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
# applied per test, so other modules' hypothesis profiles are untouched
quick = settings(max_examples=40, deadline=None)


@st.composite
def continuous(draw, min_size=2):
    n = draw(st.integers(min_size, 20))
    c = draw(st.integers(1, 3))
    steps = draw(hnp.arrays(float, n - 1, elements=st.floats(1e-3, 1.0)))
    t0 = draw(st.floats(-5, 5))
    times = t0 + np.concatenate([[0.0], np.cumsum(steps)])
    samples = draw(hnp.arrays(float, (n, c), elements=finite))
    kind = draw(st.sampled_from(["previous", "linear", "nearest"]))
    return TSContinuous(times, samples, interp_kind=kind)


@st.composite
def events(draw):
    n = draw(st.integers(0, 60))
    c = draw(st.integers(1, 5))
    times = np.sort(draw(hnp.arrays(float, n, elements=st.floats(0.0, 10.0))))
    channels = draw(hnp.arrays(int, n, elements=st.integers(0, c - 1)))
    return TSEvent(times, channels, t_start=0.0, t_stop=10.5, num_channels=c)


@given(continuous(), st.data())
@quick
def test_clip_stays_within_bounds(ts, data):
    a, b = sorted(data.draw(st.lists(st.floats(ts.times[0], ts.times[-1]), min_size=2, max_size=2)))
    clipped = ts.clip(a, b)
    assert clipped.t_start == a and clipped.t_stop == b
    assert np.all(clipped.times >= a) and np.all(clipped.times <= b)
    assert clipped.times[0] == a and clipped.times[-1] == b


@given(continuous())
@quick
def test_interpolation_exact_at_sample_times(ts):
    # "previous"/"nearest" pick samples exactly; scipy's linear formula
    # y0 + (y1 - y0) / (t1 - t0) * (t - t0) is exact up to rounding of the samples' scale
    if ts.interp_kind == "linear":
        scale = max(1.0, np.abs(ts.samples).max())
        np.testing.assert_allclose(ts(ts.times), ts.samples, rtol=1e-12, atol=1e-12 * scale)
    else:
        np.testing.assert_array_equal(ts(ts.times), ts.samples)


@given(events(), st.floats(0.05, 2.0))
@quick
def test_raster_counts_equal_event_counts(ev, dt):
    raster = ev.raster(dt, add_events=True)
    # event at t lands in bin floor((t - t_start) / dt) when that bin exists
    landed = np.floor((ev.times - ev.t_start) / dt) < raster.shape[0]
    np.testing.assert_array_equal(
        raster.sum(axis=0), np.bincount(ev.channels[landed], minlength=ev.num_channels)
    )


@given(events())
@quick
def test_raster_counts_with_whole_bins(ev):
    # dt divides the support exactly, so every event lands in a bin
    raster = ev.raster(0.5, add_events=True)
    assert raster.shape == (21, ev.num_channels)
    np.testing.assert_array_equal(
        raster.sum(axis=0), np.bincount(ev.channels, minlength=ev.num_channels)
    )


@given(events(), events())
@quick
def test_event_append_and_merge_keep_all_events(a, b):
    appended = a.append_t(b)
    assert len(appended) == len(a) + len(b)
    np.testing.assert_allclose(
        np.sort(appended.times[appended.times >= a.t_stop]), np.sort(b.times + a.t_stop)
    )
    merged = a.merge(b)
    assert sorted(zip(merged.times, merged.channels)) == sorted(
        zip(np.r_[a.times, b.times], np.r_[a.channels, b.channels])
    )
    assert np.all(np.diff(merged.times) >= 0)


@given(continuous(), continuous())
@quick
def test_continuous_append_t_keeps_all_samples(a, b):
    b = (
        b
        if b.num_channels == a.num_channels
        else TSContinuous(b.times, np.zeros((len(b), a.num_channels)))
    )
    out = a.append_t(b, offset=0.1)
    assert len(out) == len(a) + len(b)
    np.testing.assert_array_equal(out.samples[: len(a)], a.samples)
    np.testing.assert_array_equal(out.samples[len(a) :], b.samples)
    assert np.all(np.diff(out.times) >= 0)


@given(continuous(), continuous())
@quick
def test_continuous_merge_keeps_every_sample_in_time_order(a, b):
    b = TSContinuous(b.times, np.resize(b.samples, (len(b), a.num_channels)))
    out = a.merge(b, remove_duplicates=False)
    assert len(out) == len(a) + len(b) and out.num_channels == a.num_channels
    assert np.all(np.diff(out.times) >= 0)
    rows = lambda ts: sorted(zip(ts.times.tolist(), map(tuple, ts.samples.tolist())))  # noqa: E731
    assert rows(out) == sorted(rows(a) + rows(b))


@given(continuous(), st.data())
@quick
def test_continuous_append_c_keeps_own_channels_and_resamples_the_other(a, data):
    b = data.draw(continuous())
    b = TSContinuous(a.times, np.resize(b.samples, (len(a), b.num_channels)))
    out = a.append_c(b)
    assert out.num_channels == a.num_channels + b.num_channels
    np.testing.assert_array_equal(out.samples[:, : a.num_channels], a.samples)
    np.testing.assert_array_equal(out.samples[:, a.num_channels :], b.samples)


@given(continuous())
@quick
def test_continuous_save_load_round_trip(ts):
    buf = io.BytesIO()
    ts.save(buf)
    back = TSContinuous.load(buf)
    np.testing.assert_array_equal(back.times, ts.times)
    np.testing.assert_array_equal(back.samples, ts.samples)
    assert (back.t_start, back.t_stop, back.interp_kind) == (ts.t_start, ts.t_stop, ts.interp_kind)


@given(events())
@quick
def test_event_save_load_round_trip(ev):
    buf = io.BytesIO()
    ev.save(buf)
    back = TSEvent.load(buf)
    np.testing.assert_array_equal(back.times, ev.times)
    np.testing.assert_array_equal(back.channels, ev.channels)
    assert (back.t_start, back.t_stop, back.num_channels) == (
        ev.t_start,
        ev.t_stop,
        ev.num_channels,
    )


@given(st.integers(1, 20), st.integers(1, 4), st.data())
@quick
def test_from_raster_round_trip(n, c, data):
    raster = data.draw(hnp.arrays(int, (n, c), elements=st.integers(0, 3)))
    np.testing.assert_array_equal(
        TSEvent.from_raster(raster, dt=0.1).raster(0.1, num_timesteps=n, add_events=True), raster
    )
