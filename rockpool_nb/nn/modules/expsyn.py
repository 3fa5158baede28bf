"""``ExpSyn``: exponential synapses filtering (spiking) input."""

from __future__ import annotations

import numpy as np

from rockpool_nb.kernels._jit import compute_dtype
from rockpool_nb.kernels.expsyn import expsyn_evolve
from rockpool_nb.nn.modules._shapes import neuron_shape, per_neuron
from rockpool_nb.nn.modules.initialisers import as_generator
from rockpool_nb.nn.modules.module import Module
from rockpool_nb.parameters import Parameter, SimulationParameter, State, conform

__all__ = ["ExpSyn"]


class ExpSyn(Module):
    """Exponential synapses: ``I_t = (I_{t−1} + x_t)·e^{−dt/τ}``, output ``I_t``.

    Computed as an exact per-step recursion (Rockpool truncates its FFT kernel after 10 τ).

    Parameters
    ----------
    shape : int
        Number of synapses (input = output size).
    tau : float or (N,) array, seconds
        Time constants (family ``"taus"``, default 10 ms).
    noise_std : float
        White noise added to the output, per √second.
    dt : float, seconds
        Time step (default 1 ms).
    max_window_length : float
        Kept for compatibility (Rockpool's FFT window); unused.
    rng : int or numpy.random.Generator, optional
        Seed or generator of this module's noise.
    """

    def __init__(
        self,
        shape,
        tau=None,
        noise_std: float = 0.0,
        dt: float = 1e-3,
        max_window_length: float = 1e6,
        spiking_input: bool = True,
        spiking_output: bool = False,
        *,
        rng=None,
    ):
        shape = neuron_shape(shape, type(self).__name__)
        if len(shape) != 1:
            raise ValueError(
                f"{type(self).__name__}: shape must be one-dimensional (N,); got {shape}"
            )
        cls = type(self).__name__
        super().__init__(shape=shape, spiking_input=spiking_input, spiking_output=spiking_output)
        n = shape[0]
        self.dt = SimulationParameter(dt)
        self.max_window_length = SimulationParameter(max_window_length)
        self.noise_std = SimulationParameter(noise_std)
        self.tau = Parameter(
            conform(tau, [(n,), ()], what=f"{cls}.tau"),
            "taus",
            init_func=lambda s: np.full(s, 10e-3),
            shape=[(n,), ()],
        )
        self.isyn = State(shape=(n,), init_func=np.zeros)
        self._rng = as_generator(rng)

    def evolve(self, input_data, record: bool = False):
        """Filter ``(T, N)`` or ``(B, T, N)`` input; record is ``{}``."""
        x, (isyn,) = self._auto_batch(input_data, (self.isyn,))
        dtype = compute_dtype(x)
        x = np.ascontiguousarray(x, dtype=dtype)
        n = self.size_out
        beta = np.exp(-float(self.dt) / per_neuron(self.tau, (n,), np.float64)).astype(dtype)
        isyn = np.ascontiguousarray(isyn, dtype=dtype)
        out = np.empty_like(x)
        expsyn_evolve(x, isyn, beta, out)
        self.isyn = np.array(isyn[0], dtype=np.float64)
        if self.noise_std > 0:
            out = out + (
                self.noise_std * np.sqrt(float(self.dt)) * self._rng.standard_normal(out.shape)
            ).astype(dtype)
        return out, self.state(), {}
