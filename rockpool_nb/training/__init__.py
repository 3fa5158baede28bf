"""Training: ridge-regression readouts and back-propagation through time (numba reverse kernels).

- :class:`RidgeRegrTrainer`, :func:`train_readout`: linear readouts, streamed over batches.
- :func:`value_and_grad`: loss and gradients of every trainable parameter, by BPTT with surrogate
  spike derivatives; :func:`fit` trains with :class:`Adam` or :class:`SGD`.
- :mod:`rockpool_nb.training.losses`: losses and regularisers with their gradients.
"""

from rockpool_nb.training import losses as losses
from rockpool_nb.training.gradients import fit as fit
from rockpool_nb.training.gradients import value_and_grad as value_and_grad
from rockpool_nb.training.optim import SGD as SGD
from rockpool_nb.training.optim import Adam as Adam
from rockpool_nb.training.ridge import RidgeRegrTrainer as RidgeRegrTrainer
from rockpool_nb.training.ridge import train_readout as train_readout

__all__ = ["RidgeRegrTrainer", "train_readout", "value_and_grad", "fit", "Adam", "SGD", "losses"]
