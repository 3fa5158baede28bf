"""The loss history of a training run, as a live HoloViews curve."""

import numpy as np
import pytest

pytest.importorskip("holoviews")

from rockpool_nb.nn.combinators import Sequential  # noqa: E402
from rockpool_nb.nn.modules import Linear, Rate  # noqa: E402
from rockpool_nb.training import Adam, fit, losses  # noqa: E402
from rockpool_nb.viz.loss import LossHistory  # noqa: E402


def shown(dmap):
    curve = dmap[()]
    return curve.dimension_values("step"), curve.dimension_values("loss")


def test_points_reach_the_plot_at_most_every_interval_and_on_flush():
    history = LossHistory(interval=3600.0)
    dmap = history.plot()
    history(0, 1.0)  # the first point is sent at once
    history(1, 0.5)
    history(2, 0.25)  # within the interval: recorded, not yet drawn
    steps, loss = shown(dmap)
    assert steps.tolist() == [0.0] and loss.tolist() == [1.0]
    history.flush()
    steps, loss = shown(dmap)
    assert steps.tolist() == [0, 1, 2] and loss.tolist() == [1.0, 0.5, 0.25]


def test_fit_feeds_the_history_and_flushes_it(rng):
    net = Sequential(Linear((2, 4), weight=rng.normal(0, 0.5, (2, 4))), Rate(4))
    x = rng.normal(0, 1, (50, 2))
    y = rng.normal(0, 0.1, (1, 50, 4))
    history = LossHistory(interval=3600.0)
    dmap = history.plot()
    values = fit(
        net, losses.mse, x, y, steps=5, optimiser=Adam(1e-2), progress=False, callback=history
    )
    steps, loss = shown(dmap)
    assert steps.tolist() == [0, 1, 2, 3, 4]
    np.testing.assert_allclose(loss, values)
    assert loss[-1] < loss[0]


def test_exported_lazily_from_viz():
    import rockpool_nb.viz as viz

    assert viz.LossHistory is LossHistory and "LossHistory" in viz.__all__


def test_bad_interval_is_named():
    with pytest.raises(ValueError, match="interval: expected a finite number of seconds"):
        LossHistory(interval=-1)
