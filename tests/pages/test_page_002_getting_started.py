"""Page 002, "Introduction to Rockpool", re-typed with ``rockpool`` renamed to ``rockpool_nb``."""

from collections import OrderedDict

import numpy as np
import pytest

from rockpool_nb import TimeSeries, TSContinuous, TSEvent  # noqa: F401  (the page imports them)
from rockpool_nb.nn.combinators import Sequential
from rockpool_nb.nn.modules import Linear, Module, Rate
from rockpool_nb.parameters import Parameter


def test_first_module_prints_and_inspects():
    mod = Rate(4)
    assert repr(mod) == "Rate  with shape (4,)"
    state, params, sim = mod.state(), mod.parameters(), mod.simulation_parameters()
    assert list(state) == ["x"] and np.array_equal(state["x"], np.zeros(4))
    assert list(params) == ["tau", "bias", "threshold"]
    np.testing.assert_array_equal(params["tau"], [0.02] * 4)
    np.testing.assert_array_equal(params["bias"], np.zeros(4))
    np.testing.assert_array_equal(params["threshold"], np.zeros(4))
    assert sim["dt"] == 0.001 and sim["noise_std"] == 0.0
    assert sim["act_fn"].__name__ == "H_ReLU"


def test_evolve_and_set_new_state():
    mod = Rate(4)
    rng = np.random.default_rng(0)
    output, new_state, recorded = mod(rng.standard_normal((100, 4)) * 3)
    assert output.shape == (1, 100, 4) and recorded == {}
    assert mod.set_attributes(new_state) is mod


def test_timed_wrapper_prints_and_runs_on_time_series():
    mod = Rate(4)
    tmod = mod.timed()
    assert repr(tmod) == (
        "TimedModuleWrapper  with shape (4, 4) {\n"
        "    Rate '_module' with shape (4,)\n"
        "} with Rate '_module' as module"
    )
    dt, T = 1e-3, 1000
    time_base = np.arange(T) * dt
    ts_sin = TSContinuous(
        times=time_base, samples=np.sin(time_base * 2 * np.pi * 2), periodic=True, name="Sinusoid"
    )
    ts_noise = TSContinuous.from_clocked(
        samples=np.random.default_rng(1).standard_normal((T, 4)),
        dt=dt,
        periodic=True,
        name="White noise",
    )
    output, _, _ = tmod(ts_sin)
    assert isinstance(output, TSContinuous) and output.num_channels == 4
    assert output.samples.shape == (T - 1, 4)  # the series ends at its last sample, 0.999 s
    assert output.t_start == pytest.approx(0.0)
    output, _, _ = tmod(ts_noise)
    assert output.t_start == pytest.approx(0.999) and output.samples.shape == (T, 4)


SEQ_PRINT = (
    "ModSequential  with shape (1, 1) {{\n"
    "    Linear '{0}' with shape (1, 10)\n"
    "    Rate '{1}' with shape (10,)\n"
    "    Linear '{2}' with shape (10, 1)\n"
    "}}"
)


def test_sequential_three_ways():
    seqmod = Sequential(Linear((1, 10)), Rate(10), Linear((10, 1)))
    assert repr(seqmod) == SEQ_PRINT.format("0_Linear", "1_Rate", "2_Linear")
    output, state, _ = seqmod(np.random.default_rng(2).random((100, 1)))
    assert output.shape[-1] == 1 and output.shape[-2] == 100

    modules = OrderedDict(
        [("lin1", Linear((1, 10))), ("rate1", Rate(10)), ("lin2", Linear((10, 1)))]
    )
    assert repr(Sequential(modules)) == SEQ_PRINT.format("lin1", "rate1", "lin2")

    seqmod = Sequential()
    seqmod.append(Linear((1, 10)), "lin1")
    seqmod.append(Rate(10), "rate1")
    seqmod.append(Linear((10, 1)), "lin2")
    assert repr(seqmod) == SEQ_PRINT.format("lin1", "rate1", "lin2")


class net(Module):
    """The page's custom nested module, re-typed."""

    def __init__(self, shape: tuple, *args, **kwargs):
        super().__init__(shape, *args, **kwargs)
        self.w_input = Parameter(
            shape=self.shape[0:2],
            family="weights",
            init_func=lambda size: np.random.normal(size=size),
        )
        self.w_output = Parameter(
            shape=self.shape[1:],
            family="weights",
            init_func=lambda size: np.random.normal(size=size),
        )
        self.mod_recurrent = Rate((shape[1], shape[1]), has_rec=True)

    def evolve(self, input, record: bool = False):
        new_state, record_dict = {}, {}
        x, mod_state, mod_record_dict = self.mod_recurrent(np.dot(input, self.w_input), record)
        new_state.update({"mod_recurrent": mod_state})
        record_dict.update({"mod_recurrent": mod_record_dict})
        return np.dot(x, self.w_output), new_state, record_dict


def test_custom_nested_module():
    net_mod = net(shape=(4, 3, 2))
    assert (
        repr(net_mod)
        == "net  with shape (4, 3, 2) {\n    Rate 'mod_recurrent' with shape (3, 3)\n}"
    )
    output, new_state, _ = net_mod(np.random.default_rng(3).standard_normal((100, 4)))
    assert output.shape == (1, 100, 2)
    net_mod = net_mod.set_attributes(new_state)
    params = net_mod.parameters()
    assert list(params) == ["w_input", "w_output", "mod_recurrent"]
    assert list(params["mod_recurrent"]) == ["w_rec", "tau", "bias", "threshold"]
    assert params["w_input"].shape == (4, 3) and params["w_output"].shape == (3, 2)

    weights_rec = np.random.default_rng(4).standard_normal((3, 3)) / 3
    net_mod.w_input = np.random.rand(4, 3) - 0.5
    net_mod.mod_recurrent.w_rec = weights_rec
    net_mod.w_output = np.random.rand(3, 2) - 0.5
    np.testing.assert_array_equal(net_mod.parameters()["mod_recurrent"]["w_rec"], weights_rec)
