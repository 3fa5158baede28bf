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
Per-neuron loops are innermost and branch-free (they vectorise). In the general kernel all
batch elements step back together, so the recurrent adjoint is one matrix product per step;
the ramp kernel steps groups of batch elements back together and forms the recurrent adjoint
only inside the surrogate's window, each weight row read once per step for the whole group.
"""

from __future__ import annotations

import numba
import numpy as np

from rockpool_nb.kernels._jit import njit, njit_parallel, prange
from rockpool_nb.kernels.linear import add_rows, compact_events

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


@njit(inline="always")
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
    ev_idx = np.zeros(N, np.int64)
    ev_val = np.zeros(N, x.dtype)
    zero = x.dtype.type(0.0)  # (a float literal would make the spike counts float64)
    for t in range(T):
        for k in range(K):
            irec[k] = 0.0
        if has_rec:  # rows of the neurons that spiked, four per pass (same sums, same order)
            m = compact_events(sb, ev_idx, ev_val)
            add_rows(irec, w_rec, ev_idx, ev_val, m)
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
            count = count if vb[n] >= thr[n] else zero
            vb[n] -= count * thr[n]
            sb[n] = count
            ot[n] = count
        if record:
            rv = rec_v[b, t]
            for n in range(N):
                rv[n] = vb[n]


# The set bits of every byte, ascending, and how many there are: a byte of a neuron's bit mask
# (of the batch elements inside the window, or that spiked) becomes a list without branches.
_BYTE_BITS = np.array([[i for i in range(8) if v >> i & 1] + [0] * (8 - bin(v).count("1"))
                       for v in range(256)], np.int64)  # fmt: skip
_BYTE_COUNT = np.array([bin(v).count("1") for v in range(256)], np.int64)


@njit(inline="always")
def _bit_list(m, G, rows):
    """Write the set bits of ``m`` (of ``G`` bits) ascending into ``rows`` (G + 8,); return
    how many."""
    c = 0
    for byte in range(0, G, 8):
        v = (m >> byte) & 255
        for i in range(8):
            rows[c + i] = _BYTE_BITS[v, i] + byte
        c += _BYTE_COUNT[v]
    return c


@njit
def _spike_rows(gw, smask, sc, g_r, rows):
    """The ``w_rec`` gradient of one step: ``gw[n] += Σ_j sc[j, n] g_r[j]`` over the elements
    ``j`` of the group whose bit ``j`` is set in ``smask[n]`` (those in which neuron ``n``
    spiked; ``sc`` their spike counts), in ascending ``j``: the sums of adding one spike at a
    time, with the row ``gw[n]`` loaded and stored once per four elements (as
    :func:`~rockpool_nb.kernels.linear.add_rows` does, written out here: calling it per neuron,
    with the counts gathered, made the sweep 5 % slower)."""
    G, K = g_r.shape
    N = gw.shape[0]
    for n in range(N):
        if smask[n] == 0:
            continue
        c = _bit_list(smask[n], G, rows)
        j = 0  # (gw indexed in full: a row slice per neuron would update its reference count)
        while j + 4 <= c:
            r0, r1, r2, r3 = rows[j], rows[j + 1], rows[j + 2], rows[j + 3]
            c0, c1, c2, c3 = sc[r0, n], sc[r1, n], sc[r2, n], sc[r3, n]
            for k in range(K):
                gw[n, k] = (((gw[n, k] + c0 * g_r[r0, k]) + c1 * g_r[r1, k]) + c2 * g_r[r2, k]) + c3 * g_r[r3, k]  # fmt: skip
            j += 4
        while j < c:
            r0 = rows[j]
            c0 = sc[r0, n]
            for k in range(K):
                gw[n, k] += c0 * g_r[r0, k]
            j += 1


@njit(fastmath={"reassoc", "contract"})
def _window_dots(w_rec, mask, g_r, rows, g_s, b0):
    """The recurrent adjoint of one step, inside the window only: for every neuron ``n``,
    ``g_s[b0 + j, n] = W[n] · g_r[j]`` for the elements ``j`` of the group whose bit ``j`` is
    set in ``mask[n]`` (``G ≤ 63``). The row ``W[n]`` is read once for up to four dot products
    at a time (then three, two, one); reassociated so that the sums vectorise (the compiled
    order is fixed). ``rows`` (G + 8,) is scratch."""
    G, K = g_r.shape
    N = w_rec.shape[0]
    for n in range(N):
        c = _bit_list(mask[n], G, rows)  # the elements that need row n, ascending
        j = 0
        while j + 4 <= c:
            r0, r1, r2, r3 = rows[j], rows[j + 1], rows[j + 2], rows[j + 3]
            a0 = a1 = a2 = a3 = g_r.dtype.type(0.0)
            for k in range(K):
                w = w_rec[n, k]
                a0 += w * g_r[r0, k]
                a1 += w * g_r[r1, k]
                a2 += w * g_r[r2, k]
                a3 += w * g_r[r3, k]
            g_s[b0 + r0, n] = a0
            g_s[b0 + r1, n] = a1
            g_s[b0 + r2, n] = a2
            g_s[b0 + r3, n] = a3
            j += 4
        left = c - j
        if left == 3:
            r0, r1, r2 = rows[j], rows[j + 1], rows[j + 2]
            a0 = a1 = a2 = g_r.dtype.type(0.0)
            for k in range(K):
                w = w_rec[n, k]
                a0 += w * g_r[r0, k]
                a1 += w * g_r[r1, k]
                a2 += w * g_r[r2, k]
            g_s[b0 + r0, n] = a0
            g_s[b0 + r1, n] = a1
            g_s[b0 + r2, n] = a2
        elif left == 2:
            r0, r1 = rows[j], rows[j + 1]
            a0 = a1 = g_r.dtype.type(0.0)
            for k in range(K):
                w = w_rec[n, k]
                a0 += w * g_r[r0, k]
                a1 += w * g_r[r1, k]
            g_s[b0 + r0, n] = a0
            g_s[b0 + r1, n] = a1
        elif left == 1:
            r0 = rows[j]
            a0 = g_r.dtype.type(0.0)
            for k in range(K):
                a0 += w_rec[n, k] * g_r[r0, k]
            g_s[b0 + r0, n] = a0


# Steps ahead: the reverse sweep reads its records (and writes g_x) backwards, which the
# hardware prefetchers follow poorly, so each step first touches the rows it will need then.
PREFETCH = 4


@njit(inline="always")
def _ramp_group(
    b0, b1,
    pre, v, spikes, v0, s0, alpha, beta, thr, w_rec, g_out, width,
    more_before, lam_v, lam_i, g_s, g_x, ga, gb, gbias, gthr, gw, sink,
):  # fmt: skip
    """As :func:`lif_reverse_segment` for the ramp surrogate (code 0), for the batch elements
    ``b0 ≤ b < b1`` stepping back together (so groups can run in parallel), each with its own
    gradient rows: ``ga``, ``gbias``, ``gthr`` (B, N), ``gb`` (B, N, S) (the caller sums over
    B). ``s0`` (B, N) the spike counts before the segment; ``w_rec`` (N, K) not transposed, or
    (0, 0); ``gw`` (N, K) receives ``Σ_t S_{t−1}ᵀ g_R_t`` (the ``w_rec`` gradient, added at
    every step while ``g_R_t`` is in cache: each row of a neuron that spiked once for the whole
    group); ``sink`` (1,) receives the sum of the prefetched values (so they are loaded).

    The ramp is zero outside ``U ≥ θ − w``, so the gradient reaching ``S_{t−1}`` through the
    recurrence, ``g_s = W g_R``, is needed only where ``U_{t−1}`` is inside the window: it is
    formed there only, row by row of ``W``, each row against every element of the group that
    needs it.

    The step of one element is short loops over few arrays each, so that each vectorises (many
    arrays in one loop exceed the compiler's run-time alias checks, and it stays scalar); the
    window is a 0/1 factor, not a branch. It is written out here, and every array is indexed
    in full: a slice is a new array, and so is each array argument of a helper, even an
    inlined one, and numba updates the reference count of each (an atomic operation) on every
    step. With the step as a helper of 22 arrays those updates took as long as its loops (the
    sweep was 6-9 % slower)."""
    B, T, K = pre.shape
    N = alpha.shape[0]
    S = K // N
    G = b1 - b0
    has_rec = w_rec.shape[0] > 0
    dt = pre.dtype
    b_flat = beta.reshape(K)
    inv = np.empty(N, dt)
    low = np.empty(N, dt)
    for n in range(N):
        inv[n] = dt.type(1.0) / thr[n]
        low[n] = thr[n] - width
    g_r = np.zeros((G, K), dt)
    mask = np.zeros(N, np.int64)  # bit j: element j of the group is inside the window
    smask = np.zeros(N, np.int64)  # bit j: the neuron spiked in element j (counts in sc)
    sc = np.zeros((G, N), dt)
    rows = np.zeros(G + 8, np.int64)
    uu, m, gq, g_u = np.zeros(N, dt), np.zeros(N, dt), np.zeros(N, dt), np.zeros(N, dt)
    gk = np.zeros(K, dt)
    lam_i2, gb2 = lam_i.reshape(B, K), gb.reshape(B, K)
    v0_3, s0_3 = v0.reshape(B, 1, N), s0.reshape(B, 1, N)  # step −1, indexed as the records
    touched = dt.type(0.0)
    for t in range(T - 1, -1, -1):
        for j in range(G):
            b = b0 + j
            if t >= PREFETCH:
                q = t - PREFETCH
                for i in range(0, N, 16):
                    touched += v[b, q, i] + spikes[b, q, i] + g_out[b, q, i]
                for i in range(0, K, 16):
                    touched += pre[b, q, i] + g_x[b, q, i]
            for n in range(N):
                uu[n] = v[b, t, n] + thr[n] * spikes[b, t, n]  # U_t (before the reset)
            for n in range(N):
                m[n] = 1.0 if uu[n] >= low[n] else 0.0  # inside the window
            for n in range(N):
                gq[n] = (g_out[b, t, n] + g_s[b, n]) * inv[n]  # ∂L/∂S_t / θ
            for n in range(N):
                gthr[b, n] += lam_v[b, n] * (m[n] * uu[n] * inv[n] - spikes[b, t, n]) - m[n] * gq[n] * uu[n] * inv[n]  # fmt: skip
            for n in range(N):
                g_u[n] = lam_v[b, n] + m[n] * (gq[n] - lam_v[b, n])  # ∂L/∂U_t
            if t > 0:
                for n in range(N):
                    ga[b, n] += g_u[n] * v[b, t - 1, n]
            else:
                for n in range(N):
                    ga[b, n] += g_u[n] * v0[b, n]
            for n in range(N):
                gbias[b, n] += g_u[n]
            for n in range(N):
                lam_v[b, n] = g_u[n] * alpha[n]
            if S == 1:
                for k in range(K):
                    lam_i2[b, k] += g_u[k]
            else:  # ∂L/∂U of each synapse's neuron
                for k in range(K):
                    gk[k] = g_u[k // S]
                for k in range(K):
                    lam_i2[b, k] += gk[k]
            for k in range(K):
                gb2[b, k] += lam_i2[b, k] * pre[b, t, k]
            for k in range(K):
                lam_i2[b, k] *= b_flat[k]
            for k in range(K):
                g_x[b, t, k] = lam_i2[b, k]
            for k in range(K):
                g_r[j, k] = lam_i2[b, k]
            for n in range(N):
                g_s[b, n] = 0.0
        if has_rec:
            for n in range(N):
                mask[n] = 0
                smask[n] = 0
            vp, sp, tp = (v, spikes, t - 1) if t > 0 else (v0_3, s0_3, 0)
            for j in range(G):  # who spiked at t − 1, and who is inside the window then
                b = b0 + j
                bit = 1 << j
                for n in range(N):
                    s = sp[b, tp, n]
                    sc[j, n] = s
                    smask[n] |= bit if s != 0.0 else 0
                    mask[n] |= bit if vp[b, tp, n] + thr[n] * s >= low[n] else 0
            _spike_rows(gw, smask, sc, g_r, rows)  # w_rec gradient: Σ_j S_{t−1}ᵀ g_R_t
            if t > 0 or more_before:
                _window_dots(w_rec, mask, g_r, rows, g_s, b0)
    sink[0] = touched


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
def lif_reverse_ramp(pre, v, spikes, v0, s0, alpha, beta, thr, w_rec, g_out, width, more_before, lam_v, lam_i, g_s, g_x, ga, gb, gbias, gthr, gw, group):  # fmt: skip
    """:func:`_ramp_group` for groups of ``group`` batch elements in turn; ``gw`` (1, N, K)."""
    B = pre.shape[0]
    sink = np.zeros(1, pre.dtype)
    for b0 in range(0, B, group):
        _ramp_group(b0, min(B, b0 + group), pre, v, spikes, v0, s0, alpha, beta, thr, w_rec, g_out, width, more_before, lam_v, lam_i, g_s, g_x, ga, gb, gbias, gthr, gw[0], sink)  # fmt: skip


@njit_parallel
def lif_reverse_ramp_parallel(pre, v, spikes, v0, s0, alpha, beta, thr, w_rec, g_out, width, more_before, lam_v, lam_i, g_s, g_x, ga, gb, gbias, gthr, gw, group):  # fmt: skip
    """:func:`_ramp_group`, groups of ``group`` batch elements in parallel; ``gw`` (P, N, K)
    has a part per thread (numba's thread count when called; the caller sums them)."""
    B = pre.shape[0]
    groups = (B + group - 1) // group
    sinks = np.zeros((groups, 1), pre.dtype)
    for i in prange(groups):
        b0 = i * group
        part = gw[numba.get_thread_id()]
        _ramp_group(b0, min(B, b0 + group), pre, v, spikes, v0, s0, alpha, beta, thr, w_rec, g_out, width, more_before, lam_v, lam_i, g_s, g_x, ga, gb, gbias, gthr, part, sinks[i])  # fmt: skip
