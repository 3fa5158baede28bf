"""Design rules (one failing network per rule), quantisation bounds, configurations."""

import numpy as np
import pytest

from rockpool_nb.devices import CHIPS, HardwareConfig, map_network, simulate
from rockpool_nb.devices.quantise import dash_from_tau, quantise, tau_from_dash
from rockpool_nb.nn.combinators import Residual, Sequential
from rockpool_nb.nn.modules import LIF, Linear, Rate


def good(n_in=16, n_hid=60, n_out=4, **lif):
    return Sequential(
        Linear((n_in, n_hid)), LIF(n_hid, has_rec=True, **lif), Linear((n_hid, n_out)), LIF(n_out)
    )


def rules_of(mapping):
    return {v.rule: v for v in mapping.violations}


def test_a_good_network_maps_and_runs():
    m = map_network(good(), "xylo-audio-2")
    assert m.ok and m.violations == [] and isinstance(m.config, HardwareConfig)
    assert m.resources["hidden neurons"] == (60, 1000)
    assert m.config.shape == (16, 60, 4)
    out, _, _ = simulate(m.config)(np.random.default_rng(0).integers(0, 2, (50, 16)))
    assert out.shape == (1, 50, 4)
    assert "fits" in m.report()


def test_graph_input_is_accepted():
    net = good()
    assert map_network(net.as_graph(), "xylo-audio-2").ok


CASES = {
    "supported modules": (Sequential(Linear((4, 8)), Rate(8), Linear((8, 2)), LIF(2)), "1_Rate"),
    "first module is a weight": (Sequential(LIF(4), Linear((4, 2)), LIF(2)), "0_LIF"),
    "no consecutive weights": (
        Sequential(Linear((4, 8)), Linear((8, 8)), LIF(8), Linear((8, 2)), LIF(2)),
        "1_Linear",
    ),
    "input to neurons is a weight": (
        Sequential(Linear((4, 8)), LIF(8), LIF(8), Linear((8, 2)), LIF(2)),
        "2_LIF",
    ),
    "output nodes have neurons as source": (
        Sequential(Linear((4, 8)), LIF(8), Linear((8, 2))),
        "2_Linear",
    ),
    "at least two neuron layers": (Sequential(Linear((4, 2)), LIF(2)), "network"),
    "input channels": (good(n_in=20), "0_Linear"),
    "hidden neurons": (good(n_hid=1200), "'1_LIF' (1200)"),
    "output neurons": (good(n_out=10), "3_LIF"),
    "output neurons cannot be recurrent": (
        Sequential(Linear((4, 8)), LIF(8), Linear((8, 2)), LIF(2, has_rec=True)),
        "3_LIF",
    ),
    "all neurons have the same dt": (
        Sequential(Linear((4, 8)), LIF(8, dt=1e-3), Linear((8, 2)), LIF(2, dt=2e-3)),
        "'1_LIF' (dt=0.001)",
    ),
    "time constant above dt": (good(tau_mem=np.r_[np.full(59, 0.02), 0.0005]), "1_LIF.tau_mem[59]"),
    "time constant range": (good(tau_syn=100.0), "1_LIF.tau_syn[0]"),
    "positive thresholds": (
        good(threshold=np.r_[np.ones(17), -1.0, np.ones(42)]),
        "1_LIF.threshold[17]",
    ),
    "weight nodes have no biases": (
        Sequential(Linear((4, 8), has_bias=True), LIF(8), Linear((8, 2)), LIF(2)),
        "0_Linear",
    ),
    "recurrent fan-out": (good(n_hid=80), "hidden neuron"),
}


@pytest.mark.parametrize("rule", list(CASES))
def test_each_rule_names_the_offending_element(rule):
    net, element = CASES[rule]
    m = map_network(net, "xylo-audio-2")
    found = rules_of(m)
    assert rule in found, f"expected {rule!r}; got {list(found)}"
    v = found[rule]
    assert element in v.element and v.fix and v.message
    assert not m.ok and m.config is None


def test_fan_out_message_is_actionable():
    v = rules_of(map_network(good(n_hid=80), "xylo-audio-2"))["recurrent fan-out"]
    assert v.message.startswith("fan-out of neuron 0 is 80 connections; the limit is 64")
    hidden = rules_of(map_network(good(n_hid=1200), "xylo-audio-2"))["hidden neurons"]
    assert hidden.fix == "reduce hidden neurons from 1200 to 1000"


def test_recurrent_memory_synapses_and_expansion_neuron_rules():
    net = Sequential(Linear((16, 600)), LIF(600, has_rec=True), Linear((600, 8)), LIF(8))
    assert "recurrent weight memory" in rules_of(map_network(net, "xylo-audio-2"))
    two_syn = Sequential(Linear((4, 16)), LIF((16, 8)), Linear((8, 2)), LIF(2))
    assert map_network(two_syn, "xylo-audio-2").ok
    v = rules_of(map_network(two_syn, "xylo-imu"))["synapses per neuron"]
    assert v.element == "1_LIF" and v.limit == 1 and v.value == 2
    wide = Sequential(Linear((4, 200)), LIF(200), Linear((200, 2)), LIF(2))
    found = rules_of(map_network(wide, "xylo-imu"))
    assert "only neurons 0–127 can receive input" in found["input neurons"].message
    assert "only the last 128 hidden neurons" in found["readout neurons"].message


def test_residual_is_refused_with_a_reason():
    net = Sequential(Linear((4, 8)), Residual(Linear((8, 8)), LIF(8)), Linear((8, 2)), LIF(2))
    v = rules_of(map_network(net, "xylo-audio-2"))["supported modules"]
    assert "ModResidual" in v.message


def test_unknown_chip_and_dynapse_record():
    with pytest.raises(ValueError, match="chip: expected one of"):
        map_network(good(), "xylo-9000")
    assert CHIPS["dynapse"].max_fan_in == 64 and CHIPS["dynapse"].neurons_per_core == 256


def test_quantisation_bounds_and_errors(rng):
    spec = CHIPS["xylo-audio-2"]
    n, m = 30, 3
    floats = {
        "weights_in": rng.normal(0, 1, (16, n, 2)),
        "weights_rec": rng.normal(0, 0.3, (n, n, 2)),
        "weights_out": rng.normal(0, 2, (n, m)),
        "threshold": np.full(n, 1.0),
        "threshold_out": np.full(m, 1.0),
        "bias": rng.normal(0, 0.01, n),
        "bias_out": np.zeros(m),
        "tau_mem": np.full(n, 0.02),
        "tau_syn": np.full((n, 2), 0.005),
        "tau_mem_out": np.full(m, 0.02),
        "tau_syn_out": np.full(m, 0.02),
        "dt": 1e-3,
    }
    for method in ("global", "channel"):
        ints, report = quantise(floats, spec, method)
        for key in ("weights_in", "weights_rec", "weights_out"):
            assert ints[key].min() >= -128 and ints[key].max() <= 127
            # rounding error at most half a unit of the scale
            assert report[key]["max_abs_error"] <= 0.5 / report[key]["scale"] + 1e-12
        assert np.abs(ints["weights_in"]).max() == 127 or method == "channel"
        assert 1 <= ints["threshold"].min() and ints["threshold"].max() <= 32767
        HardwareConfig(chip=spec.name, dt=1e-3, aliases=-np.ones(n, int), **ints)
    # huge thresholds force a smaller scale rather than overflow
    floats["threshold"] = np.full(n, 1e4)
    ints, _ = quantise(floats, spec)
    assert ints["threshold"].max() <= 32767 and np.abs(ints["weights_in"]).max() < 127


def test_dash_follows_the_time_constant():
    dash = dash_from_tau([0.002, 0.016, 0.064, 10.0], 1e-3)
    np.testing.assert_array_equal(dash, [1, 4, 6, 13])
    back = tau_from_dash(dash, 1e-3)
    assert np.all(np.abs(np.log2(back / np.array([0.002, 0.016, 0.064, 10.0]))) < 0.6)


def test_config_validation_and_save_load(tmp_path):
    cfg = map_network(good(), "xylo-audio-2").config
    path = cfg.save(tmp_path / "cfg.npz")
    back = HardwareConfig.load(path)
    for k, v in cfg.to_dict().items():
        np.testing.assert_array_equal(np.asarray(v), np.asarray(back.to_dict()[k]))
    again = HardwareConfig.from_dict(cfg.to_dict())
    np.testing.assert_array_equal(again.weights_rec, cfg.weights_rec)
    bad = cfg.to_dict()
    bad["dash_mem"] = np.full(60, 16)
    with pytest.raises(ValueError, match=r"dash_mem: expected values in \[0, 15\]"):
        HardwareConfig.from_dict(bad)
    bad = cfg.to_dict()
    bad["weights_in"] = bad["weights_in"] * 3
    with pytest.raises(ValueError, match=r"weights_in: expected values in \[-128, 127\]"):
        HardwareConfig.from_dict(bad)
    with pytest.raises(ValueError, match="missing fields"):
        HardwareConfig.from_dict({"chip": "xylo-audio-2"})
    (tmp_path / "junk.npz").write_text("nope")
    with pytest.raises(ValueError, match="not a readable hardware configuration"):
        HardwareConfig.load(tmp_path / "junk.npz")


def test_chip_follows_the_float_network_on_a_simple_case():
    """Two inputs drive two hidden neurons which drive one readout: the readout spike counts of
    the float network and of the chip agree to within quantisation."""
    from rockpool_nb.devices.compare import compare_outputs

    def build():
        return Sequential(
            Linear((2, 2), weight=[[2.0, 0], [0, 2.0]]),
            LIF(2, tau_mem=0.016, tau_syn=0.004),
            Linear((2, 1), weight=[[3.0], [3.0]]),
            LIF(1, tau_mem=0.016, tau_syn=0.004),
        )

    m = map_network(build(), "xylo-audio-2")
    assert m.ok
    x = np.zeros((400, 2), dtype=int)
    x[::5, 0] = 1
    c = compare_outputs(build(), m.config, x)
    assert c.float_counts[0] > 10
    assert abs(int(c.count_difference[0])) <= 0.3 * c.float_counts[0]
    assert "neuron  float  chip" in c.summary()
