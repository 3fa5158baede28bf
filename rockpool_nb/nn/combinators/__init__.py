"""Combinators that compose modules into networks."""

from rockpool_nb.nn.combinators.residual import ModResidual as ModResidual
from rockpool_nb.nn.combinators.residual import Residual as Residual
from rockpool_nb.nn.combinators.sequential import ModSequential as ModSequential
from rockpool_nb.nn.combinators.sequential import Sequential as Sequential
from rockpool_nb.nn.combinators.sequential import SequentialMixin as SequentialMixin

__all__ = ["Sequential", "Residual", "ModSequential", "ModResidual", "SequentialMixin"]
