"""LIF reverse (adjoint) kernel over one time segment, for back-propagation through time.

The forward is :func:`rockpool_nb.kernels.lif.lif_evolve` with recording on::

    I_t = β(I_{t−1} + X_t + R_t),  R_t = S_{t−1} W,  U_t = αV_{t−1} + ΣI_t + b + ξ_t,
    S_t = floor(U_t/θ)·[U_t ≥ θ],  V_t = U_t − θS_t

Surrogate spike derivative (code 0, Rockpool's ``LIFJax``, window ``w``): ``m = [U ≥ θ − w]``,
``∂S/∂U = m/θ``, ``∂S/∂θ = −mU/θ²``, the reset left differentiable (``∂V/∂U = 1 − m``,
``∂V/∂θ = −S + mU/θ``). Code 1 is snnTorch's fast sigmoid ``m = 1/(1 + |U − θ|/w)²``.

The adjoint state (``λ_V``, ``λ_I`` and the gradient reaching ``S_{t−1}`` through the
recurrence) is carried in and out, so a checkpointed run calls the kernel segment by segment.
Per-neuron loops are innermost and branch-free (they vectorise); all batch elements step back
together, so the recurrent adjoint is one matrix product per step.
"""

from __future__ import annotations

import numpy as np

from rockpool_nb.kernels._jit import njit

__all__ = ["lif_reverse_segment"]


@njit
def _surr(u, th, code, width):
    """``m`` (which is also ``θ·∂S/∂U``) of the surrogate at membrane ``u``, threshold ``th``."""
    ramp = 1.0 if u >= th - width else 0.0
    z = abs(u - th) / width
    fs = 1.0 / ((1.0 + z) * (1.0 + z))
    return ramp if code == 0 else fs


@njit
def lif_reverse_segment(
    x,
    v,
    isyn,
    irec,
    spikes,
    v0,
    isyn0,
    alpha,
    beta,
    thr,
    w_rec_t,
    g_out,
    code,
    width,
    more_before,
    lam_v,
    lam_i,
    g_s,
    g_x,
    ga,
    gb,
    gbias,
    gthr,
):
    """Adjoint of one recorded LIF segment.

    ``x`` (B, T, K) synaptic input (K = N·S); records ``v`` (B, T, N) (after reset), ``isyn``,
    ``irec`` (B, T, N, S), ``spikes`` (B, T, N); ``v0`` (B, N), ``isyn0`` (B, N, S) the state
    before the segment; ``alpha`` (N,), ``beta`` (N, S), ``thr`` (N,); ``w_rec_t = Wᵀ`` (K, N)
    or (0, 0); ``g_out`` (B, T, N) = ∂L/∂S. ``more_before``: the segment does not start at
    t = 0 (so the recurrent adjoint of its first step is carried out in ``g_s``).
    ``lam_v`` (B, N), ``lam_i`` (B, N, S), ``g_s`` (B, N) are updated in place; ``g_x``
    (B, T, K) is written (it is also ∂L/∂R_t); ``ga`` (N,), ``gb`` (N, S), ``gbias``, ``gthr``
    (N,) are added into."""
    B, T, K = x.shape
    N, S = alpha.shape[0], beta.shape[1]
    has_rec = w_rec_t.shape[0] > 0
    g_r = np.zeros((B, K), dtype=x.dtype)
    g_u = np.zeros(N, dtype=x.dtype)
    g_i = np.zeros(K, dtype=x.dtype)
    b_flat = beta.reshape(K)
    gbf = gb.reshape(K)
    for t in range(T - 1, -1, -1):
        for b in range(B):
            vp = v[b, t - 1] if t > 0 else v0[b]
            ip = (isyn[b, t - 1] if t > 0 else isyn0[b]).reshape(K)
            vt, st, gt, gs, lv = v[b, t], spikes[b, t], g_out[b, t], g_s[b], lam_v[b]
            for n in range(N):  # short loops over few arrays: each vectorises
                th = thr[n]
                s = st[n]
                u = vt[n] + th * s
                m = _surr(u, th, code, width)
                gsn = gt[n] + gs[n]
                g_u[n] = lv[n] * (1.0 - m) + gsn * m / th
                gthr[n] += lv[n] * (m * u / th - s) - gsn * m * u / (th * th)
            for n in range(N):
                ga[n] += g_u[n] * vp[n]
                gbias[n] += g_u[n]
                lv[n] = g_u[n] * alpha[n]
            li = lam_i[b].reshape(K)
            xt, rt, gxt, grb = x[b, t], irec[b, t].reshape(K), g_x[b, t], g_r[b]
            if S == 1:
                for k in range(K):
                    g_i[k] = li[k] + g_u[k]
            else:
                for k in range(K):
                    g_i[k] = li[k] + g_u[k // S]
            for k in range(K):
                gbf[k] += g_i[k] * (ip[k] + xt[k] + rt[k])
            for k in range(K):
                li[k] = g_i[k] * b_flat[k]
            for k in range(K):
                gxt[k] = li[k]
                grb[k] = li[k]
        if has_rec and (t > 0 or more_before):
            prod = np.dot(g_r, w_rec_t)  # (B, K) @ (K, N): the recurrent adjoint
            for b in range(B):
                for n in range(N):
                    g_s[b, n] = prod[b, n]
        else:
            for b in range(B):
                for n in range(N):
                    g_s[b, n] = 0.0
