"""Dynap-SE: one failing network per design rule (the message names the neuron by its logical
ID), placement, and the behavioural simulation."""

import numpy as np
import pytest

from rockpool_nb.devices import map_network, simulate
from rockpool_nb.devices.dynapse import DynapSEConfig, check_input_intervals, logical_id, place
from rockpool_nb.nn.combinators import Sequential
from rockpool_nb.nn.modules import LIF, Linear


def page_example(rng, **lif):
    """The page's layer: 3 neurons receive input from 2 channels and drive 6 recurrent ones."""
    w_in = np.zeros((2, 9))
    w_in[:, :3] = rng.integers(-2, 3, (2, 3))
    w_in[0, 0] = 2
    w_rec = np.zeros((9, 9))
    w_rec[:3, 3:] = rng.integers(1, 3, (3, 6))
    w_rec[3:, 3:] = rng.integers(-2, 2, (6, 6))
    return Sequential(Linear((2, 9), weight=w_in), LIF(9, has_rec=True, w_rec=w_rec, **lif))


def rules(m):
    return {v.rule: v for v in m.violations}


def test_logical_ids_and_placement():
    assert logical_id(1, 2, 3) == 1024 + 512 + 3
    ids = place(np.array([True, False, True, False]))
    np.testing.assert_array_equal(
        ids, [0, 256, 1, 257]
    )  # input neurons on core 0, others on core 1


def test_the_page_example_maps_and_simulates(rng):
    net = page_example(rng, tau_mem=0.02, tau_syn=0.01, bias=0.0)
    m = map_network(net, "dynapse")
    assert m.ok, m.violations
    assert isinstance(m.config, DynapSEConfig)
    ids = m.config.neuron_ids
    assert set(ids[:3] // 256) == {0} and set(ids[3:] // 256) == {1}
    sim = simulate(m.config)
    x = np.zeros((300, 2))
    x[::3, 0] = 1
    out, _, _ = sim(x)
    assert out.shape == (1, 300, 9) and out[0, :, 0].sum() > 0 and out.max() <= 1


def test_fan_in_names_the_logical_id(rng):
    w_in = np.zeros((2, 4))
    w_in[0, 1] = 70
    net = Sequential(Linear((2, 4), weight=w_in), LIF(4))
    v = rules(map_network(net, "dynapse"))["fan-in"]
    assert (
        "neuron 0 (chip 0, core 0, neuron 0, network neuron 1) has 70 incoming connections; the limit is 64"
        in v.message
    )


def test_integer_weights(rng):
    net = Sequential(Linear((2, 4), weight=np.full((2, 4), 0.5)), LIF(4))
    v = rules(map_network(net, "dynapse"))["integer connection counts"]
    assert (
        "neuron 0 (chip 0, core 0, neuron 0, network neuron 0)" in v.element and "0.5" in v.message
    )


def test_input_and_recurrent_neurons_on_separate_cores(rng):
    net = page_example(rng)
    ids = np.arange(9)  # all on core 0: input and recurrent neurons share it
    from rockpool_nb.devices.catalogue import CHIPS
    from rockpool_nb.devices.dynapse import map_dynapse

    v = rules(map_dynapse(net, CHIPS["dynapse"], neuron_ids=ids))[
        "input and recurrent neurons on separate cores"
    ]
    assert "(chip 0, core 0, neuron" in v.element


def test_input_neurons_on_one_chip(rng):
    from rockpool_nb.devices.catalogue import CHIPS
    from rockpool_nb.devices.dynapse import map_dynapse

    net = page_example(rng)
    ids = np.r_[0, 1, 1024 + 2, 256 + np.arange(6)]
    v = rules(map_dynapse(net, CHIPS["dynapse"], neuron_ids=ids))["input neurons on one chip"]
    assert "neuron 1026 (chip 1, core 0, neuron 2, network neuron 2)" in v.message


def test_shared_synapse_parameters_per_core(rng):
    net = page_example(rng, tau_syn=np.r_[np.full(8, 0.01), 0.05].reshape(9, 1))
    v = rules(map_network(net, "dynapse"))["shared synapse parameters"]
    assert "neuron 261 (chip 0, core 1, neuron 5, network neuron 8)" in v.message


def test_dt_and_structure(rng):
    net = page_example(rng, dt=1e-9)
    assert "dt range" in rules(map_network(net, "dynapse"))
    v = rules(map_network(Sequential(Linear((2, 4)), LIF(4), Linear((4, 2)), LIF(2)), "dynapse"))
    assert "supported structure" in v


def test_input_event_intervals():
    x = np.zeros((70_000, 2))
    x[0, 0] = x[69_999, 1] = 1
    with pytest.raises(ValueError, match="events at steps 0 and 69999 are 69999 steps apart"):
        check_input_intervals(x)
    x[30_000, 0] = 1
    check_input_intervals(x)
