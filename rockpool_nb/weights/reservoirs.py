"""Recurrent weight matrices for rate and spiking reservoirs.

Matrices are indexed ``[source, target]`` (as ``x @ W``): row ``i`` holds the outgoing weights of
neuron ``i``. Every generator takes ``rng`` (a ``numpy.random.Generator`` or a seed); none uses
the global NumPy random state.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from rockpool_nb.weights._common import check_fraction, check_size, generator, normalise

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
]


def unit_lambda_net(res_size: int, rng=None) -> np.ndarray:
    """A ``res_size`` × ``res_size`` matrix drawn from N(0, 1/√N): the eigenvalues fill the unit disc (spectral
    radius ≈ 1, the circular law)."""
    n = check_size("res_size", res_size)
    return generator(rng).standard_normal((n, n)) / np.sqrt(n)


def rndm_sparse_ei_net(
    res_size: int,
    connectivity: float = 1.0,
    rndm_weight_fct: Callable[[int], np.ndarray] | None = None,
    partitioned: bool = False,
    ratio_exc: float = 0.5,
    scale_inh: float = 1.0,
    normalization: float | None = 0.95,
    rng=None,
) -> np.ndarray:
    """A sparse excitatory/inhibitory reservoir.

    A fraction ``connectivity`` of the entries is non-zero, with magnitudes from
    ``rndm_weight_fct(n)`` (default uniform [0, 1)). With ``partitioned``, the first
    ``round(ratio_exc·N)`` neurons are excitatory (positive rows) and the others inhibitory
    (negative rows, scaled by ``scale_inh``); otherwise each connection is excitatory with
    probability ``ratio_exc``. With ``normalization``, the spectral radius is set to it.
    """
    n = check_size("res_size", res_size)
    connectivity = check_fraction("connectivity", connectivity)
    ratio_exc = check_fraction("ratio_exc", ratio_exc)
    g = generator(rng)
    draw = rndm_weight_fct or (lambda k: g.random(k))
    mask = g.random((n, n)) < connectivity
    w = np.zeros((n, n))
    w[mask] = np.abs(np.asarray(draw(int(mask.sum())), dtype=float))
    if partitioned:
        n_exc = int(round(ratio_exc * n))
        w[n_exc:] *= -scale_inh
    else:
        inhibitory = g.random((n, n)) >= ratio_exc
        w[inhibitory] *= -scale_inh
    return normalise(w, normalization)


def rndm_ei_net(
    num_exc: int,
    num_inh: int,
    ratio_inh_exc: float = 1.0,
    rndm_weight_fct: Callable[[int], np.ndarray] | None = None,
    normalization: float | None = 0.95,
    rng=None,
) -> np.ndarray:
    """A dense excitatory/inhibitory reservoir: rows of the ``num_exc`` excitatory neurons are
    positive, rows of the ``num_inh`` inhibitory ones negative, and every neuron receives a total
    inhibitory weight ``ratio_inh_exc`` times its total excitatory weight. The spectral radius
    is then set to ``normalization``."""
    n_e = check_size("num_exc", num_exc)
    n_i = check_size("num_inh", num_inh)
    g = generator(rng)
    draw = rndm_weight_fct or (lambda k: g.standard_normal(k))
    n = n_e + n_i
    w = np.abs(np.asarray(draw(n * n), dtype=float)).reshape(n, n)
    exc = w[:n_e].sum(axis=0)
    inh = w[n_e:].sum(axis=0)
    w[n_e:] *= -ratio_inh_exc * exc / np.where(inh > 0, inh, 1.0)
    return normalise(w, normalization)


def wilson_cowan_net(
    num_nodes: int,
    self_exc: float = 1.0,
    self_inh: float = 1.0,
    exc_sigma: float = 1.0,
    inh_sigma: float = 1.0,
    rndm_weight_fct: Callable[[int], np.ndarray] | None = None,
    rng=None,
) -> np.ndarray:
    """A ``2N × 2N`` network of Wilson-Cowan oscillators: neurons ``0..N−1`` are the excitatory
    units and ``N..2N−1`` the inhibitory ones. Node ``i`` couples ``E_i → E_i`` (``self_exc``),
    ``E_i → I_i`` (``self_exc``), ``I_i → E_i`` (``−self_inh``) and ``I_i → I_i``
    (``−self_inh``); between nodes, excitatory units project with ``|N(0, exc_sigma)|`` weights
    and inhibitory units with ``−|N(0, inh_sigma)|``."""
    n = check_size("num_nodes", num_nodes)
    g = generator(rng)
    draw = rndm_weight_fct or (lambda k: g.standard_normal(k))
    w = np.zeros((2 * n, 2 * n))
    w[:n] = np.abs(np.asarray(draw(2 * n * n), dtype=float)).reshape(n, 2 * n) * exc_sigma
    w[n:] = -np.abs(np.asarray(draw(2 * n * n), dtype=float)).reshape(n, 2 * n) * inh_sigma
    idx = np.arange(n)
    w[idx, idx] = self_exc
    w[idx, idx + n] = self_exc
    w[idx + n, idx] = -self_inh
    w[idx + n, idx + n] = -self_inh
    return w


def wipe_non_switiching_eigs(
    weights: np.ndarray, idcs_inh=None, inh_tau_factor: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """Remove the eigenmodes of a rate network's Jacobian that cannot switch partitions.

    The linearised dynamics are ``J = (W − I) / τ`` with ``τ = 1`` for excitatory and
    ``inh_tau_factor`` for inhibitory neurons (``idcs_inh``). Eigenmodes with a positive real part
    whose eigenvector does not change sign (all entries of one sign: uniform run-away rather than
    switching between sub-populations) are removed: their eigenvalue is set to 0 in ``J`` and the
    weights rebuilt. Returns ``(weights, J)``.
    """
    w = np.asarray(weights, dtype=float)
    n = w.shape[0]
    if w.shape != (n, n):
        raise ValueError(f"weights: expected a square matrix; got shape {w.shape}")
    tau = np.ones(n)
    if idcs_inh is not None:
        tau[np.asarray(idcs_inh, dtype=int)] = inh_tau_factor
    jac = (w.T - np.eye(n)) / tau[:, None]  # dx/dt = J x, with x @ W as input
    vals, vecs = np.linalg.eig(jac)
    keep = np.ones(n, dtype=bool)
    for k in range(n):
        v = np.real(vecs[:, k])
        if np.real(vals[k]) > 0 and (np.all(v >= -1e-12) or np.all(v <= 1e-12)):
            keep[k] = False
    vals = np.where(keep, vals, 0.0)
    jac = np.real(vecs @ np.diag(vals) @ np.linalg.inv(vecs))
    w_new = (jac * tau[:, None] + np.eye(n)).T
    return w_new, jac


def iaf_sparse_net(
    res_size: int = 100,
    mean: float | None = None,
    std: float | None = None,
    density: float = 1.0,
    rng=None,
) -> np.ndarray:
    """A random sparse reservoir for integrate-and-fire networks: a fraction ``density`` of the
    entries are drawn from N(mean, std) (volts; defaults −4.5 mV and 5.5 mV, scaled by
    ``1/(N·density)`` so the summed input per neuron keeps that mean), the rest are 0."""
    n = check_size("res_size", res_size)
    density = check_fraction("density", density)
    g = generator(rng)
    k = max(n * density, 1.0)
    mean = -4.5e-3 / k if mean is None else mean
    std = 5.5e-3 / np.sqrt(k) if std is None else std
    w = g.normal(mean, std, (n, n))
    w[g.random((n, n)) >= density] = 0.0
    return w


def one_dim_exc_res(size: int, n_neighbour: int, zero_diagnoal: bool = True) -> np.ndarray:
    """Excitatory ring: each neuron projects (weight 1) to its ``n_neighbour`` nearest
    neighbours on a 1-D ring (``n_neighbour // 2`` on each side, the extra one ahead when odd);
    with ``zero_diagnoal`` there are no self-connections."""
    n = check_size("size", size)
    w = np.zeros((n, n))
    # neighbours in the order +1, −1, +2, −2, ...
    offsets = [(k + 1) // 2 * (1 if k % 2 else -1) for k in range(1, n_neighbour + 1)]
    for i in range(n):
        for d in offsets:
            w[i, (i + d) % n] = 1.0
    if not zero_diagnoal:
        np.fill_diagonal(w, 1.0)
    return w


def combine_ff_rec_stack(weights_ff: np.ndarray, weights_rec: np.ndarray) -> np.ndarray:
    """One ``(M+N) × (M+N)`` recurrent matrix from feed-forward ``(M, N)`` and recurrent
    ``(N, N)`` weights: the first ``M`` units are the inputs."""
    ff = np.asarray(weights_ff, dtype=float)
    rec = np.asarray(weights_rec, dtype=float)
    m, n = ff.shape
    if rec.shape != (n, n):
        raise ValueError(
            f"weights_rec: expected shape ({n}, {n}) to match weights_ff; got {rec.shape}"
        )
    w = np.zeros((m + n, m + n))
    w[:m, m:] = ff
    w[m:, m:] = rec
    return w


def gen_sparse_partitioned_network(
    partition_sizes, num_internal_inputs: int = 0, num_between_inputs: int = 0, rng=None
) -> tuple[np.ndarray, list]:
    """A 0/1 matrix ``[source, target]`` where each neuron receives ``num_internal_inputs``
    connections from distinct other neurons of its own partition and ``num_between_inputs`` from
    distinct neurons outside it. Returns ``(weights, conn_lists)`` with ``[target, sources]``."""
    sizes = [check_size("partition_sizes", s) for s in partition_sizes]
    g = generator(rng)
    n = sum(sizes)
    starts = np.cumsum([0] + sizes)
    w = np.zeros((n, n))
    conns = []
    for p, size in enumerate(sizes):
        inside = np.arange(starts[p], starts[p + 1])
        outside = np.setdiff1d(np.arange(n), inside)
        for target in inside:
            pool = inside[inside != target]
            if num_internal_inputs > len(pool) or num_between_inputs > len(outside):
                raise ValueError(
                    f"partition {p} of size {size}: cannot draw {num_internal_inputs} internal "
                    f"and {num_between_inputs} external inputs without repeats"
                )
            src = list(g.choice(pool, num_internal_inputs, replace=False))
            src += list(g.choice(outside, num_between_inputs, replace=False))
            w[src, target] = 1.0
            conns.append([int(target), [int(s) for s in src]])
    return w, conns
