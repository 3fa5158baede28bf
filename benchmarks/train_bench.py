"""Training benchmark: one Adam step (forward, reverse, update) against the peers, same run.

TW1: the pulse-to-chirp task (Linear(1->100) -> Rate(100, recurrent, tanh) -> Linear(100->1),
T = 3,000, batch 1, MSE + 10 x bounds(tau >= 11 dt) + l2(w_rec)), vs Rockpool's RateJax under
jax.jit. TW2: Linear(64->256) -> recurrent LIF(256) -> Linear(256->4) -> ExpSyn(4), Poisson
input p = 0.05, batch 32, T = 500, MSE to a smooth target, vs Rockpool's LIFJax (jit) and
snnTorch. One core unless stated. Usage: ``python benchmarks/train_bench.py [--quality]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import warnings

import numpy as np

DT = 1e-3


def timeit(fn, repeats=5):
    fn()
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)


def chirp_task():
    t = np.arange(3000) * DT
    x = ((t >= 1.0) & (t < 1.05)).astype(float)[:, None]
    y = np.where((t >= 1.0) & (t < 2.0), np.sin(2 * np.pi * 10 * (t - 1.0) ** 2), 0.0)[:, None]
    return x, y


def tw1_ours(quality: bool):
    from rockpool_nb.nn.combinators import Sequential
    from rockpool_nb.nn.modules import Linear, RateJax
    from rockpool_nb.training import Adam, losses, value_and_grad

    rng = np.random.default_rng(0)
    n = 100
    net = Sequential(
        Linear((1, n), weight=rng.uniform(-1, 1, (1, n))),
        RateJax(
            n,
            has_rec=True,
            w_rec=rng.normal(0, 1, (n, n)) / np.sqrt(n),
            activation_func="tanh",
            tau=0.02,
        ),
        Linear((n, 1), weight=rng.uniform(-1, 1, (n, 1)) / np.sqrt(n)),
    )
    x, y = chirp_task()
    regs = [losses.Bounds({"tau": 11 * DT}, weight=10.0), losses.L2(1.0, names=["w_rec"])]
    f = value_and_grad(net, losses.mse, regularisers=regs)
    opt = Adam(1e-4)
    state = {"p": net.parameters()}

    def step():
        _, g = f(state["p"], x, y[None])
        state["p"] = opt.step(state["p"], g)

    t = timeit(step)
    mse = None
    if quality:
        for _ in range(1000):
            step()
        net.set_attributes(state["p"])
        net.reset_state()
        mse = float(np.mean((net(x)[0][0] - y) ** 2))
    return t, mse


def tw1_jax():
    try:
        import jax
        import jax.numpy as jnp
        from jax.example_libraries import optimizers

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from rockpool.nn.combinators import Sequential
            from rockpool.nn.modules import LinearJax, RateJax
            from rockpool.training import jax_loss
    except Exception as err:  # noqa: BLE001
        return None, f"{type(err).__name__}"
    rng = np.random.default_rng(0)
    n = 100
    net = Sequential(
        LinearJax((1, n), weight=rng.uniform(-1, 1, (1, n))),
        RateJax(
            n,
            has_rec=True,
            w_rec=rng.normal(0, 1, (n, n)) / np.sqrt(n),
            activation_func="tanh",
            tau=0.02,
        ),
        LinearJax((n, 1), weight=rng.uniform(-1, 1, (n, 1)) / np.sqrt(n)),
    )
    x, y = chirp_task()
    lower, upper = jax_loss.make_bounds(net.parameters())
    lower["1_RateJax"]["tau"] = 11 * DT

    def loss(p, net, x, y):
        net = net.reset_state()
        net = net.set_attributes(p)
        out, _, _ = net(x)
        return (
            jax_loss.mse(out[0], y)
            + 10.0 * jax_loss.bounds_cost(p, lower, upper)
            + jax_loss.l2sqr_norm(p["1_RateJax"]["w_rec"])
        )

    vgf = jax.jit(jax.value_and_grad(loss))
    init, update, get = optimizers.adam(1e-4)
    state = {"o": init(net.parameters()), "i": 0}
    xj, yj = jnp.array(x), jnp.array(y)

    def step():
        _, g = vgf(get(state["o"]), net, xj, yj)
        state["o"] = update(state["i"], g, state["o"])
        state["i"] += 1
        jax.block_until_ready(state["o"])

    return timeit(step), None


def tw2_net(lib):
    rng = np.random.default_rng(1)
    if lib == "ours":
        from rockpool_nb.nn.combinators import Sequential
        from rockpool_nb.nn.modules import LIF, ExpSyn, Linear

        return Sequential(
            Linear((64, 256), weight=rng.normal(0, 0.1, (64, 256))),
            LIF(
                256,
                has_rec=True,
                w_rec=rng.normal(0, 0.01, (256, 256)),
                tau_mem=0.02,
                tau_syn=0.005,
            ),
            Linear((256, 4), weight=rng.normal(0, 0.1, (256, 4))),
            ExpSyn(4, tau=0.02),
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from rockpool.nn.combinators import Sequential
        from rockpool.nn.modules import ExpSynJax, LIFJax, LinearJax
    return Sequential(
        LinearJax((64, 256), weight=rng.normal(0, 0.1, (64, 256))),
        LIFJax(
            256, has_rec=True, w_rec=rng.normal(0, 0.01, (256, 256)), tau_mem=0.02, tau_syn=0.005
        ),
        LinearJax((256, 4), weight=rng.normal(0, 0.1, (256, 4))),
        ExpSynJax(4, tau=0.02),
    )


def tw2_data():
    rng = np.random.default_rng(2)
    x = (rng.random((32, 500, 64)) < 0.05).astype(float)
    t = np.arange(500) * DT
    y = np.broadcast_to(
        np.sin(2 * np.pi * np.array([2, 3, 5, 7]) * t[:, None]) * 0.2, (32, 500, 4)
    ).copy()
    return x, y


def tw2_ours():
    from rockpool_nb.training import Adam, losses, value_and_grad

    net = tw2_net("ours")
    x, y = tw2_data()
    f = value_and_grad(net, losses.mse)
    opt = Adam(1e-4)
    state = {"p": net.parameters()}

    def step():
        _, g = f(state["p"], x, y)
        state["p"] = opt.step(state["p"], g)

    return timeit(step, 3)


def tw2_jax():
    try:
        import jax
        import jax.numpy as jnp
        from jax.example_libraries import optimizers
    except Exception:  # noqa: BLE001
        return None
    net = tw2_net("rockpool")
    x, y = tw2_data()

    def loss(p, net, x, y):
        net = net.reset_state()
        net = net.set_attributes(p)
        out, _, _ = net(x)
        return jnp.mean((out - y) ** 2)

    vgf = jax.jit(jax.value_and_grad(loss))
    init, update, get = optimizers.adam(1e-4)
    state = {"o": init(net.parameters()), "i": 0}
    xj, yj = jnp.array(x), jnp.array(y)

    def step():
        _, g = vgf(get(state["o"]), net, xj, yj)
        state["o"] = update(state["i"], g, state["o"])
        state["i"] += 1
        jax.block_until_ready(state["o"])

    return timeit(step, 3)


def tw2_snntorch():
    try:
        import snntorch as snn
        import torch
    except Exception:  # noqa: BLE001
        return None
    torch.set_num_threads(len(os.sched_getaffinity(0)))
    x, y = tw2_data()
    xt, yt = torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)
    fc1, fc2 = torch.nn.Linear(64, 256, bias=False), torch.nn.Linear(256, 4, bias=False)
    rec = torch.nn.Linear(256, 256, bias=False)
    lif = snn.Synaptic(
        alpha=float(np.exp(-DT / 0.005)), beta=float(np.exp(-DT / 0.02)), reset_mechanism="subtract"
    )
    params = list(fc1.parameters()) + list(fc2.parameters()) + list(rec.parameters())
    opt = torch.optim.Adam(params, lr=1e-4)
    decay = float(np.exp(-DT / 0.02))

    def step():
        opt.zero_grad()
        syn, mem = lif.init_synaptic()
        spk = torch.zeros(32, 256)
        i_out = torch.zeros(32, 4)
        outs = []
        cur = fc1(xt)
        for t in range(500):
            spk, syn, mem = lif(cur[:, t] + rec(spk), syn, mem)
            i_out = decay * (i_out + fc2(spk))
            outs.append(i_out)
        loss = torch.mean((torch.stack(outs, 1) - yt) ** 2)
        loss.backward()
        opt.step()

    return timeit(step, 1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quality", action="store_true", help="also train TW1 for 1000 steps")
    args = parser.parse_args()
    os.sched_setaffinity(0, {0})
    rows = []
    t_ours, mse = tw1_ours(args.quality)
    rows.append(("TW1", "rockpool_nb (numba BPTT)", t_ours))
    t_jax, note = tw1_jax()
    if t_jax is not None:
        rows.append(("TW1", "Rockpool RateJax (jax.jit)", t_jax))
    rows.append(("TW2", "rockpool_nb (numba BPTT)", tw2_ours()))
    t = tw2_jax()
    if t is not None:
        rows.append(("TW2", "Rockpool LIFJax (jax.jit)", t))
    t = tw2_snntorch()
    if t is not None:
        rows.append(("TW2", "snnTorch (CPU)", t))
    os.sched_setaffinity(0, {0, 1})
    rows.append(("TW2", "rockpool_nb, 2 cores", tw2_ours()))
    print("| task | runner | s per Adam step | vs rockpool_nb |")
    print("|---|---|---|---|")
    base = {r[0]: r[2] for r in rows if r[1].startswith("rockpool_nb (")}
    for task, name, t in rows:
        print(f"| {task} | {name} | {t:.4f} | {t / base[task]:.1f}x |")
    if mse is not None:
        print(f"TW1 MSE after 1000 Adam steps at lr 1e-4: {mse:.4f}")


if __name__ == "__main__":
    main()
