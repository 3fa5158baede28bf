"""DeployedModule on the in-process simulated chip: the Module contract and its errors.

The device-server path is tested against a real server process in
``tests/devices/transport/test_server.py``.
"""

import numpy as np
import pytest

from rockpool_nb.devices import deploy, map_network, simulate
from rockpool_nb.devices.deployed import DeployedModule
from rockpool_nb.nn.combinators import Sequential
from rockpool_nb.nn.modules import LIF, Linear, Module


def _config(rng, n_in=6, n_hidden=12, n_out=3):
    net = Sequential(
        Linear((n_in, n_hidden), weight=rng.normal(0, 1.0, (n_in, n_hidden))),
        LIF(n_hidden),
        Linear((n_hidden, n_out), weight=rng.normal(0, 1.0, (n_hidden, n_out))),
        LIF(n_out),
    )
    m = map_network(net, "xylo-audio-2")
    assert m.ok, m.report()
    return m.config


@pytest.fixture
def config(rng):
    return _config(rng)


def test_deployed_module_is_a_module_with_the_simulated_chip_output(config, rng):
    mod = deploy(config)
    assert isinstance(mod, Module) and not mod.on_device
    assert mod.shape == (config.shape[0], config.shape[2])
    x = rng.poisson(0.6, (80, config.shape[0]))
    out, _, rec = mod(x, record=True)
    ref, _, ref_rec = simulate(config)(x, record=True)
    assert out.shape == ref.shape == (1, 80, config.shape[2])
    np.testing.assert_array_equal(out, ref)
    for key in ("Vmem", "Isyn", "Spikes"):
        np.testing.assert_array_equal(rec[key], ref_rec[key])


def test_state_carries_over_until_reset(config, rng):
    x = rng.poisson(0.8, (60, config.shape[0]))
    mod = deploy(config, "simulator")
    first, _, _ = mod(x)
    ref_two, _, _ = simulate(config)(np.concatenate([x, x]))
    second, _, _ = mod(x)
    np.testing.assert_array_equal(second[0], ref_two[0, 60:])
    again, _, _ = mod.reset_state()(x)
    np.testing.assert_array_equal(again, first)


def test_bad_arguments_name_what_was_expected(config):
    with pytest.raises(TypeError, match="config: expected a HardwareConfig"):
        deploy({"chip": "xylo-audio-2"})
    with pytest.raises(TypeError, match="target: expected"):
        deploy(config, 12)
    mod = deploy(config)
    with pytest.raises(ValueError, match=r"input: expected \(T, 6\)"):
        mod(np.zeros((10, 5), int))


def test_refused_configuration_leaves_the_deployment_as_it_was(config, rng):
    mod = deploy(config)
    other = _config(rng, n_in=4)
    with pytest.raises(ValueError, match="config: shape"):
        mod.apply(other)
    assert mod.config is config
    x = rng.poisson(0.6, (40, config.shape[0]))
    out, _, _ = mod(x)
    np.testing.assert_array_equal(out, simulate(config)(x)[0])
    assert isinstance(mod, DeployedModule)
