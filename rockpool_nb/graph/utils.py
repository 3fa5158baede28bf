"""Wiring and searching graphs."""

from __future__ import annotations

from rockpool_nb.graph.graph_base import GraphHolder, GraphModuleBase, GraphNode, SetList

__all__ = [
    "connect_modules",
    "bag_graph",
    "find_modules_of_subclass",
    "find_recurrent_modules",
    "replace_module",
]


def _check_graph(arg: str, g) -> None:
    if not isinstance(g, GraphModuleBase):
        raise TypeError(f"{arg}: expected a GraphModule or GraphHolder; got {type(g).__name__}")


def _merge(keep: GraphNode, drop: GraphNode, holders=()) -> None:
    """Replace node ``drop`` by ``keep`` in every module that refers to it."""
    if keep is drop:
        return
    for mod in list(drop.sink_modules):
        mod.input_nodes[:] = [keep if n is drop else n for n in mod.input_nodes]
        keep.add_sink(mod)
    for mod in list(drop.source_modules):
        mod.output_nodes[:] = [keep if n is drop else n for n in mod.output_nodes]
        keep.add_source(mod)
    for holder in holders:
        holder.input_nodes[:] = [keep if n is drop else n for n in holder.input_nodes]
        holder.output_nodes[:] = [keep if n is drop else n for n in holder.output_nodes]
    drop.sink_modules.clear()
    drop.source_modules.clear()


def connect_modules(
    source: GraphModuleBase,
    dest: GraphModuleBase,
    source_indices=None,
    dest_indices=None,
) -> None:
    """Connect ``source``'s output nodes (or those at ``source_indices``) to ``dest``'s input
    nodes (or those at ``dest_indices``), in order, by merging each pair into the source's node.
    """
    _check_graph("source", source)
    _check_graph("dest", dest)
    outs = list(source.output_nodes)
    ins = list(dest.input_nodes)
    if source_indices is not None:
        outs = [outs[i] for i in _indices("source_indices", source_indices, len(outs))]
    if dest_indices is not None:
        ins = [ins[i] for i in _indices("dest_indices", dest_indices, len(ins))]
    if len(outs) != len(ins):
        raise ValueError(
            f"connect_modules: {len(outs)} source output nodes cannot connect to "
            f"{len(ins)} destination input nodes; the counts must match"
        )
    holders = [g for g in (source, dest) if isinstance(g, GraphHolder)]
    for keep, drop in zip(outs, ins):
        _merge(keep, drop, holders)


def _indices(arg: str, indices, size: int) -> list[int]:
    if isinstance(indices, int):
        indices = [indices]
    out = [int(i) for i in indices]
    bad = [i for i in out if not -size <= i < size]
    if bad:
        raise IndexError(f"{arg}: expected indices in [0, {size}); got {bad}")
    return out


def bag_graph(graph: GraphModuleBase) -> tuple[SetList, SetList]:
    """All nodes and all computing modules reachable from ``graph``'s inputs (following nodes
    to their sink and source modules); holders are not included."""
    _check_graph("graph", graph)
    nodes, modules = SetList(), SetList()
    todo = list(graph.input_nodes) + list(graph.output_nodes)
    while todo:
        node = todo.pop(0)
        if any(node is n for n in nodes):
            continue
        nodes.append(node)
        for mod in list(node.sink_modules) + list(node.source_modules):
            if not any(mod is m for m in modules):
                modules.append(mod)
                todo.extend(mod.input_nodes)
                todo.extend(mod.output_nodes)
    return nodes, modules


def find_modules_of_subclass(graph: GraphModuleBase, cls) -> SetList:
    """The modules of ``graph`` that are instances of ``cls``."""
    _, modules = bag_graph(graph)
    return SetList(m for m in modules if isinstance(m, cls))


def find_recurrent_modules(graph: GraphModuleBase) -> tuple[SetList, SetList]:
    """``(all modules, recurrent modules)``: a module is recurrent when a module it feeds also
    feeds it (a population and its recurrent weights are both recurrent)."""
    _, modules = bag_graph(graph)
    recurrent = SetList()
    for mod in modules:
        sinks = {id(m) for n in mod.output_nodes for m in n.sink_modules}
        sources = {id(m) for n in mod.input_nodes for m in n.source_modules}
        if sinks & sources:
            recurrent.append(mod)
    return modules, recurrent


def replace_module(target: GraphModuleBase, replacement: GraphModuleBase) -> None:
    """Put ``replacement`` in the place of ``target``: it takes over ``target``'s nodes."""
    _check_graph("target", target)
    _check_graph("replacement", replacement)
    if (target.size_in, target.size_out) != (replacement.size_in, replacement.size_out):
        raise ValueError(
            f"replace_module: node counts must match; target has {target.size_in} -> "
            f"{target.size_out}, replacement {replacement.size_in} -> {replacement.size_out}"
        )
    for keep, drop in zip(list(target.input_nodes), list(replacement.input_nodes)):
        if any(replacement is m for m in drop.sink_modules):
            drop.remove_sink(replacement)
        replacement.input_nodes[:] = [keep if n is drop else n for n in replacement.input_nodes]
        if not isinstance(replacement, GraphHolder):
            keep.add_sink(replacement)
        if not isinstance(target, GraphHolder) and any(target is m for m in keep.sink_modules):
            keep.remove_sink(target)
    for keep, drop in zip(list(target.output_nodes), list(replacement.output_nodes)):
        if any(replacement is m for m in drop.source_modules):
            drop.remove_source(replacement)
        replacement.output_nodes[:] = [keep if n is drop else n for n in replacement.output_nodes]
        if not isinstance(replacement, GraphHolder):
            keep.add_source(replacement)
        if not isinstance(target, GraphHolder) and any(target is m for m in keep.source_modules):
            keep.remove_source(target)
