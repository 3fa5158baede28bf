"""Invariants every library module keeps (state round trips, batches, atomic updates)."""

import numpy as np
import pytest

from rockpool_nb.nn import modules as M
from rockpool_nb.nn.combinators import Residual, Sequential
from rockpool_nb.testing import (
    assert_batch_consistent,
    assert_failed_set_leaves_unchanged,
    assert_state_round_trip,
)

FACTORIES = {
    "Linear": lambda: M.Linear((3, 4)),
    "Rate": lambda: M.Rate(3, has_rec=True, activation_func="tanh"),
    "LIF": lambda: M.LIF(3, has_rec=True, bias=0.5),
    "LIF2syn": lambda: M.LIF((6, 3)),
    "ExpSyn": lambda: M.ExpSyn(3),
    "RateJax": lambda: M.RateJax(3),
    "LIFJax": lambda: M.LIFJax(3, bias=0.5),
    "LIFTorch": lambda: M.LIFTorch(3, bias=0.5),
    "ExpSynTorch": lambda: M.ExpSynTorch(3),
    "Sequential": lambda: Sequential(M.Linear((3, 5)), M.LIF(5), M.Linear((5, 3))),
    "Residual": lambda: Residual(M.Linear((3, 3)), M.Rate(3)),
}


@pytest.fixture(params=sorted(FACTORIES))
def module(request):
    return FACTORIES[request.param]()


def data(mod, batches=3, steps=25):
    return np.random.default_rng(0).random((batches, steps, mod.size_in)) * 1.5


def test_batches_equal_lone_runs(module):
    assert_batch_consistent(module, data(module), rtol=1e-5, atol=1e-6)


def test_state_round_trip(module):
    assert_state_round_trip(module, data(module, 1)[0])


def test_failed_set_attributes_changes_nothing(module):
    assert_failed_set_leaves_unchanged(module)


def test_reset_state_zeroes(module):
    module(data(module, 1)[0])
    module.reset_state()
    for leaf in _leaves(module.state()):
        assert not np.any(leaf)


def test_printing_names_class(module):
    assert repr(module).startswith(module.class_name)


def _leaves(tree):
    for value in tree.values():
        if isinstance(value, dict):
            yield from _leaves(value)
        else:
            yield np.asarray(value)
