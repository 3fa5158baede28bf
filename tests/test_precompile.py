"""``rockpool-nb compile``: the kernels a first simulation or training step needs are compiled
(or loaded from numba's cache) on tiny networks."""

import numpy as np

import rockpool_nb.precompile as precompile_module
from rockpool_nb.cli import main
from rockpool_nb.kernels import grad_lif, lif
from rockpool_nb.precompile import precompile
from tests.cache_runs import run_twice


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
    assert "simulation, float64" in out and "training" not in out
    assert "kernels loaded from numba's cache" in out and " compiled, in " in out


_ONE_KERNEL = """
import numpy as np
from rockpool_nb.kernels.linear import compact_events
from rockpool_nb.precompile import kernel_cache_use
compact_events(np.array([0.0, 2.0]), np.empty(2, np.int64), np.empty(2))
loaded, compiled = kernel_cache_use()
print(" ".join(loaded), "|", " ".join(compiled))
"""


def test_kernel_cache_use_tells_compiled_from_loaded(tmp_path):
    runs = [out.strip() for out in run_twice(_ONE_KERNEL, tmp_path)]
    assert runs == ["| linear.compact_events", "linear.compact_events |"]


def test_compile_check_fails_and_names_the_kernels_it_compiled(capsys, monkeypatch):
    monkeypatch.setattr(precompile_module, "precompile", lambda **kw: {})
    monkeypatch.setattr(
        precompile_module, "kernel_cache_use", lambda: (["lif.lif_evolve"], ["grad.adam"])
    )
    assert main(["compile", "--check"]) == 1
    out, err = capsys.readouterr()
    assert "1 kernels loaded from numba's cache, 1 compiled" in out
    assert "the cache lacked grad.adam" in err
    assert main(["compile"]) == 0  # without --check, compiling is not a failure
