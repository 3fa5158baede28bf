"""HoloViews views of a parameter sweep's result table (see :func:`rockpool_nb.sweep.sweep`)."""

from __future__ import annotations

__all__ = ["plot_sweep"]


def plot_sweep(table, value: str | None = None, x: str | None = None, y: str | None = None, **opts):
    """A heat map of ``value`` over two grid parameters, or a curve over one.

    Parameters
    ----------
    table : pandas.DataFrame
        Result of ``sweep``: indexed by the grid parameters.
    value : str, optional
        Column to show (default: the first measured column).
    x, y : str, optional
        Grid parameters on the axes (default: the first two index levels). Other levels
        (further parameters, the ``input`` level) are averaged over. With a one-parameter grid
        the view is a curve of ``value`` against ``x``.
    **opts
        HoloViews options for the element (``cmap``, ``width``, ...).

    Returns
    -------
    holoviews.HeatMap or holoviews.Curve
    """
    try:
        import holoviews as hv
        import holoviews.plotting.bokeh  # noqa: F401  (registers the options used below)
    except ImportError as err:
        raise ImportError("plot_sweep needs HoloViews: pip install 'rockpool_nb[viz]'") from err
    levels = [n for n in table.index.names if n is not None]
    columns = [c for c in table.columns if c != "error"]
    if value is None:
        if not columns:
            raise ValueError("table: expected at least one measured column; got none")
        value = columns[0]
    if value not in table.columns:
        raise ValueError(f"value: expected one of {columns}; got {value!r}")
    x = x or levels[0]
    for arg, name in (("x", x), ("y", y)):
        if name is not None and name not in levels:
            raise ValueError(f"{arg}: expected one of the grid parameters {levels}; got {name!r}")
    flat = table.reset_index()
    if y is None and len(levels) >= 2:
        y = next(level for level in levels if level != x)
    if y is not None and len(levels) >= 2:
        grouped = flat.groupby([x, y], as_index=False)[value].mean()
        heat = hv.HeatMap(grouped, kdims=[x, y], vdims=[value]).opts(
            colorbar=True, tools=["hover"], **opts
        )
        return heat
    grouped = flat.groupby(x, as_index=False)[value].mean()
    return hv.Curve(grouped, kdims=[x], vdims=[value]).opts(tools=["hover"], **opts)
