"""Reverse-time (adjoint) kernels for back-propagation through time: the surrogate table and
the exponential synapse. LIF and Rate reverse passes are in :mod:`.grad_lif` and
:mod:`.grad_rate`. Every reverse kernel runs over one time segment and carries the adjoint
state in and out, so a checkpointed run calls it segment by segment.

ExpSyn::

    forward  I_t = β(I_{t−1} + x_t)
    reverse  gI_t = g_t + λ_t,  ∂L/∂x_t = β gI_t,  λ_{t−1} = β gI_t,  ∂L/∂β += gI_t (I_{t−1} + x_t)
"""

from __future__ import annotations

import numpy as np

from rockpool_nb.kernels._jit import njit

__all__ = ["expsyn_reverse", "SURROGATES"]

SURROGATES = {"pwl": 0, "fast_sigmoid": 1}  # Rockpool's ramp (default), snnTorch's fast sigmoid


@njit
def expsyn_reverse(x, out, isyn0, beta, g_out, lam):
    """Adjoint of :func:`rockpool_nb.kernels.expsyn.expsyn_evolve` over one segment: ``x``,
    ``out``, ``g_out`` (B, T, N), ``isyn0`` (B, N) the state before the segment, ``beta`` (N,);
    ``lam`` (B, N), the adjoint after the segment, is updated in place to the one before it.
    Returns ``(g_x, g_beta)``."""
    B, T, N = x.shape
    g_x = np.zeros(x.shape, dtype=x.dtype)
    gb = np.zeros(N, dtype=x.dtype)
    for b in range(B):
        lb = lam[b]
        for t in range(T - 1, -1, -1):
            prev = out[b, t - 1] if t > 0 else isyn0[b]
            gt, xt, gxt = g_out[b, t], x[b, t], g_x[b, t]
            for n in range(N):
                gi = gt[n] + lb[n]
                gb[n] += gi * (prev[n] + xt[n])
                lb[n] = gi * beta[n]
                gxt[n] = lb[n]
    return g_x, gb
