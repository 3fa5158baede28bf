"""Current-based LIF neurons with exponential synapses: the forward kernel.

Per batch element and time step ``t`` (``α = exp(-dt/τ_mem)``, ``β = exp(-dt/τ_syn)``, all
element-wise; neuron ``n`` has ``S`` synapses, input channel ``n·S + s`` feeds synapse ``s``)::

    I_rec[n, s] = Σ_j S_{t-1}[j] · W_rec[j, n·S + s]    # only rows j of neurons that spiked
    I_syn       = I_syn + x_t + I_rec                     # input enters before the decay
                  (fused form: x_t = Σ_i u_t[i] · W_in[i] + b_in over the non-zero u_t[i])
    V           = α · V
    I_syn       = β · I_syn
    V           = V + Σ_s I_syn[:, s] + noise_t + bias
    S_t         = min(floor(V / θ), max_spikes) where V >= θ, else 0   # several spikes per step
    V           = V - S_t · θ                             # subtractive reset

Event rows (input channels or neurons that spiked) are added four at a time with the sums kept in
registers, in the same order as one at a time, so the result is bit-identical to the sequential
sums. When every θ is a power of two, ``V / θ`` is computed as ``V · (1/θ)``: both are the
correctly rounded value of the same real number, so the spikes are bit-identical too.
"""

from __future__ import annotations

import math

import numpy as np

from rockpool_nb.kernels._jit import njit, njit_parallel, prange
from rockpool_nb.kernels.linear import add_rows

__all__ = ["lif_evolve", "lif_evolve_batches", "lif_evolve_one"]


@njit
def lif_evolve_one(
    x,
    w_in,
    b_in,
    v,
    isyn,
    spk,
    alpha,
    beta,
    bias,
    thr,
    w_rec,
    noise,
    max_spikes,
    out,
    rec_v,
    rec_isyn,
    rec_irec,
):
    """Evolve one batch element in place (shapes as :func:`lif_evolve` without the batch axis;
    ``w_rec`` (N, N·S), or (0, 0) when not recurrent). Called directly for a single batch
    element, so that the first call compiles (or loads) one function less."""
    T = x.shape[0]
    N, S = isyn.shape
    K = N * S
    has_rec = w_rec.shape[0] > 0
    fused = w_in.shape[0] > 0
    has_noise = noise.shape[0] > 0
    record = rec_v.shape[0] > 0
    inv_thr = np.empty_like(thr)  # 1/θ; exact: every θ a power of two, so V/θ == V·(1/θ)
    exact = True
    for n in range(N):
        inv_thr[n] = 1.0 / thr[n]
        exact = exact and math.frexp(thr[n])[0] == 0.5 and inv_thr[n] * thr[n] == 1.0
    syn = isyn.reshape(K)  # views: synapse k = n·S + s
    b_flat = beta.reshape(K)
    irec = np.zeros(K, dtype=v.dtype)
    zero = v.dtype.type(0.0)
    # the neuron pass reads I_n·β_n: the synapse itself (S = 1), or Σ_s β·I_syn with β = 1
    tot = syn if S == 1 else np.zeros(N, dtype=v.dtype)
    tot_beta = b_flat if S == 1 else np.ones(N, dtype=v.dtype)
    no_noise = np.zeros(N, dtype=v.dtype)
    N8 = N - N % 8
    has_b_in = False
    for k in range(b_in.shape[0]):
        has_b_in = has_b_in or b_in[k] != 0.0
    n_ev = max(N, w_in.shape[0])
    ev_idx = np.zeros(n_ev, np.int64)  # the current events (input channels or neurons)
    ev_val = np.zeros(n_ev, v.dtype)
    for t in range(T):
        if has_rec:
            m = np.int64(0)  # (not a literal 0: one specialisation of add_rows)
            for lo in range(0, N8, 8):  # spiking neurons; blocks of 8 silent ones skipped at once
                a = abs(spk[lo])
                for j in range(lo + 1, lo + 8):
                    a += abs(spk[j])
                if a != 0.0:
                    for j in range(lo, lo + 8):
                        ev_idx[m] = j
                        ev_val[m] = spk[j]
                        m += spk[j] != 0.0
            for j in range(N8, N):
                ev_idx[m] = j
                ev_val[m] = spk[j]
                m += spk[j] != 0.0
            for k in range(K):  # explicit loops: slice assignment costs seconds of compile time
                irec[k] = 0.0
            add_rows(irec, w_rec, ev_idx, ev_val, m)
        xt = x[t]
        if fused:  # event-driven input weights: add the rows of the channels that are non-zero
            if has_rec or has_b_in:  # (adding 0 + 0 would change nothing but the sign of 0)
                for k in range(K):
                    syn[k] += b_in[k] + irec[k]
            m = np.int64(0)
            for i in range(xt.shape[0]):  # branch-free compaction of the input events
                c = xt[i]
                ev_idx[m] = i
                ev_val[m] = c
                m += c != 0.0
            add_rows(syn, w_in, ev_idx, ev_val, m)
        else:
            for k in range(K):  # I_syn + x + I_rec (β follows: the same roundings)
                syn[k] = syn[k] + xt[k] + irec[k]
        if S > 1:
            for k in range(K):
                syn[k] *= b_flat[k]
            for n in range(N):
                acc = syn[n * S]
                for s in range(1, S):
                    acc += syn[n * S + s]
                tot[n] = acc
        nz = noise[t] if has_noise else no_noise  # (+0.0 without noise: the same values)
        ot = out[t]
        # one branch-free pass (vectorises): decay, integrate, spike counts, subtractive reset
        if exact:
            for n in range(N):
                c = tot[n] * tot_beta[n]
                tot[n] = c
                vn = alpha[n] * v[n] + c + bias[n] + nz[n]
                count = min(np.floor(vn * inv_thr[n]), max_spikes)
                count = count if vn >= thr[n] else zero
                v[n] = vn - count * thr[n]
                spk[n] = count
                ot[n] = count
        else:
            for n in range(N):
                c = tot[n] * tot_beta[n]
                tot[n] = c
                vn = alpha[n] * v[n] + c + bias[n] + nz[n]
                count = min(np.floor(vn / thr[n]), max_spikes)
                count = count if vn >= thr[n] else zero
                v[n] = vn - count * thr[n]
                spk[n] = count
                ot[n] = count
        if record:
            rv, ri, rr = rec_v[t], rec_isyn[t], rec_irec[t]
            for n in range(N):
                rv[n] = v[n]
                for s in range(S):
                    ri[n, s] = syn[n * S + s]
                    rr[n, s] = irec[n * S + s]


@njit
def lif_evolve(
    x,
    w_in,
    b_in,
    v,
    isyn,
    spk,
    alpha,
    beta,
    bias,
    thr,
    w_rec,
    noise,
    max_spikes,
    out,
    rec_v,
    rec_isyn,
    rec_irec,
):
    """Evolve every batch element in turn, in place.

    ``x`` (B, T, N·S) synaptic input, or (B, T, Nin) input events when ``w_in`` (Nin, N·S) and
    ``b_in`` (N·S,) are given (pass (0, 0) and (0,) arrays otherwise); state ``v`` (B, N), ``isyn`` (B, N, S), ``spk`` (B, N); ``noise``
    (B, T, N), or (B, 0, N) for none; ``out`` (B, T, N); records ``rec_v`` (B, T, N),
    ``rec_isyn`` and ``rec_irec`` (B, T, N, S), or with a 0-length time axis to skip them.
    """
    for b in range(x.shape[0]):
        lif_evolve_one(
            x[b],
            w_in,
            b_in,
            v[b],
            isyn[b],
            spk[b],
            alpha,
            beta,
            bias,
            thr,
            w_rec,
            noise[b],
            max_spikes,
            out[b],
            rec_v[b],
            rec_isyn[b],
            rec_irec[b],
        )


@njit_parallel
def lif_evolve_batches(
    x,
    w_in,
    b_in,
    v,
    isyn,
    spk,
    alpha,
    beta,
    bias,
    thr,
    w_rec,
    noise,
    max_spikes,
    out,
    rec_v,
    rec_isyn,
    rec_irec,
):
    """As :func:`lif_evolve`, batch elements in parallel over the cores."""
    for b in prange(x.shape[0]):
        lif_evolve_one(
            x[b],
            w_in,
            b_in,
            v[b],
            isyn[b],
            spk[b],
            alpha,
            beta,
            bias,
            thr,
            w_rec,
            noise[b],
            max_spikes,
            out[b],
            rec_v[b],
            rec_isyn[b],
            rec_irec[b],
        )
