"""The simulated Xylo chip as a ``Module``: bit-exact integer dynamics from a configuration."""

from __future__ import annotations

import numpy as np

from rockpool_nb.devices.catalogue import chip_spec
from rockpool_nb.devices.config import HardwareConfig
from rockpool_nb.kernels.xylo import effective_weight, xylo_evolve
from rockpool_nb.nn.modules.module import Module
from rockpool_nb.parameters import SimulationParameter, State

__all__ = ["XyloSim", "simulate"]


def _csr(weights: np.ndarray, shift: int):
    """CSR lists of the non-zero entries of ``weights`` (sources, targets[, synapses]) with
    effective (shifted) weights: ``(ptr, target, synapse, weight)``."""
    w = np.asarray(weights)
    if w.ndim == 2:
        w = w[:, :, None]
    src, tgt, syn = np.nonzero(w)  # row-major: sources in order, as the chip delivers
    ptr = np.zeros(w.shape[0] + 1, dtype=np.int64)
    np.add.at(ptr, src + 1, 1)
    ptr = np.cumsum(ptr)
    eff = effective_weight(w[src, tgt, syn], shift)
    return ptr, tgt.astype(np.int64), syn.astype(np.int64), eff.astype(np.int64)


class XyloSim(Module):
    """A Xylo core (XyloAudio 2/3, Xylo IMU) simulated bit for bit.

    ``evolve`` takes input event counts ``(T, C)`` or ``(batches, T, C)`` (non-negative
    integers; more than 15 per step and channel are capped, as on the chip) and returns output
    events ``(batches, T, M)``. With ``record=True`` the record holds ``Vmem``, ``Isyn``,
    ``Isyn2`` (two-synapse chips), ``Spikes`` ``(batches, T, N)`` and ``Vmem_out``, ``Isyn_out``
    ``(batches, T, M)``, all after the step's decay and reset.
    """

    def __init__(self, config: HardwareConfig):
        if not isinstance(config, HardwareConfig):
            raise TypeError(f"config: expected a HardwareConfig; got {type(config).__name__}")
        c, n, m = config.shape
        super().__init__(shape=(c, n, m), spiking_input=True, spiking_output=True)
        self.config = SimulationParameter(config)
        self.dt = SimulationParameter(config.dt)
        s = config.weights_in.shape[2]
        self.isyn = State(shape=(n, s), init_func=lambda sh: np.zeros(sh, dtype=np.int64))
        self.vmem = State(shape=(n,), init_func=lambda sh: np.zeros(sh, dtype=np.int64))
        self.spikes = State(shape=(n,), init_func=lambda sh: np.zeros(sh, dtype=np.int64))
        self.isyn_out = State(shape=(m,), init_func=lambda sh: np.zeros(sh, dtype=np.int64))
        self.vmem_out = State(shape=(m,), init_func=lambda sh: np.zeros(sh, dtype=np.int64))
        self._build(config)

    def _build(self, config: HardwareConfig) -> None:
        spec = chip_spec(config.chip)
        self._spec = spec
        self._in = _csr(config.weights_in, config.weight_shift_in)
        self._rec = _csr(config.weights_rec, config.weight_shift_rec)
        ptr, tgt, _, w = _csr(config.weights_out, config.weight_shift_out)
        self._out = (ptr, tgt, w)

    @property
    def size_in(self) -> int:
        return self._shape[0]

    @property
    def size_out(self) -> int:
        return self._shape[-1]

    def evolve(self, input_data, record: bool = False):
        x = np.asarray(input_data)
        if x.ndim == 2:
            x = x[None]
        c = self.size_in
        if x.ndim != 3 or x.shape[-1] != c:
            raise ValueError(
                f"input: expected (T, {c}) or (batches, T, {c}) event counts; got {np.shape(input_data)}"
            )
        if x.size and (np.any(x < 0) or np.any(x != np.round(x))):
            raise ValueError("input: expected non-negative integer event counts")
        if x.size and x.max() > 255:
            raise ValueError(
                f"input: at most 255 events per step and channel can be sent; got {x.max()}"
            )
        x = np.ascontiguousarray(x, dtype=np.int64)
        cfg = self.config
        n, s = cfg.weights_in.shape[1:]
        m = self.size_out
        batches, steps, _ = x.shape
        tr = steps if record else 0
        outs = np.zeros((batches, steps, m), dtype=np.int64)
        recs = {
            "Vmem": np.zeros((batches, tr, n), np.int64),
            "Isyn": np.zeros((batches, tr, n, s), np.int64),
            "Spikes": np.zeros((batches, tr, n), np.int64),
            "Vmem_out": np.zeros((batches, tr, m), np.int64),
            "Isyn_out": np.zeros((batches, tr, m), np.int64),
        }
        final = None
        for b in range(batches):
            state = [
                np.array(getattr(self, k), dtype=np.int64)
                for k in ("isyn", "vmem", "spikes", "isyn_out", "vmem_out")
            ]
            xylo_evolve(
                x[b],
                *self._in,
                *self._rec,
                *self._out,
                cfg.dash_syn,
                cfg.dash_mem,
                cfg.threshold,
                cfg.bias,
                cfg.dash_syn_out,
                cfg.dash_mem_out,
                cfg.threshold_out,
                cfg.bias_out,
                cfg.bias_enable,
                cfg.aliases,
                self._spec.max_input_events,
                self._spec.max_hidden_events,
                *state,
                outs[b],
                recs["Isyn"][b],
                recs["Vmem"][b],
                recs["Spikes"][b],
                recs["Isyn_out"][b],
                recs["Vmem_out"][b],
            )
            if final is None:
                final = state
        for k, v in zip(("isyn", "vmem", "spikes", "isyn_out", "vmem_out"), final):
            setattr(self, k, v)
        if not record:
            return outs, self.state(), {}
        rec = dict(recs)
        isyn = rec.pop("Isyn")
        rec["Isyn"] = isyn[..., 0]
        if s > 1:
            rec["Isyn2"] = isyn[..., 1]
        return outs, self.state(), rec


def simulate(config):
    """The simulated chip for ``config`` (a ``Module``): bit-exact for Xylo, behavioural for
    Dynap-SE."""
    from rockpool_nb.devices.dynapse import DynapSEConfig, DynapSESim

    if isinstance(config, DynapSEConfig):
        return DynapSESim(config)
    spec = chip_spec(config.chip)
    if spec.neuron_model != "xylo-v2":
        raise ValueError(f"config: no bit-exact simulator for {spec.name}")
    return XyloSim(config)
