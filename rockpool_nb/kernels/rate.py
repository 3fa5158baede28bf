"""Rate neurons: the forward kernel (forward Euler).

Per time step, with ``α = dt / max(τ, 10·dt)`` (τ clipped below at 10 dt) and activation ``H``::

    r   = H(X, θ) @ W_rec          # 0 when not recurrent; rows of inactive units skipped
    X   = X + α · (−X + u_t + bias + r)
    y_t = H(X, θ)

Activations by code: 0 ReLU ``(x−θ)·[x>θ]``, 1 ``tanh(x−θ)``, 2 sigmoid ``(tanh(x−θ)+1)/2``.

``rate_evolve_split`` is the same update with the output neurons (columns of ``W_rec``) split
into contiguous blocks (``split_columns``), one per thread (``prange``) at each time step: each ``r[k]`` is summed
over the active rows in the same order as in ``rate_evolve``, so both give bit-identical results.
"""

from __future__ import annotations

import math

import numpy as np

from rockpool_nb.kernels._jit import njit, njit_parallel, prange
from rockpool_nb.kernels.linear import add_rows

__all__ = [
    "rate_evolve",
    "rate_evolve_split",
    "split_columns",
    "activation",
    "RELU",
    "TANH",
    "SIGMOID",
]

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


def split_columns(w_rec: np.ndarray, blocks: int) -> tuple[np.ndarray, np.ndarray]:
    """``w_rec`` (N, N) as ``blocks`` contiguous column blocks ``(blocks, N, width)`` (zero
    padded) and the block edges ``(blocks + 1,)``, rounded to 8 neurons (whole vectors)."""
    n = w_rec.shape[1]
    edges = np.array([min(n, -(-n * i // blocks // 8) * 8) for i in range(blocks + 1)], np.int64)
    edges[-1] = n
    width = int(np.max(np.diff(edges)))
    wb = np.zeros((blocks, w_rec.shape[0], width), w_rec.dtype)
    for i in range(blocks):
        lo, hi = edges[i], edges[i + 1]
        wb[i, :, : hi - lo] = w_rec[:, lo:hi]
    return wb, edges


@njit_parallel
def rate_evolve_split(u, x, alpha, bias, thr, w_blocks, edges, code, out, rec_x, rec_r):
    """As ``rate_evolve`` for a recurrent layer, the neurons split into the column blocks of
    ``split_columns`` (``w_blocks``, ``edges``), computed in parallel at each step."""
    B, T, N = u.shape
    blocks, _, width = w_blocks.shape
    record = rec_x.shape[1] > 0
    a = np.zeros(N, dtype=u.dtype)
    rb = np.zeros((blocks, width), dtype=u.dtype)  # r of each block
    act_idx = np.zeros(N, np.int64)
    act_val = np.zeros(N, dtype=u.dtype)
    for b in range(B):
        for n in range(N):
            a[n] = activation(x[b, n], thr[n], code)
        for t in range(T):
            m = np.int64(0)
            for j in range(N):  # branch-free compaction of the active units
                ev = a[j]
                act_idx[m] = j
                act_val[m] = ev
                m += ev != 0.0
            for i in prange(blocks):  # ``a`` is read above and written below: no race
                lo, hi = edges[i], edges[i + 1]
                r = rb[i]
                for k in range(width):
                    r[k] = 0.0
                add_rows(r, w_blocks[i], act_idx, act_val, m)  # in order j = 0, 1, ...
                for n in range(lo, hi):
                    rn = r[n - lo]
                    xn = x[b, n] + alpha[n] * (-x[b, n] + u[b, t, n] + bias[n] + rn)
                    x[b, n] = xn
                    a[n] = activation(xn, thr[n], code)
                    out[b, t, n] = a[n]
                    if record:
                        rec_x[b, t, n] = xn
                        rec_r[b, t, n] = rn
