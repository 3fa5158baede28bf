"""Parameter sweeps and dataset-scale runs on Dask (extra: ``rockpool_nb[sweep]``)."""

from rockpool_nb.sweep.grid import expand_grid as expand_grid
from rockpool_nb.sweep.run import SweepFailure as SweepFailure
from rockpool_nb.sweep.run import SweepRun as SweepRun
from rockpool_nb.sweep.run import run_point as run_point
from rockpool_nb.sweep.run import sweep as sweep
from rockpool_nb.sweep.run import sweep_async as sweep_async

__all__ = ["sweep", "sweep_async", "SweepRun", "SweepFailure", "expand_grid", "run_point"]
