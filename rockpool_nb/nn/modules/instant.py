"""``Instant``: an instantaneous function ``y = f(x)`` applied element-wise, no state."""

from __future__ import annotations

from rockpool_nb.nn.modules._shapes import neuron_shape
from rockpool_nb.nn.modules.module import Module
from rockpool_nb.parameters import SimulationParameter

__all__ = ["Instant"]


def identity(x):
    """``f(x) = x``."""
    return x


class Instant(Module):
    """Apply ``function`` to the input at every step.

    Parameters
    ----------
    shape : int or tuple
        Number of channels (input = output size).
    function : callable
        ``f(x) -> y`` on ``(B, T, N)`` arrays (default: identity).
    """

    def __init__(
        self,
        shape=None,
        function=identity,
        spiking_input: bool = False,
        spiking_output: bool = False,
    ):
        if shape is None:
            raise ValueError("Instant: shape must be given (the number of channels); got None")
        shape = neuron_shape(shape, "Instant")
        super().__init__(shape=shape, spiking_input=spiking_input, spiking_output=spiking_output)
        if not callable(function):
            raise TypeError(f"Instant: function must be callable; got {type(function).__name__}")
        self.function = SimulationParameter(function)

    def evolve(self, input_data, record: bool = False):
        """``y = f(x)`` on the batched input ``(B, T, N)``."""
        x, _ = self._auto_batch(input_data)
        return self.function(x), {}, {}
