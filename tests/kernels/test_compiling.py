"""``kernel_compiles``: numba compiling a kernel is reported, loading it from the cache is not."""

from tests.cache_runs import run_twice

_SCRIPT = """
import numpy as np
from rockpool_nb.kernels.compiling import kernel_compiles
from rockpool_nb.kernels.expsyn import expsyn_evolve
heard = []
with kernel_compiles(heard.append) as names:
    expsyn_evolve(np.ones((1, 4, 2)), np.zeros((1, 2)), np.full(2, 0.5), np.zeros((1, 4, 2)))
print(" ".join(names), "|", " ".join(heard))
"""


def test_compiles_are_reported_and_cache_loads_are_not(tmp_path):
    runs = [out.strip() for out in run_twice(_SCRIPT, tmp_path)]
    assert runs == ["expsyn.expsyn_evolve | expsyn.expsyn_evolve", "|"]


def test_other_numba_functions_are_not_reported():
    import numba
    import numpy as np

    from rockpool_nb.kernels.compiling import kernel_compiles

    @numba.njit
    def total(x):
        return x.sum()

    with kernel_compiles() as names:
        total(np.ones(3))
    assert names == []
