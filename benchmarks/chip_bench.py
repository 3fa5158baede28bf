"""Simulated-chip benchmark: time per 1,000 steps of a full-size XyloAudio 2 configuration
(16 inputs, 1,000 hidden neurons with 2 synapses, 8 outputs, recording on).

Peers in the same run: ``xylosim.v2`` (the C++ simulator inside Rockpool's ``XyloSim``; Rockpool's
own wrapper cannot be imported without the vendor's ``samna``), driven directly.
Usage: ``python benchmarks/chip_bench.py [--steps 1000] [--repeats 3]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np


def config(rng, quiet: bool):
    from rockpool_nb.devices import HardwareConfig

    c, n, s, m = 16, 1000, 2, 8
    fan = 32  # recurrent targets per neuron (the weight RAM's average)
    w_rec = np.zeros((n, n, s), dtype=int)
    for i in range(n):
        tgt = rng.choice(n, fan, replace=False)
        w_rec[i, tgt, rng.integers(0, s, fan)] = rng.integers(-20, 21, fan)
    return HardwareConfig(
        chip="xylo-audio-2",
        dt=1e-3,
        weights_in=rng.integers(-60, 61, (c, n, s)),
        weights_rec=w_rec,
        weights_out=rng.integers(-60, 61, (n, m)),
        threshold=np.full(n, 20000 if quiet else 600),
        threshold_out=np.full(m, 2000),
        dash_mem=np.full(n, 4),
        dash_syn=np.full((n, s), 3),
        dash_mem_out=np.full(m, 4),
        dash_syn_out=np.full(m, 3),
        bias=np.zeros(n, int),
        bias_out=np.zeros(m, int),
        aliases=-np.ones(n, int),
    )


def xylosim_layer(cfg):
    import xylosim.v2 as v2

    def lists(w, n_src):
        if w.ndim == 2:
            w = w[:, :, None]
        return [
            [v2.XyloSynapse(int(j), int(s), int(w[i, j, s])) for j, s in zip(*np.nonzero(w[i]))]
            for i in range(n_src)
        ]

    c, n, _ = cfg.weights_in.shape
    keep = (lists(cfg.weights_in, c), lists(cfg.weights_rec, n), lists(cfg.weights_out, n))
    layer = v2.XyloLayer(
        *keep,
        [[] for _ in range(n)],
        cfg.threshold.tolist(),
        cfg.threshold_out.tolist(),
        False,
        cfg.bias.tolist(),
        cfg.bias_out.tolist(),
        0,
        0,
        0,
        cfg.dash_mem.tolist(),
        cfg.dash_mem_out.tolist(),
        cfg.dash_syn.tolist(),
        [[int(v)] for v in cfg.dash_syn_out],
        "bench",
    )
    return layer, keep


def timeit(fn, repeats):
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    from rockpool_nb.devices import simulate

    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    os.sched_setaffinity(0, {0})
    rng = np.random.default_rng(0)
    print(
        f"XyloAudio 2, 16 -> 1000 (2 synapses, 32 recurrent targets each) -> 8, recording on, "
        f"{args.steps} steps, one core"
    )
    print(f"{'activity':<10}{'runner':<26}{'s / 1000 steps':>16}{'ratio':>10}")
    for quiet in (True, False):
        cfg = config(rng, quiet)
        x = (rng.random((args.steps, 16)) < (0.02 if quiet else 0.2)).astype(np.int64)
        sim = simulate(cfg)

        def ours(sim=sim, x=x):
            sim.reset_state()
            return sim(x, record=True)

        t_ours = timeit(ours, args.repeats) * 1000 / args.steps
        rate = ours()[2]["Spikes"].sum() / args.steps / 1000 / 1e-3
        label = f"{'quiet' if quiet else 'active'}"
        print(
            f"{label:<10}{'rockpool_nb XyloSim':<26}{t_ours:>16.4f}{1.0:>10.1f}   (hidden rate {rate:.1f} Hz)"
        )
        try:
            layer, keep = xylosim_layer(cfg)
        except ImportError:
            print(f"{label:<10}{'xylosim.v2':<26}{'not installed':>16}")
            continue

        def peer(layer=layer, x=x):
            layer.reset_all()
            return layer.evolve(x.tolist())

        t_peer = timeit(peer, 1) * 1000 / args.steps
        print(f"{label:<10}{'xylosim.v2 (C++)':<26}{t_peer:>16.4f}{t_peer / t_ours:>10.1f}")
        del keep


if __name__ == "__main__":
    main()
