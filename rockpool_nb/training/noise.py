"""Training noise: reproducible per module, per training step and per block of time steps.

The noise of steps ``[t0, t1)`` is cut from blocks of ``BLOCK`` steps, block ``j`` drawn from
``numpy.random.default_rng([seed, j])``. The same seed therefore gives the same noise to the
forward pass, to the recomputation of a checkpointed segment and to a run without
checkpointing, whatever the segment length. Seeds come from each module's own generator
(``rng=`` of the module): drawn once (``noise="frozen"``) or at every call (``"redraw"``).
"""

from __future__ import annotations

import numpy as np

__all__ = ["BLOCK", "noise_segment", "draw_seed"]

BLOCK = 256


def draw_seed(rng: np.random.Generator) -> int:
    """A fresh block seed from a module's generator."""
    return int(rng.integers(0, 2**63 - 1))


def noise_segment(seed: int, t0: int, shape: tuple) -> np.ndarray:
    """Standard-normal noise ``shape = (B, T, N)`` for the steps ``[t0, t0 + T)``."""
    B, T, N = shape
    j0, j1 = t0 // BLOCK, (t0 + T - 1) // BLOCK
    blocks = [
        np.random.default_rng([seed, j]).standard_normal((B, BLOCK, N)) for j in range(j0, j1 + 1)
    ]
    full = blocks[0] if len(blocks) == 1 else np.concatenate(blocks, axis=1)
    start = t0 - j0 * BLOCK
    return full[:, start : start + T]
