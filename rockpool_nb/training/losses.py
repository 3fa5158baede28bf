"""Losses and parameter regularisers, each with its value and its gradient.

A loss is an object with ``value(output, target) -> float`` and ``grad(output, target) ->
array`` (same shape as ``output``); a regulariser has ``value(params) -> float`` and
``grad(params) -> tree`` over the parameter tree. Write your own with both methods.
"""

from __future__ import annotations

import numpy as np

from rockpool_nb.training.tree import tree_items, tree_map

__all__ = [
    "Loss",
    "mse",
    "MSE",
    "SoftmaxCrossEntropy",
    "SpikeCount",
    "FiringRate",
    "L2",
    "Bounds",
]


def _shapes(output, target):
    o, t = np.asarray(output, dtype=float), np.asarray(target, dtype=float)
    if o.ndim == 3 and t.ndim == 2 and o.shape[0] == 1:
        t = t[None]
    if o.shape != t.shape:
        raise ValueError(f"target: expected shape {o.shape} (the output's); got {np.shape(target)}")
    return o, t


class Loss:
    """Base class: ``value`` and ``grad`` with respect to the network output."""

    def value(self, output, target) -> float:
        raise NotImplementedError

    def grad(self, output, target) -> np.ndarray:
        raise NotImplementedError

    def __call__(self, output, target) -> float:
        return self.value(output, target)


class MSE(Loss):
    """Mean over every element (batches × time × channels) of ``(output − target)²``."""

    def value(self, output, target):
        o, t = _shapes(output, target)
        return float(np.mean((o - t) ** 2))

    def grad(self, output, target):
        o, t = _shapes(output, target)
        return 2.0 * (o - t) / o.size


mse = MSE()


class SoftmaxCrossEntropy(Loss):
    """Cross-entropy of ``softmax(Σ_t output)`` per batch element against integer class labels
    ``target`` (B,) (or one-hot (B, N)); mean over the batch."""

    def _prep(self, output, target):
        o = np.asarray(output, dtype=float)
        if o.ndim == 2:
            o = o[None]
        z = o.sum(axis=1)
        z = z - z.max(axis=1, keepdims=True)
        p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        t = np.asarray(target)
        if t.ndim == 1 or t.ndim == 0:
            labels = np.atleast_1d(t).astype(int)
            if labels.shape[0] != o.shape[0] or labels.min() < 0 or labels.max() >= o.shape[2]:
                raise ValueError(
                    f"target: expected {o.shape[0]} class labels in [0, {o.shape[2]}); got {t!r}"
                )
            onehot = np.eye(o.shape[2])[labels]
        else:
            onehot = np.asarray(t, dtype=float)
            if onehot.shape != (o.shape[0], o.shape[2]):
                raise ValueError(
                    f"target: expected shape {(o.shape[0], o.shape[2])}; got {onehot.shape}"
                )
        return o, p, onehot

    def value(self, output, target):
        _, p, y = self._prep(output, target)
        return float(-np.mean(np.sum(y * np.log(p + 1e-300), axis=1)))

    def grad(self, output, target):
        o, p, y = self._prep(output, target)
        g = (p - y) / o.shape[0]
        g = np.broadcast_to(g[:, None, :], o.shape).copy()
        return g if np.ndim(output) == 3 else g[0]


class SpikeCount(Loss):
    """Mean squared difference between the spike count per neuron (summed over time) and
    ``target`` counts (B, N) or (N,)."""

    def value(self, output, target):
        o = np.asarray(output, float)
        c = o.sum(axis=-2)
        t = np.broadcast_to(np.asarray(target, float), c.shape)
        return float(np.mean((c - t) ** 2))

    def grad(self, output, target):
        o = np.asarray(output, float)
        c = o.sum(axis=-2)
        t = np.broadcast_to(np.asarray(target, float), c.shape)
        g = 2.0 * (c - t) / c.size
        return np.broadcast_to(np.expand_dims(g, -2), o.shape).copy()


class FiringRate(SpikeCount):
    """Mean squared difference between firing rates (Hz) and ``target`` rates, ``dt`` seconds."""

    def __init__(self, dt: float):
        if not dt > 0:
            raise ValueError(f"dt: expected a positive time step in seconds; got {dt!r}")
        self.dt = float(dt)

    def value(self, output, target):
        o = np.asarray(output, float)
        dur = o.shape[-2] * self.dt
        r = o.sum(axis=-2) / dur
        t = np.broadcast_to(np.asarray(target, float), r.shape)
        return float(np.mean((r - t) ** 2))

    def grad(self, output, target):
        o = np.asarray(output, float)
        dur = o.shape[-2] * self.dt
        r = o.sum(axis=-2) / dur
        t = np.broadcast_to(np.asarray(target, float), r.shape)
        g = 2.0 * (r - t) / r.size / dur
        return np.broadcast_to(np.expand_dims(g, -2), o.shape).copy()


def _select(params: dict, family_of: dict | None, names) -> list[str]:
    keys = [k for k, _ in tree_items(params)]
    if names is None:
        return keys
    return [k for k in keys if k.split(".")[-1] in names]


class L2:
    """``weight · mean over the chosen leaves of mean(p²)`` (each leaf counts equally, as
    Rockpool's ``l2sqr_norm``). ``names``: attribute names to include (default: all)."""

    def __init__(self, weight: float = 1.0, names=None):
        self.weight, self.names = float(weight), None if names is None else set(names)

    def _leaves(self, params):
        return [
            k for k, _ in tree_items(params) if self.names is None or k.split(".")[-1] in self.names
        ]

    def value(self, params) -> float:
        keys = self._leaves(params)
        leaves = dict(tree_items(params))
        if not keys:
            return 0.0
        return self.weight * float(
            np.mean([np.mean(np.asarray(leaves[k], float) ** 2) for k in keys])
        )

    def grad(self, params) -> dict:
        keys = set(self._leaves(params))
        count = max(len(keys), 1)

        def g(path, p):
            p = np.asarray(p, float)
            return self.weight * 2.0 * p / p.size / count if path in keys else np.zeros_like(p)

        return _map_with_path(g, params)


class Bounds:
    """Exponential penalty outside bounds, ``weight · Σ [p < lo]·exp(lo − p) + [p > hi]·exp(p −
    hi)``: e.g. ``Bounds({"tau": 11e-3}, None)`` keeps every ``tau`` above 11 ms. Bounds map
    attribute names to a lower (or upper) limit."""

    def __init__(self, lower: dict | None = None, upper: dict | None = None, weight: float = 1.0):
        self.lower, self.upper, self.weight = dict(lower or {}), dict(upper or {}), float(weight)

    def value(self, params) -> float:
        total = 0.0
        for path, p in tree_items(params):
            name = path.split(".")[-1]
            p = np.asarray(p, float)
            if name in self.lower:
                lo = self.lower[name]
                total += float(np.sum(np.where(p < lo, np.exp(lo - p), 0.0)))
            if name in self.upper:
                hi = self.upper[name]
                total += float(np.sum(np.where(p > hi, np.exp(p - hi), 0.0)))
        return self.weight * total

    def grad(self, params) -> dict:
        def g(path, p):
            name = path.split(".")[-1]
            p = np.asarray(p, float)
            out = np.zeros_like(p)
            if name in self.lower:
                lo = self.lower[name]
                out -= np.where(p < lo, np.exp(lo - p), 0.0)
            if name in self.upper:
                hi = self.upper[name]
                out += np.where(p > hi, np.exp(p - hi), 0.0)
            return self.weight * out

        return _map_with_path(g, params)


def _map_with_path(fn, tree, prefix=""):
    out = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        out[key] = (
            _map_with_path(fn, value, path + ".") if isinstance(value, dict) else fn(path, value)
        )
    return out


_ = tree_map  # re-exported helper for users writing regularisers
