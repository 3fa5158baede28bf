"""Training benchmark: one Adam step (forward, reverse, update) against the peers, same run.

TW1: the pulse-to-chirp task, Linear(1->100) -> RateJax(100, recurrent, tanh) -> Linear(100->1),
T = 3,000, batch 1, MSE + 10 x bounds(tau >= 11 dt) + l2(w_rec), Adam lr 1e-4; peers: Rockpool's
RateJax under jax.jit, the same network in plain JAX (lax.scan), a PyTorch loop over time. TW2: Linear(64->256) -> recurrent LIF(256,
tau_mem 20 ms, tau_syn 5 ms) -> Linear(256->4) -> ExpSyn(4, 20 ms), Poisson input p = 0.05,
batch 32, T = 500, MSE to a smooth target, every parameter trained; peers: Rockpool's LIFJax
(jit), the same network in plain JAX (lax.scan), snnTorch. One core (core 1: ``--core``) unless stated. Times are medians of repeated
steps, with the fastest in brackets (other jobs may share the machine).

Usage::

    python benchmarks/train_bench.py            # the table
    python benchmarks/train_bench.py --rounds 3 # every runner 3 times in turn: best and all
    python benchmarks/train_bench.py --quality  # also TW1 MSE after 1,000 Adam steps, 3 seeds,
                                                # ours and Rockpool JAX from the same parameters
    python benchmarks/train_bench.py --first    # first-step latency, empty and warm numba cache
    python benchmarks/train_bench.py --memory 100000  # peak memory, plain vs checkpointed
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

# numba sizes its thread pool when it is imported, from the CPUs the process may use then:
# the one-core runs below pin the process first, so size it for the whole machine up front
os.environ.setdefault("NUMBA_NUM_THREADS", str(os.cpu_count() or 1))

import numpy as np  # noqa: E402

DT = 1e-3


def timeit(fn, repeats=5):
    """(median, min) seconds of ``fn`` after one warm-up call."""
    fn()
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts), min(ts)


def chirp_task():
    t = np.arange(3000) * DT
    x = ((t >= 1.0) & (t < 1.05)).astype(float)[:, None]
    y = np.where((t >= 1.0) & (t < 2.0), np.sin(2 * np.pi * 10 * (t - 1.0) ** 2), 0.0)[:, None]
    return x, y


def tw1_weights(seed):
    rng = np.random.default_rng(seed)
    n = 100
    return (
        rng.uniform(-1, 1, (1, n)),
        rng.normal(0, 1, (n, n)) / np.sqrt(n),
        rng.uniform(-1, 1, (n, 1)) / np.sqrt(n),
    )


def tw1_ours(dtype=np.float64, seed=0, steps=0, repeats=15):
    from rockpool_nb.nn.combinators import Sequential
    from rockpool_nb.nn.modules import Linear, RateJax
    from rockpool_nb.training import Adam, losses, value_and_grad

    w_in, w_rec, w_out = tw1_weights(seed)
    n = w_rec.shape[0]
    net = Sequential(
        Linear((1, n), weight=w_in),
        RateJax(n, has_rec=True, w_rec=w_rec, activation_func="tanh", tau=0.02),
        Linear((n, 1), weight=w_out),
    )
    x, y = chirp_task()
    regs = [losses.Bounds({"tau": 11 * DT}, weight=10.0), losses.L2(1.0, names=["w_rec"])]
    f = value_and_grad(net, losses.mse, regularisers=regs, dtype=dtype)
    opt = Adam(1e-4)
    state = {"p": net.parameters()}

    def step():
        _, g = f(state["p"], x, y[None])
        state["p"] = opt.step(state["p"], g)

    if steps:
        for _ in range(steps):
            step()
        net.set_attributes(state["p"])
        net.reset_state()
        return float(np.mean((np.asarray(net(x)[0][0], float) - y) ** 2))
    return timeit(step, repeats)


def tw1_init(setup, seed):
    """Initial TW1 parameters ``(w_in, w_rec, w_out, tau)`` of one of three setups.

    ``"bench"``: w_in U(-1, 1), w_rec N(0, 1)/sqrt(N), w_out U(-1, 1)/sqrt(N), tau 20 ms.
    ``"v1"``: the v1 seed doc's: w_rec N(0, 1)/sqrt(N), w_in and w_out U(-1, 1), tau 20 ms.
    ``"default"``: Rockpool's default initialisers of LinearJax and RateJax (Kaiming uniform,
    ``unit_eigs``, tau 20 ms: Kaiming is U(±√(6/Nin)), ``unit_eigs`` N(0, 1)/√N), drawn from
    ``default_rng(seed)``; our modules have the same defaults.
    """
    n = 100
    if setup == "bench":
        return (*tw1_weights(seed), np.full(n, 0.02))
    if setup == "v1":
        rng = np.random.default_rng(seed)
        return (
            rng.uniform(-1, 1, (1, n)),
            rng.normal(0, 1, (n, n)) / np.sqrt(n),
            rng.uniform(-1, 1, (n, 1)),
            np.full(n, 0.02),
        )
    from rockpool_nb.nn.modules.initialisers import kaiming, unit_eigs

    rng = np.random.default_rng(seed)  # the default initialisers, drawn from a seeded generator
    return kaiming((1, n), rng), unit_eigs((n, n), rng), kaiming((n, 1), rng), np.full(n, 0.02)


def rockpool_tw1(w_in, w_rec, w_out, tau):
    """Rockpool's TW1 network (LinearJax -> RateJax -> LinearJax) and the jitted
    ``value_and_grad`` of the tutorial's loss (MSE + 10 x bounds(tau >= 11 dt) + l2(w_rec))."""
    import jax

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from rockpool.nn.combinators import Sequential
        from rockpool.nn.modules import LinearJax, RateJax
        from rockpool.training import jax_loss

        n = w_rec.shape[0]
        net = Sequential(
            LinearJax((1, n), weight=w_in),
            RateJax(n, has_rec=True, w_rec=w_rec, activation_func="tanh", tau=tau),
            LinearJax((n, 1), weight=w_out),
        )
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

    return net, jax.jit(jax.value_and_grad(loss))


def tw1_trajectories(setup, seed, steps=1000, lr=1e-4):
    """Training loss per Adam step of ours (float32) and of Rockpool's RateJax network
    (``jax.value_and_grad`` under ``jax.jit``, ``jax.example_libraries.optimizers.adam``, float32),
    both from the same initial parameters; and each one's final MSE."""
    import jax
    import jax.numpy as jnp
    from jax.example_libraries import optimizers

    from rockpool_nb.nn.combinators import Sequential
    from rockpool_nb.nn.modules import Linear, RateJax
    from rockpool_nb.training import Adam, losses, value_and_grad

    w_in, w_rec, w_out, tau = tw1_init(setup, seed)
    n = w_rec.shape[0]
    x, y = chirp_task()
    net = Sequential(
        Linear((1, n), weight=w_in),
        RateJax(n, has_rec=True, w_rec=w_rec, activation_func="tanh", tau=tau),
        Linear((n, 1), weight=w_out),
    )
    regs = [losses.Bounds({"tau": 11 * DT}, weight=10.0), losses.L2(1.0, names=["w_rec"])]
    f = value_and_grad(net, losses.mse, regularisers=regs, dtype=np.float32)
    opt, p, ours = Adam(lr), net.parameters(), []
    for _ in range(steps):
        v, g = f(p, x, y[None])
        ours.append(float(v))
        p = opt.step(p, g)
    net.set_attributes(p)
    net.reset_state()
    ours_mse = float(np.mean((np.asarray(net(x)[0][0], float) - y) ** 2))

    rnet, vgf = rockpool_tw1(w_in, w_rec, w_out, tau)
    init, update, get = optimizers.adam(lr)
    update = jax.jit(update)
    o, theirs = init(rnet.parameters()), []
    xj, yj = jnp.array(x), jnp.array(y)
    for i in range(steps):
        v, g = vgf(get(o), rnet, xj, yj)
        theirs.append(float(v))
        o = update(i, g, o)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out, _, _ = rnet.reset_state().set_attributes(get(o))(xj)
    theirs_mse = float(np.mean((np.asarray(out[0], float) - y) ** 2))
    return np.array(ours), np.array(theirs), ours_mse, theirs_mse


def tw1_jax():
    try:
        import jax
        import jax.numpy as jnp
        from jax.example_libraries import optimizers

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import rockpool.training.jax_loss  # noqa: F401
    except Exception:  # noqa: BLE001
        return None
    w_in, w_rec, w_out = tw1_weights(0)
    net, vgf = rockpool_tw1(w_in, w_rec, w_out, 0.02)
    x, y = chirp_task()
    init, update, get = optimizers.adam(1e-4)
    state = {"o": init(net.parameters()), "i": 0}
    xj, yj = jnp.array(x), jnp.array(y)

    def step():
        _, g = vgf(get(state["o"]), net, xj, yj)
        state["o"] = update(state["i"], g, state["o"])
        state["i"] += 1
        jax.block_until_ready(state["o"])

    return timeit(step, 15)


def _jitted_adam_steps(loss, params, repeats):
    """:func:`timeit` of Adam steps (lr 1e-4) on ``loss(params)``, each step (the gradient and
    the update) one ``jax.jit`` call."""
    import jax
    from jax.example_libraries import optimizers

    init, update, get = optimizers.adam(1e-4)

    @jax.jit
    def adam_step(i, opt_state):
        value, g = jax.value_and_grad(loss)(get(opt_state))
        return value, update(i, g, opt_state)

    state = {"o": init(params), "i": 0}

    def step():
        _, state["o"] = adam_step(state["i"], state["o"])
        state["i"] += 1
        jax.block_until_ready(state["o"])

    return timeit(step, repeats)


def tw1_plain_jax():
    """The same network and loss written directly in JAX (``lax.scan`` over time), the whole
    step (``value_and_grad`` and ``example_libraries`` Adam) in one ``jax.jit``, float32: what
    JAX does without Rockpool's module layer (``shared/performance.md``'s "plain JAX")."""
    try:
        import jax
        import jax.numpy as jnp
    except Exception:  # noqa: BLE001
        return None
    w_in, w_rec, w_out = (jnp.asarray(w, jnp.float32) for w in tw1_weights(0))
    n = w_rec.shape[0]
    params = {"w_in": w_in, "w_rec": w_rec, "w_out": w_out,
              "tau": jnp.full(n, 0.02, jnp.float32), "bias": jnp.zeros(n, jnp.float32)}  # fmt: skip
    x, y = (jnp.asarray(a, jnp.float32) for a in chirp_task())

    def loss(p):
        alpha = DT / p["tau"]

        def one(state, u_t):
            state = state + alpha * (-state + u_t + p["bias"] + jnp.tanh(state) @ p["w_rec"])
            return state, jnp.tanh(state)

        _, h = jax.lax.scan(one, jnp.zeros(n, jnp.float32), x @ p["w_in"])
        below = jnp.clip(11 * DT - p["tau"], 0.0)
        return (
            jnp.mean((h @ p["w_out"] - y) ** 2)
            + 10.0 * jnp.mean(jnp.where(below > 0, jnp.exp(below), 0.0))
            + jnp.mean(p["w_rec"] ** 2)
        )

    return _jitted_adam_steps(loss, params, 15)


def tw1_torch():
    """The same network and loss as a PyTorch loop over time (autograd), float32."""
    try:
        import torch
    except Exception:  # noqa: BLE001
        return None
    torch.set_num_threads(len(os.sched_getaffinity(0)))
    w_in, w_rec, w_out = (torch.tensor(w, dtype=torch.float32) for w in tw1_weights(0))
    ps = [w_in.requires_grad_(), w_rec.requires_grad_(), w_out.requires_grad_()]
    tau = torch.full((100,), 0.02, requires_grad=True)
    bias = torch.zeros(100, requires_grad=True)
    ps += [tau, bias]
    x, y = (torch.tensor(a, dtype=torch.float32) for a in chirp_task())
    opt = torch.optim.Adam(ps, lr=1e-4)

    def step():
        opt.zero_grad()
        u = x @ w_in
        state = torch.zeros(100)
        outs = []
        alpha = DT / tau
        for t in range(u.shape[0]):
            state = state + alpha * (-state + u[t] + bias + torch.tanh(state) @ w_rec)
            outs.append(torch.tanh(state))
        out = torch.stack(outs) @ w_out
        below = torch.clamp(11 * DT - tau, min=0)
        loss = (
            torch.mean((out - y) ** 2)
            + 10.0 * torch.mean(torch.where(below > 0, torch.exp(below), 0.0))
            + torch.mean(w_rec**2)
        )
        loss.backward()
        opt.step()

    return timeit(step, 3)


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


def tw2_ours(dtype=np.float32, repeats=7):
    from rockpool_nb.training import Adam, losses, value_and_grad

    net = tw2_net("ours")
    x, y = (a.astype(dtype) for a in tw2_data())  # once, as the peers' tensors are made once
    f = value_and_grad(net, losses.mse, dtype=dtype)
    opt = Adam(1e-4)
    state = {"p": net.parameters()}

    def step():
        _, g = f(state["p"], x, y)
        state["p"] = opt.step(state["p"], g)

    return timeit(step, repeats)


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


def tw2_plain_jax():
    """TW2 written directly in JAX: ``lax.scan`` over time with the batch in each matrix product,
    a spike of Heaviside forward and Rockpool's ramp surrogate backward (``custom_jvp``), every
    parameter trained, the whole Adam step in one ``jax.jit``, float32."""
    try:
        import jax
        import jax.numpy as jnp
    except Exception:  # noqa: BLE001
        return None
    rng = np.random.default_rng(1)
    f32 = jnp.float32
    params = {
        "w_in": jnp.asarray(rng.normal(0, 0.1, (64, 256)), f32),
        "w_rec": jnp.asarray(rng.normal(0, 0.01, (256, 256)), f32),
        "w_out": jnp.asarray(rng.normal(0, 0.1, (256, 4)), f32),
        "tau_mem": jnp.full(256, 0.02, f32),
        "tau_syn": jnp.full(256, 0.005, f32),
        "bias": jnp.zeros(256, f32),
        "threshold": jnp.ones(256, f32),
        "tau_out": jnp.full(4, 0.02, f32),
    }
    x, y = (jnp.asarray(a, f32) for a in tw2_data())

    @jax.custom_jvp
    def spike(u, th):
        return (u >= th).astype(f32)

    @spike.defjvp
    def _spike_jvp(primals, tangents):
        u, th = primals
        du, dth = tangents
        ramp = (u >= th - 0.5).astype(f32) / th  # Rockpool's window of width 0.5
        return spike(u, th), ramp * (du - dth)

    def loss(p):
        alpha, beta = jnp.exp(-DT / p["tau_mem"]), jnp.exp(-DT / p["tau_syn"])
        decay = jnp.exp(-DT / p["tau_out"])

        def one(carry, x_t):
            i, v, s, o = carry
            i = beta * (i + x_t + s @ p["w_rec"])
            v = alpha * v + i + p["bias"]
            s = spike(v, p["threshold"])
            v = v - p["threshold"] * s
            o = decay * (o + s @ p["w_out"])
            return (i, v, s, o), o

        B = x.shape[0]
        zeros = jnp.zeros((B, 256), f32)
        carry = (zeros, zeros, zeros, jnp.zeros((B, 4), f32))
        _, out = jax.lax.scan(one, carry, jnp.swapaxes(x @ p["w_in"], 0, 1))
        return jnp.mean((jnp.swapaxes(out, 0, 1) - y) ** 2)

    return _jitted_adam_steps(loss, params, 5)


def tw2_snntorch():
    try:
        import snntorch as snn
        import torch
    except Exception:  # noqa: BLE001
        return None
    torch.set_num_threads(len(os.sched_getaffinity(0)))
    x, y = tw2_data()
    xt, yt = torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)
    rng = np.random.default_rng(1)
    fc1, fc2 = torch.nn.Linear(64, 256, bias=False), torch.nn.Linear(256, 4, bias=False)
    rec = torch.nn.Linear(256, 256, bias=False)
    with torch.no_grad():
        fc1.weight.copy_(torch.tensor(rng.normal(0, 0.1, (64, 256)).T, dtype=torch.float32))
        rec.weight.copy_(torch.tensor(rng.normal(0, 0.01, (256, 256)).T, dtype=torch.float32))
        fc2.weight.copy_(torch.tensor(rng.normal(0, 0.1, (256, 4)).T, dtype=torch.float32))
    lif = snn.Synaptic(
        alpha=float(np.exp(-DT / 0.005)),
        beta=float(np.exp(-DT / 0.02)),
        reset_mechanism="subtract",
        learn_alpha=True,
        learn_beta=True,
        learn_threshold=True,
    )
    params = [*fc1.parameters(), *fc2.parameters(), *rec.parameters(), *lif.parameters()]
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

    return timeit(step, 2)


def _trivial(x):
    return x.sum()


def first_step(task: str) -> tuple:
    """The phases of a first training step in this (fresh) process, in seconds:
    ``import rockpool_nb.training`` and building the network and data (numba imported);
    numba's first use, here the call of a trivial cached function (numba sets up its
    compiler, importing SciPy's BLAS among others, before it runs or loads anything, so a
    notebook that has already simulated has paid it); and the first training step."""
    t0 = time.perf_counter()
    from rockpool_nb.training import losses, value_and_grad

    if task == "tw2":
        net = tw2_net("ours")
        x, y = tw2_data()
    else:
        from rockpool_nb.nn.combinators import Sequential
        from rockpool_nb.nn.modules import Linear, RateJax

        w_in, w_rec, w_out = tw1_weights(0)
        net = Sequential(
            Linear((1, 100), weight=w_in),
            RateJax(100, has_rec=True, w_rec=w_rec, activation_func="tanh", tau=0.02),
            Linear((100, 1), weight=w_out),
        )
        x, y = chirp_task()
        y = y[None]
    import numba

    trivial = numba.njit(cache=True)(_trivial)  # (numba caches functions of files only)
    t1 = time.perf_counter()
    trivial(np.ones(3))
    t2 = time.perf_counter()
    value_and_grad(net, losses.mse, dtype=np.float32)(net.parameters(), x, y)
    t3 = time.perf_counter()
    return t1 - t0, t2 - t1, t3 - t2


def first_steps(core: int) -> list:
    """First-step phases (:func:`first_step`) in fresh processes pinned to ``core``: with an
    empty numba cache, then with the cache that run left."""
    rows = []
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        for task in ("tw1", "tw2"):
            for label in ("cold (empty numba cache)", "warm (cache from the run before)"):
                out = subprocess.run(
                    ["taskset", "-c", str(core), sys.executable, __file__, "--first-of", task],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                rows.append((task.upper(), label, *map(float, out.stdout.split()[-3:])))
    return rows


def memory(steps: int, checkpoint) -> tuple:
    """Peak traced memory (MiB) and time (s) of one ``value_and_grad`` call, float64, batch 1:
    Linear(100->1000) -> recurrent LIF(1000) -> Linear(1000->1), Poisson input p = 0.05."""
    import tracemalloc

    from rockpool_nb.nn.combinators import Sequential
    from rockpool_nb.nn.modules import LIF, Linear
    from rockpool_nb.training import losses, value_and_grad

    rng = np.random.default_rng(0)
    net = Sequential(
        Linear((100, 1000), weight=rng.normal(0, 0.05, (100, 1000))),
        LIF(1000, has_rec=True, w_rec=rng.normal(0, 0.001, (1000, 1000))),
        Linear((1000, 1), weight=rng.normal(0, 0.1, (1000, 1))),
    )
    x = (rng.random((steps, 100)) < 0.05).astype(float)
    y = np.zeros((1, steps, 1))
    f = value_and_grad(net, losses.mse, checkpoint=checkpoint)
    f(net.parameters(), x[:200], y[:, :200])  # compile
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    t0 = time.perf_counter()
    f(net.parameters(), x, y)
    elapsed = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return peak / 2**20, elapsed


# (task, runner, the function timing it: (median, fastest) s or None without the peer, all cores)
RUNNERS = [
    ("TW1", "rockpool_nb float32", lambda: tw1_ours(np.float32), False),
    ("TW1", "rockpool_nb float64", lambda: tw1_ours(np.float64), False),
    ("TW1", "Rockpool 3.1 RateJax (jax.jit, float32)", tw1_jax, False),
    ("TW1", "plain JAX lax.scan, one jit per Adam step (float32)", tw1_plain_jax, False),
    ("TW1", "PyTorch loop over time (float32)", tw1_torch, False),
    ("TW2", "rockpool_nb float32", lambda: tw2_ours(np.float32), False),
    ("TW2", "rockpool_nb float64", lambda: tw2_ours(np.float64, 3), False),
    ("TW2", "Rockpool 3.1 LIFJax (jax.jit, float32)", tw2_jax, False),
    ("TW2", "plain JAX lax.scan, one jit per Adam step (float32)", tw2_plain_jax, False),
    ("TW2", "snnTorch 1.0 (float32)", tw2_snntorch, False),
    ("TW2", "rockpool_nb float32, 2 cores", lambda: tw2_ours(np.float32), True),
]


def table(core: int, rounds: int = 1) -> dict:
    """``{(task, runner): [(median, fastest), ...]}``, a pair per round: every runner in turn,
    on ``core`` (or all cores), ``rounds`` times over. Another guest slowing the machine only
    ever adds time, so the best round is the closest to what the code costs."""
    results: dict = {}
    every = set(range(os.cpu_count() or 1))
    for _ in range(rounds):
        for task, name, run, all_cores in RUNNERS:
            os.sched_setaffinity(0, every if all_cores else {core})
            t = run()
            if t is not None:
                results.setdefault((task, name), []).append(t)
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quality", action="store_true", help="TW1 MSE after 1000 steps")
    parser.add_argument("--first", action="store_true", help="first-step latency")
    parser.add_argument(
        "--setup", choices=["default", "v1", "bench"], default="default", help="TW1 initialisation"
    )
    parser.add_argument("--core", type=int, default=1, help="core for one-core figures")
    parser.add_argument(
        "--rounds", type=int, default=1, help="time every runner this many times, in turn"
    )
    parser.add_argument("--memory", type=int, metavar="T", help="peak memory at T steps")
    parser.add_argument("--first-of", choices=["tw1", "tw2"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory:
        os.sched_setaffinity(0, {args.core})
        k = int(np.ceil(np.sqrt(args.memory)))
        for ck in (None, k):
            mib, sec = memory(args.memory, ck)
            print(f"T = {args.memory}, checkpoint = {ck}: peak {mib:.1f} MiB, {sec:.1f} s")
        return
    if args.first_of:
        print(" ".join(f"{t:.3f}" for t in first_step(args.first_of)))
        return
    results = table(args.core, args.rounds)
    base = {task: min(m for m, _ in runs) for (task, name), runs in results.items()
            if name == "rockpool_nb float32"}  # fmt: skip
    if args.rounds == 1:
        print("| task | runner | s per Adam step: median (fastest) | vs rockpool_nb float32 |")
        print("|---|---|---|---|")
    else:
        print(f"| task | runner | s per Adam step, best of {args.rounds} rounds: median (fastest) "
              "| the rounds' medians | vs rockpool_nb float32 (best rounds) |")  # fmt: skip
        print("|---|---|---|---|---|")
    for (task, name), runs in results.items():
        med, best = min(runs)
        cells = [task, name, f"{med:.4f} ({best:.4f})"]
        if args.rounds > 1:
            cells.append(" / ".join(f"{m:.4f}" for m, _ in runs))
        cells.append(f"{med / base[task]:.2f}x")
        print("| " + " | ".join(cells) + " |")
    if args.first:
        print()
        print("| task | numba cache | import, network, data (s) | numba's first use (s) "
              "| first training step (s) | total (s) |")  # fmt: skip
        print("|---|---|---|---|---|---|")
        for task, label, setup, numba_first, step in first_steps(args.core):
            total = setup + numba_first + step
            print(
                f"| {task} | {label} | {setup:.2f} | {numba_first:.2f} | {step:.2f} | {total:.2f} |"
            )
    if args.quality:
        os.sched_setaffinity(0, {args.core})
        # Rockpool's default initialisers (what the current tutorial's network gets), the
        # same initial parameters for both stacks; --setup bench / v1 for the others
        print("| TW1 seed | setup | MSE after 1000 Adam steps, lr 1e-4: rockpool_nb float32 "
              "| Rockpool 3.1 JAX float32 |")  # fmt: skip
        print("|---|---|---|---|")
        for seed in (0, 1, 2):
            _, _, ours, theirs = tw1_trajectories(args.setup, seed)
            print(f"| {seed} | {args.setup} | {ours:.4f} | {theirs:.4f} |")
        print(f"(target variance {np.var(chirp_task()[1]):.3f})")


if __name__ == "__main__":
    main()
