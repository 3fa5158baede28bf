"""Sweep benchmark: a 16x16 grid of 1,000-step LIF(512) runs.

Serial loop vs the default local run (in-process Dask, threads) vs a 2-worker ``LocalCluster``
(processes), in the same run. Usage: ``python benchmarks/sweep_bench.py [--grid 16] [--steps 1000 10000]``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def build(bias, tau_mem, n=512):
    from rockpool_nb.nn.modules import LIF

    return LIF(n, bias=bias, tau_mem=tau_mem)


def rate(output, state, record):
    return {"rate_hz": float(np.mean(output) * 1000.0)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--grid", type=int, default=16)
    parser.add_argument("--steps", type=int, nargs="+", default=[1000, 10_000])
    args = parser.parse_args()
    for steps in args.steps:
        run(args.grid, steps)


def run(grid_size: int, steps: int) -> None:
    from distributed import Client, LocalCluster

    from rockpool_nb.sweep import sweep

    grid = {
        "bias": list(np.linspace(0.0, 0.2, grid_size)),
        "tau_mem": list(np.linspace(0.005, 0.05, grid_size)),
    }
    x = np.zeros((steps, 512))

    build(0.1, 0.02)(x[:10])  # compile once, outside the timings
    t0 = time.perf_counter()
    for b in grid["bias"]:
        for tau in grid["tau_mem"]:
            out, state, rec = build(b, tau)(x)
            rate(out, state, rec)
    serial = time.perf_counter() - t0

    t0 = time.perf_counter()
    table = sweep(build, grid, x, rate, progress=False)
    local = time.perf_counter() - t0

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        client.run(lambda: build(0.1, 0.02)(np.zeros((10, 512))))  # warm each worker's JIT
        t0 = time.perf_counter()
        table2 = sweep(build, grid, x, rate, client=client, progress=False)
        cluster_time = time.perf_counter() - t0
    assert np.allclose(table["rate_hz"].to_numpy(), table2["rate_hz"].to_numpy())
    n = grid_size**2
    print(f"\n{n} grid points x {steps} steps of LIF(512)")
    print(f"{'runner':<34}{'seconds':>10}{'speed-up':>10}")
    for name, t in (
        ("serial loop", serial),
        ("sweep(), default (starts its cluster)", local),
        ("sweep(), LocalCluster 2 workers", cluster_time),
    ):
        print(f"{name:<34}{t:>10.2f}{serial / t:>10.2f}")


if __name__ == "__main__":
    main()
