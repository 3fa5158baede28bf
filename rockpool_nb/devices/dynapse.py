"""Dynap-SE: placement with design rules, and a behavioural simulation.

Dynap-SE is a mixed-signal chip: 4 chips × 4 cores × 256 neurons, neurons named by their logical
ID ``1024·chip + 256·core + neuron``; each neuron has 64 incoming connections (CAM entries), a
weight is a signed *number of connections*, and synapse parameters are shared per core and per
synapse type (fast/slow excitatory, fast/slow inhibitory). Its simulation here is behavioural
(analog circuits are not bit-exact): LIF neurons with a fast synapse for external input and a
slow one for recurrent input, excitatory or inhibitory by the weight's sign.

A mappable network is ``Linear(Nin → N) → LIF(N, has_rec=True)``: input weights to the neurons
that receive external input, recurrent weights among the neurons.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rockpool_nb.devices.rules import Violation
from rockpool_nb.nn.modules.module import Module
from rockpool_nb.parameters import SimulationParameter

__all__ = [
    "DynapSEConfig",
    "map_dynapse",
    "place",
    "logical_id",
    "DynapSESim",
    "check_input_intervals",
]

PER_CORE, PER_CHIP = 256, 1024


def logical_id(chip: int, core: int, neuron: int) -> int:
    return PER_CHIP * chip + PER_CORE * core + neuron


def _where(i: int, j: int | None = None) -> str:
    """``neuron <logical ID> (chip, core, neuron[, network neuron j])``."""
    net = f", network neuron {j}" if j is not None else ""
    return f"neuron {i} (chip {i // PER_CHIP}, core {(i % PER_CHIP) // PER_CORE}, neuron {i % PER_CORE}{net})"


@dataclass(frozen=True, eq=False)
class DynapSEConfig:
    """Integer connection counts and placement of a network on Dynap-SE."""

    weights_in: np.ndarray  # (Nin, N) signed connection counts
    weights_rec: np.ndarray  # (N, N)
    neuron_ids: np.ndarray  # (N,) logical IDs
    tau_mem: np.ndarray
    tau_syn_fast: np.ndarray
    tau_syn_slow: np.ndarray
    threshold: np.ndarray
    dt: float
    chip: str = "dynapse"

    @property
    def shape(self):
        return self.weights_in.shape[0], self.weights_in.shape[1], self.weights_in.shape[1]

    def to_dict(self) -> dict:
        """Plain values: JSON scalars and NumPy arrays."""
        return {
            "chip": self.chip,
            "dt": self.dt,
            **{
                k: np.array(getattr(self, k))
                for k in (
                    "weights_in",
                    "weights_rec",
                    "neuron_ids",
                    "tau_mem",
                    "tau_syn_fast",
                    "tau_syn_slow",
                    "threshold",
                )
            },
        }

    def save(self, path):
        """Write the arrays to an ``.npz`` (no pickle), atomically."""
        import os
        import tempfile
        from pathlib import Path

        path = Path(path)
        arrays = {k: v for k, v in self.to_dict().items() if isinstance(v, np.ndarray)}
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(f, dt=np.array(self.dt), **arrays)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path


def place(receives_input: np.ndarray) -> np.ndarray:
    """Logical IDs: neurons that receive external input fill chip 0 from core 0; the others start
    on the next free core, so the two kinds never share a core."""
    n_in = int(np.sum(receives_input))
    first_other = int(np.ceil(max(n_in, 1) / PER_CORE)) * PER_CORE
    ids = np.empty(len(receives_input), dtype=np.int64)
    ids[receives_input] = np.arange(n_in)
    ids[~receives_input] = first_other + np.arange(len(receives_input) - n_in)
    return ids


def _layout(net):
    from rockpool_nb.devices.mapping import layout_of

    lay = layout_of(net)
    kinds = [type(m).__name__ for _, m in lay.modules]
    return lay, kinds


def map_dynapse(net, spec, neuron_ids=None):
    """Check ``net`` against Dynap-SE's rules; see :func:`rockpool_nb.devices.map_network`."""
    from rockpool_nb.devices.mapping import Mapping
    from rockpool_nb.nn.modules import LIF, Linear

    lay, _ = _layout(net)
    mods = [m for _, m in lay.modules]
    names = [n for n, _ in lay.modules]
    v: list[Violation] = []
    if len(mods) != 2 or not isinstance(mods[0], Linear) or not isinstance(mods[1], LIF):
        v.append(
            Violation(
                "supported structure",
                "network",
                "Linear -> LIF",
                " -> ".join(type(m).__name__ for m in mods),
                "Dynap-SE runs one population: input weights (Linear) into recurrent LIF neurons.",
                "build Sequential(Linear((Nin, N)), LIF(N, has_rec=True))",
            )
        )
        return Mapping(spec, v, {})
    lin, lif = mods
    n = lif.size_out
    w_in = np.asarray(lin.weight, dtype=float)
    w_rec = np.asarray(lif.w_rec, dtype=float) if lif._has_rec else np.zeros((n, n))
    receives_input = np.any(w_in != 0, axis=0)
    receives_rec = np.any(w_rec != 0, axis=0)
    ids = place(receives_input) if neuron_ids is None else np.asarray(neuron_ids, dtype=np.int64)
    if ids.shape != (n,):
        raise ValueError(f"neuron_ids: expected {n} logical IDs; got shape {ids.shape}")
    resources = {
        "neurons": (n, spec.max_hidden),
        "input channels": (w_in.shape[0], spec.max_inputs),
        "largest fan-in": (
            int((np.abs(w_in).sum(0) + np.abs(w_rec).sum(0)).max(initial=0)),
            spec.max_fan_in,
        ),
    }
    if ids.max(initial=0) >= spec.max_hidden or n > spec.max_hidden:
        v.append(
            Violation(
                "neuron count",
                names[1],
                spec.max_hidden,
                n,
                f"the network needs {n} neurons (highest logical ID {ids.max()}); Dynap-SE has {spec.max_hidden}.",
                f"reduce the population to at most {spec.max_hidden} neurons",
            )
        )
    for label, w in (("input", w_in), ("recurrent", w_rec)):
        bad = np.argwhere(w != np.round(w))
        if len(bad):
            i, j = bad[0]
            v.append(
                Violation(
                    "integer connection counts",
                    f"{label} weight [{i}, {j}] -> {_where(ids[j], j)}",
                    "integer",
                    float(w[i, j]),
                    f"the {label} weight from {i} to {_where(ids[j], j)} is {w[i, j]:g}; Dynap-SE weights are signed integer numbers of connections ({len(bad)} such weights).",
                    "round the weights, or use rockpool_nb.weights.DiscretiseWeightMatrix / dynapse_conform",
                )
            )
    fan_in = np.abs(np.round(w_in)).sum(0) + np.abs(np.round(w_rec)).sum(0)
    over = np.flatnonzero(fan_in > spec.max_fan_in)
    if len(over):
        j = over[np.argmax(fan_in[over])]
        v.append(
            Violation(
                "fan-in",
                _where(ids[j], j),
                spec.max_fan_in,
                int(fan_in[j]),
                f"{_where(ids[j], j)} has {int(fan_in[j])} incoming connections; the limit is {spec.max_fan_in} ({len(over)} neurons over it).",
                f"reduce the incoming connection counts of {_where(ids[j], j)} to at most {spec.max_fan_in}",
            )
        )
    cores = ids // PER_CORE
    shared = set(cores[receives_input]) & set(cores[receives_rec])
    if shared:
        core = sorted(shared)[0]
        j = int(np.flatnonzero(receives_rec & (cores == core))[0])
        v.append(
            Violation(
                "input and recurrent neurons on separate cores",
                _where(ids[j], j),
                "separate cores",
                f"core {core % 4} of chip {core // 4}",
                f"{_where(ids[j], j)} receives recurrent input on a core that also holds neurons receiving external input.",
                "place neurons receiving external input on their own cores (the default placement does), or stop feeding them recurrently",
            )
        )
    chips = set((ids[receives_input] // PER_CHIP).tolist())
    if len(chips) > 1:
        j = int(np.flatnonzero(receives_input)[np.argmax(ids[receives_input] // PER_CHIP)])
        v.append(
            Violation(
                "input neurons on one chip",
                _where(ids[j], j),
                "one chip",
                sorted(chips),
                f"neurons receiving external input are spread over chips {sorted(chips)}, e.g. {_where(ids[j], j)}.",
                "put every input-receiving neuron on one chip",
            )
        )
    dt = float(lif.dt)
    if dt < spec.dt_min:
        v.append(
            Violation(
                "dt range",
                names[1],
                spec.dt_min,
                dt,
                f"dt = {dt:g} s is finer than Dynap-SE's {spec.dt_min:.3g} s.",
                f"use dt >= {spec.dt_min:.3g} s",
            )
        )
    # synapse parameters are shared per core and per synapse type: one tau per core
    tau_syn = np.broadcast_to(np.asarray(lif.tau_syn, float), (n, lif.n_synapses))[:, 0]
    for core in np.unique(cores):
        members = np.flatnonzero(cores == core)
        if np.ptp(tau_syn[members]) > 0:
            j = int(members[np.argmax(tau_syn[members] != tau_syn[members[0]])])
            v.append(
                Violation(
                    "shared synapse parameters",
                    _where(ids[j], j),
                    "one tau_syn per core and synapse type",
                    float(tau_syn[j]),
                    f"{_where(ids[j], j)} has tau_syn {tau_syn[j]:g} s but shares core {core % 4} of chip {core // 4} with neurons of {tau_syn[members[0]]:g} s; synapse parameters are shared per core and type.",
                    "use one tau_syn per core (or place neurons with other time constants on other cores)",
                )
            )
            break
    if v:
        return Mapping(spec, v, resources)
    config = DynapSEConfig(
        weights_in=np.round(w_in).astype(np.int64),
        weights_rec=np.round(w_rec).astype(np.int64),
        neuron_ids=ids,
        tau_mem=np.broadcast_to(np.asarray(lif.tau_mem, float), (n,)).copy(),
        tau_syn_fast=tau_syn.copy(),
        tau_syn_slow=tau_syn.copy(),
        threshold=np.broadcast_to(np.asarray(lif.threshold, float), (n,)).copy(),
        dt=dt,
    )
    return Mapping(spec, v, resources, {}, config)


def check_input_intervals(raster: np.ndarray, spec=None) -> None:
    """Raise if two consecutive input events are more than 65,535 steps apart (the longest
    interval the chip's event timestamps express)."""
    limit = 65_535 if spec is None else spec.max_interval_steps
    steps = np.flatnonzero(np.asarray(raster).sum(axis=-1) > 0)
    if len(steps) > 1:
        gaps = np.diff(steps)
        k = int(np.argmax(gaps))
        if gaps[k] > limit:
            raise ValueError(
                f"input: events at steps {steps[k]} and {steps[k + 1]} are {gaps[k]} steps apart; "
                f"Dynap-SE timestamps allow at most {limit}"
            )


class DynapSESim(Module):
    """Behavioural Dynap-SE: the placed network as LIF neurons with a fast synapse (external
    input) and a slow synapse (recurrent input), at most one spike per step. Input: event counts
    ``(T, Nin)``; output: spikes ``(B, T, N)``."""

    def __init__(self, config: DynapSEConfig):
        from rockpool_nb.nn.modules import LIF

        n_in, n, _ = config.shape
        super().__init__(shape=(n_in, n), spiking_input=True, spiking_output=True)
        self.config = SimulationParameter(config)
        w_in = np.zeros((n_in, 2 * n))
        w_in[:, 0::2] = config.weights_in
        w_rec = np.zeros((n, 2 * n))
        w_rec[:, 1::2] = config.weights_rec
        self._w_in = w_in
        self.neurons = LIF(
            (2 * n, n),
            tau_mem=config.tau_mem,
            tau_syn=np.stack([config.tau_syn_fast, config.tau_syn_slow], 1),
            threshold=config.threshold,
            has_rec=bool(np.any(config.weights_rec)),
            w_rec=w_rec if np.any(config.weights_rec) else None,
            max_spikes_per_dt=1,
            dt=config.dt,
        )

    def evolve(self, input_data, record: bool = False):
        x = np.asarray(input_data, dtype=float)
        check_input_intervals(x)
        out, state, rec = self.neurons(x @ self._w_in, record=record)
        return out, {"neurons": state}, rec
