"""Modules: the ``Module`` base class, neuron and weight layers, and the timed wrapper."""

from rockpool_nb.nn.modules.module import Module as Module
from rockpool_nb.nn.modules.module import ModuleBase as ModuleBase
from rockpool_nb.nn.modules.timed_module import TimedModule as TimedModule
from rockpool_nb.nn.modules.timed_module import TimedModuleWrapper as TimedModuleWrapper
from rockpool_nb.nn.modules.timed_module import astimedmodule as astimedmodule

__all__ = ["Module", "ModuleBase", "TimedModule", "TimedModuleWrapper", "astimedmodule"]
