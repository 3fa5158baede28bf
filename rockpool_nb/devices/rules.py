"""Design rules: each function checks one rule and returns the violations it finds.

Every violation names the offending element (module, neuron, weight), the limit, the value,
and a suggested fix. Rules read the chip's record (:mod:`.catalogue`), never constants.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Violation", "Layout", "XYLO_RULES", "run_rules"]


@dataclass(frozen=True)
class Violation:
    """One broken design rule."""

    rule: str
    element: str
    limit: object
    value: object
    message: str
    fix: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message} Fix: {self.fix}"


@dataclass
class Layout:
    """A network as the mapper sees it: its modules in order, split into weights and neurons.
    ``hidden`` are the neuron layers before the last; ``output`` is the last one."""

    modules: list  # (name, module)
    weights: list
    neurons: list

    @property
    def hidden(self) -> list:
        return self.neurons[:-1]

    @property
    def output(self):
        return self.neurons[-1] if self.neurons else None

    def hidden_offsets(self) -> list[int]:
        """First hardware id of each hidden layer (layers get consecutive ids)."""
        out, k = [], 0
        for _, mod in self.hidden:
            out.append(k)
            k += mod.size_out
        return out

    @property
    def n_hidden(self) -> int:
        return sum(m.size_out for _, m in self.hidden)


def _kind(mod) -> str:
    from rockpool_nb.nn.modules.lif import LIF
    from rockpool_nb.nn.modules.linear import Linear

    if isinstance(mod, Linear):
        return "weights"
    if isinstance(mod, LIF):
        return "neurons"
    return "other"


def rule_supported_modules(lay: Layout, spec) -> list[Violation]:
    out = []
    for name, mod in lay.modules:
        if _kind(mod) == "other":
            out.append(
                Violation(
                    "supported modules",
                    name,
                    "Linear or LIF",
                    mod.class_name,
                    f"module '{name}' is a {mod.class_name}; {spec.title} runs only weights "
                    "(Linear) and LIF neurons.",
                    f"replace '{name}' by Linear/LIF layers or remove it",
                )
            )
    return out


def rule_structure(lay: Layout, spec) -> list[Violation]:
    out = []
    kinds = [(name, _kind(m)) for name, m in lay.modules]
    if kinds and kinds[0][1] != "weights":
        out.append(
            Violation(
                "first module is a weight",
                kinds[0][0],
                "Linear",
                kinds[0][1],
                f"the network input must first pass through weights; it goes into '{kinds[0][0]}'.",
                "start the network with a Linear layer",
            )
        )
    for (a, ka), (b, kb) in zip(kinds[:-1], kinds[1:]):
        if ka == kb == "weights":
            out.append(
                Violation(
                    "no consecutive weights",
                    b,
                    "neurons between weights",
                    f"{a} -> {b}",
                    f"weights '{a}' feed weights '{b}' directly; weights must be separated by neurons.",
                    f"merge '{a}' and '{b}' into one Linear (their product) or put LIF neurons between",
                )
            )
        if ka == kb == "neurons":
            out.append(
                Violation(
                    "input to neurons is a weight",
                    b,
                    "weights before neurons",
                    f"{a} -> {b}",
                    f"neurons '{b}' receive input from neurons '{a}' without weights.",
                    f"insert a Linear layer between '{a}' and '{b}'",
                )
            )
    if kinds and kinds[-1][1] != "neurons":
        out.append(
            Violation(
                "output nodes have neurons as source",
                kinds[-1][0],
                "LIF",
                kinds[-1][1],
                f"the network output comes from '{kinds[-1][0]}', not from neurons.",
                "end the network with a LIF layer (the readout neurons)",
            )
        )
    return out


def rule_two_neuron_layers(lay: Layout, spec) -> list[Violation]:
    if len(lay.neurons) >= 2:
        return []
    return [
        Violation(
            "at least two neuron layers",
            "network",
            2,
            len(lay.neurons),
            f"the network has {len(lay.neurons)} LIF layer(s); {spec.title} needs hidden and "
            "output neurons.",
            "add a hidden LIF layer before the readout LIF layer",
        )
    ]


def rule_inputs(lay: Layout, spec) -> list[Violation]:
    if not lay.weights:
        return []
    n = lay.modules[0][1].size_in
    if n <= spec.max_inputs:
        return []
    return [
        Violation(
            "input channels",
            lay.modules[0][0],
            spec.max_inputs,
            n,
            f"the network has {n} input channels; {spec.title} has {spec.max_inputs}.",
            f"reduce input channels from {n} to {spec.max_inputs}",
        )
    ]


def rule_hidden_count(lay: Layout, spec) -> list[Violation]:
    n = lay.n_hidden
    if n <= spec.max_hidden:
        return []
    names = ", ".join(f"'{name}' ({m.size_out})" for name, m in lay.hidden)
    return [
        Violation(
            "hidden neurons",
            names,
            spec.max_hidden,
            n,
            f"the hidden layers {names} have {n} neurons; {spec.title} has {spec.max_hidden}.",
            f"reduce hidden neurons from {n} to {spec.max_hidden}",
        )
    ]


def rule_output_count(lay: Layout, spec) -> list[Violation]:
    if lay.output is None:
        return []
    name, mod = lay.output
    if mod.size_out <= spec.max_outputs:
        return []
    return [
        Violation(
            "output neurons",
            name,
            spec.max_outputs,
            mod.size_out,
            f"the readout '{name}' has {mod.size_out} neurons; {spec.title} has {spec.max_outputs}.",
            f"reduce output neurons from {mod.size_out} to {spec.max_outputs}",
        )
    ]


def rule_output_not_recurrent(lay: Layout, spec) -> list[Violation]:
    if lay.output is None or len(lay.neurons) < 2:
        return []
    name, mod = lay.output
    if not mod._has_rec:
        return []
    return [
        Violation(
            "output neurons cannot be recurrent",
            name,
            "has_rec=False",
            "has_rec=True",
            f"the readout neurons '{name}' are recurrent; output neurons on {spec.title} are not.",
            f"build '{name}' with has_rec=False",
        )
    ]


def rule_synapses(lay: Layout, spec) -> list[Violation]:
    out = []
    for name, mod in lay.hidden:
        if mod.n_synapses > spec.synapses_per_hidden:
            out.append(
                Violation(
                    "synapses per neuron",
                    name,
                    spec.synapses_per_hidden,
                    mod.n_synapses,
                    f"'{name}' has {mod.n_synapses} synapses per neuron; hidden neurons on "
                    f"{spec.title} have {spec.synapses_per_hidden}.",
                    f"use LIF({mod.size_out}) (one synapse) or at most {spec.synapses_per_hidden}",
                )
            )
    if lay.output is not None and lay.output[1].n_synapses > 1:
        name, mod = lay.output
        out.append(
            Violation(
                "synapses per neuron",
                name,
                1,
                mod.n_synapses,
                f"the readout '{name}' has {mod.n_synapses} synapses per neuron; output neurons have 1.",
                f"use LIF({mod.size_out}) for the readout",
            )
        )
    return out


def rule_dt(lay: Layout, spec) -> list[Violation]:
    dts = {float(m.dt) for _, m in lay.neurons}
    out = []
    if len(dts) > 1:
        out.append(
            Violation(
                "all neurons have the same dt",
                ", ".join(f"'{n}' (dt={float(m.dt):g})" for n, m in lay.neurons),
                "one dt",
                sorted(dts),
                f"the neuron layers use different time steps {sorted(dts)}; the chip has one clock.",
                f"set the same dt on every LIF layer (e.g. dt={min(dts):g})",
            )
        )
    for dt in dts:
        if not spec.dt_min <= dt <= spec.dt_max:
            out.append(
                Violation(
                    "dt range",
                    "network",
                    (spec.dt_min, spec.dt_max),
                    dt,
                    f"dt = {dt:g} s is outside {spec.title}'s range {spec.dt_min:g}..{spec.dt_max:g} s.",
                    f"choose dt between {spec.dt_min:g} and {spec.dt_max:g} s",
                )
            )
    return out


def _per_neuron(value, n):
    return np.broadcast_to(np.asarray(value, dtype=float), (n,))


def rule_time_constants(lay: Layout, spec) -> list[Violation]:
    out = []
    longest = 2**spec.dash_max
    for name, mod in lay.neurons:
        dt = float(mod.dt)
        n = mod.size_out
        for attr in ("tau_mem", "tau_syn"):
            shape = (n,) if attr == "tau_mem" else (n, mod.n_synapses)
            tau = np.broadcast_to(np.asarray(getattr(mod, attr), dtype=float), shape).reshape(n, -1)
            short = np.argwhere(tau <= dt)
            if len(short):
                i = int(short[0][0])
                out.append(
                    Violation(
                        "time constant above dt",
                        f"{name}.{attr}[{i}]",
                        f"> {dt:g} s",
                        float(tau[short[0][0], short[0][1]]),
                        f"{attr} of neuron {i} in '{name}' is {tau[tuple(short[0])]:g} s, not above dt "
                        f"= {dt:g} s ({len(short)} such values).",
                        f"raise {attr} above {dt:g} s or lower dt",
                    )
                )
            long = np.argwhere(tau > longest * dt)
            if len(long):
                i = int(long[0][0])
                out.append(
                    Violation(
                        "time constant range",
                        f"{name}.{attr}[{i}]",
                        f"<= {longest * dt:g} s",
                        float(tau[tuple(long[0])]),
                        f"{attr} of neuron {i} in '{name}' is {tau[tuple(long[0])]:g} s; the longest "
                        f"a {spec.dash_bits}-bit decay can represent is 2^{spec.dash_max}·dt = {longest * dt:g} s.",
                        f"lower {attr} to at most {longest * dt:g} s",
                    )
                )
    return out


def rule_thresholds(lay: Layout, spec) -> list[Violation]:
    out = []
    for name, mod in lay.neurons:
        thr = _per_neuron(mod.threshold, mod.size_out)
        bad = np.flatnonzero(thr <= 0)
        if len(bad):
            out.append(
                Violation(
                    "positive thresholds",
                    f"{name}.threshold[{bad[0]}]",
                    "> 0",
                    float(thr[bad[0]]),
                    f"threshold of neuron {bad[0]} in '{name}' is {thr[bad[0]]:g}; the chip needs "
                    "thresholds above 0.",
                    "set every threshold to a positive value",
                )
            )
    return out


def rule_weight_biases(lay: Layout, spec) -> list[Violation]:
    out = []
    for name, mod in lay.weights:
        if not (np.isscalar(mod.bias) and mod.bias == 0):
            out.append(
                Violation(
                    "weight nodes have no biases",
                    name,
                    "no bias",
                    "bias",
                    f"'{name}' has a bias; {spec.title} has no weight biases (neuron biases exist).",
                    f"build '{name}' with has_bias=False and put the bias on the next LIF layer",
                )
            )
    return out


def recurrent_matrix(lay: Layout) -> np.ndarray:
    """Dense hidden-to-hidden connections (N, N): recurrent weights of each hidden layer and
    the weights between consecutive hidden layers (summed over synapses)."""
    n = lay.n_hidden
    w = np.zeros((n, n))
    offs = lay.hidden_offsets()
    mods = lay.modules
    for k, (name, mod) in enumerate(lay.hidden):
        o = offs[k]
        s = mod.n_synapses
        if mod._has_rec:
            w[o : o + mod.size_out, o : o + mod.size_out] += (
                np.abs(np.asarray(mod.w_rec)).reshape(mod.size_out, mod.size_out, s).sum(-1)
            )
        if k + 1 < len(lay.hidden):
            idx = [i for i, (nm, _) in enumerate(mods) if nm == name][0]
            lin = mods[idx + 1][1]
            nxt = lay.hidden[k + 1][1]
            o2 = offs[k + 1]
            block = np.abs(np.asarray(lin.weight)).reshape(mod.size_out, nxt.size_out, -1).sum(-1)
            w[o : o + mod.size_out, o2 : o2 + nxt.size_out] += block
    return w


def rule_fan_out(lay: Layout, spec) -> list[Violation]:
    if spec.max_fan_out is None or not lay.hidden:
        return []
    fan = (recurrent_matrix(lay) != 0).sum(axis=1)
    bad = np.flatnonzero(fan > spec.max_fan_out)
    if not len(bad):
        return []
    i = int(bad[np.argmax(fan[bad])])
    return [
        Violation(
            "recurrent fan-out",
            f"hidden neuron {i}",
            spec.max_fan_out,
            int(fan[i]),
            f"fan-out of neuron {i} is {fan[i]} connections; the limit is {spec.max_fan_out} "
            f"({len(bad)} neurons over it).",
            f"prune the recurrent/inter-layer weights of neuron {i} (and the others) to at most "
            f"{spec.max_fan_out} non-zero targets",
        )
    ]


def rule_recurrent_entries(lay: Layout, spec) -> list[Violation]:
    if spec.max_recurrent_entries is None or not lay.hidden:
        return []
    n = int((recurrent_matrix(lay) != 0).sum())
    if n <= spec.max_recurrent_entries:
        return []
    return [
        Violation(
            "recurrent weight memory",
            "hidden-to-hidden weights",
            spec.max_recurrent_entries,
            n,
            f"the network has {n} non-zero hidden-to-hidden weights; the weight memory holds "
            f"{spec.max_recurrent_entries}.",
            f"prune {n - spec.max_recurrent_entries} recurrent weights (e.g. the smallest)",
        )
    ]


def rule_input_neurons(lay: Layout, spec) -> list[Violation]:
    if spec.input_neurons is None or not lay.hidden or not lay.weights:
        return []
    w = np.asarray(lay.weights[0][1].weight)
    s = lay.hidden[0][1].n_synapses
    targets = np.flatnonzero(np.abs(w).reshape(w.shape[0], -1, s).sum((0, 2)))
    if not len(targets) or targets.max() < spec.input_neurons:
        return []
    return [
        Violation(
            "input neurons",
            f"{lay.weights[0][0]} -> hidden neuron {targets.max()}",
            spec.input_neurons,
            int(targets.max()) + 1,
            f"input reaches hidden neuron {targets.max()}; on {spec.title} only neurons 0–"
            f"{spec.input_neurons - 1} can receive input.",
            f"reduce the first hidden layer to {spec.input_neurons} neurons (or zero the input "
            f"weights to neurons >= {spec.input_neurons})",
        )
    ]


def rule_readout_neurons(lay: Layout, spec) -> list[Violation]:
    if spec.readout_neurons is None or not lay.hidden or len(lay.weights) < 1:
        return []
    n = lay.n_hidden
    last_name, last = lay.hidden[-1]
    first_id = lay.hidden_offsets()[-1]
    w = np.asarray(lay.weights[-1][1].weight)
    sources = first_id + np.flatnonzero(np.abs(w).sum(1))
    lowest_allowed = n - spec.readout_neurons
    if not len(sources) or sources.min() >= lowest_allowed:
        return []
    return [
        Violation(
            "readout neurons",
            f"hidden neuron {sources.min()} -> {lay.weights[-1][0]}",
            spec.readout_neurons,
            int(n - sources.min()),
            f"hidden neuron {sources.min()} feeds the readout; on {spec.title} only the last "
            f"{spec.readout_neurons} hidden neurons ({lowest_allowed}–{n - 1}) can.",
            f"reduce '{last_name}' to {spec.readout_neurons} neurons",
        )
    ]


XYLO_RULES = [
    rule_supported_modules,
    rule_structure,
    rule_two_neuron_layers,
    rule_inputs,
    rule_hidden_count,
    rule_output_count,
    rule_output_not_recurrent,
    rule_synapses,
    rule_dt,
    rule_time_constants,
    rule_thresholds,
    rule_weight_biases,
    rule_fan_out,
    rule_recurrent_entries,
    rule_input_neurons,
    rule_readout_neurons,
]


def run_rules(lay: Layout, spec, rules=XYLO_RULES) -> list[Violation]:
    """Every violation of ``rules``; rules after a structural failure are skipped when they
    would not be meaningful."""
    out = []
    for rule in rules:
        found = rule(lay, spec)
        out += found
        if found and rule in (rule_supported_modules, rule_structure, rule_two_neuron_layers):
            break
    return out
