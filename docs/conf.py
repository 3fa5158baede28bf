"""Sphinx configuration: MyST-NB for Markdown pages and notebooks, autodoc for the API reference.

Build: ``sphinx-build -W -b html docs docs/_build/html`` (``-W`` turns warnings into errors).

Two folders are generated at every build and are not committed (see ``docs/.gitignore``):

- ``tutorials/``: a copy of ``../notebooks/*.ipynb``. They are rendered without being executed
  (they are stored without outputs and run by ``rockpool-nb lab --headless`` and the test suite);
  set ``RNB_DOCS_EXECUTE=1`` to execute them during the build and show their outputs.
- ``api/``: one page per public package that exists in the source tree.
"""

import importlib.util
import os
import shutil
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))

from rockpool_nb._version import __version__  # noqa: E402

project = "rockpool_nb"
author = "rockpool_nb developers"
copyright = "rockpool_nb developers"
release = __version__
version = ".".join(__version__.split(".")[:2])

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
]
exclude_patterns = ["_build", "**.ipynb_checkpoints", "Thumbs.db", ".DS_Store"]

# --- MyST / MyST-NB ------------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath"]
myst_heading_anchors = 3
nb_execution_mode = "auto" if os.environ.get("RNB_DOCS_EXECUTE") == "1" else "off"
nb_execution_timeout = 120
nb_execution_raise_on_error = True

# --- autodoc (numpydoc-style docstrings through napoleon) ----------------------------------
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False

# --- HTML ----------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"rockpool_nb {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
html_show_sourcelink = False

# --- generated sources ---------------------------------------------------------------------
# Public packages documented in the API reference, in reading order. A package that does not
# exist yet is left out; one that exists but fails to import fails the build (-W),
# so the docs build needs the [all,docs] extras.
API_PACKAGES = [
    ("rockpool_nb", "Time series and save/load, re-exported at the top level."),
    ("rockpool_nb.parameters", "Parameter, State, SimulationParameter and Constant."),
    ("rockpool_nb.timeseries", "TimeSeries, TSContinuous and TSEvent."),
    ("rockpool_nb.nn.modules", "The Module base class and the neuron and weight layers."),
    ("rockpool_nb.nn.combinators", "Sequential and Residual."),
    ("rockpool_nb.graph", "The computational graph used for mapping and export."),
    ("rockpool_nb.training", "Ridge readouts, gradients, losses and optimisers."),
    ("rockpool_nb.weights", "Weight initialisation and manipulation."),
    ("rockpool_nb.devices", "Chip catalogue, mapping, quantisation and simulated chips."),
    ("rockpool_nb.io", "Saving and loading networks."),
    ("rockpool_nb.nir", "NIR export and import."),
    ("rockpool_nb.sweep", "Parameter sweeps, locally or on Dask."),
    ("rockpool_nb.viz", "HoloViews/Bokeh views of time series and recordings (extra: viz)."),
    ("rockpool_nb.widgets", "Graph builder, deployment panel and live controls (extra: widgets)."),
]


def _package_exists(name: str) -> bool:
    parts = name.split(".")
    path = ROOT.joinpath(*parts)
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _write_if_changed(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text() != text:
        path.write_text(text)


def _generate_api_pages() -> None:
    api = DOCS / "api"
    api.mkdir(exist_ok=True)
    wanted = {}
    for i, (name, blurb) in enumerate(API_PACKAGES):
        if not _package_exists(name):
            continue
        # the top-level package only re-exports: list its names without duplicating the pages
        options = "   :no-members:\n" if name == "rockpool_nb" else ""
        wanted[f"{i:02d}_{name}.md"] = (
            f"# `{name}`\n\n{blurb}\n\n```{{eval-rst}}\n.. automodule:: {name}\n{options}```\n"
        )
    for stale in api.glob("*.md"):
        if stale.name not in wanted:
            stale.unlink()
    for fname, text in wanted.items():
        _write_if_changed(api / fname, text)


def _copy_notebooks() -> None:
    src, dst = ROOT / "notebooks", DOCS / "tutorials"
    dst.mkdir(exist_ok=True)
    notebooks = sorted(src.glob("*.ipynb")) if src.is_dir() else []
    names = {p.name for p in notebooks}
    for stale in dst.glob("*.ipynb"):
        if stale.name not in names:
            stale.unlink()
    for nb in notebooks:
        target = dst / nb.name
        if not target.is_file() or target.read_bytes() != nb.read_bytes():
            shutil.copyfile(nb, target)


assert importlib.util.find_spec("rockpool_nb") is not None
_generate_api_pages()
_copy_notebooks()
