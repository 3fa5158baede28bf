"""Delta modulation (up/down encoder): the kernel.

Per channel ``c`` with reference level ``r`` (state) and input ``x_t``::

    d = x_t − r
    d ≥ θ_up   → k = floor(d / θ_up) up events on output 2c,     r ← r + k·θ_up
    −d ≥ θ_down → k = floor(−d / θ_down) down events on output 2c+1, r ← r − k·θ_down
"""

from __future__ import annotations

import numpy as np

from rockpool_nb.kernels._jit import njit

__all__ = ["updown_evolve"]


@njit
def updown_evolve(x, ref, thr_up, thr_down, max_events, out):
    """In place. ``x`` (B, T, C); state ``ref`` (B, C); thresholds (C,); ``out`` (B, T, 2C)
    event counts, at most ``max_events`` per step and output."""
    B, T, C = x.shape
    for b in range(B):
        for t in range(T):
            for c in range(C):
                d = x[b, t, c] - ref[b, c]
                up = 0.0
                down = 0.0
                if d >= thr_up[c]:
                    up = min(np.floor(d / thr_up[c]), max_events)
                    ref[b, c] += up * thr_up[c]
                elif -d >= thr_down[c]:
                    down = min(np.floor(-d / thr_down[c]), max_events)
                    ref[b, c] -= down * thr_down[c]
                out[b, t, 2 * c] = up
                out[b, t, 2 * c + 1] = down
