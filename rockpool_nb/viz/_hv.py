"""Import HoloViews with the Bokeh plotting options registered (needs the ``viz`` extra)."""

from __future__ import annotations


def holoviews():
    try:
        import holoviews as hv
        import holoviews.plotting.bokeh  # noqa: F401  (registers the options used by viz)
    except ImportError as err:
        raise ImportError(
            "rockpool_nb.viz needs HoloViews: pip install 'rockpool_nb[viz]'"
        ) from err
    return hv
