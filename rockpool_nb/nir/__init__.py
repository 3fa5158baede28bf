"""NIR interchange (``nir`` extra): :func:`to_nir` and :func:`from_nir`."""

from rockpool_nb.nir.convert import from_nir as from_nir
from rockpool_nb.nir.convert import to_nir as to_nir

__all__ = ["to_nir", "from_nir"]
