"""Parameter sweeps and dataset runs on Dask.

Every grid point (and every input, for a list of inputs) is one Dask task: ``build(**params)``
makes a fresh network, the network is evolved on the input (a ``(B, T, N)`` input runs as one
batched evolution), and ``measure(output, state, record)`` reduces the result to numbers.

Without a client, the sweep starts an in-process Dask ``LocalCluster`` (one worker, one thread
per core) for the call: numba kernels release the GIL, so threads use every core and nothing is
pickled. With ``client=dask.distributed.Client(...)`` the same tasks go to that cluster.
"""

from __future__ import annotations

import os
import traceback
import uuid
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from rockpool_nb.sweep.grid import expand_grid

__all__ = ["sweep", "sweep_async", "SweepRun", "SweepFailure", "run_point", "run_chunk"]

TASKS_PER_THREAD = 8  # default chunking: enough tasks to balance load, few enough to amortise


@dataclass(frozen=True)
class SweepFailure:
    """A grid point whose build, evolution or measure raised."""

    params: dict
    input_index: int | None
    error: str
    traceback: str = field(repr=False)


def run_point(build: Callable, params: dict, data, measure: Callable, record: bool) -> dict:
    """Build, evolve and measure one grid point; exceptions are returned, not raised."""
    try:
        net = build(**params)
        output, state, rec = net(data, record=record)
        value = measure(output, state, rec)
        if isinstance(value, Mapping):
            values = {str(k): _scalar(v, k) for k, v in value.items()}
        else:
            values = {"value": _scalar(value, "value")}
        return {"ok": True, "values": values}
    except Exception as err:  # reported with its parameters, the sweep goes on
        return {
            "ok": False,
            "error": f"{type(err).__name__}: {err}",
            "traceback": traceback.format_exc(),
        }


def run_chunk(build: Callable, params: list, data: list, measure: Callable, record: bool) -> list:
    """:func:`run_point` for several grid points in one task (Dask's per-task overhead of a
    few milliseconds is paid once per chunk)."""
    return [run_point(build, p, x, measure, record) for p, x in zip(params, data)]


def _scalar(value: Any, name) -> Any:
    array = np.asarray(value)
    if array.ndim == 0:
        return array.item()
    raise ValueError(
        f"measure: expected numbers (or a dict of numbers); got shape {array.shape} for {name!r}"
    )


def _normalise_inputs(inputs) -> tuple[list, bool]:
    """A list of inputs and whether the caller gave a list (then results get an `input` level)."""
    if (
        isinstance(inputs, np.ndarray)
        or hasattr(inputs, "__array__")
        and not isinstance(inputs, Sequence)
    ):
        return [np.asarray(inputs)], False
    if isinstance(inputs, Sequence) and not isinstance(inputs, (str, bytes)):
        items = [np.asarray(x) for x in inputs]
        if not items:
            raise ValueError("inputs: expected an array or a non-empty sequence of arrays; got []")
        return items, True
    raise TypeError(
        f"inputs: expected an array (T, N) / (B, T, N) or a sequence of them; got {type(inputs).__name__}"
    )


class SweepRun:
    """A running sweep: ``result()`` waits and returns the table, ``cancel()`` stops it."""

    def __init__(self, client, futures, keys, names, points, labelled, own_cluster):
        self.client = client
        self._futures = futures
        self._keys = keys  # per future, the (point index, input index) pairs it runs
        self._names = names
        self._points = points
        self._labelled = labelled
        self._own_cluster = own_cluster
        self.failures: list[SweepFailure] = []

    @property
    def dashboard_link(self) -> str | None:
        """Link to the Dask dashboard of the cluster running this sweep, if it has one."""
        return getattr(self.client, "dashboard_link", None)

    def done(self) -> int:
        """Number of runs (grid point x input) finished (cancelled ones do not count)."""
        return sum(len(k) for f, k in zip(self._futures, self._keys) if f.status == "finished")

    def __len__(self) -> int:
        return sum(len(k) for k in self._keys)

    def cancel(self) -> None:
        """Cancel every task that has not finished and release the sweep's own cluster."""
        self.client.cancel(self._futures)
        self._close()

    def _close(self) -> None:
        if self._own_cluster is not None:
            self.client.close()
            self._own_cluster.close()
            self._own_cluster = None

    def result(self, progress: bool = True):
        """Wait for every task; return a ``pandas.DataFrame`` indexed by the grid parameters.

        Failed points appear with NaN values and their message in the ``error`` column; they
        are also listed in :attr:`failures` and ``df.attrs["failures"]``.
        """
        from distributed import as_completed

        try:
            iterator = as_completed(self._futures)
            if progress:
                iterator = _progress(iterator, len(self._futures), self.dashboard_link)
            for _ in iterator:
                pass
            outcomes = [o for chunk in self.client.gather(self._futures) for o in chunk]
        except BaseException:
            self.cancel()
            raise
        finally:
            self._close()
        return self._table(outcomes)

    def _table(self, outcomes):
        import pandas as pd

        rows = []
        pairs = [key for chunk in self._keys for key in chunk]
        for (i, j), outcome in zip(pairs, outcomes):
            row = dict(self._points[i])
            if self._labelled:
                row["input"] = j
            if outcome["ok"]:
                row.update(outcome["values"])
                row["error"] = None
            else:
                row["error"] = outcome["error"]
                self.failures.append(
                    SweepFailure(
                        dict(self._points[i]),
                        j if self._labelled else None,
                        outcome["error"],
                        outcome["traceback"],
                    )
                )
            rows.append(row)
        index = self._names + (["input"] if self._labelled else [])
        table = pd.DataFrame(rows).set_index(index)
        table.attrs["failures"] = list(self.failures)
        if self.failures:
            first = self.failures[0]
            warnings.warn(
                f"sweep: {len(self.failures)} of {len(rows)} runs failed; first at "
                f"{first.params}: {first.error} (see .attrs['failures'] for tracebacks)",
                RuntimeWarning,
                stacklevel=3,
            )
        return table


def _progress(iterator, total: int, link: str | None):
    try:
        from tqdm.auto import tqdm
    except ImportError:  # progress is a nicety, not a requirement
        return iterator
    desc = f"sweep ({link})" if link else "sweep"
    return tqdm(iterator, total=total, desc=desc)


def sweep_async(
    build: Callable[..., Any],
    grid: Mapping[str, Sequence] | Sequence[Mapping],
    inputs,
    measure: Callable[[Any, dict, dict], Any],
    client=None,
    record: bool = False,
    retries: int = 2,
    chunk_size: int | None = None,
) -> SweepRun:
    """Start a sweep and return a :class:`SweepRun` at once (see :func:`sweep`)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as err:
        raise ImportError("sweep needs Dask: pip install 'rockpool_nb[sweep]'") from err
    for arg, value in (("build", build), ("measure", measure)):
        if not callable(value):
            raise TypeError(f"{arg}: expected a callable; got {type(value).__name__}")
    if chunk_size is not None and (not isinstance(chunk_size, int) or chunk_size < 1):
        raise ValueError(f"chunk_size: expected a positive integer or None; got {chunk_size!r}")
    names, points = expand_grid(grid)
    data, labelled = _normalise_inputs(inputs)

    own_cluster = None
    if client is None:
        own_cluster = LocalCluster(
            n_workers=1,
            threads_per_worker=os.cpu_count() or 1,
            processes=False,
            dashboard_address=None,
        )
        client = Client(own_cluster)
    try:
        token = uuid.uuid4().hex[:8]
        shared = [client.scatter(x, broadcast=True) for x in data]  # not embedded in the graph
        pairs = [(i, j) for i in range(len(points)) for j in range(len(data))]
        if chunk_size is None:
            threads = sum(client.nthreads().values()) or 1
            chunk_size = max(1, -(-len(pairs) // (threads * TASKS_PER_THREAD)))
        keys = [pairs[k : k + chunk_size] for k in range(0, len(pairs), chunk_size)]
        futures = [
            client.submit(
                run_chunk,
                build,
                [points[i] for i, _ in chunk],
                [shared[j] for _, j in chunk],
                measure,
                record,
                key=f"rockpool_nb-sweep-{token}-{n}",
                retries=retries,
                pure=False,
            )
            for n, chunk in enumerate(keys)
        ]
    except BaseException:
        if own_cluster is not None:  # a failed start leaves no cluster behind
            client.close()
            own_cluster.close()
        raise
    return SweepRun(client, futures, keys, names, points, labelled, own_cluster)


def sweep(
    build: Callable[..., Any],
    grid: Mapping[str, Sequence] | Sequence[Mapping],
    inputs,
    measure: Callable[[Any, dict, dict], Any],
    client=None,
    record: bool = False,
    progress: bool = True,
    retries: int = 2,
    chunk_size: int | None = None,
):
    """Evaluate ``build(**params)`` on ``inputs`` for every grid point; return a labelled table.

    Parameters
    ----------
    build : callable
        ``build(**params) -> Module``: a fresh network for one grid point.
    grid : dict of name -> values, or sequence of dicts
        The grid (Cartesian product of a dict's value lists, or explicit points).
    inputs : array ``(T, N)`` or ``(B, T, N)``, or a sequence of such arrays
        Evolution input; a sequence adds an ``input`` level to the result's index.
    measure : callable
        ``measure(output, state, record) -> number or dict of numbers``.
    client : dask.distributed.Client, optional
        Run on this cluster; by default an in-process ``LocalCluster`` is started for the call.
    record : bool
        Pass ``record=True`` when evolving (for measures that need recorded state).
    progress : bool
        Show a progress bar (a notebook bar in Jupyter), with the dashboard link of ``client``.
    retries : int
        Times Dask re-runs a task whose worker was lost.
    chunk_size : int, optional
        Grid points per Dask task; by default about 8 tasks per worker thread.

    Returns
    -------
    pandas.DataFrame
        Indexed by the grid parameters; one column per measured value, plus ``error``.
        ``Ctrl-C`` (or interrupting the notebook cell) cancels the remaining tasks.
    """
    run = sweep_async(
        build,
        grid,
        inputs,
        measure,
        client=client,
        record=record,
        retries=retries,
        chunk_size=chunk_size,
    )
    return run.result(progress=progress)
