"""``map_network``: check a network against a chip and produce its integer configuration.

The network is a chain ``Linear → LIF (hidden) [→ Linear → LIF (hidden)]* → Linear → LIF
(readout)``; hidden layers get consecutive hardware ids in order, their recurrent weights and the
weights between them form the chip's recurrent matrix, the first weights its input matrix and
the last its readout. The design rules run first (:mod:`.rules`); only a network that passes
them is quantised (:mod:`.quantise`) into a :class:`HardwareConfig`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from rockpool_nb.devices.catalogue import ChipSpec, chip_spec
from rockpool_nb.devices.config import HardwareConfig
from rockpool_nb.devices.quantise import quantise
from rockpool_nb.devices.rules import Layout, Violation, recurrent_matrix, run_rules

__all__ = ["map_network", "Mapping", "layout_of"]


@dataclass(frozen=True)
class Mapping:
    """The result of mapping a network onto a chip."""

    chip: ChipSpec
    violations: list[Violation]
    resources: dict[str, tuple[int, int]]
    quantisation: dict[str, dict] = field(default_factory=dict)
    config: HardwareConfig | None = None

    @property
    def ok(self) -> bool:
        return self.config is not None and not any(v.severity == "error" for v in self.violations)

    def report(self) -> str:
        """A readable summary: resources against limits, then each violation with its fix."""
        lines = [f"{self.chip.title}: {'fits' if self.ok else 'does not fit'}"]
        for name, (used, limit) in self.resources.items():
            lines.append(f"  {name:<28} {used:>7} / {limit}")
        for v in self.violations:
            lines.append(f"  - {v}")
        return "\n".join(lines)


def _flatten(net, prefix="") -> list[tuple[str, object]]:
    from rockpool_nb.nn.combinators.residual import ModResidual
    from rockpool_nb.nn.combinators.sequential import ModSequential

    if isinstance(net, ModSequential) and not isinstance(net, ModResidual):
        out = []
        for name, sub in net._submodules.items():
            out += _flatten(sub, f"{prefix}{name}.")
        return out
    name = prefix[:-1] if prefix else (net.name.strip("'") or net.class_name)
    return [(name, net)]


def layout_of(net) -> Layout:
    """The mapper's view of ``net`` (a network or a graph from ``net.as_graph()``)."""
    from rockpool_nb.graph import GraphModuleBase, graph_to_network
    from rockpool_nb.nn.modules.lif import LIF
    from rockpool_nb.nn.modules.linear import Linear

    if isinstance(net, GraphModuleBase):
        net = graph_to_network(net)
    mods = _flatten(net)
    weights = [(n, m) for n, m in mods if isinstance(m, Linear)]
    neurons = [(n, m) for n, m in mods if isinstance(m, LIF)]
    return Layout(mods, weights, neurons)


def _resources(lay: Layout, spec: ChipSpec) -> dict:
    res = {}
    if lay.modules:
        res["input channels"] = (lay.modules[0][1].size_in, spec.max_inputs)
    res["hidden neurons"] = (lay.n_hidden, spec.max_hidden)
    if lay.output is not None:
        res["output neurons"] = (lay.output[1].size_out, spec.max_outputs)
    if lay.hidden:
        res["synapses per hidden neuron"] = (
            max(m.n_synapses for _, m in lay.hidden),
            spec.synapses_per_hidden,
        )
        try:
            rec = recurrent_matrix(lay) != 0
            if spec.max_recurrent_entries is not None:
                res["recurrent weights"] = (int(rec.sum()), spec.max_recurrent_entries)
            if spec.max_fan_out is not None:
                res["largest fan-out"] = (int(rec.sum(1).max(initial=0)), spec.max_fan_out)
        except (ValueError, IndexError, AttributeError):  # structures the rules reject
            pass
    return res


def _float_spec(lay: Layout) -> dict:
    hidden = lay.hidden
    n = lay.n_hidden
    s = max(m.n_synapses for _, m in hidden)
    offs = lay.hidden_offsets()
    names = [name for name, _ in lay.modules]
    first_lin = lay.weights[0][1]
    c = first_lin.size_in
    w_in = np.zeros((c, n, s))
    w_rec = np.zeros((n, n, s))
    thr, bias, tau_mem = np.zeros(n), np.zeros(n), np.zeros(n)
    tau_syn = np.zeros((n, s))
    for k, (name, mod) in enumerate(hidden):
        o, nk, sk = offs[k], mod.size_out, mod.n_synapses
        sl = slice(o, o + nk)
        if k == 0:
            w_in[:, sl, :sk] = np.asarray(first_lin.weight, float).reshape(c, nk, sk)
        if mod._has_rec:
            w_rec[sl, sl, :sk] += np.asarray(mod.w_rec, float).reshape(nk, nk, sk)
        if k + 1 < len(hidden):
            lin = lay.modules[names.index(name) + 1][1]
            nxt = hidden[k + 1][1]
            o2 = offs[k + 1]
            w_rec[sl, o2 : o2 + nxt.size_out, : nxt.n_synapses] += np.asarray(
                lin.weight, float
            ).reshape(nk, nxt.size_out, nxt.n_synapses)
        thr[sl] = np.broadcast_to(np.asarray(mod.threshold, float), (nk,))
        bias[sl] = np.broadcast_to(np.asarray(mod.bias, float), (nk,))
        tau_mem[sl] = np.broadcast_to(np.asarray(mod.tau_mem, float), (nk,))
        ts = np.broadcast_to(np.asarray(mod.tau_syn, float), (nk, sk))
        tau_syn[sl, :sk] = ts
        tau_syn[sl, sk:] = ts[:, :1]
    out_name, out = lay.output
    last_lin = lay.modules[names.index(out_name) - 1][1]
    m = out.size_out
    w_out = np.zeros((n, m))
    o = offs[-1]
    w_out[o : o + hidden[-1][1].size_out] = np.asarray(last_lin.weight, float)
    return {
        "weights_in": w_in,
        "weights_rec": w_rec,
        "weights_out": w_out,
        "threshold": thr,
        "bias": bias,
        "tau_mem": tau_mem,
        "tau_syn": tau_syn,
        "threshold_out": np.broadcast_to(np.asarray(out.threshold, float), (m,)).copy(),
        "bias_out": np.broadcast_to(np.asarray(out.bias, float), (m,)).copy(),
        "tau_mem_out": np.broadcast_to(np.asarray(out.tau_mem, float), (m,)).copy(),
        "tau_syn_out": np.broadcast_to(np.asarray(out.tau_syn, float).reshape(-1), (m,)).copy(),
        "dt": float(out.dt),
    }


def map_network(net_or_graph, chip, dt: float | None = None, method: str = "global") -> Mapping:
    """Check ``net_or_graph`` against ``chip`` (a name from ``CHIPS`` or a ``ChipSpec``).

    Returns a :class:`Mapping`: its ``violations`` (each names the element, the limit, the value
    and a fix), ``resources`` used against limits, and, when nothing is violated, the
    ``quantisation`` errors and the integer ``config``. ``dt`` (s) overrides the neurons' time
    step; ``method`` is ``"global"`` or ``"channel"`` weight scaling.
    """
    spec = chip_spec(chip)
    if spec.neuron_model == "dynapse":
        from rockpool_nb.devices.dynapse import map_dynapse

        return map_dynapse(net_or_graph, spec)
    lay = layout_of(net_or_graph)
    if dt is not None:
        for _, mod in lay.neurons:
            if float(mod.dt) != float(dt):
                raise ValueError(
                    f"dt: the network's neurons use dt={float(mod.dt):g} s; got dt={dt:g}"
                )
    violations = run_rules(lay, spec)
    resources = _resources(lay, spec)
    if any(v.severity == "error" for v in violations):
        return Mapping(spec, violations, resources)
    floats = _float_spec(lay)
    ints, report = quantise(floats, spec, method)
    n = floats["weights_in"].shape[1]
    config = HardwareConfig(
        chip=spec.name, dt=floats["dt"], aliases=-np.ones(n, dtype=np.int64), **ints
    )
    return Mapping(spec, violations, resources, report, config)
