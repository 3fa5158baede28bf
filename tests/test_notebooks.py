"""The tutorial notebooks: stored without outputs, and each runs from a clean kernel without error.

Run only this tier with ``pytest -m notebooks``; ``rockpool-nb lab --headless`` runs the same
notebooks with the same runner and prints a timing report.
"""

import pytest

from rockpool_nb._notebook_runner import (
    DEFAULT_TIMEOUT,
    execute_notebook,
    find_notebooks,
    notebook_has_outputs,
)
from rockpool_nb.cli import find_repo_root

NOTEBOOK_DIR = find_repo_root() / "notebooks"
NOTEBOOKS = find_notebooks(NOTEBOOK_DIR) if NOTEBOOK_DIR.is_dir() else []
IDS = [p.relative_to(NOTEBOOK_DIR).as_posix() for p in NOTEBOOKS]


def test_the_getting_started_notebook_exists():
    assert "00_getting_started.ipynb" in IDS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_stored_without_outputs(path):
    assert not notebook_has_outputs(path), (
        f"{path.name} stores outputs or execution counts; clear them before committing "
        "(JupyterLab: Edit > Clear Outputs of All Cells, then save)"
    )


@pytest.mark.notebooks
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_runs_without_error(path):
    result = execute_notebook(path, timeout=DEFAULT_TIMEOUT)
    assert result.ok, f"{path.name}: {result.error}"
