"""``rockpool-nb compile``: the kernels a first simulation or training step needs are compiled
(or loaded from numba's cache) on tiny networks."""

import numpy as np

from rockpool_nb.cli import main
from rockpool_nb.kernels import grad_lif, lif
from rockpool_nb.precompile import precompile


def _has(dispatcher, dtype) -> bool:
    """``dispatcher`` has a compiled (or loaded) version for a first argument of ``dtype``."""
    return any(str(sig[0].dtype) == np.dtype(dtype).name for sig in dispatcher.signatures)


def test_precompile_compiles_the_training_kernels_of_each_dtype():
    lines: list[str] = []
    seconds = precompile(dtypes=(np.float32,), report=lines.append)
    assert list(seconds) == ["simulation, float32", "training, float32"]
    assert [line.split(":")[0] for line in lines] == list(seconds)
    assert _has(grad_lif.lif_train_forward, np.float32)
    assert _has(grad_lif.lif_reverse_ramp, np.float32)
    assert _has(lif.lif_evolve, np.float32) or _has(lif.lif_evolve_batches, np.float32)


def test_compile_subcommand_without_training(capsys):
    assert main(["compile", "--no-training"]) == 0
    out = capsys.readouterr().out
    assert "simulation, float64" in out and "training" not in out.split("cached")[0]
    assert "rockpool-nb compile: kernels cached in" in out
