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
