"""Shared assertions for testing modules (ours, and users' own ``Module`` subclasses).

Each function raises ``AssertionError`` with a message naming the module and what differed.
"""

from __future__ import annotations

import copy

import numpy as np

__all__ = [
    "assert_tree_allclose",
    "assert_batch_consistent",
    "assert_state_round_trip",
    "assert_failed_set_leaves_unchanged",
    "tolerance_for",
]


def tolerance_for(dtype) -> dict:
    """``rtol``/``atol`` suited to a float dtype (float32 looser than float64)."""
    if np.dtype(dtype) == np.float32:
        return {"rtol": 1e-5, "atol": 1e-6}
    return {"rtol": 1e-10, "atol": 1e-12}


def assert_tree_allclose(actual, expected, path: str = "", **tol) -> None:
    """Compare two nested dicts of arrays leaf by leaf."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path or 'tree'}: expected a dict, got {type(actual)}"
        assert set(actual) == set(expected), (
            f"{path or 'tree'}: keys differ: {sorted(actual)} vs {sorted(expected)}"
        )
        for key in expected:
            assert_tree_allclose(actual[key], expected[key], f"{path}.{key}".lstrip("."), **tol)
        return
    if callable(expected):
        assert actual is expected, f"{path}: different callables"
        return
    np.testing.assert_allclose(
        np.asarray(actual, dtype=float), np.asarray(expected, dtype=float), err_msg=path, **tol
    )


def _snapshot(mod) -> dict:
    return copy.deepcopy(
        {"p": mod.parameters(), "s": mod.state(), "sp": _numeric(mod.simulation_parameters())}
    )


def _numeric(tree):
    if isinstance(tree, dict):
        return {k: _numeric(v) for k, v in tree.items() if not callable(v)}
    return tree


def assert_batch_consistent(mod, x_batched: np.ndarray, **tol) -> None:
    """Each batch of a batched evolution equals evolving that batch alone from the same state."""
    start = copy.deepcopy(mod.state())
    out_b, _, _ = mod(x_batched)
    for b in range(x_batched.shape[0]):
        mod.set_attributes(copy.deepcopy(start))
        out_1, _, _ = mod(x_batched[b])
        np.testing.assert_allclose(
            np.asarray(out_b)[b],
            np.asarray(out_1).reshape(np.asarray(out_b)[b].shape),
            err_msg=f"{mod.full_name.strip()}: batch {b} differs from a lone evolution",
            **(tol or tolerance_for(np.asarray(out_b).dtype)),
        )


def assert_state_round_trip(mod, x: np.ndarray) -> None:
    """Evolving, resetting and restoring ``new_state`` continues exactly where it stopped."""
    first, new_state, _ = mod(x)
    cont, _, _ = mod(x)
    mod.reset_state()
    mod(x)
    mod.set_attributes(copy.deepcopy(new_state))
    again, _, _ = mod(x)
    np.testing.assert_allclose(
        again, cont, err_msg=f"{mod.full_name.strip()}: restored state did not reproduce output"
    )


def assert_failed_set_leaves_unchanged(mod) -> None:
    """``set_attributes`` with one bad entry raises and changes nothing."""
    before = _snapshot(mod)
    params = mod.parameters()
    bad = _corrupt_last_leaf(copy.deepcopy(params))
    try:
        mod.set_attributes(bad)
    except (ValueError, TypeError, KeyError):
        pass
    else:
        raise AssertionError(f"{mod.full_name.strip()}: a wrongly shaped value was accepted")
    after = _snapshot(mod)
    assert_tree_allclose(after, before, "after failed set_attributes")


def _corrupt_last_leaf(tree: dict) -> dict:
    """Replace the last array leaf of a nested dict with one of a wrong shape."""
    keys = list(tree)
    for i, key in enumerate(reversed(keys)):
        value = tree[key]
        if isinstance(value, dict):
            if value:
                tree[key] = _corrupt_last_leaf(value)
                return tree
            continue
        tree[key] = np.zeros(np.shape(value) + (2, 3))
        # scale every earlier leaf so a half-applied update would show
        for other in keys[: len(keys) - 1 - i]:
            if not isinstance(tree[other], dict):
                tree[other] = np.asarray(tree[other]) * 0.5 + 1.0
        return tree
    raise AssertionError("module has no parameters to corrupt")
