"""``value_and_grad``: loss and gradients of a network's parameters, by BPTT in numba."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from rockpool_nb.training.backprop import backward, check_trainable, forward
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


def value_and_grad(
    net,
    loss: Loss,
    families: str | Sequence[str] | None = None,
    regularisers: Sequence = (),
    surrogate: str = "pwl",
    window: float = 0.5,
):
    """Compile (once per network) ``f(params, input, target) -> (loss, grads)``.

    ``params`` and ``grads`` are nested dicts shaped like ``net.parameters(families)``; only
    trainable ``Parameter``s get gradients. Each call writes ``params`` into ``net``, resets its
    state, evolves it on ``input`` ``(T, N)`` or ``(batches, T, N)``, and back-propagates through
    time. Spikes use a surrogate derivative: ``"pwl"`` (Rockpool's ``LIFJax``: window ``0.5``)
    or ``"fast_sigmoid"`` (snnTorch's, slope ``1/window``). ``regularisers`` are objects with
    ``value(params)`` and ``grad(params)`` added to the loss.
    """
    from rockpool_nb.kernels.grad import SURROGATES

    if not (hasattr(loss, "value") and hasattr(loss, "grad")):
        raise TypeError(
            f"loss: expected an object with value() and grad(); got {type(loss).__name__}"
        )
    if surrogate not in SURROGATES:
        raise ValueError(f"surrogate: expected one of {sorted(SURROGATES)}; got {surrogate!r}")
    check_trainable(net)

    def f(params: dict, inp, target):
        net.set_attributes(params)
        net.reset_state()
        x = np.asarray(inp)
        if x.dtype.kind != "f":
            x = x.astype(float)
        out, tape = forward(net, x)
        value = float(loss.value(out, target))
        g_out = loss.grad(out, target)
        raw: dict = {}
        backward(net, tape, g_out, raw if _is_combinator(net) else raw, surrogate, window)
        grads = _prune(raw, params)
        for reg in regularisers:
            value += float(reg.value(params))
            grads = _add(grads, reg.grad(params))
        return value, grads

    return f


def _is_combinator(net) -> bool:
    from rockpool_nb.nn.combinators.sequential import ModSequential

    return isinstance(net, ModSequential)


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
    step and the parameter named. ``callback(step, loss, params)`` runs after each step."""
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
    for step in it:
        value, grads = f(params, xs[step % len(xs)], ys[step % len(ys)])
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
    net.set_attributes(params)
    return history
