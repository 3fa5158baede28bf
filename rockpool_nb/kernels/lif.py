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
"""

from __future__ import annotations

import numpy as np

from rockpool_nb.kernels._jit import njit, njit_parallel, prange

__all__ = ["lif_evolve", "lif_evolve_batches"]


@njit
def _lif_one(
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
    ``w_rec`` (N, N·S), or (0, 0) when not recurrent)."""
    T = x.shape[0]
    N, S = isyn.shape
    K = N * S
    has_rec = w_rec.shape[0] > 0
    fused = w_in.shape[0] > 0
    n_in = w_in.shape[0]
    has_noise = noise.shape[0] > 0
    record = rec_v.shape[0] > 0
    syn = isyn.reshape(K)  # views: synapse k = n·S + s
    b_flat = beta.reshape(K)
    irec = np.zeros(K, dtype=v.dtype)
    zero = v.dtype.type(0.0)
    total = np.zeros(N, dtype=v.dtype)
    for t in range(T):
        if has_rec:
            for k in range(K):  # explicit loops: slice assignment costs seconds of compile time
                irec[k] = 0.0
            for j in range(N):
                c = spk[j]
                if c != 0.0:
                    row = w_rec[j]
                    for k in range(K):
                        irec[k] += c * row[k]
        xt = x[t]
        if fused:  # event-driven input weights: add the rows of the channels that are non-zero
            for k in range(K):
                syn[k] += b_in[k] + irec[k]
            for i in range(n_in):
                c = xt[i]
                if c != 0.0:
                    row = w_in[i]
                    for k in range(K):
                        syn[k] += c * row[k]
            for k in range(K):
                syn[k] *= b_flat[k]
        else:
            for k in range(K):  # vectorised: I_syn = β·(I_syn + x + I_rec)
                syn[k] = (syn[k] + xt[k] + irec[k]) * b_flat[k]
        if S == 1:
            for n in range(N):
                v[n] = alpha[n] * v[n] + syn[n] + bias[n]
        else:
            for n in range(N):
                acc = syn[n * S]
                for s in range(1, S):
                    acc += syn[n * S + s]
                total[n] = acc
            for n in range(N):
                v[n] = alpha[n] * v[n] + total[n] + bias[n]
        if has_noise:
            for n in range(N):
                v[n] += noise[t, n]
        ot = out[t]
        for n in range(N):  # spike counts and subtractive reset, branch-free (vectorises)
            count = np.floor(v[n] / thr[n])
            count = min(count, max_spikes)
            count = count if v[n] >= thr[n] else zero
            v[n] -= count * thr[n]
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
        _lif_one(
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
        _lif_one(
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
