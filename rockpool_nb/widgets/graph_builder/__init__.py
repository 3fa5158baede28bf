"""Visual graph builder: palette, canvas, parameter editor, two-way sync with Python and code."""

from rockpool_nb.widgets.graph_builder.palette import ParamSpec as ParamSpec
from rockpool_nb.widgets.graph_builder.palette import builder_types as builder_types
from rockpool_nb.widgets.graph_builder.palette import register_builder_type as register_builder_type
from rockpool_nb.widgets.graph_builder.saved import saved_drawings as saved_drawings
from rockpool_nb.widgets.graph_builder.state import code_from_graph as code_from_graph
from rockpool_nb.widgets.graph_builder.state import graph_from_network as graph_from_network
from rockpool_nb.widgets.graph_builder.state import network_from_graph as network_from_graph
from rockpool_nb.widgets.graph_builder.state import validate_graph as validate_graph
from rockpool_nb.widgets.graph_builder.widget import GraphBuilder as GraphBuilder

__all__ = [
    "GraphBuilder",
    "ParamSpec",
    "builder_types",
    "register_builder_type",
    "graph_from_network",
    "saved_drawings",
    "network_from_graph",
    "code_from_graph",
    "validate_graph",
]
