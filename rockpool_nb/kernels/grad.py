"""Reverse-time (adjoint) kernels for back-propagation through time.

Each kernel takes what the forward kernel recorded and the gradient of the loss with respect to
the module's output, and returns gradients with respect to the input and the parameters
(per neuron; the caller reduces them to each parameter's shape). Batches run in parallel, each
with its own gradient buffer, summed at the end.

LIF (surrogate of Rockpool's ``LIFJax``: window ``w = 0.5`` in membrane units)::

    forward  I_t = β(I_{t−1} + X_t + R_t),  R_t = S_{t−1} W,  U_t = αV_{t−1} + ΣI_t + b,
             S_t = floor(U_t/θ)·[U_t ≥ θ],  V_t = U_t − θS_t
    reverse  m = [U ≥ θ − w],  ∂S/∂U = m/θ,  ∂S/∂θ = −mU/θ²,  ∂V/∂U = 1 − m,  ∂V/∂θ = −S + mU/θ

Rate (forward Euler, ``α = dt/τ``)::

    forward  x_t = x_{t−1} + α(−x_{t−1} + u_t + b + H(x_{t−1} − θ) W),  y_t = H(x_t − θ)
"""

from __future__ import annotations

import math

import numpy as np

from rockpool_nb.kernels._jit import njit, njit_parallel, prange

__all__ = ["lif_reverse", "rate_reverse", "expsyn_reverse", "SURROGATES"]

SURROGATES = {"pwl": 0, "fast_sigmoid": 1}  # Rockpool's ramp (default), snnTorch's fast sigmoid


@njit
def _surrogate(u, thr, code, width):
    """``(m, dS/dU·θ)`` of the spike function at membrane ``u``."""
    if code == 0:
        m = 1.0 if u >= thr - width else 0.0
        return m, m
    # fast sigmoid of (u − θ) with slope 1/width: 1 / (1 + |u − θ|/w)²
    z = abs(u - thr) / width
    d = 1.0 / ((1.0 + z) * (1.0 + z))
    return d, d


@njit_parallel
def lif_reverse(
    x, v, isyn, irec, spikes, v0, isyn0, alpha, beta, bias, thr, w_rec, g_out, g_vmem, code, width
):
    """Adjoint of :func:`rockpool_nb.kernels.lif.lif_evolve` (without fused input weights).

    ``x`` (B, T, K) input, records ``v`` (B, T, N) (post-reset), ``isyn``/``irec`` (B, T, N, S),
    ``spikes`` (B, T, N); initial states ``v0`` (B, N), ``isyn0`` (B, N, S); ``g_out`` (B, T, N)
    and ``g_vmem`` (B, T, N) (or (B, 0, N)): loss gradients w.r.t. spikes and recorded ``vmem``.
    Returns ``(g_x, g_alpha, g_beta, g_bias, g_thr, g_w_rec)`` with per-batch buffers summed."""
    B, T, K = x.shape
    N, S = alpha.shape[0], beta.shape[1]
    has_rec = w_rec.shape[0] > 0
    has_gv = g_vmem.shape[1] > 0
    g_x = np.zeros(x.shape)
    ga = np.zeros((B, N))
    gb = np.zeros((B, N, S))
    gbias = np.zeros((B, N))
    gthr = np.zeros((B, N))
    gw = np.zeros((B, N, K)) if has_rec else np.zeros((B, 0, 0))
    for b in prange(B):
        lam_v = np.zeros(N)
        lam_i = np.zeros((N, S))
        g_s_rec = np.zeros(N)
        g_r = np.zeros(K)
        for t in range(T - 1, -1, -1):
            for n in range(N):
                th = thr[n]
                s = spikes[b, t, n]
                u = v[b, t, n] + th * s
                m, dsdu = _surrogate(u, th, code, width)
                lv = lam_v[n]
                if has_gv:
                    lv += g_vmem[b, t, n]
                gs = g_out[b, t, n] + g_s_rec[n]
                g_u = lv * (1.0 - m) + gs * dsdu / th
                gthr[b, n] += lv * (-s + m * u / th) - gs * m * u / (th * th)
                v_prev = v[b, t - 1, n] if t > 0 else v0[b, n]
                ga[b, n] += g_u * v_prev
                gbias[b, n] += g_u
                lam_v[n] = g_u * alpha[n]
                for k in range(S):
                    gi = lam_i[n, k] + g_u
                    i_prev = isyn[b, t - 1, n, k] if t > 0 else isyn0[b, n, k]
                    pre = i_prev + x[b, t, n * S + k] + irec[b, t, n, k]
                    gb[b, n, k] += gi * pre
                    gp = gi * beta[n, k]
                    lam_i[n, k] = gp
                    g_x[b, t, n * S + k] = gp
                    g_r[n * S + k] = gp
            for n in range(N):
                g_s_rec[n] = 0.0
            if has_rec and t > 0:
                for j in range(N):
                    sj = spikes[b, t - 1, j]
                    row = w_rec[j]
                    acc = 0.0
                    for k in range(K):
                        acc += row[k] * g_r[k]
                    g_s_rec[j] = acc
                    if sj != 0.0:
                        for k in range(K):
                            gw[b, j, k] += sj * g_r[k]
    return (
        g_x,
        ga.sum(axis=0),
        gb.sum(axis=0),
        gbias.sum(axis=0),
        gthr.sum(axis=0),
        gw.sum(axis=0) if has_rec else np.zeros((0, 0)),
    )


@njit
def _act(z, code):
    if code == 0:
        return z if z > 0.0 else 0.0
    if code == 1:
        return math.tanh(z)
    return (math.tanh(z) + 1.0) / 2.0


@njit
def _dact(z, code):
    if code == 0:
        return 1.0 if z > 0.0 else 0.0
    t = math.tanh(z)
    if code == 1:
        return 1.0 - t * t
    return (1.0 - t * t) / 2.0


@njit_parallel
def rate_reverse(xs, x0, alpha, thr, w_rec, g_out, code):
    """Adjoint of :func:`rockpool_nb.kernels.rate.rate_evolve`.

    ``xs`` (B, T, N) recorded states, ``x0`` (B, N) initial state, ``alpha = dt/τ`` (N,),
    ``g_out`` (B, T, N) gradient w.r.t. the output ``H(x_t − θ)``. Returns
    ``(g_u, g_alpha, g_bias, g_thr, g_w_rec)``; ``g_bias`` equals the sum of ``g_u``."""
    B, T, N = xs.shape
    has_rec = w_rec.shape[0] > 0
    g_u = np.zeros(xs.shape)
    ga = np.zeros((B, N))
    gthr = np.zeros((B, N))
    gw = np.zeros((B, N, N)) if has_rec else np.zeros((B, 0, 0))
    for b in prange(B):
        lam = np.zeros(N)
        gr = np.zeros(N)
        for t in range(T - 1, -1, -1):
            for n in range(N):
                z = xs[b, t, n] - thr[n]
                d = _dact(z, code)
                gx = g_out[b, t, n] * d + lam[n]
                gthr[b, n] -= g_out[b, t, n] * d
                xp = xs[b, t - 1, n] if t > 0 else x0[b, n]
                ga[b, n] += gx * (xs[b, t, n] - xp) / alpha[n]
                gr[n] = gx * alpha[n]
                g_u[b, t, n] = gr[n]
                lam[n] = gx * (1.0 - alpha[n])
            if has_rec:
                for j in range(N):
                    xp = xs[b, t - 1, j] if t > 0 else x0[b, j]
                    zj = xp - thr[j]
                    aj = _act(zj, code)
                    row = w_rec[j]
                    acc = 0.0
                    for k in range(N):
                        acc += row[k] * gr[k]
                        gw[b, j, k] += aj * gr[k]
                    dj = _dact(zj, code)
                    lam[j] += acc * dj
                    gthr[b, j] -= acc * dj
    return (
        g_u,
        ga.sum(axis=0),
        g_u.sum(axis=0).sum(axis=0),
        gthr.sum(axis=0),
        (gw.sum(axis=0) if has_rec else np.zeros((0, 0))),
    )


@njit
def expsyn_reverse(x, out, isyn0, beta, g_out):
    """Adjoint of :func:`rockpool_nb.kernels.expsyn.expsyn_evolve`: ``I_t = β(I_{t−1} + x_t)``.
    Returns ``(g_x, g_beta)``."""
    B, T, N = x.shape
    g_x = np.zeros(x.shape)
    gb = np.zeros(N)
    for b in range(B):
        for n in range(N):
            lam = 0.0
            for t in range(T - 1, -1, -1):
                gi = g_out[b, t, n] + lam
                prev = out[b, t - 1, n] if t > 0 else isyn0[b, n]
                gb[n] += gi * (prev + x[b, t, n])
                lam = gi * beta[n]
                g_x[b, t, n] = lam
    return g_x, gb
