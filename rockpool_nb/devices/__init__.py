"""Neuromorphic chips: catalogue, mapping with design-rule checks, quantisation, simulation.

``CHIPS`` lists the chips; ``map_network(net, "xylo-audio-2")`` checks a network against a chip
and returns its integer configuration; ``simulate(config)`` is the bit-exact simulated chip.
Heavier parts load on first use, so importing this package stays light. Vendor drivers
(``samna``) are never imported unless a board is asked for.
"""

from __future__ import annotations

import importlib

from rockpool_nb.devices.catalogue import CHIPS as CHIPS
from rockpool_nb.devices.catalogue import ChipSpec as ChipSpec
from rockpool_nb.devices.catalogue import chip_spec as chip_spec
from rockpool_nb.devices.config import HardwareConfig as HardwareConfig

_LAZY = {
    "XyloSim": "rockpool_nb.devices.xylo_sim",
    "simulate": "rockpool_nb.devices.xylo_sim",
    "map_network": "rockpool_nb.devices.mapping",
    "Mapping": "rockpool_nb.devices.mapping",
    "Violation": "rockpool_nb.devices.rules",
    "quantise": "rockpool_nb.devices.quantise",
    "compare_outputs": "rockpool_nb.devices.compare",
    "DynapSESim": "rockpool_nb.devices.dynapse",
    "DynapSEConfig": "rockpool_nb.devices.dynapse",
    "deploy": "rockpool_nb.devices.deployed",
    "DeployedModule": "rockpool_nb.devices.deployed",
    "discover": "rockpool_nb.devices.transport.discovery",
    "DeviceClient": "rockpool_nb.devices.transport.client",
    "DeviceError": "rockpool_nb.devices.transport.client",
    "DeviceInfo": "rockpool_nb.devices.transport.discovery",
}

__all__ = ["CHIPS", "ChipSpec", "chip_spec", "HardwareConfig", *sorted(_LAZY)]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'rockpool_nb.devices' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
