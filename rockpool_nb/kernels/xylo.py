"""Bit-exact integer simulation of a Xylo core (v2: XyloAudio 2/3, Xylo IMU): the kernel.

All states are int16 with saturation; weights are int8, pre-shifted by the caller into
effective 16-bit weights; connections come as CSR lists (sources in index order, as the chip
delivers them). One step ``t`` (see docs/chips.md for the full statement):

1. input events ``n = min(x[t, c], 15)`` of channels ``c = 0, 1, ...``: ``I ← sat(I + n·w)``;
2. hidden events of the previous step, sources in order: ``I ← sat(I + S·w_rec)``;
3. the same events into the readout: ``Io ← sat(Io + S·w_out)``;
4. hidden neurons in index order: ``I ← I − dec(I, dash_syn)``;
   ``V ← sat(V + sat(−dec(V, dash_mem) + ΣI [+ bias]))``; events while ``V ≥ θ`` (up to 31,
   counting alias copies already received), ``V −= θ`` each; alias targets receive a copy;
5. output neurons likewise with one synapse and at most one event.

``dec(v, d) = v >> d`` (arithmetic), or ``sign(v)`` when that is 0 and ``v ≠ 0``.
"""

from __future__ import annotations

import numpy as np

from rockpool_nb.kernels._jit import njit

__all__ = ["xylo_evolve", "effective_weight", "dec"]

S16_MIN, S16_MAX = -32768, 32767


@njit
def _sat(v):
    if v > S16_MAX:
        return S16_MAX
    if v < S16_MIN:
        return S16_MIN
    return v


@njit
def dec(v, d):
    """The bit-shift decrement of state ``v`` with parameter ``d``."""
    r = v >> d
    if r == 0 and v != 0:
        r = 1 if v > 0 else -1
    return r


def effective_weight(w: np.ndarray, shift: int) -> np.ndarray:
    """``w << shift`` narrowed to 16 bits (two's complement), as the chip adds it."""
    v = np.asarray(w, dtype=np.int64) << int(shift)
    return ((v + 32768) % 65536) - 32768


@njit
def xylo_evolve(
    x,
    in_ptr,
    in_tgt,
    in_syn,
    in_w,
    rec_ptr,
    rec_tgt,
    rec_syn,
    rec_w,
    out_ptr,
    out_tgt,
    out_w,
    dash_syn,
    dash_mem,
    threshold,
    bias,
    dash_syn_out,
    dash_mem_out,
    threshold_out,
    bias_out,
    bias_enable,
    aliases,
    max_in,
    max_hidden,
    isyn,
    vmem,
    spikes,
    isyn_out,
    vmem_out,
    out,
    rec_isyn,
    rec_vmem,
    rec_spikes,
    rec_isyn_out,
    rec_vmem_out,
):
    """Evolve in place over ``x`` (T, C) int input event counts. State: ``isyn`` (N, S),
    ``vmem`` (N), ``spikes`` (N) events of the last step, ``isyn_out``/``vmem_out`` (M).
    ``out`` (T, M) output events. Records (T, ...) or with a 0-length time axis to skip."""
    T, C = x.shape
    N, S = isyn.shape
    M = vmem_out.shape[0]
    record = rec_vmem.shape[0] > 0
    new = np.zeros(N, dtype=np.int64)
    for t in range(T):
        # 1. input
        for c in range(C):
            n = x[t, c]
            if n > max_in:
                n = max_in
            if n > 0:
                for k in range(in_ptr[c], in_ptr[c + 1]):
                    j, s = in_tgt[k], in_syn[k]
                    isyn[j, s] = _sat(isyn[j, s] + n * in_w[k])
        # 2. recurrent and 3. readout, from the previous step's events
        for i in range(N):
            n = spikes[i]
            if n > 0:
                for k in range(rec_ptr[i], rec_ptr[i + 1]):
                    j, s = rec_tgt[k], rec_syn[k]
                    isyn[j, s] = _sat(isyn[j, s] + n * rec_w[k])
        for i in range(N):
            n = spikes[i]
            if n > 0:
                for k in range(out_ptr[i], out_ptr[i + 1]):
                    q = out_tgt[k]
                    isyn_out[q] = _sat(isyn_out[q] + n * out_w[k])
        # 4. hidden neurons, in index order
        for j in range(N):
            new[j] = 0
        for j in range(N):
            total = 0
            for s in range(S):
                isyn[j, s] = isyn[j, s] - dec(isyn[j, s], dash_syn[j, s])
                total += isyn[j, s]
            leak = -dec(vmem[j], dash_mem[j])
            if leak > S16_MAX:  # held in int16 on the chip
                leak = S16_MIN
            delta = _sat(leak + total)
            if bias_enable:
                delta = _sat(delta + bias[j])
            v = _sat(vmem[j] + delta)
            n = new[j]
            th = threshold[j]
            while v >= th and n < max_hidden:
                n += 1
                v -= th
            vmem[j] = v
            new[j] = n
            a = aliases[j]
            if a >= 0:
                total_a = new[a] + n
                new[a] = total_a if total_a < max_hidden else max_hidden
        for j in range(N):
            spikes[j] = new[j]
        # 5. output neurons
        for q in range(M):
            isyn_out[q] = isyn_out[q] - dec(isyn_out[q], dash_syn_out[q])
            leak = -dec(vmem_out[q], dash_mem_out[q])
            if leak > S16_MAX:
                leak = S16_MIN
            delta = _sat(leak + isyn_out[q])
            if bias_enable:
                delta = _sat(delta + bias_out[q])
            v = _sat(vmem_out[q] + delta)
            e = 0
            if v >= threshold_out[q]:
                e = 1
                v -= threshold_out[q]
            vmem_out[q] = v
            out[t, q] = e
        if record:
            for j in range(N):
                rec_vmem[t, j] = vmem[j]
                rec_spikes[t, j] = spikes[j]
                for s in range(S):
                    rec_isyn[t, j, s] = isyn[j, s]
            for q in range(M):
                rec_isyn_out[t, q] = isyn_out[q]
                rec_vmem_out[t, q] = vmem_out[q]
