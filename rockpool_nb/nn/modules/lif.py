"""``LIF``: current-based leaky integrate-and-fire neurons with exponential synapses."""

from __future__ import annotations

import numpy as np

from rockpool_nb.kernels._jit import compute_dtype, parallel_cores
from rockpool_nb.kernels.lif import lif_evolve, lif_evolve_batches, lif_evolve_one
from rockpool_nb.nn.modules._shapes import neuron_shape, per_neuron
from rockpool_nb.nn.modules.initialisers import as_generator, kaiming
from rockpool_nb.nn.modules.module import Module
from rockpool_nb.parameters import Parameter, SimulationParameter, State, conform

__all__ = ["LIF"]


class LIF(Module):
    """Leaky integrate-and-fire neurons with ``S`` exponential synapses each.

    Per step (``α = e^{−dt/τ_mem}``, ``β = e^{−dt/τ_syn}``; see :mod:`rockpool_nb.kernels.lif`)::

        I_syn ← β·(I_syn + x_t + S_{t−1}·W_rec)
        V     ← α·V + Σ_s I_syn + b + σ√dt·ξ_t
        S_t   = min(⌊V/θ⌋, max_spikes) where V ≥ θ;  V ← V − S_t·θ

    Parameters
    ----------
    shape : int or (Nin, N)
        ``N`` neurons; ``(Nin, N)`` with ``Nin = S·N`` gives ``S`` synapses per neuron (input
        channel ``n·S + s`` feeds synapse ``s`` of neuron ``n``). A feed-forward layer is
        ``Linear((Nin, N))`` followed by ``LIF(N)``.
    tau_mem : float or (N,) array, seconds
        Membrane time constants (family ``"taus"``, default 20 ms).
    tau_syn : float, (N,), (N, S) or (1, S) array, seconds
        Synaptic time constants (family ``"taus"``, default 20 ms).
    bias : float or (N,) array
        Constant input current (family ``"bias"``, default 0).
    w_rec : (N, Nin) array, optional
        Recurrent weights (family ``"weights"``), only with ``has_rec``.
    has_rec : bool
        Recurrent connections; spikes are routed event by event (rows of neurons that spiked).
    weight_init_func : callable
        Initialiser of ``w_rec`` (Kaiming uniform).
    threshold : float or (N,) array
        Firing threshold θ (family ``"threshold"``, default 1).
    noise_std : float
        White-noise standard deviation on the membrane, per √second.
    max_spikes_per_dt : int
        Most spikes a neuron emits in one step (default 2¹⁶).
    dt : float, seconds
        Time step (default 1 ms).
    rng : int or numpy.random.Generator, optional
        Seed or generator of this module's noise (the global NumPy RNG is never used).
    """

    def __init__(
        self,
        shape,
        tau_mem=None,
        tau_syn=None,
        bias=None,
        w_rec=None,
        has_rec: bool = False,
        weight_init_func=kaiming,
        threshold=None,
        noise_std: float = 0.0,
        max_spikes_per_dt=2**16,
        dt: float = 1e-3,
        spiking_input: bool = False,
        spiking_output: bool = True,
        *,
        rng=None,
    ):
        shape = neuron_shape(shape, type(self).__name__)
        if len(shape) == 1:
            shape = (shape[0], shape[0])
        if len(shape) != 2:
            raise ValueError(f"{type(self).__name__}: shape must be N or (Nin, N); got {shape}")
        n_in, n = shape
        if n_in % n or n_in < n:
            raise ValueError(
                f"{type(self).__name__}: shape (Nin, N) needs Nin = S·N (S synapses per neuron); "
                f"got {shape}. For a weighted layer use Linear(({n_in}, {n})) then LIF({n})"
            )
        if w_rec is not None and not has_rec:
            raise ValueError(f"{type(self).__name__}: w_rec given but has_rec is False")
        cls = type(self).__name__
        super().__init__(shape=shape, spiking_input=spiking_input, spiking_output=spiking_output)
        syn = n_in // n
        self.n_synapses = syn
        self._has_rec = SimulationParameter(bool(has_rec))
        if has_rec:
            self.w_rec = Parameter(
                conform(w_rec, (n, n_in), what=f"{cls}.w_rec"),
                "weights",
                init_func=weight_init_func,
                shape=(n, n_in),
            )
        else:
            self.w_rec = SimulationParameter(np.zeros((n, n_in)))
        self.tau_mem = Parameter(
            conform(tau_mem, [(n,), ()], what=f"{cls}.tau_mem"),
            "taus",
            init_func=lambda s: np.full(s, 20e-3),
            shape=[(n,), ()],
        )
        self.tau_syn = Parameter(
            conform(tau_syn, [(n, syn), (1, syn), ()], what=f"{cls}.tau_syn"),
            "taus",
            init_func=lambda s: np.full(s, 20e-3),
            shape=[(n, syn), (1, syn), ()],
        )
        self.bias = Parameter(
            conform(bias, [(n,), ()], what=f"{cls}.bias"),
            "bias",
            init_func=np.zeros,
            shape=[(n,), ()],
        )
        self.threshold = Parameter(
            conform(threshold, [(n,), ()], what=f"{cls}.threshold"),
            "threshold",
            init_func=np.ones,
            shape=[(n,), ()],
        )
        self.dt = SimulationParameter(dt)
        self.noise_std = SimulationParameter(noise_std)
        self.spikes = State(shape=(n,), init_func=np.zeros)
        self.isyn = State(shape=(n, syn), init_func=np.zeros)
        self.vmem = State(shape=(n,), init_func=np.zeros)
        self.max_spikes_per_dt = SimulationParameter(float(max_spikes_per_dt))
        self._rng = as_generator(rng)

    def evolve(self, input_data, record: bool = False):
        """Evolve on ``(T, Nin)`` or ``(B, T, Nin)`` input; output spike counts ``(B, T, N)``.

        With ``record=True`` the record holds ``vmem`` (B, T, N), ``isyn`` and ``irec``
        (B, T, N, S) and ``spikes`` (B, T, N).
        """
        x, (v, isyn, spk) = self._auto_batch(input_data, (self.vmem, self.isyn, self.spikes))
        dtype = compute_dtype(x)
        empty = np.zeros((0, 0), dtype), np.zeros(0, dtype)
        return self._run(np.ascontiguousarray(x, dtype=dtype), *empty, (v, isyn, spk), record)

    def _evolve_weighted(self, events, weight, bias, record: bool = False):
        """Evolve on ``events @ weight + bias`` without forming the product: the kernel adds the
        weight rows of the non-zero input channels (a preceding ``Linear`` fused by
        ``Sequential``). ``events`` (T, Nin) or (B, T, Nin), ``weight`` (Nin, size_in)."""
        events = np.asarray(events)
        shaped = np.broadcast_to(np.zeros((), events.dtype), events.shape[:-1] + (self.size_in,))
        _, (v, isyn, spk) = self._auto_batch(shaped, (self.vmem, self.isyn, self.spikes))
        if events.ndim == 2:
            events = events[None]
        dtype = compute_dtype(events)
        w_in = np.ascontiguousarray(weight, dtype=dtype)
        b_in = np.broadcast_to(np.asarray(bias, dtype=dtype), (self.size_in,)).copy()
        return self._run(
            np.ascontiguousarray(events, dtype=dtype), w_in, b_in, (v, isyn, spk), record
        )

    def _run(self, x, w_in, b_in, states, record):
        v, isyn, spk = states
        dtype = x.dtype
        batches, steps, _ = x.shape
        n, syn = self.size_out, self.n_synapses
        dt = float(self.dt)
        alpha = np.exp(-dt / per_neuron(self.tau_mem, (n,), np.float64)).astype(dtype)
        beta = np.exp(-dt / per_neuron(self.tau_syn, (n, syn), np.float64)).astype(dtype)
        bias = per_neuron(self.bias, (n,), dtype)
        thr = per_neuron(self.threshold, (n,), dtype)
        w = (
            np.ascontiguousarray(self.w_rec, dtype=dtype)
            if self._has_rec
            else np.zeros((0, 0), dtype)
        )
        if self.noise_std > 0:
            noise = (
                self.noise_std * np.sqrt(dt) * self._rng.standard_normal((batches, steps, n))
            ).astype(dtype)
        else:
            noise = np.zeros((batches, 0, n), dtype)
        v, isyn, spk = (np.ascontiguousarray(a, dtype=dtype) for a in (v, isyn, spk))
        t_rec = steps if record else 0
        rec_v = np.zeros((batches, t_rec, n), dtype)
        rec_isyn = np.zeros((batches, t_rec, n, syn), dtype)
        rec_irec = np.zeros((batches, t_rec, n, syn), dtype)
        out = np.empty((batches, steps, n), dtype)
        cap = dtype.type(self.max_spikes_per_dt)
        params = (alpha, beta, bias, thr, w)
        if batches == 1:  # the per-element kernel itself: one compiled function less to load
            states = (v[0], isyn[0], spk[0])
            records = (out[0], rec_v[0], rec_isyn[0], rec_irec[0])
            lif_evolve_one(x[0], w_in, b_in, *states, *params, noise[0], cap, *records)
        else:
            kernel = lif_evolve_batches if parallel_cores() > 1 else lif_evolve
            kernel(x, w_in, b_in, v, isyn, spk, *params, noise, cap, out, rec_v, rec_isyn, rec_irec)
        self.vmem = np.array(v[0], dtype=np.float64)
        self.isyn = np.array(isyn[0], dtype=np.float64)
        self.spikes = np.array(spk[0], dtype=np.float64)
        rec = {"vmem": rec_v, "isyn": rec_isyn, "irec": rec_irec, "spikes": out} if record else {}
        return out, self.state(), rec

    def _wrap_recorded_state(self, recorded_dict: dict, t_start: float) -> dict:
        """Batch 0 of the record as ``TSContinuous`` (``vmem``, ``isyn``, ``irec``) and ``TSEvent``."""
        from rockpool_nb.timeseries import TSContinuous, TSEvent

        dt = float(self.dt)
        out = {}
        names = {"vmem": "$V_{mem}$", "isyn": "$I_{syn}$", "irec": "$I_{rec}$"}
        for key, name in names.items():
            if key in recorded_dict:
                data = np.asarray(recorded_dict[key])[0]
                out[key] = TSContinuous.from_clocked(
                    data.reshape(data.shape[0], -1), dt=dt, t_start=t_start, name=name
                )
        if "spikes" in recorded_dict:
            out["spikes"] = TSEvent.from_raster(
                np.asarray(recorded_dict["spikes"])[0],
                dt=dt,
                t_start=t_start,
                name="Spikes",
                num_channels=self.size_out,
            )
        return out
