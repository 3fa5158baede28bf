"""Computational graphs: the structure of a network, for hardware mapping and interchange.

``net.as_graph()`` returns a graph of :class:`GraphModule` objects connected over
:class:`GraphNode` objects; :func:`graph_to_network` builds a runnable network from one.
"""

from rockpool_nb.graph.graph_base import GraphHolder as GraphHolder
from rockpool_nb.graph.graph_base import GraphModule as GraphModule
from rockpool_nb.graph.graph_base import GraphModuleBase as GraphModuleBase
from rockpool_nb.graph.graph_base import GraphNode as GraphNode
from rockpool_nb.graph.graph_base import SetList as SetList
from rockpool_nb.graph.graph_base import as_GraphHolder as as_GraphHolder
from rockpool_nb.graph.graph_modules import AliasConnection as AliasConnection
from rockpool_nb.graph.graph_modules import ExpSynRealValue as ExpSynRealValue
from rockpool_nb.graph.graph_modules import GenericNeurons as GenericNeurons
from rockpool_nb.graph.graph_modules import InstantNeurons as InstantNeurons
from rockpool_nb.graph.graph_modules import LIFNeuronWithSynsRealValue as LIFNeuronWithSynsRealValue
from rockpool_nb.graph.graph_modules import LinearWeights as LinearWeights
from rockpool_nb.graph.graph_modules import (
    RateNeuronWithSynsRealValue as RateNeuronWithSynsRealValue,
)
from rockpool_nb.graph.registry import register_graph_converter as register_graph_converter
from rockpool_nb.graph.to_network import graph_to_network as graph_to_network
from rockpool_nb.graph.utils import bag_graph as bag_graph
from rockpool_nb.graph.utils import connect_modules as connect_modules
from rockpool_nb.graph.utils import find_modules_of_subclass as find_modules_of_subclass
from rockpool_nb.graph.utils import find_recurrent_modules as find_recurrent_modules
from rockpool_nb.graph.utils import replace_module as replace_module

__all__ = [
    "GraphModuleBase",
    "GraphModule",
    "GraphNode",
    "GraphHolder",
    "SetList",
    "as_GraphHolder",
    "LinearWeights",
    "GenericNeurons",
    "AliasConnection",
    "LIFNeuronWithSynsRealValue",
    "RateNeuronWithSynsRealValue",
    "ExpSynRealValue",
    "InstantNeurons",
    "connect_modules",
    "bag_graph",
    "find_modules_of_subclass",
    "find_recurrent_modules",
    "replace_module",
    "graph_to_network",
    "register_graph_converter",
]
