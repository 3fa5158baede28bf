"""``Sequential(...).timed()(ts, record=True)``: the record as time series, as in Rockpool 3.1."""

import copy
import warnings

import numpy as np
import pytest

from rockpool_nb.nn.combinators import Sequential
from rockpool_nb.nn.modules import LIF, Linear, Rate
from rockpool_nb.timeseries import TSContinuous, TSEvent

DT = 1e-3


def stack(rng, lib):
    """Linear(3→4) → LIF(4) → Linear(4→2) → Rate(2) of ``lib``, with the weights of ``rng``."""
    w0, w1 = rng.normal(0, 2, (3, 4)), rng.normal(0, 1, (4, 2))
    return lib.Sequential(
        lib.Linear((3, 4), weight=w0), lib.LIF(4), lib.Linear((4, 2), weight=w1), lib.Rate(2)
    )


class Ours:
    Sequential, Linear, LIF, Rate = Sequential, Linear, LIF, Rate


def test_timed_record_is_time_series(rng):
    seq = stack(rng, Ours)
    data = rng.uniform(0, 5, (40, 3))
    ts = TSContinuous.from_clocked(data, dt=DT, name="in")
    raw_out, _, raw = copy.deepcopy(seq)(data, record=True)  # same start state
    out, _, rec = seq.timed(dt=DT)(ts, record=True)
    assert isinstance(out, TSContinuous)
    assert set(rec) == set(raw)
    for name in ["0_Linear", "1_LIF", "2_Linear", "3_Rate"]:
        kind = TSEvent if name == "1_LIF" else TSContinuous
        series = rec[f"{name}_output"]
        assert isinstance(series, kind) and series.name == f"{name}_output"
        assert (series.t_start, series.t_stop) == pytest.approx((0.0, 40 * DT))
        want = np.asarray(raw[f"{name}_output"]).reshape(-1, 40, series.num_channels)[0]
        got = series.raster(DT, add_events=True) if kind is TSEvent else series.samples
        np.testing.assert_array_equal(got, want)  # multi-spike counts are repeated events
    assert rec["0_Linear"] == {} and rec["2_Linear"] == {}
    assert isinstance(rec["1_LIF"]["vmem"], TSContinuous)  # LIF's own wrapping
    assert isinstance(rec["1_LIF"]["spikes"], TSEvent)
    np.testing.assert_array_equal(rec["1_LIF"]["vmem"].samples, raw["1_LIF"]["vmem"][0])
    assert isinstance(rec["3_Rate"]["x"], np.ndarray)  # Rate keeps raw arrays, as Rockpool
    np.testing.assert_array_equal(rec["3_Rate_output"].samples, raw_out[0])


def test_nested_sequential_wraps_inner_records(rng):
    inner = Sequential(Linear((3, 4)), LIF(4))
    seq = Sequential(inner, Linear((4, 2)))
    ts = TSContinuous.from_clocked(rng.uniform(0, 5, (20, 3)), dt=DT)
    _, _, rec = seq.timed(dt=DT)(ts, record=True)
    assert isinstance(rec["0_ModSequential"]["1_LIF_output"], TSEvent)
    assert isinstance(rec["0_ModSequential"]["1_LIF"]["isyn"], TSContinuous)
    assert isinstance(rec["0_ModSequential_output"], TSEvent)  # the inner stack spikes
    assert isinstance(rec["1_Linear_output"], TSContinuous)


@pytest.mark.compare
def test_timed_record_matches_rockpool(seed):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rc = pytest.importorskip("rockpool.nn.combinators")
        rm = pytest.importorskip("rockpool.nn.modules")
        rts = pytest.importorskip("rockpool.timeseries")

    class Theirs:
        Sequential, Linear, LIF, Rate = rc.Sequential, rm.Linear, rm.LIF, rm.Rate

    ours = stack(np.random.default_rng(seed), Ours)
    theirs = stack(np.random.default_rng(seed), Theirs)
    data = np.random.default_rng(seed + 1).uniform(0, 5, (40, 3))
    _, _, mine = ours.timed(dt=DT)(TSContinuous.from_clocked(data, dt=DT), record=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, _, ref = theirs.timed(dt=DT)(rts.TSContinuous.from_clocked(data, dt=DT), record=True)

    def kinds(rec):
        return {k: (kinds(v) if isinstance(v, dict) else type(v).__name__) for k, v in rec.items()}

    assert kinds(mine) == kinds(ref)
    for key in ["1_LIF_output", "1_LIF"]:
        a = mine[key]["spikes"] if key == "1_LIF" else mine[key]
        b = ref[key]["spikes"] if key == "1_LIF" else ref[key]
        np.testing.assert_allclose(a.times, b.times, atol=1e-12)
        np.testing.assert_array_equal(a.channels, b.channels)
        assert (a.name, a.t_stop, a.num_channels) == (b.name, b.t_stop, b.num_channels)
    for key in ["2_Linear_output", "3_Rate_output"]:
        assert mine[key].name == ref[key].name
        np.testing.assert_allclose(mine[key].times, ref[key].times, atol=1e-12)
        np.testing.assert_allclose(mine[key].samples, ref[key].samples, rtol=1e-10, atol=1e-12)
    for name in ["vmem", "isyn", "irec"]:
        np.testing.assert_allclose(
            mine["1_LIF"][name].samples, ref["1_LIF"][name].samples, rtol=1e-10, atol=1e-12
        )
    # deliberately fixed: Rockpool wraps the unbatched (T, N) Linear output's first row
    assert ref["0_Linear_output"].samples.shape == (4, 1)
    assert mine["0_Linear_output"].samples.shape == (40, 4)
