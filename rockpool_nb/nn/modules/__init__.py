"""Modules: the ``Module`` base class, neuron and weight layers, and the timed wrapper."""

from rockpool_nb.nn.modules.activations import H_ReLU as H_ReLU
from rockpool_nb.nn.modules.activations import H_sigmoid as H_sigmoid
from rockpool_nb.nn.modules.activations import H_tanh as H_tanh
from rockpool_nb.nn.modules.backend_aliases import ExpSynJax as ExpSynJax
from rockpool_nb.nn.modules.backend_aliases import ExpSynTorch as ExpSynTorch
from rockpool_nb.nn.modules.backend_aliases import InstantJax as InstantJax
from rockpool_nb.nn.modules.backend_aliases import InstantTorch as InstantTorch
from rockpool_nb.nn.modules.backend_aliases import LIFJax as LIFJax
from rockpool_nb.nn.modules.backend_aliases import LIFTorch as LIFTorch
from rockpool_nb.nn.modules.backend_aliases import LinearJax as LinearJax
from rockpool_nb.nn.modules.backend_aliases import LinearTorch as LinearTorch
from rockpool_nb.nn.modules.backend_aliases import RateJax as RateJax
from rockpool_nb.nn.modules.backend_aliases import RateTorch as RateTorch
from rockpool_nb.nn.modules.expsyn import ExpSyn as ExpSyn
from rockpool_nb.nn.modules.initialisers import kaiming as kaiming
from rockpool_nb.nn.modules.initialisers import uniform_sqrt as uniform_sqrt
from rockpool_nb.nn.modules.initialisers import unit_eigs as unit_eigs
from rockpool_nb.nn.modules.initialisers import xavier as xavier
from rockpool_nb.nn.modules.instant import Instant as Instant
from rockpool_nb.nn.modules.lif import LIF as LIF
from rockpool_nb.nn.modules.linear import Linear as Linear
from rockpool_nb.nn.modules.module import Module as Module
from rockpool_nb.nn.modules.module import ModuleBase as ModuleBase
from rockpool_nb.nn.modules.rate import Rate as Rate
from rockpool_nb.nn.modules.timed_module import TimedModule as TimedModule
from rockpool_nb.nn.modules.timed_module import TimedModuleWrapper as TimedModuleWrapper
from rockpool_nb.nn.modules.timed_module import astimedmodule as astimedmodule
from rockpool_nb.nn.modules.updown import UpDown as UpDown

__all__ = [
    "Module",
    "ModuleBase",
    "TimedModule",
    "TimedModuleWrapper",
    "astimedmodule",
    "Linear",
    "Instant",
    "Rate",
    "LIF",
    "UpDown",
    "ExpSyn",
    "RateJax",
    "LinearJax",
    "LIFJax",
    "ExpSynJax",
    "InstantJax",
    "RateTorch",
    "LinearTorch",
    "LIFTorch",
    "ExpSynTorch",
    "InstantTorch",
    "H_ReLU",
    "H_tanh",
    "H_sigmoid",
    "kaiming",
    "xavier",
    "unit_eigs",
    "uniform_sqrt",
]
