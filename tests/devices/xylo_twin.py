"""A plain-Python statement of the Xylo core v2 update (docs/chips.md 1.3), for tests."""

import numpy as np


def sat(v):
    return max(-32768, min(32767, int(v)))


def dec(v, d):
    r = int(v) >> int(d)
    if r == 0 and v != 0:
        r = 1 if v > 0 else -1
    return r


def eff(w, sh):
    v = int(w) << int(sh)
    return ((v + 32768) % 65536) - 32768


def twin(cfg, x):
    """Evolve ``cfg`` on ``x`` (T, C); returns (out (T, M), dict of records)."""
    C, N, S = cfg.weights_in.shape
    M = cfg.weights_out.shape[1]
    bias_en = bool(np.any(cfg.bias != 0) or np.any(cfg.bias_out != 0))
    I = np.zeros((N, S), dtype=np.int64)  # noqa: E741
    V = np.zeros(N, dtype=np.int64)
    Io = np.zeros(M, dtype=np.int64)
    Vo = np.zeros(M, dtype=np.int64)
    prev = np.zeros(N, dtype=np.int64)
    out = np.zeros((x.shape[0], M), dtype=np.int64)
    rec = {k: [] for k in ("Vmem", "Isyn", "Spikes", "Vmem_out", "Isyn_out")}
    for t in range(x.shape[0]):
        for c in range(C):
            n = min(int(x[t, c]), 15)
            for j in range(N):
                for s in range(S):
                    if n and cfg.weights_in[c, j, s]:
                        I[j, s] = sat(
                            I[j, s] + n * eff(cfg.weights_in[c, j, s], cfg.weight_shift_in)
                        )
        for i in range(N):
            if prev[i]:
                for j in range(N):
                    for s in range(S):
                        if cfg.weights_rec[i, j, s]:
                            I[j, s] = sat(
                                I[j, s]
                                + prev[i] * eff(cfg.weights_rec[i, j, s], cfg.weight_shift_rec)
                            )
        for i in range(N):
            if prev[i]:
                for q in range(M):
                    if cfg.weights_out[i, q]:
                        Io[q] = sat(
                            Io[q] + prev[i] * eff(cfg.weights_out[i, q], cfg.weight_shift_out)
                        )
        new = np.zeros(N, dtype=np.int64)
        for j in range(N):
            for s in range(S):
                I[j, s] -= dec(I[j, s], cfg.dash_syn[j, s])
            leak = -dec(V[j], cfg.dash_mem[j])
            if leak == 32768:
                leak = -32768
            d = sat(leak + int(I[j].sum()))
            if bias_en:
                d = sat(d + cfg.bias[j])
            V[j] = sat(V[j] + d)
            n = int(new[j])
            while V[j] >= cfg.threshold[j] and n < 31:
                n += 1
                V[j] -= cfg.threshold[j]
            new[j] = n
            a = cfg.aliases[j]
            if a >= 0:
                new[a] = min(new[a] + n, 31)
        prev = new
        for q in range(M):
            Io[q] -= dec(Io[q], cfg.dash_syn_out[q])
            leak = -dec(Vo[q], cfg.dash_mem_out[q])
            if leak == 32768:
                leak = -32768
            d = sat(leak + Io[q])
            if bias_en:
                d = sat(d + cfg.bias_out[q])
            Vo[q] = sat(Vo[q] + d)
            if Vo[q] >= cfg.threshold_out[q]:
                out[t, q] = 1
                Vo[q] -= cfg.threshold_out[q]
        rec["Vmem"].append(V.copy())
        rec["Isyn"].append(I.copy())
        rec["Spikes"].append(prev.copy())
        rec["Vmem_out"].append(Vo.copy())
        rec["Isyn_out"].append(Io.copy())
    return out, {k: np.array(v) for k, v in rec.items()}
