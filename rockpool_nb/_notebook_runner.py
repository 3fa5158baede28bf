"""Execute notebooks headless, each from a clean kernel, and report per-notebook time and result.

Used by ``rockpool-nb lab --headless`` and by ``tests/test_notebooks.py``. Needs the ``lab`` extra
(``nbclient``, ``nbformat``, ``ipykernel``); they are imported inside the functions so that
``import rockpool_nb`` stays light.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

DEFAULT_TIMEOUT = 120.0
"""Budget for one whole notebook, seconds (all its cells together)."""


@dataclass(frozen=True)
class NotebookResult:
    """Outcome of executing one notebook.

    Attributes
    ----------
    path : Path
        The notebook file.
    ok : bool
        ``True`` when every cell ran without raising.
    seconds : float
        Wall-clock time including kernel start-up, seconds.
    error : str
        Empty when ``ok``; otherwise the failing cell and the exception (``"cell 3: ValueError: ..."``).
    """

    path: Path
    ok: bool
    seconds: float
    error: str = ""


def _import_nbclient():
    try:
        import nbclient
        import nbformat
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "executing notebooks needs nbclient, nbformat and ipykernel: "
            "pip install 'rockpool_nb[lab]'"
        ) from exc
    return nbclient, nbformat


def find_notebooks(directory: str | Path) -> list[Path]:
    """All ``*.ipynb`` files below ``directory``, sorted, skipping hidden folders (checkpoints).

    Parameters
    ----------
    directory : str or Path
        Folder to search recursively.

    Returns
    -------
    list of Path
        Sorted by path relative to ``directory``.
    """
    root = Path(directory)
    if not root.is_dir():
        raise FileNotFoundError(f"notebooks: expected a directory, got {str(root)!r}")
    found = [
        p
        for p in root.rglob("*.ipynb")
        if not any(part.startswith(".") for part in p.relative_to(root).parts)
    ]
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def notebook_has_outputs(path: str | Path) -> bool:
    """``True`` if any code cell of the notebook stores outputs or an execution count."""
    _, nbformat = _import_nbclient()
    nb = nbformat.read(str(path), as_version=4)
    return any(
        cell.get("outputs") or cell.get("execution_count") is not None
        for cell in nb.cells
        if cell.cell_type == "code"
    )


def execute_notebook(
    path: str | Path, timeout: float = DEFAULT_TIMEOUT, kernel_name: str = "python3"
) -> NotebookResult:
    """Run every cell of a notebook in a new kernel, with the notebook's folder as working dir.

    The notebook file is not modified.

    Parameters
    ----------
    path : str or Path
        The ``.ipynb`` file.
    timeout : float
        Budget for the whole notebook, seconds (> 0). A cell still running when it is used up is
        interrupted and the notebook fails.
    kernel_name : str
        Jupyter kernel spec; ``"python3"`` is the interpreter running this function when called
        from a virtual environment.

    Returns
    -------
    NotebookResult
    """
    if not timeout > 0:
        raise ValueError(f"timeout: expected a positive number of seconds, got {timeout!r}")
    nbclient, nbformat = _import_nbclient()
    path = Path(path)
    nb = nbformat.read(str(path), as_version=4)
    start = time.monotonic()
    deadline = start + timeout
    current = {"index": -1}

    def remaining(cell) -> float:
        # nbclient treats 0 as "no timeout", so never hand it 0
        return max(deadline - time.monotonic(), 0.01)

    def on_cell_start(cell, cell_index, **_kw):
        current["index"] = cell_index

    client = nbclient.NotebookClient(
        nb,
        kernel_name=kernel_name,
        timeout_func=remaining,
        startup_timeout=min(60, int(timeout) + 1),
        resources={"metadata": {"path": str(path.parent.resolve())}},
        on_cell_start=on_cell_start,
    )
    error = ""
    try:
        client.execute()
    except nbclient.exceptions.CellTimeoutError:
        error = f"cell {current['index']}: timed out (notebook budget {timeout:g} s)"
    except nbclient.exceptions.CellExecutionError as exc:
        error = f"cell {current['index']}: {exc.ename}: {exc.evalue}"
    except nbclient.exceptions.DeadKernelError as exc:
        error = f"cell {current['index']}: kernel died ({exc})"
    except Exception as exc:  # kernel start-up failures, malformed notebooks, ...
        error = f"{type(exc).__name__}: {exc}"
    return NotebookResult(path, not error, time.monotonic() - start, error)


def run_notebooks(
    paths: list[Path],
    timeout: float = DEFAULT_TIMEOUT,
    out: TextIO | None = None,
    root: Path | None = None,
) -> list[NotebookResult]:
    """Execute notebooks one after the other and print one line per notebook and a summary.

    Parameters
    ----------
    paths : list of Path
        Notebooks, run in this order (one kernel each, never in parallel).
    timeout : float
        Budget per notebook, seconds.
    out : text stream, optional
        Where the report goes (default ``sys.stdout``).
    root : Path, optional
        Paths are printed relative to it.

    Returns
    -------
    list of NotebookResult
        In the order of ``paths``. The last printed line reads ``notebooks: N passed, M failed``.
    """
    out = out or sys.stdout
    results = []
    for path in paths:
        name = path.relative_to(root).as_posix() if root else str(path)
        print(f"  ....  {name}", file=out, flush=True)
        res = execute_notebook(path, timeout=timeout)
        status = "PASS" if res.ok else "FAIL"
        print(f"  {status}  {name}  ({res.seconds:.1f} s)", file=out, flush=True)
        if not res.ok:
            print(f"        {res.error}", file=out, flush=True)
        results.append(res)
    passed = sum(r.ok for r in results)
    total = sum(r.seconds for r in results)
    print(f"notebooks: total time {total:.1f} s", file=out)
    print(f"notebooks: {passed} passed, {len(results) - passed} failed", file=out, flush=True)
    return results
