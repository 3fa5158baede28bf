"""Compare rockpool_nb.timeseries with Rockpool 3.1 (the oracle) on random inputs."""

import io
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rockpool_nb.timeseries import TSContinuous, TSEvent

rp = pytest.importorskip("rockpool.timeseries")

pytestmark = pytest.mark.compare

KINDS = ["previous", "linear", "nearest", "next"]


def _random_continuous(rng, n=20, c=3, kind="linear", periodic=False):
    times = np.sort(rng.uniform(0, 5, n))
    samples = rng.standard_normal((n, c))
    # wrapped times of a periodic series must stay inside the interpolation range
    t_stop = times[-1] + (0.3 if kind == "previous" or not periodic else 0.0)
    kw = dict(interp_kind=kind, periodic=periodic, name="x", t_stop=t_stop)
    return (TSContinuous(times, samples, **kw), rp.TSContinuous(times, samples, **kw))


def _random_events(rng, n=40, c=4, periodic=False):
    times = np.sort(rng.uniform(0, 2, n))
    channels = rng.integers(0, c, n)
    kw = dict(periodic=periodic, name="e", t_start=0.0, t_stop=2.5, num_channels=c + 1)
    return TSEvent(times, channels, **kw), rp.TSEvent(times, channels, **kw)


def _same_continuous(ours, theirs):
    assert type(ours).__name__ == type(theirs).__name__
    np.testing.assert_array_equal(ours.times, theirs.times)
    np.testing.assert_allclose(ours.samples, theirs.samples, rtol=1e-12, atol=1e-12)
    assert ours.t_start == theirs.t_start and ours.t_stop == theirs.t_stop
    assert repr(ours) == repr(theirs)


def _same_events(ours, theirs, ordered=True):
    if ordered:
        np.testing.assert_array_equal(ours.times, theirs.times)
        np.testing.assert_array_equal(ours.channels, theirs.channels)
    else:  # ties in time may be ordered differently (we sort stably)
        a = sorted(zip(ours.times, ours.channels))
        b = sorted(zip(theirs.times, theirs.channels))
        assert a == b
    assert ours.t_start == theirs.t_start and ours.t_stop == theirs.t_stop
    assert ours.num_channels == theirs.num_channels
    assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("periodic", [False, True])
def test_interpolation_matches(rng, kind, periodic):
    ours, theirs = _random_continuous(rng, kind=kind, periodic=periodic)
    lo, hi = (0, 12) if periodic else (ours.times[0], ours.times[-1])
    query = np.sort(rng.uniform(lo, hi, 50))
    np.testing.assert_array_equal(ours(query), theirs(query))
    assert repr(ours) == repr(theirs)


def test_beyond_range_nan_matches(rng):
    ours, theirs = _random_continuous(rng, kind="linear")
    ours.beyond_range_exception = theirs.beyond_range_exception = False
    query = np.array([ours.times[-1] + 0.1, ours.t_stop + 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.testing.assert_array_equal(ours(query), theirs(query))


@pytest.mark.parametrize(
    "index",
    [
        slice(1, 3),
        slice(None, 2.5),
        slice(1, None),
        slice(0.5, 4, 0.25),
        slice(None, None, -0.5),
        (slice(1, 3), 1),
        (slice(None), [2, 0]),
        (slice(None), slice(None, None, -1)),
        (1.5, slice(0, 2)),
    ],
)
def test_getitem_matches(rng, index):
    ours, theirs = _random_continuous(rng)
    _same_continuous(ours[index], theirs[index])


@pytest.mark.parametrize("periodic", [False, True])
def test_clip_matches(rng, periodic):
    ours, theirs = _random_continuous(rng, periodic=periodic)
    a, b = sorted(rng.uniform(ours.times[0], ours.times[-1], 2))
    for kwargs in [{}, {"include_stop": False}, {"sample_limits": False}, {"channels": [1]}]:
        _same_continuous(ours.clip(a, b, **kwargs), theirs.clip(a, b, **kwargs))


def test_resample_and_to_clocked_match(rng):
    ours, theirs = _random_continuous(rng, kind="previous")
    q = np.linspace(ours.times[0], ours.t_stop, 17)
    _same_continuous(ours.resample(q, channels=[0, 2]), theirs.resample(q, channels=[0, 2]))
    np.testing.assert_array_equal(ours.to_clocked(0.07), theirs.to_clocked(0.07))


def test_from_clocked_matches(rng):
    x = rng.standard_normal((9, 2))
    ours = TSContinuous.from_clocked(x, dt=0.1, t_start=0.3, name="c")
    theirs = rp.TSContinuous.from_clocked(x, dt=0.1, t_start=0.3, name="c")
    _same_continuous(ours, theirs)


@pytest.mark.parametrize(
    "op",
    [
        lambda a, b: a + b,
        lambda a, b: a - b,
        lambda a, b: a * b,
        lambda a, b: a / b,
        lambda a, b: a**2,
        lambda a, b: 2.0 + a,
        lambda a, b: 3.0 - a,
        lambda a, b: 2.0 * a,
        lambda a, b: 1.5 / a,
        lambda a, b: a // 0.3,
        lambda a, b: 2.0**a,
        lambda a, b: abs(a),
        lambda a, b: -a,
        lambda a, b: a @ np.arange(6.0).reshape(3, 2),
    ],
)
def test_arithmetic_matches_with_nans(rng, op):
    times = np.arange(10) * 0.1
    x, y = rng.standard_normal((2, 10, 3))
    x[2, 0] = np.nan
    y[2, 0] = np.nan
    y[4, 1] = np.nan
    ours = op(TSContinuous(times, x), TSContinuous(times, y))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = op(rp.TSContinuous(times, x), rp.TSContinuous(times, y))
    _same_continuous(ours, theirs)


def test_merge_append_match(rng):
    a, ra = _random_continuous(rng)
    b, rb = _random_continuous(rng)
    _same_continuous(a.merge(b), ra.merge(rb))
    _same_continuous(a.merge(a), ra.merge(ra))
    _same_continuous(a.append_t(b), ra.append_t(rb))
    _same_continuous(
        a.append_t([b, a], offset=[0.2, None]), ra.append_t([rb, ra], offset=[0.2, None])
    )
    _same_continuous(TSContinuous.concatenate_t([a, b]), rp.TSContinuous.concatenate_t([ra, rb]))
    c = TSContinuous([0, 10], [[1.0], [2.0]], interp_kind="linear")
    rc = rp.TSContinuous([0, 10], [[1.0], [2.0]], interp_kind="linear")
    _same_continuous(a.append_c(c), ra.append_c(rc))


@pytest.mark.parametrize("periodic", [False, True])
def test_event_call_and_clip_match(rng, periodic):
    ours, theirs = _random_events(rng, periodic=periodic)
    for args in [(), (0.5, 1.5), (0.2, 6.0, [1, 3]), (1.5, 0.5)]:
        for got, want in zip(ours(*args), theirs(*args)):
            np.testing.assert_array_equal(got, want)
    _same_events(ours.clip(0.5, 1.2), theirs.clip(0.5, 1.2))
    _same_events(
        ours.clip(0.5, 1.2, channels=[1, 3], remap_channels=True),
        theirs.clip(0.5, 1.2, channels=[1, 3], remap_channels=True),
    )
    _same_events(ours[3:9], theirs[3:9])
    _same_events(ours[[0, 5]], theirs[[0, 5]])


@pytest.mark.parametrize("add_events", [False, True])
def test_raster_matches(rng, add_events):
    ours, theirs = _random_events(rng, n=15)
    chans = np.arange(ours.num_channels)
    kw = dict(channels=chans, add_events=add_events)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # multi-event bins warn here (Rockpool prints)
        np.testing.assert_array_equal(ours.raster(0.3, **kw), theirs.raster(0.3, **kw))
        # Rockpool may return num_timesteps + 1 rows (rounding); we return exactly 6
        np.testing.assert_array_equal(
            ours.raster(0.2, t_start=0.4, num_timesteps=6, **kw),
            theirs.raster(0.2, t_start=0.4, num_timesteps=6, **kw)[:6],
        )


def test_raster_counts_match_with_many_events(rng):
    ours, theirs = _random_events(rng, n=200)
    np.testing.assert_array_equal(
        ours.raster(0.1, add_events=True), theirs.raster(0.1, add_events=True)
    )


def test_from_raster_matches(rng):
    raster = rng.integers(0, 3, (12, 4))
    for kw in [{}, {"dt": 0.01, "t_start": 1.0}, {"spikes_at_bin_start": True, "num_channels": 6}]:
        _same_events(TSEvent.from_raster(raster, **kw), rp.TSEvent.from_raster(raster, **kw))


def test_event_combination_matches(rng):
    a, ra = _random_events(rng)
    b, rb = _random_events(rng)
    _same_events(a.append_c(b), ra.append_c(rb), ordered=False)
    _same_events(a.append_t(b, offset=0.1), ra.append_t(rb, offset=0.1), ordered=False)
    _same_events(a.merge(b, delay=0.3), ra.merge(rb, delay=0.3), ordered=False)
    _same_events(a.merge(a, remove_duplicates=True), ra.merge(ra, remove_duplicates=True))
    cmap = rng.permutation(a.num_channels)
    _same_events(a.remap_channels(cmap), ra.remap_channels(cmap))


def test_files_are_interchangeable(rng):
    ours, theirs = _random_continuous(rng, kind="nearest")
    buf = io.BytesIO()
    theirs.save(buf)
    _same_continuous(TSContinuous.load(buf), theirs)
    buf = io.BytesIO()
    ours.save(buf)
    _same_continuous(ours, rp.TSContinuous.load(buf))
    ev, rev = _random_events(rng)
    buf = io.BytesIO()
    ev.save(buf)
    _same_events(rp.TSEvent.load(buf), ev)
    assert sorted(ev.to_dict()) == sorted(rev.to_dict())
    assert sorted(ours.to_dict()) == sorted(theirs.to_dict())


def test_print_matches(rng, capsys):
    ours, theirs = _random_continuous(rng, n=15)
    ev, rev = _random_events(rng, n=15)
    for a, b in [(ours, theirs), (ev, rev), (ours[:2.0], theirs[:2.0])]:
        for kwargs in [{}, {"full": True}, {"num_first": 2, "num_last": 3}]:
            a.print(**kwargs)
            got = capsys.readouterr().out
            b.print(**kwargs)
            assert got == capsys.readouterr().out


def test_event_concatenate_and_shift_match(rng):
    a, ra = _random_events(rng)
    b, rb = _random_events(rng)
    _same_events(TSEvent.concatenate_t([a, b]), rp.TSEvent.concatenate_t([ra, rb]), ordered=False)
    _same_events(a.delay(0.7), ra.delay(0.7))
    _same_events(a.start_at(3.0), ra.start_at(3.0))
    _same_events(a.start_at_zero(), ra.start_at_zero())


def test_continuous_shift_matches(rng):
    ours, theirs = _random_continuous(rng, kind="previous")
    for o, t in [
        (ours.delay(-1.5), theirs.delay(-1.5)),
        (ours.start_at_zero(), theirs.start_at_zero()),
        (ours.start_at(4.0), theirs.start_at(4.0)),
    ]:
        _same_continuous(o, t)
        q = np.linspace(o.times[0], o.t_stop, 9)
        np.testing.assert_array_equal(o(q), t(q))


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"t_start": 1.0},
        {"t_start": 1.0, "t_stop": 2.0},
        {"num_channels": 3},
        {"periodic": True, "t_stop": 4.0},
    ],
)
def test_empty_and_edge_reprs_match(kwargs):
    assert repr(TSContinuous(**kwargs)) == repr(rp.TSContinuous(**kwargs))
    kwargs.pop("num_channels", None)
    assert repr(TSEvent(**kwargs)) == repr(rp.TSEvent(**kwargs))


@pytest.mark.parametrize("channels", [None, 3, [0, 4, 2]])
def test_event_construction_matches(channels):
    times = [0.1, 0.2, 0.4]
    ours = TSEvent(times, channels, t_stop=1.0, name="c")
    theirs = rp.TSEvent(times, channels, t_stop=1.0, name="c")
    _same_events(ours, theirs)


def test_iteration_matches(rng):
    ours, theirs = _random_continuous(rng)
    for (t0, s0), (t1, s1) in zip(ours, theirs):
        assert t0 == t1
        np.testing.assert_array_equal(s0, s1)
    ev, rev = _random_events(rng)
    assert list(ev) == list(rev)


# ---------------------------------------------------------------------- randomised (hypothesis)

quick = settings(max_examples=30, deadline=None)


@st.composite
def _continuous_pair(draw):
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    n = draw(st.integers(2, 25))
    kind = draw(st.sampled_from(KINDS))
    periodic = draw(st.booleans())
    return _random_continuous(rng, n=n, c=draw(st.integers(1, 3)), kind=kind, periodic=periodic)


@st.composite
def _event_pair(draw):
    rng = np.random.default_rng(draw(st.integers(0, 2**31 - 1)))
    return _random_events(rng, n=draw(st.integers(1, 60)), periodic=draw(st.booleans()))


@quick
@given(_continuous_pair(), st.data())
def test_random_sampling_and_clipping_match(pair, data):
    ours, theirs = pair
    lo, hi = ours.times[0], (ours.t_stop if ours.interp_kind == "previous" else ours.times[-1])
    q = np.sort(data.draw(st.lists(st.floats(lo, hi), min_size=1, max_size=20)))
    np.testing.assert_array_equal(ours(q), theirs(q))
    a, b = sorted(data.draw(st.lists(st.floats(lo, hi), min_size=2, max_size=2)))
    include = data.draw(st.booleans())
    limits = data.draw(st.booleans())
    _same_continuous(
        ours.clip(a, b, include_stop=include, sample_limits=limits),
        theirs.clip(a, b, include_stop=include, sample_limits=limits),
    )
    _same_continuous(ours[a:b], theirs[a:b])


@quick
@given(_event_pair(), st.floats(0.05, 0.7), st.floats(0.0, 1.0))
def test_random_rasters_match(pair, dt, t_start):
    ours, theirs = pair
    np.testing.assert_array_equal(
        ours.raster(dt, t_start=t_start, add_events=True),
        theirs.raster(dt, t_start=t_start, add_events=True),
    )
    for got, want in zip(ours(t_start, t_start + 1.7), theirs(t_start, t_start + 1.7)):
        np.testing.assert_array_equal(got, want)


def _operations(mod, rng):
    """Shifts, selections, combinations and conversions, built with one package's classes."""
    C, E = mod.TSContinuous, mod.TSEvent
    ts = C(np.linspace(0, 1, 11), rng.normal(0, 1, (11, 2)), name="c", interp_kind="linear")
    ev = E(
        np.sort(rng.uniform(0, 1, 12)),
        rng.integers(0, 3, 12),
        t_start=0.0,
        t_stop=1.0,
        name="e",
        num_channels=4,
    )
    periodic = C(np.linspace(0, 1, 5), np.arange(5.0), periodic=True, interp_kind="linear")
    return {
        "start_at": lambda: ts.start_at(2.0),
        "start_at_zero": lambda: ts.delay(3).start_at_zero(),
        "events start_at": lambda: ev.start_at(5.0),
        "events delay": lambda: ev.delay(-0.5),
        "contains": lambda: (bool(ts.contains([0.5, 2.0])), bool(ev.contains(0.5))),
        "isempty": lambda: (ts.isempty(), C().isempty(), E().isempty()),
        "remap_channels": lambda: ev.remap_channels([3, 2, 1, 0]),
        "concatenate_t": lambda: C.concatenate_t([ts, ts]),
        "events concatenate_t": lambda: E.concatenate_t([ev, ev]),
        "events slice": lambda: ev[2:5],
        "events index array": lambda: ev[np.array([0, 3])],
        "events call": lambda: ev(0.2, 0.7),
        "events call channels": lambda: ev(0.2, 0.7, channels=[0, 2]),
        "events clip remap": lambda: ev.clip(0.2, 0.8, channels=[1, 2], remap_channels=True),
        "events append_c": lambda: ev.append_c(ev),
        "events append_t": lambda: ev.append_t(ev, offset=0.1),
        "events merge": lambda: ev.merge(ev.delay(0.01)),
        "max min len": lambda: (ts.max, ts.min, len(ts), len(ev)),
        "to_dict keys": lambda: (sorted(ts.to_dict()), sorted(ev.to_dict())),
        "abs neg": lambda: abs(-ts),
        "matmul": lambda: ts @ np.ones((2, 3)),
        "reflected sub": lambda: 1 - ts,
        "series plus series": lambda: ts + ts.resample(np.linspace(0, 1, 7)),
        "floordiv": lambda: ts // 0.3,
        "clip channel": lambda: ts.clip(0.15, 0.55, channels=1),
        "clip no limits": lambda: ts.clip(0.15, 0.55, sample_limits=False),
        "slice step": lambda: ts[0.1:0.9:0.2],
        "slice reversed": lambda: ts[0.9:0.1:-0.2],
        "to_clocked": lambda: ts.to_clocked(0.3),
        "resample channel": lambda: ts.resample([0.2, 0.4], channels=0),
        "periodic call": lambda: periodic([1.25, 2.5]),
        "from_raster at bin start": lambda: E.from_raster(
            np.array([[1, 0], [2, 1], [0, 0]]), dt=0.1, spikes_at_bin_start=True
        ),
        "raster num_timesteps": lambda: ev.raster(0.1, num_timesteps=5, add_events=True),
        "raster t_start": lambda: ev.raster(0.25, t_start=0.1, add_events=True),
        "periodic events call": lambda: E([0.1, 0.3], [0, 1], t_stop=0.5, periodic=True)(0.0, 1.2),
        "merge duplicates": lambda: ts.merge(ts),
        "append_t default gap": lambda: ts.append_t(ts),
    }


def _same(ours, theirs):
    if isinstance(ours, TSContinuous):
        _same_continuous(ours, theirs)
    elif isinstance(ours, TSEvent):
        _same_events(ours, theirs, ordered=False)
    elif isinstance(ours, list):
        assert ours == theirs
    elif isinstance(ours, tuple):
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            _same(a, b)
    else:
        np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), rtol=1e-12)


def test_operations_match():
    rp_mod = __import__("rockpool.timeseries", fromlist=["TSContinuous"])
    ours_mod = __import__("rockpool_nb.timeseries", fromlist=["TSContinuous"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = {k: f() for k, f in _operations(rp_mod, np.random.default_rng(0)).items()}
        ours = {k: f() for k, f in _operations(ours_mod, np.random.default_rng(0)).items()}
    assert ours.keys() == theirs.keys()
    for key in ours:
        try:
            _same(ours[key], theirs[key])
        except AssertionError as err:
            raise AssertionError(f"{key}: {err}") from None
