"""``kernel_compiles``: numba compiling a kernel is reported, loading it from the cache is not."""

import os
import subprocess
import sys

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
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path))
    runs = [
        subprocess.run(
            [sys.executable, "-c", _SCRIPT], env=env, capture_output=True, text=True, check=True
        ).stdout.strip()
        for _ in range(2)
    ]
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
