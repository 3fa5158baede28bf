"""Per-module forward passes that keep what the reverse pass needs, and the reverse passes.

Everything here works on one time segment ``[t0, t1)`` of batched arrays ``(B, T, N)``, with the
state passed in and out (``forward``) and the adjoint state passed in and out (``backward``),
so :mod:`rockpool_nb.training.gradients` can run a whole recording as one segment, or store the
state every ``k`` steps and recompute each segment during the reverse sweep (checkpointing).
Module constants (leaks, weights in the compute dtype) are prepared once per call (``prepare``);
parameter gradients are accumulated per module in ``acc`` and converted to the parameters'
shapes by ``finish``.
"""

from __future__ import annotations

import numba
import numpy as np

from rockpool_nb.kernels.expsyn import expsyn_evolve
from rockpool_nb.kernels.grad import expsyn_reverse
from rockpool_nb.kernels.grad_events import (
    event_matmul,
    event_matmul_parallel,
    event_outer,
    event_outer_parallel,
)
from rockpool_nb.kernels.grad_lif import (
    lif_reverse_ramp,
    lif_reverse_ramp_parallel,
    lif_reverse_segment,
    lif_train_forward,
    lif_train_forward_parallel,
)
from rockpool_nb.kernels.grad_rate import rate_train_forward, rate_train_reverse
from rockpool_nb.kernels.linear import matmul_into
from rockpool_nb.kernels.narrow import (
    narrow_matmul,
    narrow_matmul_parallel,
    narrow_matmul_t,
    narrow_matmul_t_parallel,
    narrow_outer,
    narrow_outer_parallel,
)
from rockpool_nb.training.noise import noise_segment

__all__ = ["NoReverseRule", "check_trainable", "kind_of", "prepare", "forward", "backward"]


class NoReverseRule(TypeError):
    """A module in the network has no reverse-time rule."""


_KINDS: list = []  # (class, kind) pairs, imported on first use (the modules import this one)


def kind_of(mod) -> str:
    if not _KINDS:
        from rockpool_nb.nn.combinators.residual import ModResidual
        from rockpool_nb.nn.combinators.sequential import ModSequential
        from rockpool_nb.nn.modules import LIF, ExpSyn, Instant, Linear, Rate

        _KINDS.extend([
            (ModResidual, "residual"),
            (ModSequential, "sequential"),
            (Linear, "linear"),
            (LIF, "lif"),
            (Rate, "rate"),
            (ExpSyn, "expsyn"),
            (Instant, "instant"),
        ])  # fmt: skip
    for cls, name in _KINDS:
        if isinstance(mod, cls):
            return name
    raise NoReverseRule(
        f"module {mod.full_name.strip()!r} of class {type(mod).__name__} has no reverse-time rule; "
        "gradient training supports Linear, Instant, Rate, LIF, ExpSyn, Sequential and Residual"
    )


def subs(mod) -> list:
    return list(mod._submodules.values())


def check_trainable(mod) -> None:
    """Raise :class:`NoReverseRule` naming the first module without a reverse rule."""
    kind = kind_of(mod)
    if kind in ("sequential", "residual"):
        for sub in subs(mod):
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


def _vec(value, shape, dtype):
    return np.ascontiguousarray(np.broadcast_to(np.asarray(value, dtype=np.float64), shape), dtype)


def _reduce(g: np.ndarray, like) -> np.ndarray:
    """Sum ``g`` down to the shape of parameter ``like`` (scalars and broadcast axes)."""
    shape = np.shape(like)
    g = np.asarray(g, dtype=np.float64)
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


# ----------------------------------------------------------------------------- preparation
def prepare(mod, batches: int, ctx) -> None:
    """Fill ``ctx.prep[id(mod)]``: constants in the compute dtype, the initial state (B, ...),
    zero adjoints and gradient accumulators."""
    kind = kind_of(mod)
    dt_ = ctx.dtype
    if kind in ("sequential", "residual"):
        for sub in subs(mod):
            prepare(sub, batches, ctx)
        return
    p: dict = {"kind": kind}
    if kind == "linear":
        p["w"] = np.ascontiguousarray(mod.weight, dtype=dt_)
        p["w_t"] = np.ascontiguousarray(p["w"].T)
        p["b"] = np.asarray(mod.bias, dtype=dt_) if "bias" in mod._registry else None
        p["acc"] = {"weight": 0.0, "bias": 0.0}
    elif kind == "instant":
        p["deriv"] = _instant_derivative(mod)
    elif kind == "rate":
        from rockpool_nb.nn.modules.activations import resolve_activation

        n, dt = mod.size_out, float(mod.dt)
        tau = _vec(mod.tau, (n,), np.float64)
        p["tau"], p["floor"] = tau, mod._tau_floor * dt
        p["alpha"] = (dt / np.maximum(tau, p["floor"])).astype(dt_)
        p["bias"], p["thr"] = _vec(mod.bias, (n,), dt_), _vec(mod.threshold, (n,), dt_)
        w = np.ascontiguousarray(mod.w_rec, dt_) if mod.has_rec else np.zeros((0, 0), dt_)
        p["w"], p["w_t"] = w, np.ascontiguousarray(w.T)
        p["code"] = resolve_activation(mod.act_fn)[1]
        p["state"] = _vec(mod.x, (batches, n), dt_)
        p["carry"] = np.zeros((batches, n), dt_)
        p["acc"] = {"ga": np.zeros(n, dt_), "gthr": np.zeros(n, dt_), "gbias": 0.0, "gw": 0.0}
    elif kind == "lif":
        n, s, dt = mod.size_out, mod.n_synapses, float(mod.dt)
        p["tau_m"], p["tau_s"] = (
            _vec(mod.tau_mem, (n,), np.float64),
            _vec(mod.tau_syn, (n, s), np.float64),
        )
        p["alpha"] = np.exp(-dt / p["tau_m"]).astype(dt_)
        p["beta"] = np.ascontiguousarray(np.exp(-dt / p["tau_s"]), dt_)
        p["bias"], p["thr"] = _vec(mod.bias, (n,), dt_), _vec(mod.threshold, (n,), dt_)
        w = np.ascontiguousarray(mod.w_rec, dt_) if mod._has_rec else np.zeros((0, 0), dt_)
        p["w"], p["w_t"] = w, np.ascontiguousarray(w.T)
        p["max_spikes"] = dt_.type(mod.max_spikes_per_dt)
        p["state"] = (
            _vec(mod.vmem, (batches, n), dt_),
            _vec(mod.isyn, (batches, n, s), dt_),
            _vec(mod.spikes, (batches, n), dt_),
        )
        p["carry"] = (
            np.zeros((batches, n), dt_),
            np.zeros((batches, n, s), dt_),
            np.zeros((batches, n), dt_),
        )
        p["acc"] = {
            "ga": np.zeros(n, dt_),
            "gb": np.zeros((n, s), dt_),
            "gbias": np.zeros(n, dt_),
            "gthr": np.zeros(n, dt_),
            "gw": 0.0,
        }
    elif kind == "expsyn":
        n, dt = mod.size_out, float(mod.dt)
        p["tau"] = _vec(mod.tau, (n,), np.float64)
        p["beta"] = np.exp(-dt / p["tau"]).astype(dt_)
        p["state"] = _vec(mod.isyn, (batches, n), dt_)
        p["carry"] = np.zeros((batches, n), dt_)
        p["acc"] = {"gb": np.zeros(n, dt_)}
    if kind in ("rate", "lif", "expsyn") and float(mod.noise_std) > 0:
        p["noise"] = float(mod.noise_std) * np.sqrt(float(mod.dt))
    ctx.prep[id(mod)] = p


def initial(mod, ctx, what: str):
    """The initial ``"state"`` or ``"carry"`` of ``mod`` (nested lists for combinators)."""
    if kind_of(mod) in ("sequential", "residual"):
        return [initial(sub, ctx, what) for sub in subs(mod)]
    return ctx.prep[id(mod)].get(what)


def _buf(ctx, mod, name: str, shape) -> np.ndarray:
    """An uninitialised work array, kept between calls when ``ctx.ws`` is a dict: a fresh
    large array costs a page fault per 4 kB on first write, more than the kernels' own work."""
    shape = tuple(shape)
    if ctx.ws is None:
        return np.empty(shape, ctx.dtype)
    key = (id(mod), name, shape)
    buf = ctx.ws.get(key)
    if buf is None:
        buf = ctx.ws[key] = np.empty(shape, ctx.dtype)
    return buf


def _noise(mod, ctx, t0, shape):
    p = ctx.prep[id(mod)]
    if "noise" not in p:
        return None
    return (p["noise"] * noise_segment(ctx.seeds[id(mod)], t0, shape)).astype(ctx.dtype)


# --------------------------------------------------------------------------------- forward
def forward(mod, x, state, ctx, t0: int, record: bool):
    """Evolve ``mod`` on the segment ``x`` (B, T, N) starting at step ``t0`` from ``state``
    (not modified). Returns ``(y, state after the segment, tape)``; the tape is ``None``
    unless ``record``."""
    p = ctx.prep.get(id(mod))
    kind = p["kind"] if p is not None else kind_of(mod)
    if kind in ("sequential", "residual"):
        tapes, states, y = [], [], x
        for sub, st in zip(subs(mod), state):
            y, st, tape = forward(sub, y, st, ctx, t0, record)
            tapes.append(tape)
            states.append(st)
        if kind == "residual":
            y = y + x
        return y, states, (tapes if record else None)
    B, T, _ = x.shape
    if kind == "linear":
        y = _buf(ctx, mod, "y", x.shape[:2] + p["w"].shape[1:])
        events = min(p["w"].shape) >= WIDE and x.dtype == ctx.dtype and x.flags.c_contiguous
        if events and _density(x) < SPARSE:  # sparse (e.g. Poisson) input: rows of its events
            parallel = ctx.parallel and x.shape[0] > 1
            (event_matmul_parallel if parallel else event_matmul)(x, p["w"], y)
        elif p["w"].shape[1] <= NARROW and x.size >= NARROW_MIN:  # a readout: one pass
            x2 = np.ascontiguousarray(x, ctx.dtype).reshape(-1, x.shape[-1])
            _narrow(
                ctx, narrow_matmul, narrow_matmul_parallel, x2, p["w_t"], y.reshape(-1, y.shape[-1])
            )
        else:
            matmul_into(x, p["w"], y)
        if p["b"] is not None:
            y += p["b"]
        return y, None, (x if record else None)
    if kind == "instant":
        y = np.asarray(mod.function(x), dtype=ctx.dtype)
        return y, None, ((x, y) if record else None)
    if kind == "rate":
        n = mod.size_out
        noise = _noise(mod, ctx, t0, (B, T, n))
        u = np.ascontiguousarray(x if noise is None else x + noise)
        xstate = state.copy()
        y, xs = _buf(ctx, mod, "y", u.shape), _buf(ctx, mod, "xs", u.shape)
        rate_train_forward(u, xstate, p["alpha"], p["bias"], p["thr"], p["w"], p["code"], y, xs)
        return y, xstate, ((state, xs, y, t0) if record else None)
    if kind == "lif":
        n, s = mod.size_out, mod.n_synapses
        v, isyn, spk = (a.copy() for a in state)
        noise = _noise(mod, ctx, t0, (B, T, n))
        if noise is None:
            noise = np.zeros((B, 0, n), ctx.dtype)
        tr = T if record else 0
        rec_v = _buf(ctx, mod, "v", (B, tr, n))
        rec_pre = _buf(ctx, mod, "pre", (B, tr, n * s))
        out = _buf(ctx, mod, "out", (B, T, n))
        kernel = lif_train_forward_parallel if (B > 1 and ctx.parallel) else lif_train_forward
        kernel(np.ascontiguousarray(x), v, isyn, spk, p["alpha"], p["beta"], p["bias"], p["thr"],
               p["w"], noise, p["max_spikes"], out, rec_v, rec_pre)  # fmt: skip
        tape = (state, (rec_v, rec_pre, out), t0) if record else None
        return out, (v, isyn, spk), tape
    if kind == "expsyn":
        isyn = state.copy()
        x = np.ascontiguousarray(x)
        y = np.empty_like(x)
        expsyn_evolve(x, isyn, p["beta"], y)
        tape = (x, state, y) if record else None
        noise = _noise(mod, ctx, t0, y.shape)
        return (y if noise is None else y + noise), isyn, tape
    raise AssertionError(kind)


# -------------------------------------------------------------------------------- backward
def backward(mod, tape, g, ctx, carry, need_gx: bool):
    """Reverse pass over one recorded segment. ``g`` (B, T, N_out) is ∂L/∂output; ``carry``
    the adjoint state after the segment. Adds parameter gradients into the module's
    accumulators; returns ``(∂L/∂input or None, carry before the segment)``."""
    p = ctx.prep.get(id(mod))
    kind = p["kind"] if p is not None else kind_of(mod)
    if kind in ("sequential", "residual"):
        mods = subs(mod)
        carries = list(carry)
        g_in = g
        for i in range(len(mods) - 1, -1, -1):
            sub_need = need_gx or kind == "residual" or i > 0
            g_in, carries[i] = backward(mods[i], tape[i], g_in, ctx, carries[i], sub_need)
        if kind == "residual":
            g_in = g_in + g
        return g_in, carries
    acc = p.get("acc")
    if kind == "linear":
        x = tape
        g2 = g.reshape(-1, g.shape[-1])
        acc["weight"] = acc["weight"] + _outer(ctx, x, g)
        if p["b"] is not None:
            acc["bias"] = acc["bias"] + g2.sum(0)
        if not need_gx:
            return None, None
        w_t = p["w_t"]
        g_x = _buf(ctx, mod, "g_x", g.shape[:2] + w_t.shape[1:])
        if g.shape[-1] <= NARROW and g_x.size >= NARROW_MIN:  # a readout's input gradient
            g2 = np.ascontiguousarray(g2, ctx.dtype)
            _narrow(
                ctx,
                narrow_matmul_t,
                narrow_matmul_t_parallel,
                g2,
                p["w_t"],
                g_x.reshape(-1, g_x.shape[-1]),
            )
            return g_x, None
        return matmul_into(g, w_t, g_x), None
    if kind == "instant":
        x, y = tape
        return g * p["deriv"](x, y), None
    if kind == "rate":
        x0, xs, y, t0 = tape
        code = p["code"]
        a0 = _activation(x0 - p["thr"], code)
        lam = carry.copy()
        g_u = _buf(ctx, mod, "g_u", xs.shape)
        g = np.ascontiguousarray(g, dtype=ctx.dtype)
        rate_train_reverse(xs, y, x0, a0, p["alpha"], p["w_t"], g, code, lam, g_u, acc["ga"], acc["gthr"])  # fmt: skip
        acc["gbias"] = acc["gbias"] + g_u.sum(axis=(0, 1))
        if mod.has_rec:  # Σ_t H(x_{t−1} − θ)ᵀ g_u_t: one matrix product
            n = xs.shape[-1]
            a_prev = np.concatenate([a0[:, None], y[:, :-1]], axis=1).reshape(-1, n)
            acc["gw"] = acc["gw"] + a_prev.T @ g_u.reshape(-1, n)
        return g_u, lam
    if kind == "lif":
        (v0, _, s0), (rec_v, rec_pre, spk), t0 = tape
        n = mod.size_out
        lam_v, lam_i, g_s = (a.copy() for a in carry)
        g_x = _buf(ctx, mod, "g_x", rec_pre.shape)
        g = np.ascontiguousarray(g, dtype=ctx.dtype)
        if ctx.surrogate == 0:  # ramp: batch elements in parallel, recurrence where needed
            B = rec_pre.shape[0]
            rows = {k: np.zeros((B,) + a.shape, ctx.dtype) for k, a in acc.items() if k != "gw"}
            ramp = lif_reverse_ramp_parallel if ctx.parallel else lif_reverse_ramp
            parts = numba.get_num_threads() if ctx.parallel else 1
            gw = np.zeros((parts,) + p["w"].shape, ctx.dtype)  # (1, 0, 0) without recurrence
            ramp(
                rec_pre, rec_v, spk, v0, s0, p["alpha"], p["beta"], p["thr"], p["w"], g,
                ctx.dtype.type(ctx.window), t0 > 0, lam_v, lam_i, g_s, g_x,
                rows["ga"], rows["gb"], rows["gbias"], rows["gthr"], gw, _group(B, ctx.parallel),
            )  # fmt: skip
            for k, r in rows.items():
                acc[k] += r.sum(0)
            if mod._has_rec:
                acc["gw"] = acc["gw"] + gw.sum(0)
        else:
            lif_reverse_segment(
                rec_pre, rec_v, spk, v0, p["alpha"], p["beta"], p["thr"], p["w_t"], g,
                ctx.surrogate, ctx.window, t0 > 0, lam_v, lam_i, g_s, g_x,
                acc["ga"], acc["gb"], acc["gbias"], acc["gthr"],
            )  # fmt: skip
            if mod._has_rec:  # Σ_t S_{t−1}ᵀ g_R_t, over the spikes only
                acc["gw"] = acc["gw"] + _outer(ctx, spk, g_x, a0=s0)
        return g_x, (lam_v, lam_i, g_s)
    if kind == "expsyn":
        x, i0, y = tape
        g = np.ascontiguousarray(g, dtype=ctx.dtype)
        lam = carry.copy()
        g_x, gb = expsyn_reverse(x, y, i0, p["beta"], g, lam)
        acc["gb"] += gb
        return g_x, lam
    raise AssertionError(kind)


GROUP = 16  # batch elements a LIF reverse sweep steps back together (they share weight rows;
# at most 63: the sweep keeps which of them are inside the surrogate's window as bits of an int64)


def _group(batches: int, parallel: bool) -> int:
    """Group size of the LIF reverse sweep: at most :data:`GROUP`, and with ``parallel`` at
    least one group per thread."""
    group = min(GROUP, 63)
    if not parallel:
        return group
    groups = max(numba.get_num_threads(), -(-batches // group))
    return max(1, -(-batches // groups))


NARROW = 16  # a Linear with at most this many outputs is a readout (kernels/narrow.py) ...
NARROW_MIN = 1 << 20  # ... with at least this many input entries (else BLAS is as fast, and
# a short run such as TW1 does not wait for the readout kernels to compile)


def _narrow(ctx, serial, parallel, a, b, out) -> None:
    """Run a :mod:`rockpool_nb.kernels.narrow` product, its rows split over the threads."""
    if ctx.parallel and a.shape[0] > 1:
        parallel(a, b, out, numba.get_num_threads())
    else:
        serial(a, b, out)


SPARSE = 0.25  # below this fraction of non-zero entries, weight gradients go by events
WIDE = 32  # ... if both sides have at least this many channels (else the product is faster)


def _density(a: np.ndarray) -> float:
    """Fraction of non-zero entries of ``a``, estimated from about 65,536 evenly spaced
    entries (it only picks the algorithm; either gives the same gradients)."""
    flat = a.reshape(-1)
    sample = flat[:: max(1, flat.size // 65536)]
    return np.count_nonzero(sample) / max(sample.size, 1)


def _outer(ctx, a, g, a0=None):
    """``Σ_{b,t} A'[b, t]ᵀ G[b, t]`` (I, K) for ``a`` (B, T, I), ``g`` (B, T, K); ``A' = A``, or
    ``A`` one step late with ``a0`` (B, I) first when ``a0`` is given. Event-driven
    (:mod:`rockpool_nb.kernels.grad_events`) when ``a`` is sparse, else one matrix product."""
    shift = a0 is not None
    a = np.ascontiguousarray(a, dtype=ctx.dtype)
    g = np.ascontiguousarray(g, dtype=ctx.dtype)
    if min(a.shape[-1], g.shape[-1]) >= WIDE and _density(a) < SPARSE:
        # (contiguous either way: one compiled signature of the kernel, not two)
        a0 = np.ascontiguousarray(a0 if shift else a[:, 0], dtype=ctx.dtype)
        shape = (a.shape[-1], g.shape[-1])
        if ctx.parallel and a.shape[0] > 1:
            parts = np.zeros((min(numba.get_num_threads(), a.shape[0]),) + shape, ctx.dtype)
            event_outer_parallel(a, a0, g, parts, shift)
            return parts.sum(0)
        out = np.zeros(shape, ctx.dtype)
        event_outer(a, a0, g, out, shift)
        return out
    if shift:
        a = np.concatenate([a0[:, None], a[:, :-1]], axis=1)
    a2, g2 = a.reshape(-1, a.shape[-1]), g.reshape(-1, g.shape[-1])
    if g2.shape[1] <= NARROW < a2.shape[1] and a2.size >= NARROW_MIN:  # a readout
        if ctx.parallel and a2.shape[0] > 1:
            parts = np.zeros((numba.get_num_threads(), g2.shape[1], a2.shape[1]), ctx.dtype)
            narrow_outer_parallel(a2, g2, parts)
            return np.ascontiguousarray(parts.sum(0).T)
        acc = np.zeros((g2.shape[1], a2.shape[1]), ctx.dtype)
        narrow_outer(a2, g2, acc)
        return np.ascontiguousarray(acc.T)
    return a2.T @ g2


def _activation(z: np.ndarray, code: int) -> np.ndarray:
    """``H(z)`` of the state before a segment (the kernels' codes)."""
    if code == 0:
        return np.maximum(z, 0.0)
    t = np.tanh(z)
    return t if code == 1 else (t + 1.0) / 2.0


# ---------------------------------------------------------------------------------- finish
def _trainable(mod) -> set:
    return {name for name, reg in mod._registry.items() if reg.kind == "Parameter"}


def finish(mod, ctx, grads: dict) -> None:
    """Write the accumulated gradients of ``mod`` into ``grads`` (shaped like its parameters)."""
    p = ctx.prep.get(id(mod))
    kind = p["kind"] if p is not None else kind_of(mod)
    if kind in ("sequential", "residual"):
        for name, sub in mod._submodules.items():
            finish(sub, ctx, grads.setdefault(name, {}))
        return
    if kind == "instant":
        return
    acc, dt = p["acc"], float(getattr(mod, "dt", 1.0))
    if kind == "linear":
        named = {"weight": acc["weight"], "bias": acc["bias"]}
    elif kind == "rate":
        tau = p["tau"]
        named = {
            "tau": np.where(tau > p["floor"], -acc["ga"] * dt / tau**2, 0.0),
            "bias": acc["gbias"],
            "threshold": acc["gthr"],
            "w_rec": acc["gw"],
        }
    elif kind == "lif":
        tm, ts = p["tau_m"], p["tau_s"]
        named = {
            "tau_mem": acc["ga"] * np.exp(-dt / tm) * dt / tm**2,
            "tau_syn": acc["gb"] * np.exp(-dt / ts) * dt / ts**2,
            "bias": acc["gbias"],
            "threshold": acc["gthr"],
            "w_rec": acc["gw"],
        }
    else:
        tau = p["tau"]
        named = {"tau": acc["gb"] * np.exp(-dt / tau) * dt / tau**2}
    for name in _trainable(mod):
        if name in named:
            grads[name] = _reduce(named[name], getattr(mod, name))
