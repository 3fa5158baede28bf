"""Exponential synapses: the forward kernel, an exact per-step recursion.

I_t = (I_{t-1} + x_t) · exp(−dt/τ)          # output I_t
"""

from __future__ import annotations

from rockpool_nb.kernels._jit import njit

__all__ = ["expsyn_evolve"]


@njit
def expsyn_evolve(x, isyn, beta, out):
    """In place. ``x`` (B, T, N); state ``isyn`` (B, N); ``beta`` (N,); ``out`` (B, T, N)."""
    B, T, N = x.shape
    for b in range(B):
        for t in range(T):
            for n in range(N):
                i = (isyn[b, n] + x[b, t, n]) * beta[n]
                isyn[b, n] = i
                out[b, t, n] = i
