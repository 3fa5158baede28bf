"""Nested-dict parameter trees (the shape of ``net.parameters()``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

__all__ = ["tree_map", "tree_leaves", "tree_items", "tree_zeros_like"]


def tree_items(tree: dict, prefix: str = "") -> Iterator[tuple[str, np.ndarray]]:
    """``(dotted name, leaf)`` pairs in order."""
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from tree_items(value, name + ".")
        else:
            yield name, value


def tree_leaves(tree: dict) -> list:
    return [v for _, v in tree_items(tree)]


def tree_map(fn: Callable, tree: dict, *others: dict) -> dict:
    """Apply ``fn`` leaf by leaf over trees of the same structure."""
    out = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            out[key] = tree_map(fn, value, *(o[key] for o in others))
        else:
            out[key] = fn(value, *(o[key] for o in others))
    return out


def tree_zeros_like(tree: dict) -> dict:
    return tree_map(lambda v: np.zeros_like(np.asarray(v, dtype=float)), tree)
