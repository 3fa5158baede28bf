"""Rate neurons: the forward kernel (forward Euler).

Per time step, with ``α = dt / max(τ, 10·dt)`` (τ clipped below at 10 dt) and activation ``H``::

    r   = H(X, θ) @ W_rec          # 0 when not recurrent; rows of inactive units skipped
    X   = X + α · (−X + u_t + bias + r)
    y_t = H(X, θ)

Activations by code: 0 ReLU ``(x−θ)·[x>θ]``, 1 ``tanh(x−θ)``, 2 sigmoid ``(tanh(x−θ)+1)/2``.
"""

from __future__ import annotations

import math

import numpy as np

from rockpool_nb.kernels._jit import njit
from rockpool_nb.kernels.linear import add_rows

__all__ = ["rate_evolve", "activation", "RELU", "TANH", "SIGMOID"]

RELU, TANH, SIGMOID = 0, 1, 2


@njit
def activation(x, thr, code):
    """Scalar activation ``H(x, θ)``."""
    z = x - thr
    if code == RELU:
        return z if z > 0.0 else 0.0 * z
    if code == TANH:
        return math.tanh(z)
    return (math.tanh(z) + 1.0) / 2.0


@njit
def rate_evolve(u, x, alpha, bias, thr, w_rec, code, out, rec_x, rec_r):
    """Evolve in place. ``u`` (B, T, N) input (noise already added); state ``x`` (B, N);
    ``w_rec`` (N, N) or (0, 0); ``out`` (B, T, N) activations; records ``rec_x`` and ``rec_r``
    (B, T, N) or (B, 0, N) to skip."""
    B, T, N = u.shape
    has_rec = w_rec.shape[0] > 0
    record = rec_x.shape[1] > 0
    a = np.zeros(N, dtype=u.dtype)
    r = np.zeros(N, dtype=u.dtype)
    act_idx = np.zeros(N, np.int64)  # the active units (a ≠ 0) of the current step
    act_val = np.zeros(N, dtype=u.dtype)
    for b in range(B):
        for n in range(N):
            a[n] = activation(x[b, n], thr[n], code)
        for t in range(T):
            if has_rec:
                m = np.int64(0)
                for j in range(N):  # branch-free compaction of the active units
                    ev = a[j]
                    act_idx[m] = j
                    act_val[m] = ev
                    m += ev != 0.0
                for k in range(N):  # explicit loop: slice assignment costs seconds of compile
                    r[k] = 0.0
                add_rows(r, w_rec, act_idx, act_val, m)  # in order j = 0, 1, ...
            for n in range(N):
                xn = x[b, n] + alpha[n] * (-x[b, n] + u[b, t, n] + bias[n] + r[n])
                x[b, n] = xn
                a[n] = activation(xn, thr[n], code)
                out[b, t, n] = a[n]
                if record:
                    rec_x[b, t, n] = xn
                    rec_r[b, t, n] = r[n]
