"""Spike rasters: ``hv.Points`` for modest counts; beyond, an image of event counts per pixel,
re-aggregated for the visible range on every zoom or pan.

The counts are a plain NumPy ``bincount`` over the events in view (times sorted once, so the
visible time range is a ``searchsorted`` slice). Measured on 10⁷ events: 0.12-0.35 s per full
image, a few ms for a zoomed one, and no start-up cost; datashader, used before, took 1.0 s to
import and 0.9 s to compile its aggregation on first use in each kernel, which put the first
display of such a raster over 3 s.
"""

from __future__ import annotations

import functools

import numpy as np

from rockpool_nb.viz._hv import holoviews

__all__ = ["plot_raster", "plot_events", "RASTERIZE_ABOVE", "aggregate_events", "row_offsets"]

RASTERIZE_ABOVE = 50_000  # events: above this, the raster is drawn as an image of counts


def row_offsets(channels, y_range, width: int, height: int) -> np.ndarray:
    """``width · k`` for each event, ``k = floor((c - y0) / Δy)`` its pixel row from the bottom
    (clipped to the image): the part of the pixel index that a zoom in time does not change."""
    y0, y1 = (float(v) for v in y_range)
    row = (np.asarray(channels) - y0) * (height / max(y1 - y0, 1e-300))
    row = row.astype(np.intp)
    np.clip(row, 0, height - 1, out=row)
    row *= width
    return row


def aggregate_events(
    times,
    channels,
    x_range,
    y_range,
    width: int,
    height: int,
    sorted_times=False,
    rows=None,
):
    """Events counted per pixel: ``(height, width)`` int64 array, row 0 at the top.

    Pixel ``(i, j)`` counts the events with time in ``[x0 + j·Δx, x0 + (j+1)·Δx)`` and channel in
    ``[y1 - (i+1)·Δy, y1 - i·Δy)``, with ``Δx = (x1 - x0)/width`` and ``Δy = (y1 - y0)/height``;
    events outside ``x_range × y_range`` are left out (the right and top edges are included).

    Parameters
    ----------
    times, channels : (N,) arrays
        Event times (s) and channel indices.
    x_range, y_range : (float, float)
        Visible time range (s) and channel range.
    width, height : int
        Image size in pixels.
    sorted_times : bool
        ``times`` is non-decreasing: the time range is then found by bisection, not a mask.
    rows : (N,) int array, optional
        :func:`row_offsets` of all events for this ``y_range``, when every channel lies inside
        it: reused across zooms in time, it halves the work.
    """
    (x0, x1) = (float(v) for v in x_range)
    if sorted_times:
        i0 = np.searchsorted(times, x0, side="left")
        i1 = np.searchsorted(times, x1, side="right")
        t, c = times[i0:i1], channels[i0:i1]
        r = None if rows is None else rows[i0:i1]
    else:
        keep = (times >= x0) & (times <= x1)
        t, c = times[keep], channels[keep]
        r = None if rows is None else rows[keep]
    if r is None:
        y0, y1 = (float(v) for v in y_range)
        if len(c) and (y0 > c.min() or y1 < c.max()):
            keep = (c >= y0) & (c <= y1)
            t, c = t[keep], c[keep]
        r = row_offsets(c, y_range, width, height)
    # pixel index = width · k + j, column j = floor((t - x0) / Δx) clipped to the image
    col = t - x0
    col *= width / max(x1 - x0, 1e-300)
    col = col.astype(np.intp)
    np.minimum(col, width - 1, out=col)
    col += r
    counts = np.bincount(col, minlength=width * height)
    return counts.reshape(height, width)[::-1]


def _spread(counts: np.ndarray) -> np.ndarray:
    """Each non-empty pixel also covers its 8 neighbours (a 3 × 3 max filter, no wrap-around),
    so sparse events stay visible."""
    h, w = counts.shape
    padded = np.pad(counts, 1)
    out = counts.copy()
    for dy in range(3):
        for dx in range(3):
            np.maximum(out, padded[dy : dy + h, dx : dx + w], out=out)
    return out


@functools.cache
def _zoom_stream():
    """A ``RangeXY`` whose Bokeh callback gathers range events for 30 ms (HoloViews' default
    is 100 ms) before re-aggregating: part of keeping a zoom's round trip near 0.5 s."""
    holoviews()
    from holoviews.plotting.bokeh.callbacks import RangeXYCallback
    from holoviews.streams import RangeXY, Stream

    class RasterRangeXY(RangeXY):
        """The visible ranges of a large raster."""

    class RasterRangeXYCallback(RangeXYCallback):
        debounce = 30  # ms

    Stream._callbacks["bokeh"][RasterRangeXY] = RasterRangeXYCallback
    return RasterRangeXY


def plot_raster(times, channels, rasterize: bool | None = None, size: float = 2, **opts):
    """Events at ``times`` (s) on ``channels`` as a raster plot.

    Above :data:`RASTERIZE_ABOVE` events (or with ``rasterize=True``) the plot is a
    ``DynamicMap`` of an ``hv.Image`` of event counts per pixel (see :func:`aggregate_events`),
    recomputed for the visible range by a ``RangeXY`` stream on each zoom or pan; where events
    are sparse (under 2 % of the pixels lit) each one is spread over 3 × 3 pixels. ``opts`` are
    HoloViews options of the points or of the image (log colour scale ``cmap="fire"`` there)."""
    hv = holoviews()
    t = np.asarray(times, dtype=float)
    c = np.asarray(channels)
    if t.shape != c.shape:
        raise ValueError(f"channels: expected the shape of times {t.shape}; got {c.shape}")
    big = len(t) > RASTERIZE_ABOVE if rasterize is None else rasterize
    width, height = opts.pop("width", 650), opts.pop("height", 250)
    kdims = ["time (s)", "channel"]
    if not big:
        return hv.Points((t, c), kdims=kdims).opts(size=size, width=width, height=height, **opts)

    is_sorted = bool(np.all(t[1:] >= t[:-1]))
    if len(t):
        full_x = (float(t[0]), float(t[-1])) if is_sorted else (float(t.min()), float(t.max()))
        full_y = (float(c.min()) - 0.5, float(c.max()) + 0.5)
    else:
        full_x, full_y = (0.0, 1.0), (-0.5, 0.5)
    if full_x[1] <= full_x[0]:
        full_x = (full_x[0], full_x[0] + 1.0)

    # Bokeh reports a wheel zoom to Python only when its level-of-detail mode ends, lod_timeout
    # (500 ms by default) after the last wheel event; 50 ms makes a zoom re-render in well under
    # a second. A log colour scale: eq_hist cost ~0.25 s per update in the browser.
    style = dict(
        cmap="fire",
        cnorm="log",
        tools=["hover"],
        backend_opts={"plot.lod_timeout": 50, "plot.lod_interval": 100},
    )
    style.update(opts)
    last: dict = {}  # HoloViews asks for the initial frame twice: aggregate it once

    def image(x_range=None, y_range=None):
        xr = tuple(full_x if x_range is None else x_range)
        yr = tuple(full_y if y_range is None else y_range)
        if last.get("key") == (xr, yr):
            return last["image"]
        rows = None
        if yr[0] <= full_y[0] and yr[1] >= full_y[1]:  # every channel in view: rows reusable
            if last.get("rows_for") != yr:
                last.update(rows_for=yr, rows=row_offsets(c, yr, width, height))
            rows = last["rows"]
        counts = aggregate_events(t, c, xr, yr, width, height, sorted_times=is_sorted, rows=rows)
        if np.count_nonzero(counts) < 0.02 * counts.size:
            counts = _spread(counts)
        data = np.where(counts > 0, counts, np.nan).astype(np.float32)  # empty: transparent
        img = hv.Image(data, bounds=(xr[0], yr[0], xr[1], yr[1]), kdims=kdims, vdims=["events"])
        img = img.opts(width=width, height=height, **style)
        last.update(key=(xr, yr), image=img)
        return img

    return hv.DynamicMap(image, streams=[_zoom_stream()()])


def plot_events(ts, time_limits=None, channels=None, **opts):
    """A ``TSEvent`` as a raster (``TSEvent.plot`` with the HoloViews backend)."""
    t, c = np.asarray(ts.times), np.asarray(ts.channels)
    keep = np.ones(len(t), dtype=bool)
    if time_limits is not None:
        lo, hi = time_limits
        keep &= (t >= (ts.t_start if lo is None else lo)) & (t < (ts.t_stop if hi is None else hi))
    if channels is not None:
        keep &= np.isin(c, np.atleast_1d(channels))
    return plot_raster(t[keep], c[keep], **opts).relabel(ts.name)
