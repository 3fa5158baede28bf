"""``Linear``: a weight matrix (and optional bias), ``y = x @ W + b``."""

from __future__ import annotations

import numpy as np

from rockpool_nb.kernels.linear import matmul
from rockpool_nb.nn.modules._shapes import neuron_shape
from rockpool_nb.nn.modules.initialisers import kaiming, uniform_sqrt
from rockpool_nb.nn.modules.module import Module
from rockpool_nb.parameters import Parameter, conform

__all__ = ["Linear"]


class Linear(Module):
    """Weights from ``Nin`` inputs to ``Nout`` outputs.

    Input ``(..., T, Nin)`` gives output ``(..., T, Nout)``: the rank is kept (no batching).
    Sparse spike input is multiplied event by event.

    Parameters
    ----------
    shape : (int, int)
        ``(Nin, Nout)``.
    weight : array (Nin, Nout), optional
        Concrete weights (family ``"weights"``); else ``weight_init_func(shape)``.
    bias : array (Nout,), optional
        Concrete bias (family ``"biases"``); a bias exists only if given or ``has_bias``.
    has_bias : bool
        Add a trainable bias.
    weight_init_func, bias_init_func : callable
        ``f(shape) -> array`` initialisers (Kaiming uniform; uniform ±√(1/Nout)).
    """

    def __init__(
        self,
        shape,
        weight=None,
        bias=None,
        has_bias: bool = False,
        weight_init_func=kaiming,
        bias_init_func=uniform_sqrt,
        spiking_input: bool = False,
        spiking_output: bool = False,
    ):
        shape = neuron_shape(shape, "Linear")
        if len(shape) != 2:
            raise ValueError(f"Linear: shape must be (Nin, Nout); got {shape}")
        cls = type(self).__name__
        super().__init__(shape=shape, spiking_input=spiking_input, spiking_output=spiking_output)
        self.weight = Parameter(
            conform(weight, shape, what=f"{cls}.weight"),
            "weights",
            init_func=weight_init_func,
            shape=shape,
        )
        if has_bias or bias is not None:
            self.bias = Parameter(
                conform(bias, [(shape[1],)], what=f"{cls}.bias"),
                "biases",
                init_func=bias_init_func,
                shape=[(shape[1],)],
            )
        else:
            self.bias = 0

    def evolve(self, input_data, record: bool = False):
        """``y = x @ W + b`` on ``(T, Nin)`` or ``(B, T, Nin)``; state and record are ``{}``."""
        x = np.asarray(
            input_data.detach().cpu().numpy() if hasattr(input_data, "detach") else input_data
        )
        if x.shape[-1] != self.size_in:
            raise ValueError(
                f"Input has wrong neuron dimension. It is {x.shape[-1]}, must be {self.size_in}"
            )
        weight = np.asarray(self.weight)
        if x.dtype == np.float32:
            weight = weight.astype(np.float32)
        elif x.dtype != np.float64:
            x = x.astype(np.float64)
        out = matmul(x, weight)
        if not (np.isscalar(self.bias) and self.bias == 0):
            out = out + np.asarray(self.bias, dtype=out.dtype)
        return out, {}, {}
