import importlib
import warnings

import numpy as np
import pytest

from rockpool_nb.nn.combinators import Sequential
from rockpool_nb.nn.modules import Module, TimedModuleWrapper
from rockpool_nb.parameters import SimulationParameter, State
from rockpool_nb.timeseries import TSContinuous, TSEvent


class Integrator(Module):
    """y_t = y_{t-1} + x_t, per channel; optionally spiking in/out (counts pass through)."""

    def __init__(self, n=2, spiking=False, dt=1e-3):
        super().__init__(shape=(n, n), spiking_input=spiking, spiking_output=spiking)
        self.y = State(np.zeros(n))
        if dt is not None:
            self.dt = SimulationParameter(dt)

    def evolve(self, x, record=False):
        x, (y,) = self._auto_batch(x, (self.y,))
        out = y[:, None, :] + np.cumsum(x, axis=1)
        self.y = out[0, -1]
        return out, self.state(), ({"y": out} if record else {})


def test_continuous_input_output_and_clock():
    tm = Integrator().timed()
    assert isinstance(tm, TimedModuleWrapper) and tm.dt == 1e-3
    ts = TSContinuous.from_clocked(np.ones((10, 2)), dt=1e-3, name="ones")
    out, state, rec = tm(ts)
    assert isinstance(out, TSContinuous) and out.name == "Output samples"
    np.testing.assert_allclose(out.samples[:, 0], np.arange(1, 11))
    assert tm.t == pytest.approx(0.01) and out.t_start == 0.0
    np.testing.assert_allclose(state["y"], [10, 10])
    out2, _, _ = tm(num_timesteps=3)  # no input: zeros, state carries on
    assert out2.t_start == pytest.approx(0.01)
    np.testing.assert_allclose(out2.samples[:, 1], [10, 10, 10])
    tm.reset_all()
    assert tm.t == 0 and np.all(tm.module.y == 0)


def test_step_count_rules():
    tm = Integrator().timed()
    ts = TSContinuous.from_clocked(np.ones((10, 2)), dt=1e-3)
    assert tm(ts, duration=0.004)[0].samples.shape[0] == 4
    assert tm(ts, num_timesteps=2)[0].samples.shape[0] == 2
    tm.reset_time()
    periodic = TSContinuous.from_clocked(np.ones((5, 2)), dt=1e-3, periodic=True)
    assert tm(periodic)[0].samples.shape[0] == 5
    with pytest.raises(ValueError, match="num_timesteps"):
        tm(num_timesteps=-1)


def test_uncovered_input_warns_and_fills_zeros():
    tm = Integrator().timed()
    short = TSContinuous(np.array([0.0, 0.001]), np.ones((2, 2)))
    with pytest.warns(UserWarning, match="missing samples are 0"):
        out, _, _ = tm(short, num_timesteps=4)
    assert out.samples[-1, 0] == out.samples[2, 0]


def test_spiking_input_and_output_are_events():
    tm = Integrator(spiking=True).timed()
    ev = TSEvent([0.0005, 0.0025, 0.0036], [0, 1, 1], t_stop=0.005, num_channels=2)
    with pytest.raises(TypeError, match="expected a TSEvent"):
        tm(TSContinuous.from_clocked(np.ones((3, 2)), dt=1e-3))
    out, _, _ = tm(ev)
    assert isinstance(out, TSEvent) and out.num_channels == 2
    assert out.name == "Output events"


def test_record_goes_through_the_wrap_hook():
    class Wrapped(Integrator):
        def _wrap_recorded_state(self, rec, t_start):
            return {
                k: TSContinuous.from_clocked(v[0], dt=self.dt, t_start=t_start)
                for k, v in rec.items()
            }

    tm = Wrapped().timed()
    _, _, rec = tm(num_timesteps=3, record=True)
    assert isinstance(rec["y"], TSContinuous) and rec["y"].samples.shape == (3, 2)


def test_dt_required_for_modules_without_one():
    seq = Sequential(Integrator(dt=None))
    with pytest.raises(KeyError, match="pass `dt=`"):
        seq.timed()
    tm = seq.timed(dt=0.01)
    assert tm.dt == 0.01 and seq.dt == 0.01
    with pytest.warns(UserWarning, match="using the module's dt"):
        Integrator().timed(dt=0.5)


def test_step_count_follows_the_input_t_stop_from_the_current_clock():
    tm = Integrator().timed()
    ts = TSContinuous.from_clocked(np.ones((10, 2)), dt=1e-3)  # t_stop = 0.01
    assert tm(ts, duration=0.004)[0].samples.shape[0] == 4
    out, _, _ = tm(ts)  # runs on to t_stop: 10 - 4 steps
    assert out.samples.shape[0] == 6 and out.t_start == pytest.approx(0.004)
    with pytest.raises(ValueError, match=r"ends at t_stop = 0.01\d* s, not a time step after"):
        tm(ts)
    with pytest.raises(TypeError, match="expected at least one"):
        tm()
    # floor((duration + 1e-6) / dt): a duration a hair under 3 dt is 3 steps
    tm.reset_time()
    assert tm(duration=0.0029999)[0].samples.shape[0] == 3
    assert tm(duration=0.0029)[0].samples.shape[0] == 2


def test_output_num_selects_one_of_several_outputs():
    class TwoOutputs(Integrator):
        def evolve(self, x, record=False):
            out, state, rec = super().evolve(x, record)
            return (out, -out), state, rec

    ts = TSContinuous.from_clocked(np.ones((4, 2)), dt=1e-3)
    first, _, _ = TwoOutputs().timed()(ts)
    second, _, _ = TwoOutputs().timed(output_num=1)(ts)
    np.testing.assert_allclose(first.samples[:, 0], [1, 2, 3, 4])
    np.testing.assert_allclose(second.samples[:, 0], [-1, -2, -3, -4])


def test_add_events_counts_events_in_one_step():
    ev = TSEvent([0.0001, 0.0002, 0.0003, 0.0021], [0, 0, 0, 1], t_stop=0.003, num_channels=2)
    counted, _, _ = Integrator(spiking=True).timed(add_events=True)(ev)
    assert counted.num_channels == 2
    # three events in the first step: input count 3, so y = 3 on channel 0 in each of 3 steps
    np.testing.assert_array_equal(counted.raster(1e-3, add_events=True)[:, 0], [3, 3, 3])
    with pytest.warns(UserWarning, match="events"):
        present, _, _ = Integrator(spiking=True).timed()(ev)
    np.testing.assert_array_equal(present.raster(1e-3, add_events=True)[:, 0], [1, 1, 1])


def test_wrapper_prints_as_rockpool_and_names_outputs():
    seq = Sequential(Integrator(3))
    tm = Integrator(3).timed()
    assert repr(tm) == (
        "TimedModuleWrapper  with shape (3, 3) {\n"
        "    Integrator '_module' with shape (3, 3)\n"
        "} with Integrator '_module' as module"
    )
    assert tm.module is tm._module and tm.module.name == "'_module'"
    out, _, _ = seq.timed(dt=1e-3)(num_timesteps=2, kwargs_timeseries={"name": "mine"})
    assert out.name == "mine"


def _timed_calls(pkg):
    """A sequence of timed calls; returns what each produced."""
    m = importlib.import_module(f"{pkg}.nn.modules")
    ts = importlib.import_module(f"{pkg}.timeseries")
    rng = np.random.default_rng(0)
    results = []
    rate = m.Rate(3, tau=0.02).timed()
    times = np.r_[0.0, np.sort(rng.uniform(0, 0.05, 29))]
    smooth = ts.TSContinuous(times, rng.normal(0, 1, (30, 3)), t_stop=0.0505)
    periodic = ts.TSContinuous.from_clocked(rng.normal(0, 1, (7, 3)), dt=1e-3, periodic=True)
    for kwargs in (
        {"ts_input": smooth},  # runs to t_stop
        {"ts_input": periodic},  # one period
        {"ts_input": periodic, "duration": 0.0125},
        {"num_timesteps": 4},
    ):
        out, _, _ = rate(**kwargs)
        results.append((out.name, out.t_start, out.t_stop, out.samples.copy(), rate.t))
    lif = m.LIF(2, tau_mem=0.01, tau_syn=0.005, spiking_input=True).timed(add_events=True)
    times = np.sort(rng.uniform(0, 0.03, 40))
    events = ts.TSEvent(times, rng.integers(0, 2, 40), t_start=0.0, t_stop=0.03, num_channels=2)
    out, _, rec = lif(events, record=True)
    results.append((out.name, out.t_start, out.t_stop, out.times.copy(), out.channels.copy()))
    results.append(sorted(rec))
    results.append(rec["vmem"].samples.copy())
    return results


@pytest.mark.compare
def test_timed_calls_match_rockpool():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pytest.importorskip("rockpool")
        theirs = _timed_calls("rockpool")
        ours = _timed_calls("rockpool_nb")
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        if isinstance(a, tuple):
            assert a[0] == b[0]
            for x, y in zip(a[1:], b[1:]):
                np.testing.assert_allclose(x, y, rtol=1e-9, atol=1e-12)
        elif isinstance(a, list):
            assert a == b
        else:
            np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def _leaky_class(pkg):
    """A TimedModule subclass written the Rockpool way (same source for both packages)."""
    base = importlib.import_module(f"{pkg}.nn.modules.timed_module").TimedModule
    params = importlib.import_module(f"{pkg}.parameters")

    class Leaky(base):
        def __init__(self, n=2, dt=1e-3):
            super().__init__(shape=(n, n), dt=dt)
            self.v = params.State(np.zeros(n))

        def evolve(
            self,
            ts_input=None,
            duration=None,
            num_timesteps=None,
            kwargs_timeseries=None,
            record=False,
        ):
            time_base, x, num_timesteps = self._prepare_input(ts_input, duration, num_timesteps)
            out = np.zeros((num_timesteps, self.size_out))
            v = self.v
            for k in range(num_timesteps):
                v = 0.9 * v + x[k]
                out[k] = v
            self.v = v
            rec = {"t0": time_base[0]} if record else {}
            return self._gen_timeseries(out, **(kwargs_timeseries or {})), {"v": v}, rec

    return Leaky


def test_timed_module_subclass_the_rockpool_way():
    Leaky = _leaky_class("rockpool_nb")
    mod = Leaky()
    ts = TSContinuous.from_clocked(np.ones((5, 2)), dt=1e-3)
    out, state, rec = mod(ts, record=True)
    assert isinstance(out, TSContinuous) and out.name == "Output samples"
    np.testing.assert_allclose(out.samples[:, 0], (1 - 0.9 ** np.arange(1, 6)) / 0.1)
    assert mod.t == pytest.approx(0.005) and rec == {"t0": 0.0}
    out, _, rec = mod.evolve(num_timesteps=3, record=True)  # evolve() itself advances the clock
    assert out.t_start == pytest.approx(0.005) and mod.t == pytest.approx(0.008)
    assert rec["t0"] == pytest.approx(0.005)
    time_base, x, n = mod._prepare_input(ts.delay(0.008), num_timesteps=2)
    np.testing.assert_allclose(time_base, [0.008, 0.009])
    assert x.shape == (2, 2) and n == 2
    assert mod.input_type is TSContinuous and mod.output_type is TSContinuous

    class Twice(Leaky):  # super().evolve inside evolve: the clock advances once
        def evolve(self, ts_input=None, duration=None, num_timesteps=None, **kwargs):
            return super().evolve(ts_input, duration, num_timesteps, **kwargs)

    twice = Twice()
    twice(num_timesteps=4)
    assert twice.t == pytest.approx(0.004)
    twice.t = 0.003  # whole steps, robust to 0.003 / 0.001 = 2.9999999999999996
    assert twice._timestep == 3
    out, _, _ = twice(ts, 3.0 * 1e-3, None, None, False)  # Rockpool's positional order
    assert out.t_start == pytest.approx(0.003) and twice.t == pytest.approx(0.006)


@pytest.mark.compare
def test_timed_module_subclass_matches_rockpool():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pytest.importorskip("rockpool")
        runs = {}
        for pkg in ("rockpool", "rockpool_nb"):
            ts = importlib.import_module(f"{pkg}.timeseries")
            mod = _leaky_class(pkg)(3)
            inp = ts.TSContinuous(np.linspace(0, 0.01, 6), np.arange(18.0).reshape(6, 3))
            calls = [mod(inp), mod(duration=0.0034)]
            mod.reset_time()
            calls.append(mod.evolve(inp, num_timesteps=2))
            runs[pkg] = [(c[0].name, c[0].t_start, c[0].t_stop, c[0].samples) for c in calls]
            runs[pkg].append(mod.t)
    for a, b in zip(runs["rockpool_nb"][:-1], runs["rockpool"][:-1]):
        assert a[0] == b[0]
        np.testing.assert_allclose(a[1:3], b[1:3], rtol=1e-12)
        np.testing.assert_allclose(a[3], b[3], rtol=1e-12)
    assert runs["rockpool_nb"][-1] == pytest.approx(runs["rockpool"][-1])
