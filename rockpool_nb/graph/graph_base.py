"""Graph base classes: modules of computation connected over nodes.

A graph describes a network's structure for hardware mapping and interchange; it does not
simulate. :class:`GraphModule` objects (weights, neuron populations) hold ordered lists of input
and output :class:`GraphNode` objects; a node records the modules it connects. A
:class:`GraphHolder` wraps a subgraph by its input and output nodes and computes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "SetList",
    "GraphNode",
    "GraphModuleBase",
    "GraphModule",
    "GraphHolder",
    "as_GraphHolder",
]


class SetList(list):
    """A list that keeps only the first occurrence of each item (by identity or equality)."""

    def __init__(self, items=()):
        super().__init__()
        self.extend(items)

    def append(self, item) -> None:
        if not any(item is x for x in self):
            super().append(item)

    add = append

    def extend(self, items) -> None:
        for item in items:
            self.append(item)

    def remove(self, item) -> None:
        for i, x in enumerate(self):
            if x is item:
                del self[i]
                return
        raise ValueError(f"{item!r} is not in the list")


class GraphNode:
    """Plumbing between graph modules: one channel, with its source and sink modules."""

    def __init__(self, source_modules=(), sink_modules=()):
        self.source_modules = SetList()
        self.sink_modules = SetList()
        for mod in source_modules:
            self.add_source(mod)
        for mod in sink_modules:
            self.add_sink(mod)

    @staticmethod
    def _check(mod, role: str) -> None:
        if isinstance(mod, GraphHolder):
            raise ValueError(f"{role}: a GraphHolder computes nothing and cannot be a {role}")
        if not isinstance(mod, GraphModuleBase):
            raise TypeError(f"{role}: expected a GraphModule; got {type(mod).__name__}")

    def add_sink(self, mod) -> None:
        self._check(mod, "sink")
        self.sink_modules.append(mod)

    def add_source(self, mod) -> None:
        self._check(mod, "source")
        self.source_modules.append(mod)

    def remove_sink(self, mod) -> None:
        self.sink_modules.remove(mod)

    def remove_source(self, mod) -> None:
        self.source_modules.remove(mod)

    def __repr__(self) -> str:
        return (
            f"GraphNode {id(self)} with {len(self.source_modules)} source modules "
            f"and {len(self.sink_modules)} sink modules"
        )


@dataclass(eq=False, repr=False)
class GraphModuleBase:
    """Base of graph modules and holders: ordered input and output nodes, a name, and
    optionally the simulation module it was made from (``computational_module``)."""

    input_nodes: list = field(default_factory=SetList)
    output_nodes: list = field(default_factory=SetList)
    name: str | None = None
    computational_module: Any = None

    def __post_init__(self) -> None:
        self.input_nodes = SetList(self.input_nodes)
        self.output_nodes = SetList(self.output_nodes)
        for what, nodes in (("input_nodes", self.input_nodes), ("output_nodes", self.output_nodes)):
            for node in nodes:
                if not isinstance(node, GraphNode):
                    raise TypeError(
                        f"{type(self).__name__}.{what}: expected GraphNode objects; "
                        f"got {type(node).__name__}"
                    )

    @classmethod
    def _factory(
        cls, size_in: int, size_out: int, name=None, computational_module=None, *args, **kwargs
    ):
        """A new module of this class with ``size_in`` fresh input nodes and ``size_out`` fresh
        output nodes; further arguments fill the subclass's fields."""
        for arg, value in (("size_in", size_in), ("size_out", size_out)):
            if not isinstance(value, (int,)) and not hasattr(value, "__index__") or int(value) < 0:
                raise ValueError(f"{arg}: expected a non-negative integer; got {value!r}")
        inputs = SetList(GraphNode() for _ in range(int(size_in)))
        outputs = SetList(GraphNode() for _ in range(int(size_out)))
        return cls(inputs, outputs, name, computational_module, *args, **kwargs)

    def add_input(self, node: GraphNode) -> None:
        self.input_nodes.append(node)

    def add_output(self, node: GraphNode) -> None:
        self.output_nodes.append(node)

    def remove_input(self, node: GraphNode) -> None:
        self.input_nodes.remove(node)

    def remove_output(self, node: GraphNode) -> None:
        self.output_nodes.remove(node)

    def clear_inputs(self) -> None:
        for node in list(self.input_nodes):
            self.remove_input(node)

    def clear_outputs(self) -> None:
        for node in list(self.output_nodes):
            self.remove_output(node)

    @property
    def size_in(self) -> int:
        return len(self.input_nodes)

    @property
    def size_out(self) -> int:
        return len(self.output_nodes)

    def __repr__(self) -> str:
        name = f' "{self.name}"' if self.name else ""
        return (
            f"{type(self).__name__}{name} with {len(self.input_nodes)} input nodes -> "
            f"{len(self.output_nodes)} output nodes"
        )


@dataclass(eq=False, repr=False)
class GraphModule(GraphModuleBase):
    """A unit of computation: registers itself as the sink of its input nodes and the source of
    its output nodes."""

    def __post_init__(self) -> None:
        super().__post_init__()
        for node in self.input_nodes:
            node.add_sink(self)
        for node in self.output_nodes:
            node.add_source(self)

    def add_input(self, node: GraphNode) -> None:
        super().add_input(node)
        node.add_sink(self)

    def add_output(self, node: GraphNode) -> None:
        super().add_output(node)
        node.add_source(self)

    def remove_input(self, node: GraphNode) -> None:
        super().remove_input(node)
        node.remove_sink(self)

    def remove_output(self, node: GraphNode) -> None:
        super().remove_output(node)
        node.remove_source(self)

    @classmethod
    def _convert_from(cls, mod: GraphModuleBase) -> GraphModule:
        raise ValueError(f"{cls.__name__} cannot be converted from {type(mod).__name__}")


@dataclass(eq=False, repr=False)
class GraphHolder(GraphModuleBase):
    """A subgraph held by its input and output nodes; computes nothing itself."""


def as_GraphHolder(g: GraphModuleBase) -> GraphHolder:
    """A holder sharing ``g``'s input and output nodes and name."""
    if not isinstance(g, GraphModuleBase):
        raise TypeError(f"g: expected a GraphModule or GraphHolder; got {type(g).__name__}")
    return GraphHolder(g.input_nodes, g.output_nodes, g.name, g.computational_module)
