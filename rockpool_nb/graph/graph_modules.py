"""Graph modules with the parameters hardware mappers and converters need.

``LinearWeights``, ``GenericNeurons``, ``AliasConnection``, ``LIFNeuronWithSynsRealValue`` and
``RateNeuronWithSynsRealValue`` follow Rockpool; ``ExpSynRealValue`` and ``InstantNeurons`` are
ours, so that every library module has a graph. Neuron classes carry, beyond Rockpool's fields,
the simulation settings needed to rebuild an identical network (``noise_std``, ``threshold``,
activation, ...) and ``nn_class``, the name of the module class they came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from rockpool_nb.graph.graph_base import GraphModule

__all__ = [
    "LinearWeights",
    "GenericNeurons",
    "AliasConnection",
    "LIFNeuronWithSynsRealValue",
    "RateNeuronWithSynsRealValue",
    "ExpSynRealValue",
    "InstantNeurons",
]


def _as_numpy(value):
    if hasattr(value, "detach"):  # a torch tensor
        value = value.detach().cpu().numpy()
    return np.array(value, dtype=float) if value is not None else None


@dataclass(eq=False, repr=False)
class LinearWeights(GraphModule):
    """Weights ``(size_in, size_out)`` and optional biases ``(size_out,)`` between nodes."""

    weights: Any = None
    biases: Any = None
    nn_class: str | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.weights is None:
            raise ValueError(f"LinearWeights {self.name!r}: weights are required")
        self.weights = _as_numpy(self.weights)
        shape = (len(self.input_nodes), len(self.output_nodes))
        if self.weights.shape != shape:
            raise ValueError(
                f"LinearWeights {self.name!r}: weights must be (input nodes, output nodes) = "
                f"{shape}; got {self.weights.shape}"
            )
        if self.biases is not None:
            if np.isscalar(self.biases) and self.biases == 0:
                self.biases = None
            else:
                self.biases = _as_numpy(self.biases)
                if self.biases.shape != (shape[1],):
                    raise ValueError(
                        f"LinearWeights {self.name!r}: biases must be ({shape[1]},); "
                        f"got {self.biases.shape}"
                    )


@dataclass(eq=False, repr=False)
class GenericNeurons(GraphModule):
    """Base class of neuron populations."""


@dataclass(eq=False, repr=False)
class AliasConnection(GraphModule):
    """Identity connection from each input node to the output node at the same position."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if len(self.input_nodes) != len(self.output_nodes):
            raise ValueError(
                f"AliasConnection {self.name!r}: input and output node counts must match; "
                f"got {len(self.input_nodes)} and {len(self.output_nodes)}"
            )


@dataclass(eq=False, repr=False)
class LIFNeuronWithSynsRealValue(GenericNeurons):
    """Current-based LIF neurons: ``size_in = N·S`` synaptic inputs, ``size_out = N`` outputs.
    Time constants in seconds, ``dt`` in seconds."""

    tau_mem: Any = field(default_factory=list)
    tau_syn: Any = field(default_factory=list)
    threshold: Any = field(default_factory=list)
    bias: Any = field(default_factory=list)
    dt: float | None = None
    noise_std: float = 0.0
    max_spikes_per_dt: float = float(2**16)
    nn_class: str | None = None


@dataclass(eq=False, repr=False)
class RateNeuronWithSynsRealValue(GenericNeurons):
    """Rate neurons (forward Euler): ``tau`` and ``dt`` in seconds. ``activation`` is a name
    (``"relu"``, ``"tanh"``, ``"sigmoid"``) or a callable ``f(x, threshold)``."""

    tau: Any = field(default_factory=list)
    bias: Any = field(default_factory=list)
    dt: float | None = None
    threshold: Any = 0.0
    activation: Any = "relu"
    noise_std: float = 0.0
    nn_class: str | None = None


@dataclass(eq=False, repr=False)
class ExpSynRealValue(GenericNeurons):
    """Exponential synapses (leaky integrators of input events), ``tau`` and ``dt`` in seconds."""

    tau: Any = field(default_factory=list)
    dt: float | None = None
    noise_std: float = 0.0
    nn_class: str | None = None


@dataclass(eq=False, repr=False)
class InstantNeurons(GenericNeurons):
    """A memoryless element-wise function ``function(x)`` of the input."""

    function: Any = None
    nn_class: str | None = None
