"""Rate neurons with a user activation compiled by numba (see ``activations.compile_activation``).

The update is the one of :mod:`rockpool_nb.kernels.rate`, with ``H`` a jitted function of two
``(N,)`` arrays::

    r   = H(X, θ) @ W_rec
    X   = X + α · (−X + u_t + bias + r)
    y_t = H(X, θ)

Not cached on disk: numba specialises this kernel for each activation function it is given.
"""

from __future__ import annotations

import numpy as np

from rockpool_nb.kernels._jit import njit

__all__ = ["rate_evolve_callable"]


@njit(cache=False)
def rate_evolve_callable(u, x, alpha, bias, thr, w_rec, act, out, rec_x, rec_r):
    """Evolve in place; arguments as ``rate_evolve`` with ``act(x (N,), thr (N,)) -> (N,)``."""
    B, T, N = u.shape
    has_rec = w_rec.shape[0] > 0
    record = rec_x.shape[1] > 0
    xb = np.empty(N, dtype=u.dtype)
    r = np.zeros(N, dtype=u.dtype)
    for b in range(B):
        for n in range(N):
            xb[n] = x[b, n]
        a = act(xb, thr)
        for t in range(T):
            if has_rec:
                for k in range(N):
                    r[k] = 0.0
                for j in range(N):
                    aj = a[j]
                    if aj != 0.0:
                        for k in range(N):
                            r[k] += aj * w_rec[j, k]
            for n in range(N):
                xb[n] = xb[n] + alpha[n] * (-xb[n] + u[b, t, n] + bias[n] + r[n])
            a = act(xb, thr)
            for n in range(N):
                out[b, t, n] = a[n]
                if record:
                    rec_x[b, t, n] = xb[n]
                    rec_r[b, t, n] = r[n]
        for n in range(N):
            x[b, n] = xb[n]
