"""A drawing saved in a notebook's widget state is redrawn after a kernel restart."""

import json
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("anywidget")
from ipywidgets.embed import dependency_state, embed_data  # noqa: E402

from rockpool_nb.nn.combinators import Sequential  # noqa: E402
from rockpool_nb.nn.modules import LIF, Linear  # noqa: E402
from rockpool_nb.widgets.graph_builder import GraphBuilder  # noqa: E402
from rockpool_nb.widgets.graph_builder.saved import saved_drawings  # noqa: E402


def save_notebook(path, *widgets):
    """A notebook whose metadata holds the widgets' state, in the format JupyterLab saves."""
    nb = {
        "cells": [],
        "metadata": {
            "widgets": {
                "application/vnd.jupyter.widget-state+json": embed_data(
                    views=list(widgets), state=dependency_state(list(widgets))
                )["manager_state"]
            }
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(nb))
    return path


def draw():
    builder = GraphBuilder()
    a = builder.add("Linear", shape=[3, 5])
    b = builder.add("LIF", shape=[5], tau_mem=0.03)
    builder.connect(a, b)
    return builder


def test_drawing_survives_a_kernel_restart(tmp_path):
    path = save_notebook(tmp_path / "drawn.ipynb", draw())
    # a fresh interpreter stands in for the restarted kernel
    code = (
        "import sys, numpy as np;"
        "from rockpool_nb.widgets import GraphBuilder;"
        "b = GraphBuilder.from_notebook(sys.argv[1]);"
        "net = b.to_network();"
        "out = net(np.ones((20, 3)))[0];"
        "print(type(net).__name__, net.shape, out.shape, float(net[1].tau_mem[0]))"
    )
    res = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    assert res.stdout.split() == ["ModSequential", "(3,", "5)", "(1,", "20,", "5)", "0.03"]


def test_saved_drawings_picks_builders_only_and_index_chooses(tmp_path):
    import ipywidgets

    first, second = draw(), GraphBuilder()
    second.add("Rate", shape=[2])
    path = save_notebook(tmp_path / "two.ipynb", first, ipywidgets.IntSlider(), second)
    drawings = saved_drawings(path)
    assert [len(d["nodes"]) for d in drawings] == [2, 1]
    assert [n["type"] for n in GraphBuilder.from_notebook(path, 0).graph["nodes"]] == [
        "Linear",
        "LIF",
    ]
    assert [n["type"] for n in GraphBuilder.from_notebook(path).graph["nodes"]] == ["Rate"]
    with pytest.raises(IndexError, match="index: expected -2 <= index < 2"):
        GraphBuilder.from_notebook(path, 2)


def test_carried_matrices_are_named_when_they_cannot_be_restored(tmp_path):
    net = Sequential(Linear((2, 3), weight=np.full((2, 3), 0.5)), LIF(3))
    path = save_notebook(tmp_path / "net.ipynb", GraphBuilder.from_network(net))
    with pytest.warns(UserWarning, match=r"n1 \(Linear: weight\)"):
        restored = GraphBuilder.from_notebook(path)
    assert restored.to_network().shape == (2, 3)


def test_files_without_saved_state_get_clear_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="path: no notebook"):
        saved_drawings(tmp_path / "missing.ipynb")
    (tmp_path / "plain.ipynb").write_text(json.dumps({"cells": [], "metadata": {}}))
    with pytest.raises(ValueError, match="Save Widget State Automatically"):
        saved_drawings(tmp_path / "plain.ipynb")
    (tmp_path / "bad.ipynb").write_bytes(b"\x00not json")
    with pytest.raises(ValueError, match="expected a notebook"):
        saved_drawings(tmp_path / "bad.ipynb")
    import ipywidgets

    path = save_notebook(tmp_path / "slider.ipynb", ipywidgets.IntSlider())
    with pytest.raises(ValueError, match="stores no graph-builder drawing"):
        GraphBuilder.from_notebook(path)
