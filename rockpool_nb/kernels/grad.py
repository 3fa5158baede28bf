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


@njit
def lif_reverse(
    x, v, isyn, irec, spikes, v0, isyn0, alpha, beta, bias, thr, w_rec_t, g_out, g_vmem, code, width
):
    """Adjoint of :func:`rockpool_nb.kernels.lif.lif_evolve` (without fused input weights).

    ``x`` (B, T, K) input, records ``v`` (B, T, N) (post-reset), ``isyn``/``irec`` (B, T, N, S),
    ``spikes`` (B, T, N); initial states ``v0`` (B, N), ``isyn0`` (B, N, S); ``g_out`` (B, T, N)
    and ``g_vmem`` (B, T, N) (or (B, 0, N)): loss gradients w.r.t. spikes and recorded ``vmem``;
    ``w_rec_t`` the transposed recurrent weights (K, N), or (0, 0). All batch elements step
    back in time together, so the recurrent adjoint is one matrix product (BLAS) per step.
    Returns ``(g_x, g_alpha, g_beta, g_bias, g_thr)``; ``g_x`` is also the gradient of the
    recurrent input, from which the caller forms ``g_w_rec`` with one matrix product."""
    B, T, K = x.shape
    N, S = alpha.shape[0], beta.shape[1]
    has_rec = w_rec_t.shape[0] > 0
    has_gv = g_vmem.shape[1] > 0
    g_x = np.zeros(x.shape)
    ga = np.zeros(N)
    gb = np.zeros((N, S))
    gbias = np.zeros(N)
    gthr = np.zeros(N)
    lam_v = np.zeros((B, N))
    lam_i = np.zeros((B, N, S))
    g_s_rec = np.zeros((B, N))
    g_r = np.zeros((B, K))
    for t in range(T - 1, -1, -1):
        for b in range(B):
            for n in range(N):
                th = thr[n]
                s = spikes[b, t, n]
                u = v[b, t, n] + th * s
                m, dsdu = _surrogate(u, th, code, width)
                lv = lam_v[b, n]
                if has_gv:
                    lv += g_vmem[b, t, n]
                gs = g_out[b, t, n] + g_s_rec[b, n]
                g_u = lv * (1.0 - m) + gs * dsdu / th
                gthr[n] += lv * (-s + m * u / th) - gs * m * u / (th * th)
                v_prev = v[b, t - 1, n] if t > 0 else v0[b, n]
                ga[n] += g_u * v_prev
                gbias[n] += g_u
                lam_v[b, n] = g_u * alpha[n]
                for k in range(S):
                    gi = lam_i[b, n, k] + g_u
                    i_prev = isyn[b, t - 1, n, k] if t > 0 else isyn0[b, n, k]
                    pre = i_prev + x[b, t, n * S + k] + irec[b, t, n, k]
                    gb[n, k] += gi * pre
                    gp = gi * beta[n, k]
                    lam_i[b, n, k] = gp
                    g_x[b, t, n * S + k] = gp
                    g_r[b, n * S + k] = gp
        if has_rec and t > 0:
            g_s_rec[:, :] = np.dot(g_r, w_rec_t)  # (B, K) @ (K, N): the recurrent adjoint
        else:
            g_s_rec[:, :] = 0.0
    return g_x, ga, gb, gbias, gthr


@njit_parallel
def rate_reverse(xs, x0, alpha, w_rec_t, g_out, dact, dact_prev):
    """Adjoint of :func:`rockpool_nb.kernels.rate.rate_evolve`.

    ``xs`` (B, T, N) recorded states, ``x0`` (B, N) initial state, ``alpha = dt/τ`` (N,),
    ``w_rec_t`` the transposed recurrent weights (or (0, 0)),
    ``g_out`` (B, T, N) gradient w.r.t. the output ``H(x_t − θ)``; the activation derivatives
    ``dact = H'(x_t − θ)`` and ``dact_prev = H'(x_{t−1} − θ)`` (B, T, N) are computed by the
    caller (vectorised). Returns ``(g_u, g_alpha, g_thr)``: ``g_u`` is also the gradient of the
    recurrent input, from which the caller forms ``g_w_rec`` with one matrix product, and of the
    bias (summed)."""
    B, T, N = xs.shape
    has_rec = w_rec_t.shape[0] > 0
    g_u = np.zeros(xs.shape)
    ga = np.zeros((B, N))
    gthr = np.zeros((B, N))
    for b in prange(B):
        lam = np.zeros(N)
        gr = np.zeros(N)
        acc = np.zeros(N)
        for t in range(T - 1, -1, -1):
            for n in range(N):
                d = dact[b, t, n]
                gx = g_out[b, t, n] * d + lam[n]
                gthr[b, n] -= g_out[b, t, n] * d
                xp = xs[b, t - 1, n] if t > 0 else x0[b, n]
                ga[b, n] += gx * (xs[b, t, n] - xp) / alpha[n]
                gr[n] = gx * alpha[n]
                g_u[b, t, n] = gr[n]
                lam[n] = gx * (1.0 - alpha[n])
            if has_rec:
                # acc = W · gr, as a sum of W's columns (w_rec_t = Wᵀ): vectorises over j
                for j in range(N):
                    acc[j] = 0.0
                for k in range(N):
                    gk = gr[k]
                    if gk != 0.0:
                        col = w_rec_t[k]
                        for j in range(N):
                            acc[j] += col[j] * gk
                for j in range(N):
                    dj = dact_prev[b, t, j]
                    lam[j] += acc[j] * dj
                    gthr[b, j] -= acc[j] * dj
    return g_u, ga.sum(axis=0), gthr.sum(axis=0)


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
