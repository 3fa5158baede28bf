"""Simulation benchmark: rockpool_nb against its peers, measured in the same run.

Workloads (dt = 1 ms, Poisson input spikes p = 0.05 per step and channel):
  W1  Linear(256->512) + LIF(512), T = 10,000, batch 1
  W2  recurrent LIF N = 1024, w_rec = randn/sqrt(N)*0.5, bias for 5-20 Hz, T = 10,000
  W3  W1 with batch 32, T = 1,000 (one core, then both)
  W4  recurrent Rate N = 1000, T = 100,000 (steps/s; --quick uses 10,000)
  JIT first call in a fresh process with a warm cache, and a cold compile (empty cache dir)
Peers where installed: Rockpool 3.1 numpy modules, plain NumPy loop, Brian2, snnTorch; always a
hand-written numba event-driven kernel for W1-W3 (this file only: what a straightforward kernel
reaches on this machine) and an arithmetic lower bound: the same weight rows that the run adds
(input events for W1/W3, spiking neurons for W2), replayed through the fastest row-accumulate loop
(four rows per pass, sums in registers) with nothing else done.

Usage: python benchmarks/sim_bench.py [--quick] [--repeats N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

# Peers run pinned to one core: one BLAS thread (OpenBLAS threads spinning on a single core make
# Rockpool's and the NumPy loop's per-step products 10x slower). Our kernels do not use BLAS.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

DT = 1e-3
# W2: with Rockpool's default multi-spike counts this recurrent matrix runs away (~3e7 Hz).
# One spike per step at most and 1.5 ms synapses give a stable 19 Hz with bias 0.049.
W2_TAU_SYN, W2_BIAS, W2_MAX_SPIKES = 1.5e-3, 0.049, 1
RESULTS: list[tuple[str, str, float, float, float]] = []  # workload, runner, median, spread, min
REFERENCE, LOWER = "hand-written numba", "lower bound (row additions)"


def pin(cores: int) -> None:
    os.sched_setaffinity(0, set(range(cores)))


def timeit(fn, repeats: int) -> tuple[float, float, float]:
    fn()  # warm up (compilation, caches)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), max(times) - min(times), min(times)


def record(work: str, runner: str, fn, repeats: int) -> None:
    med, spread, best = timeit(fn, repeats)
    RESULTS.append((work, runner, med, spread, best))
    print(
        f"  {work:<4} {runner:<44} {med:8.4f} s  (min {best:.4f}, spread {spread:.4f})", flush=True
    )


def poisson(shape, p=0.05, seed=0) -> np.ndarray:
    return (np.random.default_rng(seed).random(shape) < p).astype(np.float64)


def rockpool_modules():
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import rockpool.nn.modules as rmods
        return rmods
    except ImportError:
        return None


# ------------------------------------------------------------------------------ plain NumPy
def numpy_w1(x, w, tau=0.02):
    alpha = beta = np.exp(-DT / tau)
    v = np.zeros(w.shape[1])
    i = np.zeros(w.shape[1])
    inp = x @ w
    out = np.empty_like(inp)
    for t in range(x.shape[0]):
        i = beta * (i + inp[t])
        v = alpha * v + i
        s = np.where(v >= 1, np.floor(v), 0.0)
        v -= s
        out[t] = s
    return out


def numpy_w2(x_bias, w_rec, steps, tau=0.02, tau_syn=W2_TAU_SYN):
    alpha, beta = np.exp(-DT / tau), np.exp(-DT / tau_syn)
    n = w_rec.shape[0]
    v, i, s = np.zeros(n), np.zeros(n), np.zeros(n)
    total = 0.0
    for _ in range(steps):
        i = beta * (i + s @ w_rec)
        v = alpha * v + i + x_bias
        s = np.where(v >= 1, 1.0, 0.0)  # at most one spike per step, as W2's LIF
        v -= s
        total += s.sum()
    return total


def numpy_w4(w, steps, u, tau=0.02):
    n = w.shape[0]
    x = np.zeros(n)
    for _ in range(steps):
        a = np.maximum(x, 0)
        x = x + DT / tau * (-x + u + a @ w)
    return x


# --------------------------------------------------- hand-written numba kernels, lower bound
def reference_kernels():
    """``(ref_lif, replay)`` compiled with plain ``numba.njit`` (not rockpool_nb's kernels).

    ``ref_lif(x, w_in, w_rec, bias, alpha, beta, max_spikes)``: LIF with one synapse per neuron
    and threshold 1, event-driven (rows of non-zero inputs of ``x`` (B, T, Nin) through ``w_in``,
    or of the neurons that spiked through ``w_rec``), returning the (B, T, N) spike counts.
    ``replay(w, ptr, idx, acc)``: ``acc += w[idx[e]]`` for every event ``e`` of every step, four
    rows per pass: the additions an event-driven kernel cannot avoid, and nothing else.
    """
    import numba

    @numba.njit(nogil=True)
    def ref_lif(x, w_in, w_rec, bias, alpha, beta, max_spikes):
        B, T, n_in = x.shape
        N = bias.shape[0]
        out = np.empty((B, T, N), x.dtype)
        rec = w_rec.shape[0] > 0
        for b in range(B):
            v = np.zeros(N, x.dtype)
            i = np.zeros(N, x.dtype)
            s = np.zeros(N, x.dtype)
            for t in range(T):
                if n_in == N and not w_in.shape[0]:
                    for k in range(N):
                        i[k] += x[b, t, k]
                for c in range(w_in.shape[0]):
                    u = x[b, t, c]
                    if u != 0.0:
                        for k in range(N):
                            i[k] += u * w_in[c, k]
                if rec:
                    for j in range(N):
                        if s[j] != 0.0:
                            for k in range(N):
                                i[k] += s[j] * w_rec[j, k]
                for k in range(N):
                    i[k] *= beta
                    vk = alpha * v[k] + i[k] + bias[k]
                    sk = min(np.floor(vk), max_spikes) if vk >= 1.0 else 0.0
                    v[k] = vk - sk
                    s[k] = sk
                    out[b, t, k] = sk
        return out

    @numba.njit(nogil=True)
    def replay(w, ptr, idx, acc):
        K = acc.shape[0]
        for t in range(ptr.shape[0] - 1):
            e, end = ptr[t], ptr[t + 1]
            while e + 4 <= end:
                r0, r1, r2, r3 = w[idx[e]], w[idx[e + 1]], w[idx[e + 2]], w[idx[e + 3]]
                for k in range(K):
                    acc[k] = (((acc[k] + r0[k]) + r1[k]) + r2[k]) + r3[k]
                e += 4
            while e < end:
                r0 = w[idx[e]]
                for k in range(K):
                    acc[k] += r0[k]
                e += 1
        return acc

    return ref_lif, replay


def event_lists(raster: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(ptr, idx)``: the non-zero channels of each step of ``raster`` (R, N) (R = B·T)."""
    steps, chans = np.nonzero(raster)
    ptr = np.searchsorted(steps, np.arange(raster.shape[0] + 1)).astype(np.int64)
    return ptr, chans.astype(np.int64)


def record_lower_bound(work, w, raster, repeats) -> None:
    """Time the replay of the row additions of ``raster`` (R, Nin) through ``w`` (Nin, K)."""
    ptr, idx = event_lists(raster.reshape(-1, raster.shape[-1]))
    acc = np.zeros(w.shape[1], w.dtype)
    per_step = len(idx) / (len(ptr) - 1)
    record(work, f"{LOWER}, {per_step:.1f} rows/step", lambda: REPLAY(w, ptr, idx, acc), repeats)


REF_LIF, REPLAY = None, None


# -------------------------------------------------------------------------------- snnTorch
def snntorch_peer():
    """``(torch, snntorch)`` when both import, else ``None`` (CPU, one thread per pinning)."""
    try:
        import snntorch
        import torch
    except Exception:  # noqa: BLE001  (missing, or broken by the NumPy version)
        return None
    torch.set_num_threads(1)  # the peers are measured on one core
    return torch, snntorch


def snntorch_lif(torch, snn, x, w_in, tau=0.02, tau_syn=0.02):
    """Linear + current-based LIF (``snn.Synaptic``, subtractive reset), time loop in Python."""
    alpha, beta = float(np.exp(-DT / tau_syn)), float(np.exp(-DT / tau))
    xt = torch.as_tensor(x, dtype=torch.float32)
    if xt.ndim == 2:
        xt = xt[None]
    w = torch.as_tensor(w_in, dtype=torch.float32)
    lif = snn.Synaptic(alpha=alpha, beta=beta, threshold=1.0, reset_mechanism="subtract")
    with torch.no_grad():
        cur = xt @ w
        syn, mem = lif.init_synaptic()
        out = []
        for t in range(cur.shape[1]):
            spk, syn, mem = lif(cur[:, t], syn, mem)
            out.append(spk)
    return torch.stack(out, 1)


def snntorch_w2(torch, snn, w_rec, steps, bias, tau=0.02, tau_syn=W2_TAU_SYN):
    alpha, beta = float(np.exp(-DT / tau_syn)), float(np.exp(-DT / tau))
    w = torch.as_tensor(w_rec, dtype=torch.float32)
    lif = snn.Synaptic(alpha=alpha, beta=beta, threshold=1.0, reset_mechanism="subtract")
    with torch.no_grad():
        syn, mem = lif.init_synaptic()
        spk = torch.zeros(w.shape[0])
        for _ in range(steps):
            spk, syn, mem = lif(spk @ w + bias, syn, mem)
    return spk


# ---------------------------------------------------------------------------- workloads
def main() -> None:
    global REF_LIF, REPLAY
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="shorter W4, fewer repeats")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-peers", action="store_true", help="skip Rockpool, snnTorch, NumPy")
    args = parser.parse_args()
    repeats = 3 if args.quick else args.repeats
    w4_steps = 10_000 if args.quick else 100_000
    peers = not args.no_peers

    from rockpool_nb.nn.combinators import Sequential
    from rockpool_nb.nn.modules import LIF, Linear, Rate

    REF_LIF, REPLAY = reference_kernels()
    rm = rockpool_modules() if peers else None
    st = snntorch_peer() if peers else None
    if st is None and peers:
        print("  snnTorch not importable: skipped", flush=True)
    try:
        import brian2  # noqa: F401
    except Exception as e:  # noqa: BLE001
        print(f"  Brian2 not importable here ({type(e).__name__}: {e}): skipped", flush=True)
    rng = np.random.default_rng(1)
    pin(1)
    print(f"single core (CPU {sorted(os.sched_getaffinity(0))})", flush=True)
    alpha = np.exp(-DT / 0.02)
    f32 = np.float32

    # W1
    x1 = poisson((10_000, 256))
    x1f = x1.astype(f32)
    net = Sequential(Linear((256, 512)), LIF(512))
    w_in = net[0].weight
    w_inf = w_in.astype(f32)
    zeros512 = np.zeros(512)
    ref1 = REF_LIF(x1[None], w_in, np.zeros((0, 0)), zeros512, alpha, alpha, 2.0**16)
    same = np.mean(ref1 == net(x1)[0])
    print(f"  W1 mean rate {ref1.mean() * 1e3:.0f} Hz; reference spikes equal ours: {same:.4f}")
    record("W1", "rockpool_nb", lambda: net(x1), repeats)
    record("W1", "rockpool_nb float32", lambda: net(x1f), repeats)
    none = np.zeros((0, 0))
    record(
        "W1",
        REFERENCE,
        lambda: REF_LIF(x1[None], w_in, none, zeros512, alpha, alpha, 2.0**16),
        repeats,
    )
    record(
        "W1",
        f"{REFERENCE} float32",
        lambda: REF_LIF(
            x1f[None], w_inf, none.astype(f32), zeros512.astype(f32), f32(alpha), f32(alpha),
            f32(2.0**16),
        ),
        repeats,
    )  # fmt: skip
    record_lower_bound("W1", w_in, x1, repeats)
    record_lower_bound("W1 float32", w_inf, x1, repeats)
    if peers:
        record("W1", "plain NumPy", lambda: numpy_w1(x1, w_in), repeats)
    if rm is not None:
        from rockpool.nn.combinators import Sequential as RSequential

        rnet = RSequential(rm.Linear((256, 512), weight=w_in), rm.LIF(512))
        record("W1", "Rockpool 3.1 numpy", lambda: rnet(x1), 1)
    if st is not None:
        record("W1", "snnTorch (CPU)", lambda: snntorch_lif(*st, x1, w_in), 1)

    # W2
    n = 1024
    w_rec = rng.standard_normal((n, n)) / np.sqrt(n) * 0.5
    w_recf = w_rec.astype(f32)
    w2 = dict(
        has_rec=True,
        w_rec=w_rec,
        bias=np.full(n, W2_BIAS),
        tau_syn=W2_TAU_SYN,
        max_spikes_per_dt=W2_MAX_SPIKES,
    )
    lif2 = LIF(n, **w2)
    x2 = np.zeros((10_000, n))
    x2f = x2.astype(f32)
    out2 = lif2(x2)[0][0]
    rate2 = out2.sum() / n / 10.0
    print(f"  W2 mean rate {rate2:.1f} Hz, {out2.sum() / 10_000:.1f} spikes per step", flush=True)
    beta2 = np.exp(-DT / W2_TAU_SYN)
    bias2 = np.full(n, W2_BIAS)
    ref2 = REF_LIF(x2[None], none, w_rec, bias2, alpha, beta2, 1.0)
    print(f"  W2 reference kernel: {ref2.sum() / 10_000:.1f} spikes per step", flush=True)
    record("W2", "rockpool_nb", lambda: (lif2.reset_state(), lif2(x2)), repeats)
    record("W2", "rockpool_nb float32", lambda: (lif2.reset_state(), lif2(x2f)), repeats)
    record(
        "W2", REFERENCE, lambda: REF_LIF(x2[None], none, w_rec, bias2, alpha, beta2, 1.0), repeats
    )
    record(
        "W2",
        f"{REFERENCE} float32",
        lambda: REF_LIF(
            x2f[None], none.astype(f32), w_recf, bias2.astype(f32), f32(alpha), f32(beta2),
            f32(1.0),
        ),
        repeats,
    )  # fmt: skip
    raster2 = np.vstack([np.zeros((1, n)), out2[:-1]])  # rows added at step t: spikes of t-1
    record_lower_bound("W2", w_rec, raster2, repeats)
    record_lower_bound("W2 float32", w_recf, raster2, repeats)
    if peers:
        record("W2", "plain NumPy", lambda: numpy_w2(W2_BIAS, w_rec, 10_000), 1)
    if rm is not None:
        rlif = rm.LIF(n, **w2)
        record("W2", "Rockpool 3.1 numpy", lambda: (rlif.reset_state(), rlif(x2)), 1)
    if st is not None:
        record("W2", "snnTorch (CPU)", lambda: snntorch_w2(*st, w_rec, 10_000, W2_BIAS), 1)

    # W3
    x3 = poisson((32, 1000, 256))
    x3f = x3.astype(f32)
    record("W3", "rockpool_nb", lambda: net(x3), repeats)
    record("W3", "rockpool_nb float32", lambda: net(x3f), repeats)
    record(
        "W3", REFERENCE, lambda: REF_LIF(x3, w_in, none, zeros512, alpha, alpha, 2.0**16), repeats
    )
    record_lower_bound("W3", w_in, x3, repeats)
    if rm is not None:
        record("W3", "Rockpool 3.1 numpy", lambda: rnet(x3), 1)
    if st is not None:
        record("W3", "snnTorch (CPU)", lambda: snntorch_lif(*st, x3, w_in), 1)

    # W4
    bias4 = rng.normal(0.0, 1.0, 1000)  # about half the units active (ReLU)
    rate = Rate(1000, has_rec=True, bias=bias4)
    w4 = rate.w_rec
    x4 = np.zeros((w4_steps, 1000))
    x4f = x4.astype(f32)
    record("W4", "rockpool_nb", lambda: rate(x4), max(1, repeats // 2))
    record("W4", "rockpool_nb float32", lambda: rate(x4f), max(1, repeats // 2))
    if peers:
        record("W4", "plain NumPy", lambda: numpy_w4(w4, w4_steps, bias4), 1)
    if rm is not None:
        rrate = rm.Rate(1000, has_rec=True, w_rec=w4, bias=bias4)
        record("W4", "Rockpool 3.1 numpy", lambda: rrate(x4), 1)

    pin(2)
    print("two cores (the machine may be shared: other work on CPU 1 slows these)", flush=True)
    record("W3", "rockpool_nb (2 cores)", lambda: net(x3), repeats)
    record("W3", "rockpool_nb float32 (2 cores)", lambda: net(x3f), repeats)
    # opt-in: from nn.modules.rate.SPLIT_MIN_N neurons on, Rate splits w_rec's columns over
    # both cores at every step (fast when the machine is idle, slow when a core is shared)
    from rockpool_nb.kernels._jit import set_step_splitting

    set_step_splitting(True)
    record("W4", "rockpool_nb (2 cores, step splitting)", lambda: rate(x4), max(1, repeats // 2))
    record(
        "W4",
        "rockpool_nb float32 (2 cores, step splitting)",
        lambda: rate(x4f),
        max(1, repeats // 2),
    )
    set_step_splitting(False)

    jit = jit_latency()
    report(w4_steps, jit)


def jit_latency() -> dict:
    """Fresh processes: an empty cache (cold compile), then the same cache (warm), and numba's
    own floor: the first call of a trivial cached ``@njit`` function in a fresh process."""
    code = (
        "import time; t0=time.perf_counter(); import numpy as np;"
        "from rockpool_nb.nn.modules import LIF, Rate, Linear;"
        "from rockpool_nb.nn.combinators import Sequential;"
        "t1=time.perf_counter();"
        "x=(np.random.default_rng(0).random((100, 16)) < 0.05).astype(float);"
        "Sequential(Linear((16, 4)), LIF(4))(x); t2=time.perf_counter();"
        "Rate(4)(np.ones((3, 4))); t3=time.perf_counter();"
        "print(t1-t0, t2-t1, t3-t2)"
    )
    floor = (
        "import time\nt0 = time.perf_counter()\nimport numba\n\n"
        "@numba.njit(cache=True)\ndef f(x):\n    return x + 1.0\n\n"
        "t1 = time.perf_counter()\nf(1.0)\nprint(t1 - t0, time.perf_counter() - t1)\n"
    )
    out = {}
    with tempfile.TemporaryDirectory() as cold:
        env = dict(os.environ, NUMBA_CACHE_DIR=cold)
        for label in ("cold compile (empty cache)", "warm cache", "warm cache (again)"):
            imp, lif, rate = map(
                float, subprocess.check_output([sys.executable, "-c", code], env=env).split()
            )
            out[f"{label}: import"] = imp
            out[f"{label}: first call Linear+LIF"] = lif
            out[f"{label}: first call Rate"] = rate
        probe = os.path.join(cold, "floor_probe.py")
        with open(probe, "w") as f:
            f.write(floor)
        subprocess.check_output([sys.executable, probe], env=env)  # fill the cache
        imp, call = map(float, subprocess.check_output([sys.executable, probe], env=env).split())
        out["numba floor: import numba"] = imp
        out["numba floor: first call of a cached trivial @njit"] = call
    for k, v in out.items():
        print(f"  JIT  {k:<52} {v:7.3f} s", flush=True)
    return out


def report(w4_steps: int, jit: dict) -> None:
    """Markdown table: every runner's time and its ratio to rockpool_nb of the same dtype."""
    print("\n| workload | runner | seconds (median ± half spread) | min | runner / rockpool_nb |")
    print("|---|---|---|---|---|")
    ours = {}
    for work, runner, med, _, _ in RESULTS:
        if runner.startswith("rockpool_nb") and "2 cores" not in runner:
            ours[(work.split()[0], "float32" in runner)] = med
    for work, runner, med, spread, best in RESULTS:
        base = work.split()[0]
        mine = ours.get((base, "float32" in runner or "float32" in work))
        ratio = f"{med / mine:.2f}x" if mine else ""
        extra = f" ({w4_steps / med:,.0f} steps/s)" if base == "W4" else ""
        print(f"| {work} | {runner} | {med:.4f} ± {spread / 2:.4f}{extra} | {best:.4f} | {ratio} |")
    for k, v in jit.items():
        print(f"| JIT | {k} | {v:.3f} | | |")


if __name__ == "__main__":
    main()
