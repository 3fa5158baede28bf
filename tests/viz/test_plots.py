import numpy as np
import pytest

hv = pytest.importorskip("holoviews")

from rockpool_nb import viz  # noqa: E402
from rockpool_nb.timeseries import TSContinuous, TSEvent  # noqa: E402


def test_traces_stagger_skip_and_channels(rng):
    data = rng.normal(0, 1, (100, 6))
    ov = viz.plot_traces(data, dt=1e-3, stagger=5.0, skip=2)
    curves = list(ov)
    assert len(curves) == 3  # channels 0, 2, 4
    np.testing.assert_allclose(curves[1].dimension_values(1), data[:, 2] + 5.0)
    np.testing.assert_allclose(curves[0].dimension_values(0), np.arange(100) * 1e-3)
    assert len(list(viz.plot_traces(data, channels=[1, 3]))) == 2
    with pytest.raises(ValueError, match=r"data: expected \(T, N\) samples"):
        viz.plot_traces(np.zeros((2, 3, 4)))


def test_time_series_plot_uses_viz_with_holoviews_backend(rng):
    ts = TSContinuous(np.arange(50) * 1e-3, rng.normal(0, 1, (50, 3)), name="v")
    ts.set_plotting_backend("holoviews", verbose=False)
    out = ts.plot(stagger=1.0)
    assert isinstance(out, hv.Overlay) and len(list(out)) == 3
    ev = TSEvent([0.01, 0.02, 0.03], [0, 1, 1], t_stop=0.05, num_channels=2, name="s")
    ev.set_plotting_backend("holoviews", verbose=False)
    pts = ev.plot(channels=[1])
    assert isinstance(pts, hv.Points) and len(pts) == 2


def test_raster_switches_to_an_image_of_counts_above_the_threshold(rng):
    small = viz.plot_raster(rng.random(1000), rng.integers(0, 10, 1000))
    assert isinstance(small, hv.Points)
    n = viz.RASTERIZE_ABOVE + 1
    t, c = np.sort(rng.random(n)) * 10.0, rng.integers(0, 100, n)
    big = viz.plot_raster(t, c, width=200, height=50)
    assert isinstance(big, hv.DynamicMap)  # an image per view, re-aggregated on zoom
    (range_xy,) = big.streams
    assert isinstance(range_xy, hv.streams.RangeXY)
    full = big[()]
    assert isinstance(full, hv.Image) and full.dimension_values(2, flat=False).shape == (50, 200)
    assert np.nansum(full.dimension_values(2)) == n  # every event counted once
    range_xy.event(x_range=(2.0, 3.0), y_range=(10, 20))  # a zoom re-aggregates that range only
    zoomed = big[()]
    inside = np.count_nonzero((t >= 2.0) & (t <= 3.0) & (c >= 10) & (c <= 20))
    assert (
        zoomed.bounds.lbrt() == (2.0, 10, 3.0, 20)
        and np.nansum(zoomed.dimension_values(2)) >= inside
    )
    with pytest.raises(ValueError, match="channels: expected the shape of times"):
        viz.plot_raster(np.zeros(3), np.zeros(4))


def test_aggregate_events_matches_histogram2d(rng):
    from rockpool_nb.viz.rasters import aggregate_events, row_offsets

    t, c = rng.random(5000) * 2.0, rng.integers(0, 40, 5000)
    for sorted_times in (False, True):
        order = np.argsort(t) if sorted_times else np.arange(t.size)
        counts = aggregate_events(
            t[order], c[order], (0.5, 1.5), (-0.5, 19.5), 30, 10, sorted_times=sorted_times
        )
        keep = (t >= 0.5) & (t <= 1.5) & (c <= 19)
        ref, _, _ = np.histogram2d(
            c[keep], t[keep], bins=(10, 30), range=((-0.5, 19.5), (0.5, 1.5))
        )
        np.testing.assert_array_equal(counts, ref[::-1])  # row 0 is the top channel
    inside = c <= 19
    rows = row_offsets(c[inside], (-0.5, 19.5), 30, 10)  # reused across zooms in time
    for x_range in ((0.5, 1.5), (0.0, 2.0)):
        np.testing.assert_array_equal(
            aggregate_events(t[inside], c[inside], x_range, (-0.5, 19.5), 30, 10, rows=rows),
            aggregate_events(t[inside], c[inside], x_range, (-0.5, 19.5), 30, 10),
        )


def test_sparse_events_are_spread_to_stay_visible():
    t, c = np.array([0.0, 0.5, 1.0]), np.array([0, 5, 9])
    big = viz.plot_raster(t, c, rasterize=True, width=40, height=10)  # a row per channel
    img = big[()].dimension_values(2, flat=False)
    assert np.count_nonzero(~np.isnan(img)) == 4 + 9 + 4  # 3 x 3 blocks, clipped in corners


def test_rate_heatmap_weights_and_eigenspectrum(rng):
    spikes = (rng.random((1000, 20)) < 0.02).astype(float)
    rate = viz.plot_rate(spikes, dt=1e-3, window=0.05)
    assert abs(np.mean(rate.dimension_values(1)[100:-100]) - 20.0) < 3.0  # 0.02 per ms = 20 Hz
    assert len(list(viz.plot_rate(spikes[:, :3], per_neuron=True))) == 3
    img = viz.plot_state_heatmap(rng.normal(0, 1, (100, 8)))
    assert isinstance(img, hv.Image) and img.dimension_values(2).size == 800
    w = rng.normal(0, 1, (5, 7))
    wimg = viz.plot_weights(w)
    assert wimg.opts.get().kwargs["clim"] == (-np.abs(w).max(), np.abs(w).max())
    eig = viz.plot_eigenspectrum(rng.normal(0, 1, (30, 30)) / np.sqrt(30))
    scatter = eig.Scatter.I
    assert len(scatter) == 30
    with pytest.raises(ValueError, match="expected a square matrix"):
        viz.plot_eigenspectrum(w)
