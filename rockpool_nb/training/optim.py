"""Optimisers over parameter trees: ``Adam`` and ``SGD``."""

from __future__ import annotations

import numpy as np

from rockpool_nb.training.tree import tree_map, tree_zeros_like

__all__ = ["Adam", "SGD"]


class SGD:
    """``p ← p − lr·g``."""

    def __init__(self, lr: float = 1e-3):
        if not lr > 0:
            raise ValueError(f"lr: expected a positive learning rate; got {lr!r}")
        self.lr = float(lr)

    def step(self, params: dict, grads: dict) -> dict:
        return tree_map(lambda p, g: np.asarray(p) - self.lr * np.asarray(g), params, grads)


class Adam:
    """Adam (Kingma & Ba) with bias correction: ``m ← β1 m + (1−β1) g``, ``v ← β2 v + (1−β2) g²``,
    ``p ← p − lr · m̂ / (√v̂ + eps)``; the defaults are JAX's ``example_libraries.optimizers``."""

    def __init__(self, lr: float = 1e-3, b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8):
        if not lr > 0:
            raise ValueError(f"lr: expected a positive learning rate; got {lr!r}")
        self.lr, self.b1, self.b2, self.eps = float(lr), float(b1), float(b2), float(eps)
        self.m = self.v = None
        self.t = 0

    def step(self, params: dict, grads: dict) -> dict:
        if self.m is None:
            self.m, self.v = tree_zeros_like(params), tree_zeros_like(params)
        self.t += 1
        b1, b2, t = self.b1, self.b2, self.t
        self.m = tree_map(lambda m, g: b1 * m + (1 - b1) * np.asarray(g), self.m, grads)
        self.v = tree_map(lambda v, g: b2 * v + (1 - b2) * np.asarray(g) ** 2, self.v, grads)
        c1, c2 = 1 - b1**t, 1 - b2**t
        return tree_map(
            lambda p, m, v: np.asarray(p) - self.lr * (m / c1) / (np.sqrt(v / c2) + self.eps),
            params,
            self.m,
            self.v,
        )
