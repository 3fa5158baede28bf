"""Simulation benchmark: rockpool_nb against its peers, measured in the same run.

Workloads (dt = 1 ms, Poisson input spikes p = 0.05 per step and channel):
  W1  Linear(256->512) + LIF(512), T = 10,000, batch 1
  W2  recurrent LIF N = 1024, w_rec = randn/sqrt(N)*0.5, bias for 5-20 Hz, T = 10,000
  W3  W1 with batch 32, T = 1,000 (one core, then both)
  W4  recurrent Rate N = 1000, T = 100,000 (steps/s; --quick uses 10,000)
  JIT first call in a fresh process with a warm cache, and a cold compile (empty cache dir)
Peers where installed: Rockpool 3.1 numpy modules, plain NumPy loop, Brian2, snnTorch.

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

import numpy as np

DT = 1e-3
# W2: with Rockpool's default multi-spike counts this recurrent matrix runs away (~3e7 Hz).
# One spike per step at most and 1.5 ms synapses give a stable 19 Hz with bias 0.049.
W2_TAU_SYN, W2_BIAS, W2_MAX_SPIKES = 1.5e-3, 0.049, 1
RESULTS: list[tuple[str, str, float, float]] = []  # workload, runner, median s, spread s


def pin(cores: int) -> None:
    os.sched_setaffinity(0, set(range(cores)))


def timeit(fn, repeats: int) -> tuple[float, float]:
    fn()  # warm up (compilation, caches)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), max(times) - min(times)


def record(work: str, runner: str, fn, repeats: int) -> None:
    med, spread = timeit(fn, repeats)
    RESULTS.append((work, runner, med, spread))
    print(f"  {work:<4} {runner:<30} {med:9.4f} s  (spread {spread:.4f})", flush=True)


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


# -------------------------------------------------------------------------------- snnTorch
def snntorch_peer():
    """``(torch, snntorch)`` when both import, else ``None`` (CPU, one thread per pinning)."""
    try:
        import snntorch
        import torch
    except Exception:  # noqa: BLE001  (missing, or broken by the NumPy version)
        return None
    torch.set_num_threads(len(os.sched_getaffinity(0)))
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
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="shorter W4, fewer repeats")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    repeats = 2 if args.quick else args.repeats
    w4_steps = 10_000 if args.quick else 100_000

    from rockpool_nb.nn.combinators import Sequential
    from rockpool_nb.nn.modules import LIF, Linear, Rate

    rm = rockpool_modules()
    st = snntorch_peer()
    if st is None:
        print("  snnTorch not importable: skipped", flush=True)
    try:
        import brian2  # noqa: F401
    except Exception as e:  # noqa: BLE001
        print(f"  Brian2 not importable here ({type(e).__name__}: {e}): skipped", flush=True)
    rng = np.random.default_rng(1)
    pin(1)
    print("single core", flush=True)

    # W1
    x1 = poisson((10_000, 256))
    net = Sequential(Linear((256, 512)), LIF(512))
    w_in = net[0].weight
    record("W1", "rockpool_nb", lambda: net(x1), repeats)
    record("W1", "rockpool_nb float32", lambda: net(x1.astype(np.float32)), repeats)
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
    w2 = dict(
        has_rec=True,
        w_rec=w_rec,
        bias=np.full(n, W2_BIAS),
        tau_syn=W2_TAU_SYN,
        max_spikes_per_dt=W2_MAX_SPIKES,
    )
    lif2 = LIF(n, **w2)
    x2 = np.zeros((10_000, n))
    out2 = lif2(x2)[0]
    rate2 = out2.sum() / n / 10.0
    print(f"  W2 mean rate {rate2:.1f} Hz, {out2.sum() / 10_000:.1f} spikes per step", flush=True)
    record("W2", "rockpool_nb", lambda: (lif2.reset_state(), lif2(x2)), repeats)
    record("W2", "plain NumPy", lambda: numpy_w2(W2_BIAS, w_rec, 10_000), 1)
    if rm is not None:
        rlif = rm.LIF(n, **w2)
        record("W2", "Rockpool 3.1 numpy", lambda: (rlif.reset_state(), rlif(x2)), 1)
    if st is not None:
        record("W2", "snnTorch (CPU)", lambda: snntorch_w2(*st, w_rec, 10_000, W2_BIAS), 1)

    # W3
    x3 = poisson((32, 1000, 256))
    record("W3", "rockpool_nb", lambda: net(x3), repeats)
    record("W3", "rockpool_nb float32", lambda: net(x3.astype(np.float32)), repeats)
    if rm is not None:
        record("W3", "Rockpool 3.1 numpy", lambda: rnet(x3), 1)
    if st is not None:
        record("W3", "snnTorch (CPU)", lambda: snntorch_lif(*st, x3, w_in), 1)

    # W4
    bias4 = rng.normal(0.0, 1.0, 1000)  # about half the units active (ReLU)
    rate = Rate(1000, has_rec=True, bias=bias4)
    w4 = rate.w_rec
    x4 = np.zeros((w4_steps, 1000))
    record("W4", "rockpool_nb", lambda: rate(x4), max(1, repeats // 2))
    record("W4", "rockpool_nb float32", lambda: rate(x4.astype(np.float32)), max(1, repeats // 2))
    record("W4", "plain NumPy", lambda: numpy_w4(w4, w4_steps, bias4), 1)
    if rm is not None:
        rrate = rm.Rate(1000, has_rec=True, w_rec=w4, bias=bias4)
        record("W4", "Rockpool 3.1 numpy", lambda: rrate(x4), 1)

    pin(2)
    print("two cores", flush=True)
    record("W3", "rockpool_nb (2 cores)", lambda: net(x3), repeats)
    record("W3", "rockpool_nb float32 (2 cores)", lambda: net(x3.astype(np.float32)), repeats)

    jit = jit_latency()
    report(w4_steps, jit)


def jit_latency() -> dict:
    code = (
        "import time; t0=time.perf_counter(); import numpy as np;"
        "from rockpool_nb.nn.modules import LIF, Rate, Linear;"
        "from rockpool_nb.nn.combinators import Sequential;"
        "t1=time.perf_counter();"
        "x=(np.random.default_rng(0).random((100, 16)) < 0.05).astype(float);"
        "Sequential(Linear((16, 4)), LIF(4))(x); Rate(4)(np.ones((3, 4)));"
        "print(t1-t0, time.perf_counter()-t1)"
    )
    out = {}
    with tempfile.TemporaryDirectory() as cold:
        env = dict(os.environ, NUMBA_CACHE_DIR=cold)
        for label in ("cold compile (empty cache)", "warm cache"):
            imp, call = map(
                float, subprocess.check_output([sys.executable, "-c", code], env=env).split()
            )
            out[f"{label}: import"] = imp
            out[f"{label}: first calls Linear+LIF, Rate"] = call
    for k, v in out.items():
        print(f"  JIT  {k:<48} {v:7.3f} s", flush=True)
    return out


def report(w4_steps: int, jit: dict) -> None:
    print("\n| workload | runner | seconds (median) | vs rockpool_nb |")
    print("|---|---|---|---|")
    best = {}
    for work, runner, med, _ in RESULTS:
        if runner == "rockpool_nb":
            best[work] = med
    for work, runner, med, spread in RESULTS:
        ratio = med / best[work] if work in best else float("nan")
        extra = f" ({w4_steps / med:,.0f} steps/s)" if work == "W4" else ""
        print(f"| {work} | {runner} | {med:.4f} ± {spread / 2:.4f}{extra} | {ratio:.1f}x |")
    for k, v in jit.items():
        print(f"| JIT | {k} | {v:.3f} | |")


if __name__ == "__main__":
    main()
