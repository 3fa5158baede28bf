import numpy as np
import pytest

pytest.importorskip("panel")

from rockpool_nb.devices import HardwareConfig, simulate  # noqa: E402
from rockpool_nb.nn.combinators import Sequential  # noqa: E402
from rockpool_nb.nn.modules import LIF, Linear  # noqa: E402
from rockpool_nb.widgets import DeploymentPanel  # noqa: E402


def nets():
    rng = np.random.default_rng(0)
    return {
        "two synapses": Sequential(
            Linear((8, 64), weight=rng.normal(0, 1, (8, 64))),
            LIF((64, 32)),
            Linear((32, 4)),
            LIF(4),
        ),
        "too big": Sequential(Linear((8, 1200)), LIF(1200), Linear((1200, 4)), LIF(4)),
    }


def test_check_shows_violations_then_fix_deploy_run_compare(tmp_path):
    dp = DeploymentPanel(nets(), chip="xylo-imu")
    m = dp.check()
    assert not m.ok and dp.deploy_button.disabled
    assert "synapses per neuron" in dp.violations.object and "Fix:" in dp.violations.object
    assert len(dp.resources.objects) == len(m.resources)
    dp.chip_select.value = "xylo-audio-2"  # the fix: a chip with two synapses per neuron
    assert "Check" in dp.status.object
    m = dp.check()
    assert m.ok and not dp.deploy_button.disabled
    assert "weights_in" in dp.quantisation.object
    with pytest.raises(RuntimeError, match="deploy first"):
        dp.run()
    dp.deploy()
    assert not dp.run_button.disabled
    x = dp.input_raster()
    c = dp.run(x)
    ref, _, _ = simulate(m.config)(x)
    np.testing.assert_array_equal(c.chip_spikes, ref[0])
    assert dp.plot.object is not None and "Ran" in dp.status.object
    cfg = HardwareConfig.load(dp.export(tmp_path / "c.npz"))
    np.testing.assert_array_equal(cfg.weights_in, m.config.weights_in)
    assert dp._export_bytes().getbuffer().nbytes > 0


def test_too_big_network_reports_the_hidden_limit():
    dp = DeploymentPanel(nets())
    dp.network_select.value = "too big"
    dp.check()
    assert "reduce hidden neurons from 1200 to 1000" in dp.violations.object
    dp._safely(dp.deploy)  # the button path shows the error instead of raising
    assert "Error" in dp.status.object and dp.deployed is None


def test_dynapse_is_offered_as_a_target(tmp_path):
    rng = np.random.default_rng(3)
    w_in = np.zeros((2, 9))
    w_in[:, :3] = 2
    w_rec = np.zeros((9, 9))
    w_rec[:3, 3:] = rng.integers(1, 3, (3, 6))
    net = Sequential(Linear((2, 9), weight=w_in), LIF(9, has_rec=True, w_rec=w_rec))
    dp = DeploymentPanel({"page 003 layer": net}, chip="dynapse")
    assert "dynapse" in dp.chip_select.options
    m = dp.check()
    assert m.ok, m.violations
    dp.deploy()
    c = dp.run()
    assert c.chip_spikes.shape == (1000, 9) and c.chip_counts.sum() > 0
    assert dp.export(tmp_path / "d.npz").exists()
