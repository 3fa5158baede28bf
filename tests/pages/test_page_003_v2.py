"""Page 003 (Rockpool's v1 documentation) re-expressed in the v2 API.

Its time-series examples are in ``tests/timeseries/test_page_examples.py``. Here: building,
simulating and ridge-training a rate reservoir, the weight-generator table, and the spiking
recurrent layers (spiking input, current injection, input/output weighting). v1 layers
(``PassThrough``, ``RecRateEuler``, ``RecLIFJax``, ...) become ``Linear``, ``Rate``, ``LIFJax``
modules in a ``Sequential``; ``layer.evolve(ts)`` becomes ``module.timed()(ts)``.
"""

import numpy as np
import pytest

import rockpool_nb.weights as weights
from rockpool_nb.nn.combinators import Sequential
from rockpool_nb.nn.modules import LIFJax, Linear, LinearJax, Rate
from rockpool_nb.timeseries import TSContinuous, TSEvent
from rockpool_nb.training import train_readout
from rockpool_nb.weights import unit_lambda_net


@pytest.fixture
def plt():
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


def reservoir(rng, n=100):
    """Input -> recurrent rate reservoir (unit spectral radius) -> readout, dt = 1 s."""
    return Sequential(
        Linear((1, n), weight=rng.random((1, n)) - 0.5),
        Rate(n, has_rec=True, w_rec=unit_lambda_net(n, rng=rng), tau=rng.random(n) * 50 + 10, dt=1),
        Linear((n, 2), weight=rng.random((n, 2)) - 0.5),
    )


def test_reservoir_builds_prints_and_evolves_on_a_periodic_ramp():
    net = reservoir(np.random.default_rng(0))
    assert repr(net) == (
        "ModSequential  with shape (1, 2) {\n"
        "    Linear '0_Linear' with shape (1, 100)\n"
        "    Rate '1_Rate' with shape (100,)\n"
        "    Linear '2_Linear' with shape (100, 2)\n"
        "}"
    )
    radius = np.max(np.abs(np.linalg.eigvals(net[1].w_rec)))
    assert 0.8 < radius < 1.2
    t = np.arange(0, 101, 1.0)
    ramp = TSContinuous(t, t, periodic=True, name="Ramp")
    out, state, _ = net.timed(dt=1.0)(ramp, duration=1000)
    assert isinstance(out, TSContinuous)
    assert out.samples.shape == (1000, 2) and (out.t_start, out.t_stop) == (0.0, 1000.0)
    assert np.all(np.isfinite(out.samples)) and np.ptp(out.samples) > 0
    assert set(state) == {"0_Linear", "1_Rate", "2_Linear"}


def test_reservoir_readout_trained_by_ridge_regression():
    net = reservoir(np.random.default_rng(1))
    t = np.arange(0, 101, 1.0)
    ramp = TSContinuous(t, t, periodic=True, name="Ramp")
    phase = t / 100 * 2 * np.pi
    targets = TSContinuous(t, np.stack((np.sin(phase), np.cos(phase))).T, periodic=True)
    tm = net.timed(dt=1.0)
    tm(ramp, duration=1000)  # burn-in: let the reservoir settle
    before, _, rec = tm(ramp, duration=100, record=True)
    y = targets(np.arange(1000, 1100, 1.0))
    states = rec["1_Rate_output"]  # a time series, as Rockpool's timed Sequential records
    assert isinstance(states, TSContinuous) and states.samples.shape == (100, 100)
    train_readout(states.samples, y, regularize=0.1, bias=False, linear=net[2])
    after, _, _ = tm(ramp, duration=100)  # the next period: same input, trained readout
    assert np.mean((before.samples - y) ** 2) > 1.0
    assert np.mean((after.samples - y) ** 2) < 0.01 * np.var(y)


def test_weight_generator_table_is_importable_under_rockpools_names():
    listed = [
        "unit_lambda_net",
        "rndm_ei_net",
        "rndm_sparse_ei_net",
        "wilson_cowan_net",
        "DiscretiseWeightMatrix",
        "dynapse_conform",
        "iaf_sparse_net",
    ]
    for name in listed:
        assert callable(getattr(weights, name)) and name in weights.__all__
    # the first row: "unit-circle eigenspectrum", asserted for several sizes and seeds
    for n, seed in [(50, 0), (200, 1)]:
        w = unit_lambda_net(n, rng=seed)
        assert w.shape == (n, n)
        assert abs(np.max(np.abs(np.linalg.eigvals(w))) - 1) < 0.25


def poisson_events(rng, n, duration, dt, min_rate, max_rate):
    time_base = np.arange(0, duration, dt)
    rate = (np.sin(time_base * 2 * np.pi * 5.0) / 2 + 0.5) * (max_rate - min_rate) + min_rate
    raster = rng.random((len(time_base), n)) < np.tile(rate * dt, (n, 1)).T
    spikes = np.argwhere(raster)
    return TSEvent(
        time_base[spikes[:, 0]],
        spikes[:, 1],
        t_start=0.0,
        t_stop=duration,
        name="Input spikes",
        periodic=True,
    )


def spiking_layer(rng, n=100, dt=1e-3, spiking_input=True):
    # v1's RecLIFJax(weights_rec, tau_mem, tau_syn, bias, dt=dt); v2 LIF has no dt scaling of
    # the membrane input, so the threshold is raised to keep rates in the tens of Hz
    return LIFJax(
        n,
        has_rec=True,
        w_rec=0.5 * rng.standard_normal((n, n)) / np.sqrt(n),
        tau_mem=rng.random(n) * 100e-3 + 50e-3,
        tau_syn=rng.random(n) * 100e-3 + 50e-3,
        threshold=50.0,
        dt=dt,
        spiking_input=spiking_input,
    )


def test_spiking_recurrent_layer_with_spiking_input(plt):
    rng = np.random.default_rng(2)
    lif = spiking_layer(rng)
    assert repr(lif) == "LIFJax  with shape (100, 100)"
    inp = poisson_events(rng, 100, 1.0, 1e-3, 3.0, 10.0)
    assert inp.num_channels == 100 and inp.periodic
    raw_input = inp.raster(1e-3, add_events=True)
    expected, _, expected_rec = spiking_layer(np.random.default_rng(2))(raw_input, record=True)

    out, _, rec = lif.timed()(inp, record=True)
    assert isinstance(out, TSEvent) and out.num_channels == 100 and len(out.times) > 0
    np.testing.assert_array_equal(out.raster(1e-3, add_events=True), expected[0])
    assert set(rec) == {"vmem", "isyn", "irec", "spikes"}
    assert isinstance(rec["vmem"], TSContinuous) and rec["vmem"].samples.shape == (1000, 100)
    np.testing.assert_array_equal(rec["vmem"].samples, expected_rec["vmem"][0])

    plt.figure()
    inp.plot()
    assert len(plt.gca().collections) == 1  # one scatter of events
    plt.figure()
    rec["vmem"].plot(stagger=1, skip=10)
    assert len(plt.gca().lines) == 10


def test_spiking_recurrent_layer_with_current_injection():
    rng = np.random.default_rng(3)
    lif = spiking_layer(rng, spiking_input=False)
    dt, n = 1e-3, 100
    time_base = np.arange(0, 1.0, dt)
    sinusoid = 5.0 * np.sin(time_base * 2 * np.pi * 5.0) / 2
    inputs = np.tile(sinusoid, (n, 1)).T + 5.0 * rng.standard_normal((len(time_base), n))
    input_ts = TSContinuous(
        time_base, inputs, periodic=True, name="Input currents", units="$I_{in}$"
    )
    assert input_ts.units == "$I_{in}$" and input_ts.num_traces == n
    out, _, rec = lif.timed()(input_ts, record=True)
    # a periodic series' period ends at its last sample (0.999 s): 999 steps, as in Rockpool
    assert isinstance(out, TSEvent) and out.t_stop == pytest.approx(0.999)
    assert rec["isyn"].samples.shape == (999, n)
    spikes = rec["spikes"].raster(dt, add_events=True)
    np.testing.assert_array_equal(spikes, out.raster(dt, add_events=True))


def test_input_and_output_weighting_as_a_sequential():
    # v1's RecLIFJax_IO(w_in, w_rec, w_out, ...) is Linear -> LIF -> Linear
    rng = np.random.default_rng(4)
    w_in, w_out = rng.random((2, 100)), rng.random((100, 5))
    net = Sequential(
        LinearJax((2, 100), weight=w_in), spiking_layer(rng), LinearJax((100, 5), weight=w_out)
    )
    assert repr(net) == (
        "ModSequential  with shape (2, 5) {\n"
        "    LinearJax '0_LinearJax' with shape (2, 100)\n"
        "    LIFJax '1_LIFJax' with shape (100, 100)\n"
        "    LinearJax '2_LinearJax' with shape (100, 5)\n"
        "}"
    )
    inp = poisson_events(rng, 2, 1.0, 1e-3, 10.0, 20.0)
    raster = inp.raster(1e-3, add_events=True)
    _, _, rec = net(raster, record=True)
    spikes = rec["1_LIFJax_output"][0]
    assert spikes.sum() > 0
    net.reset_state()
    out, _, _ = net.timed(dt=1e-3)(TSContinuous.from_clocked(raster, dt=1e-3))
    assert isinstance(out, TSContinuous) and out.num_channels == 5
    np.testing.assert_allclose(out.samples, spikes @ w_out, rtol=1e-5)
