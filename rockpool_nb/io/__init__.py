"""Saving and loading networks: ``rockpool_nb.save(net, path)``, ``rockpool_nb.load(path)``."""

from rockpool_nb.io.network_file import FORMAT as FORMAT
from rockpool_nb.io.network_file import VERSION as VERSION
from rockpool_nb.io.network_file import load as load
from rockpool_nb.io.network_file import save as save

__all__ = ["save", "load", "FORMAT", "VERSION"]
