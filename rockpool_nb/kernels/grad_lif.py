"""LIF for back-propagation through time: a training forward kernel that records what the
reverse pass reads (membrane, pre-decay currents, spikes), and the reverse (adjoint) kernels,
all over one time segment. The dynamics are those of :mod:`rockpool_nb.kernels.lif`::

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

from rockpool_nb.kernels._jit import njit, njit_parallel, prange

__all__ = [
    "lif_train_forward",
    "lif_train_forward_parallel",
    "lif_reverse_segment",
    "lif_reverse_ramp",
    "lif_reverse_ramp_parallel",
]


@njit
def _surr(u, th, code, width):
    """``m`` (which is also ``θ·∂S/∂U``) of the surrogate at membrane ``u``, threshold ``th``."""
    ramp = 1.0 if u >= th - width else 0.0
    z = abs(u - th) / width
    fs = 1.0 / ((1.0 + z) * (1.0 + z))
    return ramp if code == 0 else fs


@njit
def lif_reverse_segment(
    pre,
    v,
    spikes,
    v0,
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

    Records of :func:`lif_train_forward`: ``pre`` (B, T, K) the synaptic currents before the
    decay (K = N·S), ``v`` (B, T, N) (after reset), ``spikes`` (B, T, N); ``v0`` (B, N) the
    membrane before the segment; ``alpha`` (N,), ``beta`` (N, S), ``thr`` (N,); ``w_rec_t = Wᵀ`` (K, N)
    or (0, 0); ``g_out`` (B, T, N) = ∂L/∂S. ``more_before``: the segment does not start at
    t = 0 (so the recurrent adjoint of its first step is carried out in ``g_s``).
    ``lam_v`` (B, N), ``lam_i`` (B, N, S), ``g_s`` (B, N) are updated in place; ``g_x``
    (B, T, K) is written (it is also ∂L/∂R_t); ``ga`` (N,), ``gb`` (N, S), ``gbias``, ``gthr``
    (N,) are added into."""
    B, T, K = pre.shape
    N, S = alpha.shape[0], beta.shape[1]
    has_rec = w_rec_t.shape[0] > 0
    g_r = np.zeros((B, K), dtype=pre.dtype)
    g_u = np.zeros(N, dtype=pre.dtype)
    g_i = np.zeros(K, dtype=pre.dtype)
    b_flat = beta.reshape(K)
    gbf = gb.reshape(K)
    for t in range(T - 1, -1, -1):
        for b in range(B):
            vp = v[b, t - 1] if t > 0 else v0[b]
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
            pt, gxt, grb = pre[b, t], g_x[b, t], g_r[b]
            if S == 1:
                for k in range(K):
                    g_i[k] = li[k] + g_u[k]
            else:
                for k in range(K):
                    g_i[k] = li[k] + g_u[k // S]
            for k in range(K):
                gbf[k] += g_i[k] * pt[k]
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


@njit(fastmath={"reassoc", "contract"})
def _dot(a, b):
    """``Σ a_k b_k``, reassociated so that it vectorises (the order of the sum is fixed by
    the compiled code, so results are reproducible)."""
    acc = a.dtype.type(0.0)
    for k in range(a.shape[0]):
        acc += a[k] * b[k]
    return acc


@njit
def _forward_one(b, x, v, isyn, spk, alpha, beta, bias, thr, w_rec, noise, max_spikes, out, rec_v, rec_pre):  # fmt: skip
    """The LIF forward pass for training of batch element ``b``, in place, recording what the reverse pass reads.

    ``x`` (B, T, K) synaptic input; state ``v`` (B, N), ``isyn`` (B, N, S), ``spk`` (B, N);
    ``w_rec`` (N, K) or (0, 0) (recurrence event-driven: rows of the neurons that spiked);
    ``noise`` (B, T, N) or (B, 0, N); writes spike counts ``out`` (B, T, N) and, unless their
    time axis is empty, ``rec_v`` (B, T, N) (after reset) and ``rec_pre`` (B, T, K), the
    currents ``I_{t−1} + X_t + R_t`` before the decay. Same arithmetic, in the same order, as
    :func:`rockpool_nb.kernels.lif.lif_evolve`."""
    B, T, K = x.shape
    N, S = alpha.shape[0], beta.shape[1]
    has_rec = w_rec.shape[0] > 0
    has_noise = noise.shape[1] > 0
    record = rec_v.shape[1] > 0
    b_flat = beta.reshape(K)
    vb, sb, syn = v[b], spk[b], isyn[b].reshape(K)
    irec = np.zeros(K, dtype=x.dtype)
    total = np.zeros(N, dtype=x.dtype)
    for t in range(T):
        for k in range(K):
            irec[k] = 0.0
        if has_rec:
            for j in range(N):
                c = sb[j]
                if c != 0.0:
                    row = w_rec[j]
                    for k in range(K):
                        irec[k] += c * row[k]
        xt = x[b, t]
        pt = rec_pre[b, t] if record else irec
        for k in range(K):  # I = β(I + X + R), the sum kept for the reverse pass
            p = syn[k] + xt[k] + irec[k]
            pt[k] = p
            syn[k] = p * b_flat[k]
        if S == 1:
            for n in range(N):
                vb[n] = alpha[n] * vb[n] + syn[n] + bias[n]
        else:
            for n in range(N):
                acc = syn[n * S]
                for s in range(1, S):
                    acc += syn[n * S + s]
                total[n] = acc
            for n in range(N):
                vb[n] = alpha[n] * vb[n] + total[n] + bias[n]
        if has_noise:
            for n in range(N):
                vb[n] += noise[b, t, n]
        ot = out[b, t]
        for n in range(N):  # spike counts and subtractive reset, branch-free
            count = np.floor(vb[n] / thr[n])
            count = min(count, max_spikes)
            count = count if vb[n] >= thr[n] else 0.0 * count
            vb[n] -= count * thr[n]
            sb[n] = count
            ot[n] = count
        if record:
            rv = rec_v[b, t]
            for n in range(N):
                rv[n] = vb[n]


@njit
def _ramp_one(
    b,
    pre, v, spikes, v0, s0, alpha, beta, thr, w_rec, g_out, width,
    more_before, lam_v, lam_i, g_s, g_x, ga, gb, gbias, gthr,
):  # fmt: skip
    """As :func:`lif_reverse_segment` for the ramp surrogate (code 0), for batch element ``b``
    alone (so batch elements can run in parallel), each with its own gradient rows: ``ga``, ``gbias``, ``gthr`` (B, N), ``gb``
    (B, N, S) (the caller sums over B). ``s0`` (B, N) the spike counts before the segment;
    ``w_rec`` (N, K) not transposed, or (0, 0).

    The ramp is zero outside ``U ≥ θ − w``, so the gradient reaching ``S_{t−1}`` through the
    recurrence, ``g_s = W g_R``, is needed only where ``U_{t−1}`` is inside the window: it is
    formed there only, one dot product per neuron (no matrix product over the whole layer)."""
    B, T, K = pre.shape
    N, S = alpha.shape[0], beta.shape[1]
    has_rec = w_rec.shape[0] > 0
    b_flat = beta.reshape(K)
    g_r = np.zeros(K, dtype=pre.dtype)
    g_u = np.zeros(N, dtype=pre.dtype)
    g_i = np.zeros(K, dtype=pre.dtype)
    uu = np.zeros(N, dtype=pre.dtype)
    gq = np.zeros(N, dtype=pre.dtype)
    gs, lv, li = g_s[b], lam_v[b], lam_i[b].reshape(K)
    gab, gbb, gbiasb, gthrb = ga[b], gb[b].reshape(K), gbias[b], gthr[b]
    for t in range(T - 1, -1, -1):
        vp = v[b, t - 1] if t > 0 else v0[b]
        sp = spikes[b, t - 1] if t > 0 else s0[b]
        vt, st, gt = v[b, t], spikes[b, t], g_out[b, t]
        # loops over few arrays each, so that each vectorises (many arrays in one loop
        # exceed the compiler's run-time alias checks, and it stays scalar)
        for n in range(N):
            uu[n] = vt[n] + thr[n] * st[n]  # U_t (before the reset)
        for n in range(N):
            gq[n] = gt[n] + gs[n]  # ∂L/∂S_t
        for n in range(N):  # m = 1 inside the window, 0 outside: selects, no branch
            th = thr[n]
            u = uu[n]
            inside = u >= th - width
            gthrb[n] += (
                lv[n] * (u / th - st[n]) - gq[n] * u / (th * th) if inside else -lv[n] * st[n]
            )
        for n in range(N):
            g_u[n] = gq[n] / thr[n] if uu[n] >= thr[n] - width else lv[n]
        for n in range(N):
            gab[n] += g_u[n] * vp[n]
        for n in range(N):
            gbiasb[n] += g_u[n]
        for n in range(N):
            lv[n] = g_u[n] * alpha[n]
        pt, gxt = pre[b, t], g_x[b, t]
        if S == 1:
            for k in range(K):
                g_i[k] = li[k] + g_u[k]
        else:
            for k in range(K):
                g_i[k] = li[k] + g_u[k // S]
        for k in range(K):
            gbb[k] += g_i[k] * pt[k]
        for k in range(K):
            li[k] = g_i[k] * b_flat[k]
        for k in range(K):
            gxt[k] = li[k]
            g_r[k] = li[k]
        for n in range(N):
            gs[n] = 0.0
        if has_rec and (t > 0 or more_before):
            for n in range(N):  # inside the window at t − 1 only
                th = thr[n]
                if vp[n] + th * sp[n] >= th - width:
                    gs[n] = _dot(w_rec[n], g_r)


# Serial and parallel entry points are separate functions, so their on-disk caches do not
# collide (numba keys a cache by function, not by its options); the serial ones need no
# threading layer to compile or start.
@njit
def lif_train_forward(x, v, isyn, spk, alpha, beta, bias, thr, w_rec, noise, max_spikes, out, rec_v, rec_pre):  # fmt: skip
    """:func:`_forward_one` for every batch element in turn."""
    for b in range(x.shape[0]):
        _forward_one(b, x, v, isyn, spk, alpha, beta, bias, thr, w_rec, noise, max_spikes, out, rec_v, rec_pre)  # fmt: skip


@njit_parallel
def lif_train_forward_parallel(x, v, isyn, spk, alpha, beta, bias, thr, w_rec, noise, max_spikes, out, rec_v, rec_pre):  # fmt: skip
    """:func:`_forward_one`, batch elements in parallel."""
    for b in prange(x.shape[0]):
        _forward_one(b, x, v, isyn, spk, alpha, beta, bias, thr, w_rec, noise, max_spikes, out, rec_v, rec_pre)  # fmt: skip


@njit
def lif_reverse_ramp(pre, v, spikes, v0, s0, alpha, beta, thr, w_rec, g_out, width, more_before, lam_v, lam_i, g_s, g_x, ga, gb, gbias, gthr):  # fmt: skip
    """:func:`_ramp_one` for every batch element in turn."""
    for b in range(pre.shape[0]):
        _ramp_one(b, pre, v, spikes, v0, s0, alpha, beta, thr, w_rec, g_out, width, more_before, lam_v, lam_i, g_s, g_x, ga, gb, gbias, gthr)  # fmt: skip


@njit_parallel
def lif_reverse_ramp_parallel(pre, v, spikes, v0, s0, alpha, beta, thr, w_rec, g_out, width, more_before, lam_v, lam_i, g_s, g_x, ga, gb, gbias, gthr):  # fmt: skip
    """:func:`_ramp_one`, batch elements in parallel."""
    for b in prange(pre.shape[0]):
        _ramp_one(b, pre, v, spikes, v0, s0, alpha, beta, thr, w_rec, g_out, width, more_before, lam_v, lam_i, g_s, g_x, ga, gb, gbias, gthr)  # fmt: skip
