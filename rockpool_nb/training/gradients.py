"""``value_and_grad``: loss and gradients of a network's parameters, by BPTT in numba."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from rockpool_nb.kernels.compiling import kernel_compiles
from rockpool_nb.training._threads import available_cores, blas_threads, numba_threads
from rockpool_nb.training.backprop import (
    backward,
    check_trainable,
    finish,
    forward,
    initial,
    kind_of,
    prepare,
)
from rockpool_nb.training.losses import Loss
from rockpool_nb.training.tree import tree_items

__all__ = ["value_and_grad", "fit"]


def _prune(grads: dict, params: dict, where="") -> dict:
    """``grads`` restricted to the structure of ``params`` (missing leaves are zeros)."""
    out = {}
    for key, value in params.items():
        if isinstance(value, dict):
            out[key] = _prune(grads.get(key, {}), value, f"{where}{key}.")
        else:
            g = grads.get(key)
            out[key] = np.zeros(np.shape(value)) if g is None else np.asarray(g, dtype=float)
    return out


def _add(tree: dict, extra: dict) -> dict:
    out = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            out[key] = _add(value, extra.get(key, {}))
        else:
            out[key] = value + np.asarray(extra.get(key, 0.0))
    return out


class _Context:
    """What one call shares between the modules: compute dtype, prepared constants, seeds."""

    def __init__(self, dtype, surrogate: int, window: float, parallel: bool, seeds: dict):
        self.dtype = np.dtype(dtype)
        self.surrogate, self.window, self.parallel = surrogate, float(window), parallel
        self.seeds = seeds
        self.prep: dict = {}
        self.ws: dict | None = None  # work arrays kept between calls (see backprop._buf)


def _noisy(mod) -> list:
    """Modules of the tree with ``noise_std > 0``."""
    kind = kind_of(mod)
    if kind in ("sequential", "residual"):
        return [m for sub in mod._submodules.values() for m in _noisy(sub)]
    if kind in ("rate", "lif", "expsyn") and float(mod.noise_std) > 0:
        return [mod]
    return []


def _out_ndim(mod, in_ndim: int) -> int:
    """Number of dimensions of ``mod(x)[0]`` for an input of ``in_ndim``."""
    kind = kind_of(mod)
    if kind == "linear":
        return in_ndim
    if kind in ("sequential", "residual"):
        nd = in_ndim
        for sub in mod._submodules.values():
            nd = _out_ndim(sub, nd)
        return max(nd, in_ndim) if kind == "residual" else nd
    return 3


def _tape_bytes_per_step(mod, batches: int, itemsize: int) -> int:
    """Bytes recorded per time step by a plain (not checkpointed) forward pass."""
    kind = kind_of(mod)
    if kind in ("sequential", "residual"):
        return sum(_tape_bytes_per_step(s, batches, itemsize) for s in mod._submodules.values())
    n = mod.size_out
    per = {
        "linear": mod.size_in,
        "instant": 2 * n,
        "rate": 2 * n,
        "expsyn": 2 * n,
        "lif": 2 * n + n * getattr(mod, "n_synapses", 1),  # membrane, spikes, pre-decay currents
    }[kind]
    return per * batches * itemsize


def segment_length(net, batches: int, steps: int, checkpoint, itemsize: int = 8,
                   budget: float = 2**30) -> int:  # fmt: skip
    """Steps per segment: ``steps`` without checkpointing, ``checkpoint`` if an int, and for
    ``"auto"`` about √steps when the plain tape would exceed ``budget`` bytes."""
    if checkpoint is None or checkpoint is False:
        return steps
    if checkpoint == "auto":
        per = _tape_bytes_per_step(net, batches, itemsize)
        return steps if per * steps <= budget else max(1, int(np.ceil(np.sqrt(steps))))
    k = int(checkpoint)
    if k < 1:
        raise ValueError(
            f"checkpoint: expected a positive number of steps, None or 'auto'; got {checkpoint!r}"
        )
    return min(k, steps)


def value_and_grad(
    net,
    loss: Loss,
    families: str | Sequence[str] | None = None,
    regularisers: Sequence = (),
    surrogate: str = "pwl",
    window: float = 0.5,
    checkpoint: int | str | None = "auto",
    noise: str = "redraw",
    dtype=np.float64,
    threads: int | None = None,
):
    """Compile (once per network) ``f(params, input, target) -> (loss, grads)``.

    ``params`` and ``grads`` are nested dicts shaped like ``net.parameters(families)``; only
    trainable ``Parameter``s get gradients. Each call writes ``params`` into ``net``, resets its
    state, evolves it on ``input`` ``(T, N)`` or ``(batches, T, N)``, and back-propagates through
    time. Spikes use a surrogate derivative: ``"pwl"`` (Rockpool's ``LIFJax``: window ``0.5``)
    or ``"fast_sigmoid"`` (snnTorch's, slope ``1/window``). ``regularisers`` are objects with
    ``value(params)`` and ``grad(params)`` added to the loss.

    ``checkpoint``: ``None`` records every step of every state; an int ``k`` keeps the state
    every ``k`` steps and recomputes each segment during the reverse pass (the gradients are the
    same, the memory is O(T/k + k) per state instead of O(T)); ``"auto"`` (default) checkpoints
    with ``k ≈ √T`` when the plain record would exceed 1 GiB. ``noise`` (for modules with
    ``noise_std > 0``): ``"redraw"`` draws new noise from each module's generator at every call,
    ``"frozen"`` uses the same noise at every call; either way the forward and reverse passes
    (and the recomputed segments) see the same noise. ``dtype``: ``np.float64`` (default) or
    ``np.float32`` (about twice as fast on matrix products). ``threads``: cores for the batch
    loops and BLAS (default: the process's CPU affinity).
    """
    from rockpool_nb.kernels.grad import SURROGATES
    from rockpool_nb.training.noise import draw_seed

    if not (hasattr(loss, "value") and hasattr(loss, "grad")):
        raise TypeError(
            f"loss: expected an object with value() and grad(); got {type(loss).__name__}"
        )
    if surrogate not in SURROGATES:
        raise ValueError(f"surrogate: expected one of {sorted(SURROGATES)}; got {surrogate!r}")
    if noise not in ("redraw", "frozen"):
        raise ValueError(f"noise: expected 'redraw' or 'frozen'; got {noise!r}")
    if np.dtype(dtype) not in (np.float32, np.float64):
        raise ValueError(f"dtype: expected float32 or float64; got {dtype!r}")
    check_trainable(net)
    noisy = _noisy(net)
    frozen = {id(m): draw_seed(m._rng) for m in noisy} if noise == "frozen" else None
    workspace: dict = {}  # work arrays reused by every call of f

    def f(params: dict, inp, target):
        net.set_attributes(params)
        net.reset_state()
        x = np.asarray(inp)
        in_ndim = x.ndim
        if in_ndim not in (2, 3):
            raise ValueError(f"input: expected shape (T, N) or (batches, T, N); got {x.shape}")
        xb = np.ascontiguousarray(x[None] if in_ndim == 2 else x, dtype=dtype)
        B, T, _ = xb.shape
        cores = threads or available_cores()
        seeds = frozen if frozen is not None else {id(m): draw_seed(m._rng) for m in noisy}
        ctx = _Context(dtype, SURROGATES[surrogate], window, cores > 1, seeds)
        prepare(net, B, ctx)
        k = segment_length(net, B, T, checkpoint, ctx.dtype.itemsize)
        bounds = [(t0, min(t0 + k, T)) for t0 in range(0, T, k)]
        # one BLAS thread: its spinning threads fight numba's batch threads (and, on a busy
        # machine, other jobs); the cores go to the batch loops instead
        with blas_threads(1), numba_threads(cores):
            state = initial(net, ctx, "state")
            if len(bounds) == 1:
                ctx.ws = workspace
                y, _, tape = forward(net, xb, state, ctx, 0, True)
                states = [state]
            else:  # keep the state at each segment start; recompute segments in reverse
                states, outs = [], []
                for t0, t1 in bounds:
                    states.append(state)
                    y_seg, state, _ = forward(net, xb[:, t0:t1], state, ctx, t0, False)
                    outs.append(y_seg)
                y = np.concatenate(outs, axis=1)
                ctx.ws = workspace  # segments are recomputed one at a time from here on
            out = y[0] if _out_ndim(net, in_ndim) == 2 else y
            value = float(loss.value(out, target))
            g_out = np.asarray(loss.grad(out, target))
            g_out = (g_out.reshape(y.shape) if g_out.size == y.size else g_out).astype(dtype)
            carry = initial(net, ctx, "carry")
            for i in range(len(bounds) - 1, -1, -1):
                t0, t1 = bounds[i]
                if len(bounds) > 1:
                    _, _, tape = forward(net, xb[:, t0:t1], states[i], ctx, t0, True)
                _, carry = backward(net, tape, g_out[:, t0:t1], ctx, carry, False)
                tape = None
        raw: dict = {}
        finish(net, ctx, raw)
        grads = _prune(raw, params)
        for reg in regularisers:
            value += float(reg.value(params))
            grads = _add(grads, reg.grad(params))
        return value, grads

    return f


def _say_compiling(bar):
    """A :func:`kernel_compiles` callback that tells, in ``bar``'s description, why the step
    waits (once per step)."""

    def say(name: str) -> None:
        if bar.desc == "fit":
            bar.set_description_str(
                "fit (compiling kernels: first use here, cached for later runs)"
            )

    return say


def fit(
    net,
    loss: Loss,
    inputs,
    targets,
    steps: int,
    optimiser=None,
    families=None,
    regularisers: Sequence = (),
    progress: bool = True,
    callback=None,
    **grad_kwargs,
) -> list[float]:
    """Train ``net`` for ``steps`` optimiser steps on ``inputs``/``targets`` (one array each, or
    lists used in turn). Returns the loss history (also in ``fit.history`` order); the trained
    parameters are left in ``net``. A NaN or infinite loss or gradient stops training with the
    step and the parameter named. With ``progress`` (and tqdm installed) a bar shows the steps
    and the loss, and says while a step waits for numba to compile kernels (the first step on a
    machine, or after the cache was emptied). ``callback(step, loss, params)`` runs after each
    step; a callback with a ``flush()`` method (such as :class:`rockpool_nb.viz.LossHistory`, a
    live plot of the loss) is flushed when training ends or stops."""
    from rockpool_nb.training.optim import Adam

    optimiser = optimiser or Adam(1e-3)
    f = value_and_grad(net, loss, families, regularisers, **grad_kwargs)
    xs = inputs if isinstance(inputs, list) else [inputs]
    ys = targets if isinstance(targets, list) else [targets]
    if len(xs) != len(ys):
        raise ValueError(f"targets: expected {len(xs)} targets to match the inputs; got {len(ys)}")
    params = net.parameters(families) if families is not None else net.parameters()
    history: list[float] = []
    it = range(steps)
    if progress:
        try:
            from tqdm.auto import tqdm

            it = tqdm(it, desc="fit")
        except ImportError:
            pass
    bar = it if hasattr(it, "set_description_str") else None
    try:
        for step in it:
            with kernel_compiles(None if bar is None else _say_compiling(bar)) as compiled:
                value, grads = f(params, xs[step % len(xs)], ys[step % len(ys)])
            if compiled and bar is not None:
                bar.set_description_str("fit")
            if not np.isfinite(value):
                raise FloatingPointError(f"fit: step {step}: the loss is {value}")
            for name, g in tree_items(grads):
                if not np.all(np.isfinite(g)):
                    raise FloatingPointError(
                        f"fit: step {step}: the gradient of {name!r} is not finite"
                    )
            params = optimiser.step(params, grads)
            history.append(value)
            if callback is not None:
                callback(step, value, params)
            if progress and hasattr(it, "set_postfix"):
                it.set_postfix(loss=f"{value:.4g}")
    finally:
        if callable(getattr(callback, "flush", None)):  # e.g. viz.LossHistory: draw the last points
            callback.flush()
    net.set_attributes(params)
    return history
