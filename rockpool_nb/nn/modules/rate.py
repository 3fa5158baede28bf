"""``Rate``: non-spiking rate neurons with optional recurrence (forward Euler)."""

from __future__ import annotations

import numpy as np

from rockpool_nb.kernels._jit import compute_dtype, step_split_cores
from rockpool_nb.kernels.rate import rate_evolve, rate_evolve_split, split_columns
from rockpool_nb.kernels.rate_callable import rate_evolve_callable
from rockpool_nb.nn.modules._shapes import neuron_shape, per_neuron
from rockpool_nb.nn.modules.activations import H_ReLU, compile_activation, resolve_activation
from rockpool_nb.nn.modules.initialisers import as_generator, unit_eigs
from rockpool_nb.nn.modules.module import Module
from rockpool_nb.parameters import Parameter, SimulationParameter, State, conform

__all__ = ["Rate"]

# with step splitting on (kernels._jit.set_step_splitting; off by default, as it slows down badly
# when another process shares the cores), recurrent layers from this size on split their neurons
# over the CPUs at each step (below it,
# the per-step synchronisation of the threads costs more than the halved product saves).
# Measured on 2 cores, steps/s serial -> split: N = 256 f64 195k -> 48k; N = 384 f64 73k -> 114k,
# f32 168k -> 160k; N = 512 f64 50k -> 67k, f32 84k -> 107k; N = 1000 f64 13k -> 20k (idle).
SPLIT_MIN_N = 512


class Rate(Module):
    """Rate neurons ``τ dx/dt = −x + u + b + H(x, θ)·W_rec``, output ``y = H(x, θ)``.

    Discretised with forward Euler, ``α = dt / max(τ, 10·dt)``::

        x_t = x_{t-1} + α·(−x_{t-1} + u_t + σ√dt·ξ_t + b + H(x_{t-1}, θ)·W_rec)

    Parameters
    ----------
    shape : int or (N, N)
        Number of neurons.
    tau : float or (N,) array, seconds
        Time constants (family ``"taus"``, default 20 ms).
    bias : float or (N,) array
        Bias input (family ``"bias"``, default 0).
    threshold : float or (N,) array
        Activation threshold θ (family ``"thresholds"``, default 0).
    w_rec : (N, N) array, optional
        Recurrent weights (family ``"weights"``), only with ``has_rec``.
    weight_init_func : callable
        Initialiser of ``w_rec`` (default: normal / √N).
    has_rec : bool
        Recurrent connections.
    activation_func : callable or str
        ``H(x, threshold)``: ``"relu"``, ``"tanh"``, ``"sigmoid"`` or any Python callable. The
        built-ins run in the numba kernel; another callable runs in a numba kernel when
        :func:`~rockpool_nb.nn.modules.activations.compile_activation` accepts it, otherwise
        in a slower NumPy loop over time steps (same answer).
    dt : float, seconds
        Time step (default 1 ms).
    noise_std : float
        Standard deviation of white noise added to the input, per √second.
    rng : int or numpy.random.Generator, optional
        Seed or generator of this module's noise.
    """

    _tau_floor = 10.0  # τ is clipped below at this many dt

    def __init__(
        self,
        shape,
        tau=None,
        bias=None,
        threshold=None,
        w_rec=None,
        weight_init_func=unit_eigs,
        has_rec: bool = False,
        activation_func=H_ReLU,
        dt: float = 1e-3,
        noise_std: float = 0.0,
        *,
        rng=None,
    ):
        shape = neuron_shape(shape, type(self).__name__)
        if shape[0] != shape[-1]:
            raise ValueError(
                f"{type(self).__name__}: input and output sizes must be equal; got {shape}"
            )
        if w_rec is not None and not has_rec:
            raise ValueError(f"{type(self).__name__}: w_rec given but has_rec is False")
        cls = type(self).__name__
        super().__init__(shape=shape)
        n = self.size_out
        self.x = State(shape=(n,), init_func=np.zeros)
        if has_rec:
            self.w_rec = Parameter(
                conform(w_rec, (n, n), what=f"{cls}.w_rec"),
                "weights",
                init_func=weight_init_func,
                shape=(n, n),
            )
        self.tau = Parameter(
            conform(tau, [(n,), ()], what=f"{cls}.tau"),
            "taus",
            init_func=lambda s: np.full(s, 20e-3),
            shape=[(n,), ()],
        )
        self.bias = Parameter(
            conform(bias, [(n,), ()], what=f"{cls}.bias"),
            "bias",
            init_func=np.zeros,
            shape=[(n,), ()],
        )
        self.threshold = Parameter(
            conform(threshold, [(n,), ()], what=f"{cls}.threshold"),
            "thresholds",
            init_func=np.zeros,
            shape=[(n,), ()],
        )
        self.dt = SimulationParameter(dt)
        self.noise_std = SimulationParameter(noise_std)
        fn, _ = resolve_activation(activation_func)
        self.act_fn = SimulationParameter(fn)
        self._rng = as_generator(rng)

    @property
    def has_rec(self) -> bool:
        return "w_rec" in self._registry

    def evolve(self, input_data, record: bool = False):
        """Evolve on ``(T, N)`` or ``(B, T, N)`` input; record ``rec_input`` and ``x``."""
        u, (x,) = self._auto_batch(input_data, (self.x,))
        dtype = compute_dtype(u)
        u = np.array(u, dtype=dtype)
        batches, steps, n = u.shape
        dt = float(self.dt)
        if self.noise_std > 0:
            u += (self.noise_std * np.sqrt(dt) * self._rng.standard_normal(u.shape)).astype(dtype)
        tau = per_neuron(self.tau, (n,), dtype)
        alpha = (dt / np.maximum(tau, self._tau_floor * dt)).astype(dtype)
        bias = per_neuron(self.bias, (n,), dtype)
        thr = per_neuron(self.threshold, (n,), dtype)
        w = (
            np.ascontiguousarray(self.w_rec, dtype=dtype)
            if self.has_rec
            else np.zeros((0, 0), dtype)
        )
        x = np.ascontiguousarray(x, dtype=dtype)
        fn, code = resolve_activation(self.act_fn)
        t_rec = steps if record else 0
        rec_x = np.zeros((batches, t_rec, n), dtype)
        rec_r = np.zeros((batches, t_rec, n), dtype)
        out = np.empty_like(u)
        if code >= 0:
            cores = step_split_cores() if self.has_rec and n >= SPLIT_MIN_N else 1
            if cores > 1:
                wb, edges = split_columns(w, cores)
                rate_evolve_split(u, x, alpha, bias, thr, wb, edges, code, out, rec_x, rec_r)
            else:
                rate_evolve(u, x, alpha, bias, thr, w, code, out, rec_x, rec_r)
        elif (act := compile_activation(fn, dtype)) is not None:
            rate_evolve_callable(u, x, alpha, bias, thr, w, act, out, rec_x, rec_r)
        else:
            self._evolve_python(fn, u, x, alpha, bias, thr, w, out, rec_x, rec_r)
        self.x = np.array(x[0], dtype=np.float64)
        rec = {"rec_input": rec_r, "x": rec_x} if record else {}
        return out, self.state(), rec

    @staticmethod
    def _evolve_python(fn, u, x, alpha, bias, thr, w, out, rec_x, rec_r):
        """The same update for an arbitrary Python activation (vectorised over neurons)."""
        record = rec_x.shape[1] > 0
        a = fn(x, thr)
        for t in range(u.shape[1]):
            r = a @ w if w.shape[0] else np.zeros_like(x)
            x += alpha * (-x + u[:, t] + bias + r)
            a = fn(x, thr)
            out[:, t] = a
            if record:
                rec_x[:, t] = x
                rec_r[:, t] = r
