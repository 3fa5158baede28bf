"""Forward passes that keep what the reverse pass needs, and the reverse passes, per module.

``forward(mod, x)`` returns ``(output, tape)``; ``backward(mod, tape, g_out, grads)`` fills
``grads`` (a nested dict like ``mod.parameters()``) and returns the gradient w.r.t. the input.
"""

from __future__ import annotations

import numpy as np

from rockpool_nb.kernels.grad import SURROGATES, expsyn_reverse, lif_reverse, rate_reverse

__all__ = ["forward", "backward", "NoReverseRule"]


class NoReverseRule(TypeError):
    """A module in the network has no reverse-time rule."""


def _reduce(g: np.ndarray, like) -> np.ndarray:
    """Sum ``g`` down to the shape of parameter ``like`` (scalars and broadcast axes)."""
    shape = np.shape(like)
    g = np.asarray(g)
    if g.shape == shape:
        return g
    if shape == ():
        return np.asarray(g.sum())
    while g.ndim > len(shape):
        g = g.sum(0)
    for i, (a, b) in enumerate(zip(g.shape, shape)):
        if b == 1 and a != 1:
            g = g.sum(i, keepdims=True)
    return g.reshape(shape)


def _batched(x) -> np.ndarray:
    x = np.asarray(x)
    return x[None] if x.ndim == 2 else x


def _kind(mod) -> str:
    from rockpool_nb.nn.combinators.residual import ModResidual
    from rockpool_nb.nn.combinators.sequential import ModSequential
    from rockpool_nb.nn.modules import LIF, ExpSyn, Instant, Linear, Rate

    for cls, name in (
        (ModResidual, "residual"),
        (ModSequential, "sequential"),
        (Linear, "linear"),
        (LIF, "lif"),
        (Rate, "rate"),
        (ExpSyn, "expsyn"),
        (Instant, "instant"),
    ):
        if isinstance(mod, cls):
            return name
    raise NoReverseRule(
        f"module {mod.full_name.strip()!r} of class {type(mod).__name__} has no reverse-time rule; "
        "gradient training supports Linear, Instant, Rate, LIF, ExpSyn, Sequential and Residual"
    )


def check_trainable(mod) -> None:
    """Raise :class:`NoReverseRule` naming the first module without a reverse rule."""
    kind = _kind(mod)
    if kind in ("sequential", "residual"):
        for sub in mod._submodules.values():
            check_trainable(sub)
    elif kind == "rate":
        from rockpool_nb.nn.modules.activations import resolve_activation

        if resolve_activation(mod.act_fn)[1] < 0:
            raise NoReverseRule(
                f"module {mod.full_name.strip()!r} (Rate) uses a custom activation "
                f"{getattr(mod.act_fn, '__name__', mod.act_fn)!r}; gradient training needs its "
                "derivative, which is known only for H_ReLU, H_tanh and H_sigmoid"
            )
    elif kind == "instant":
        _instant_derivative(mod)


def _instant_derivative(mod):
    from rockpool_nb.nn.modules.instant import identity

    fn = mod.function
    if fn is identity:
        return lambda x, y: np.ones_like(x)
    if fn is np.tanh:
        return lambda x, y: 1.0 - y * y
    if fn is np.sin:
        return lambda x, y: np.cos(x)
    if fn is np.exp:
        return lambda x, y: y
    deriv = getattr(fn, "derivative", None)
    if callable(deriv):
        return lambda x, y: deriv(x)
    raise NoReverseRule(
        f"module {mod.full_name.strip()!r} (Instant) applies {getattr(fn, '__name__', fn)!r}, whose "
        "derivative is unknown: give the function a `derivative` attribute"
    )


def _activation(z: np.ndarray, code: int) -> tuple[np.ndarray, np.ndarray]:
    """``(H(z), H'(z))`` for the library activations (codes of ``kernels.rate``), vectorised."""
    if code == 0:
        return np.maximum(z, 0.0), (z > 0).astype(float)
    t = np.tanh(z)
    if code == 1:
        return t, 1.0 - t * t
    return (t + 1.0) / 2.0, (1.0 - t * t) / 2.0


def _derivative_from_output(y: np.ndarray, code: int) -> np.ndarray:
    """``H'`` expressed through ``y = H(z)`` (no transcendental functions)."""
    if code == 0:
        return (y > 0).astype(float)
    if code == 1:
        return 1.0 - y * y
    return 2.0 * y * (1.0 - y)


# --------------------------------------------------------------------------------- forward
def forward(mod, x):
    kind = _kind(mod)
    if kind == "sequential" or kind == "residual":
        tapes = []
        y = x
        for sub in mod._submodules.values():
            y, tape = forward(sub, y)
            tapes.append(tape)
        if kind == "residual":
            y = y + _batched(x) if np.ndim(y) == 3 else y + x
        return y, tapes
    if kind == "linear":
        y, _, _ = mod.evolve(x)
        return y, x
    if kind == "instant":
        y, _, _ = mod(x)
        return y, (_batched(x), y)
    if kind == "rate":
        b = _batched(x).shape[0]
        x0 = np.broadcast_to(np.asarray(mod.x, dtype=float), (b, mod.size_out)).copy()
        y, _, rec = mod(x, record=True)
        return y, (x0, rec["x"], y)
    if kind == "lif":
        b = _batched(x).shape[0]
        v0 = np.broadcast_to(np.asarray(mod.vmem, float), (b, mod.size_out)).copy()
        i0 = np.broadcast_to(np.asarray(mod.isyn, float), (b, mod.size_out, mod.n_synapses)).copy()
        y, _, rec = mod(x, record=True)
        return y, (_batched(x), v0, i0, rec)
    if kind == "expsyn":
        b = _batched(x).shape[0]
        i0 = np.broadcast_to(np.asarray(mod.isyn, float), (b, mod.size_out)).copy()
        y, _, _ = mod(x)
        return y, (_batched(x), i0, y)
    raise AssertionError(kind)


# -------------------------------------------------------------------------------- backward
def _trainable(mod) -> set:
    return {name for name, reg in mod._registry.items() if reg.kind == "Parameter"}


def backward(mod, tape, g_out, grads: dict, surrogate: str = "pwl", window: float = 0.5):
    kind = _kind(mod)
    train = _trainable(mod) if kind not in ("sequential", "residual") else set()
    if kind in ("sequential", "residual"):
        g = g_out
        subs = list(mod._submodules.items())
        for (name, sub), t in zip(reversed(subs), reversed(tape)):
            sub_grads = grads.setdefault(name, {})
            g = backward(sub, t, g, sub_grads, surrogate, window)
        if kind == "residual":
            g = g + g_out
        return g
    if kind == "linear":
        x = np.asarray(tape)
        w = np.asarray(mod.weight)
        g = np.asarray(g_out)
        x2 = x.reshape(-1, x.shape[-1])
        g2 = g.reshape(-1, g.shape[-1])
        if "weight" in train:
            grads["weight"] = x2.T @ g2
        if "bias" in train:
            grads["bias"] = g2.sum(0)
        return g @ w.T
    if kind == "instant":
        x, y = tape
        return np.asarray(g_out) * _instant_derivative(mod)(x, np.asarray(y))
    if kind == "rate":
        from rockpool_nb.nn.modules.activations import resolve_activation

        x0, xs, y = tape
        n = mod.size_out
        dt = float(mod.dt)
        tau = np.broadcast_to(np.asarray(mod.tau, float), (n,))
        floor = mod._tau_floor * dt
        alpha = dt / np.maximum(tau, floor)
        thr = np.broadcast_to(np.asarray(mod.threshold, float), (n,)).copy()
        w = np.asarray(mod.w_rec, float) if mod.has_rec else np.zeros((0, 0))
        code = resolve_activation(mod.act_fn)[1]
        xs = np.ascontiguousarray(xs, dtype=float)
        # activations and their derivatives from the recorded output y_t = H(x_t − θ)
        y = _batched(np.asarray(y, dtype=float))
        a0, d0 = _activation(x0 - thr, code)
        dact = _derivative_from_output(y, code)
        act_prev = np.concatenate([a0[:, None, :], y[:, :-1]], axis=1)
        dact_prev = np.concatenate([d0[:, None, :], dact[:, :-1]], axis=1)
        g_u, ga, gthr = rate_reverse(
            xs,
            x0,
            alpha,
            np.ascontiguousarray(w.T),
            _batched(np.asarray(g_out, float)),
            dact,
            dact_prev,
        )
        gbias = g_u.sum(axis=(0, 1))
        gw = (
            np.einsum("bti,btj->ij", act_prev, g_u, optimize=True)
            if mod.has_rec
            else np.zeros((0, 0))
        )
        g_tau = np.where(tau > floor, -ga * dt / tau**2, 0.0)
        for name, g in (("tau", g_tau), ("bias", gbias), ("threshold", gthr), ("w_rec", gw)):
            if name in train:
                grads[name] = _reduce(g, getattr(mod, name))
        return g_u if np.ndim(g_out) == 3 else g_u[0]
    if kind == "lif":
        x, v0, i0, rec = tape
        n, s = mod.size_out, mod.n_synapses
        dt = float(mod.dt)
        tau_m = np.broadcast_to(np.asarray(mod.tau_mem, float), (n,))
        tau_s = np.broadcast_to(np.asarray(mod.tau_syn, float), (n, s))
        alpha, beta = np.exp(-dt / tau_m), np.exp(-dt / tau_s)
        bias = np.broadcast_to(np.asarray(mod.bias, float), (n,)).copy()
        thr = np.broadcast_to(np.asarray(mod.threshold, float), (n,)).copy()
        w = np.asarray(mod.w_rec, float) if mod._has_rec else np.zeros((0, 0))
        g_x, ga, gb, gbias, gthr = lif_reverse(
            np.ascontiguousarray(x, dtype=float),
            np.ascontiguousarray(rec["vmem"], dtype=float),
            np.ascontiguousarray(rec["isyn"], dtype=float),
            np.ascontiguousarray(rec["irec"], dtype=float),
            np.ascontiguousarray(rec["spikes"], dtype=float),
            v0,
            i0,
            alpha,
            np.ascontiguousarray(beta),
            bias,
            thr,
            np.ascontiguousarray(w.T),
            _batched(np.asarray(g_out, float)),
            np.zeros((x.shape[0], 0, n)),
            SURROGATES[surrogate],
            float(window),
        )
        if mod._has_rec:  # Σ_t S_{t−1}ᵀ · g_R_t, one matrix product
            s_prev = np.concatenate(
                [np.zeros_like(rec["spikes"][:, :1]), rec["spikes"][:, :-1]], axis=1
            )
            gw = s_prev.reshape(-1, n).T.astype(float) @ g_x.reshape(-1, g_x.shape[-1])
        else:
            gw = np.zeros((0, 0))
        named = {
            "tau_mem": ga * alpha * dt / tau_m**2,
            "tau_syn": gb * beta * dt / tau_s**2,
            "bias": gbias,
            "threshold": gthr,
            "w_rec": gw,
        }
        for name, g in named.items():
            if name in train:
                grads[name] = _reduce(g, getattr(mod, name))
        return g_x if np.ndim(g_out) == 3 else g_x[0]
    if kind == "expsyn":
        x, i0, y = tape
        n = mod.size_out
        dt = float(mod.dt)
        tau = np.broadcast_to(np.asarray(mod.tau, float), (n,))
        beta = np.exp(-dt / tau)
        g_x, gb = expsyn_reverse(
            np.ascontiguousarray(x, float),
            np.ascontiguousarray(y, float),
            i0,
            beta,
            _batched(np.asarray(g_out, float)),
        )
        if "tau" in train:
            grads["tau"] = _reduce(gb * beta * dt / tau**2, mod.tau)
        return g_x if np.ndim(g_out) == 3 else g_x[0]
    raise AssertionError(kind)
