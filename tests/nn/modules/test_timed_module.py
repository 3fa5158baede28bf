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
