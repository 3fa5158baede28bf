"""Weight generators for reservoirs and hardware-conforming networks (Rockpool's names).

Every generator takes ``rng`` (a ``numpy.random.Generator`` or an integer seed) and never uses
the global NumPy random state. Matrices are indexed ``[source, target]``.
"""

from rockpool_nb.weights.hardware import DiscretiseWeightMatrix as DiscretiseWeightMatrix
from rockpool_nb.weights.hardware import digital as digital
from rockpool_nb.weights.hardware import dynapse_conform as dynapse_conform
from rockpool_nb.weights.reservoirs import combine_ff_rec_stack as combine_ff_rec_stack
from rockpool_nb.weights.reservoirs import (
    gen_sparse_partitioned_network as gen_sparse_partitioned_network,
)
from rockpool_nb.weights.reservoirs import iaf_sparse_net as iaf_sparse_net
from rockpool_nb.weights.reservoirs import one_dim_exc_res as one_dim_exc_res
from rockpool_nb.weights.reservoirs import rndm_ei_net as rndm_ei_net
from rockpool_nb.weights.reservoirs import rndm_sparse_ei_net as rndm_sparse_ei_net
from rockpool_nb.weights.reservoirs import unit_lambda_net as unit_lambda_net
from rockpool_nb.weights.reservoirs import wilson_cowan_net as wilson_cowan_net
from rockpool_nb.weights.reservoirs import wipe_non_switiching_eigs as wipe_non_switiching_eigs

__all__ = [
    "unit_lambda_net",
    "rndm_sparse_ei_net",
    "rndm_ei_net",
    "wilson_cowan_net",
    "wipe_non_switiching_eigs",
    "iaf_sparse_net",
    "one_dim_exc_res",
    "combine_ff_rec_stack",
    "gen_sparse_partitioned_network",
    "DiscretiseWeightMatrix",
    "dynapse_conform",
    "digital",
]
