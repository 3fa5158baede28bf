"""Training: ridge-regression readouts (streamed over batches).

Gradient training (back-propagation through time) is not implemented yet.
"""

from rockpool_nb.training.ridge import RidgeRegrTrainer as RidgeRegrTrainer
from rockpool_nb.training.ridge import train_readout as train_readout

__all__ = ["RidgeRegrTrainer", "train_readout"]
