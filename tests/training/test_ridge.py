import numpy as np
import pytest

from rockpool_nb.nn.modules import Linear
from rockpool_nb.timeseries import TSContinuous
from rockpool_nb.training import RidgeRegrTrainer, train_readout


@pytest.fixture
def problem(rng):
    x = rng.normal(size=(500, 8))
    w = rng.normal(size=(8, 3))
    b = rng.normal(size=3)
    y = x @ w + b + 0.01 * rng.normal(size=(500, 3))
    return x, y, w, b


def test_unregularised_equals_least_squares(problem):
    x, y, _, _ = problem
    w, b = train_readout(x, y)
    ref = np.linalg.lstsq(np.hstack([x, np.ones((500, 1))]), y, rcond=None)[0]
    np.testing.assert_allclose(w, ref[:8], atol=1e-10)
    np.testing.assert_allclose(b, ref[8], atol=1e-10)


def test_regularised_closed_form_without_penalising_the_bias(problem):
    x, y, _, _ = problem
    lam = 25.0
    w, b = train_readout(x, y, regularize=lam)
    xt = np.hstack([x, np.ones((500, 1))])
    reg = np.diag([lam] * 8 + [0.0])
    ref = np.linalg.solve(xt.T @ xt + reg, xt.T @ y)
    np.testing.assert_allclose(np.vstack([w, b]), ref, atol=1e-10)
    w0, _ = train_readout(x, y)
    assert np.linalg.norm(w) < np.linalg.norm(w0)  # shrinkage


def test_streaming_over_batches_equals_one_shot(problem):
    x, y, _, _ = problem
    trainer = RidgeRegrTrainer(8, 3, regularize=0.5)
    for k in range(0, 500, 70):
        trainer.train_batch(x[k : k + 70], y[k : k + 70])
    w, b = trainer.fit()
    w1, b1 = train_readout(x, y, regularize=0.5)
    np.testing.assert_allclose(w, w1, atol=1e-10)
    np.testing.assert_allclose(b, b1, atol=1e-10)
    assert trainer.num_samples == 500


def test_batched_arrays_time_series_and_writing_into_a_linear(problem):
    x, y, _, _ = problem
    ts_x = TSContinuous(np.arange(500) * 1e-3, x)
    ts_y = TSContinuous(np.arange(500) * 1e-3, y)
    readout = Linear((8, 3), has_bias=True)
    w, b = train_readout(ts_x, ts_y, regularize=0.1, linear=readout)
    np.testing.assert_allclose(readout.weight, w)
    np.testing.assert_allclose(readout.bias, b)
    out, _, _ = readout(x)
    assert np.mean((out - y) ** 2) < 1e-3
    w3, _ = train_readout(x.reshape(5, 100, 8), y.reshape(5, 100, 3), regularize=0.1)
    np.testing.assert_allclose(w3, w, atol=1e-10)


def test_errors_name_the_argument(problem):
    x, y, _, _ = problem
    with pytest.raises(ValueError, match="target: expected 500 time steps to match inp; got 499"):
        RidgeRegrTrainer(8, 3).train_batch(x, y[:499])
    with pytest.raises(ValueError, match="inp: expected 8 channels; got 7"):
        RidgeRegrTrainer(8, 3).train_batch(x[:, :7], y)
    with pytest.raises(ValueError, match="regularize: expected a non-negative number; got -1"):
        RidgeRegrTrainer(8, 3, regularize=-1)
    with pytest.raises(RuntimeError, match="no batches given"):
        RidgeRegrTrainer(8, 3).fit()
    with pytest.raises(ValueError, match="inp: expected finite values"):
        RidgeRegrTrainer(8, 3).train_batch(np.full((2, 8), np.nan), y[:2])
    readout = Linear((8, 3))
    before = readout.weight.copy()
    with pytest.raises(ValueError, match="has no bias parameter"):
        train_readout(x, y, linear=readout)
    np.testing.assert_array_equal(readout.weight, before)  # nothing half-written
