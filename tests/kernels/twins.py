"""Plain-NumPy twins of the numba kernels, written from the documented equations."""

import numpy as np


def lif_twin(x, v, isyn, spk, alpha, beta, bias, thr, w_rec, noise, max_spikes):
    """x (T, N·S); returns out (T, N), vmem (T, N), isyn (T, N, S), irec (T, N, S)."""
    T = x.shape[0]
    N, S = isyn.shape
    v, isyn, spk = v.copy(), isyn.copy(), spk.copy()
    outs, vs, isyns, irecs = [], [], [], []
    for t in range(T):
        irec = (spk @ w_rec).reshape(N, S) if w_rec.size else np.zeros((N, S))
        isyn = beta * (isyn + x[t].reshape(N, S) + irec)
        v = alpha * v + isyn.sum(axis=1) + bias + (noise[t] if noise.size else 0.0)
        spk = np.where(v >= thr, np.minimum(np.floor(v / thr), max_spikes), 0.0)
        v = v - spk * thr
        outs.append(spk)
        vs.append(v)
        isyns.append(isyn)
        irecs.append(irec)
    return np.array(outs), np.array(vs), np.array(isyns), np.array(irecs)


def rate_twin(u, x, alpha, bias, thr, w_rec, act):
    """u (T, N); returns out (T, N), x (T, N), rec (T, N)."""
    outs, xs, recs = [], [], []
    a = act(x, thr)
    for t in range(u.shape[0]):
        r = a @ w_rec if w_rec.size else np.zeros_like(x)
        x = x + alpha * (-x + u[t] + bias + r)
        a = act(x, thr)
        outs.append(a)
        xs.append(x)
        recs.append(r)
    return np.array(outs), np.array(xs), np.array(recs)


def expsyn_twin(x, isyn, beta):
    out = []
    for t in range(x.shape[0]):
        isyn = (isyn + x[t]) * beta
        out.append(isyn)
    return np.array(out)
