"""Drawings stored in a saved notebook's widget state, for use after a kernel restart.

JupyterLab (with *Settings → Save Widget State Automatically* on) and ``ipywidgets.embed`` write
every live widget model into the notebook's metadata under
``metadata.widgets["application/vnd.jupyter.widget-state+json"]``. A graph builder's model is
recognised by its synced ``graph`` trait (``{"nodes": [...], "edges": [...]}``) beside a
``palette``; the drawing is plain JSON, so it can be read back without the kernel that drew it.
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["saved_drawings"]

_MIME = "application/vnd.jupyter.widget-state+json"


def _is_drawing(state: dict) -> bool:
    graph = state.get("graph")
    return (
        isinstance(graph, dict)
        and isinstance(graph.get("nodes"), list)
        and isinstance(graph.get("edges"), list)
        and "palette" in state
    )


def saved_drawings(path) -> list[dict]:
    """Every graph-builder drawing stored in the widget state of notebook ``path``.

    Returns the drawings (``GraphBuilder.graph`` dicts) in the order the notebook stores them.
    Raises ``FileNotFoundError`` for a missing file, ``ValueError`` for a file that is not a
    notebook or holds no saved widget state (saying how to save it).
    """
    path = Path(path)
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"path: no notebook at {str(path)!r}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(
            f"path: expected a notebook (.ipynb JSON), got {path.name!r}: {err}"
        ) from None
    if not isinstance(nb, dict) or "cells" not in nb:
        raise ValueError(f"path: expected a notebook (.ipynb JSON with 'cells'), got {path.name!r}")
    manager = (nb.get("metadata") or {}).get("widgets", {}).get(_MIME)
    if not isinstance(manager, dict) or not isinstance(manager.get("state"), dict):
        raise ValueError(
            f"path: {path.name!r} holds no saved widget state; in JupyterLab turn on "
            "Settings → Save Widget State Automatically and save the notebook while the "
            "builder is shown"
        )
    return [
        model["state"]["graph"]
        for model in manager["state"].values()
        if isinstance(model, dict) and isinstance(model.get("state"), dict)
        if _is_drawing(model["state"])
    ]
