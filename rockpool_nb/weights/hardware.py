"""Weight matrices that respect neuromorphic-hardware constraints (integer connection counts,
limited fan-in and fan-out). Indexed ``[source, target]``; seeded by ``rng``."""

from __future__ import annotations

import numpy as np

from rockpool_nb.weights._common import check_fraction, generator, normalise, spectral_radius

__all__ = ["DiscretiseWeightMatrix", "dynapse_conform", "digital"]


def _limit(order_scores: np.ndarray, mask: np.ndarray, limit: int | None, axis: int) -> np.ndarray:
    """Keep at most ``limit`` entries of ``mask`` per row (axis=1) or column (axis=0), the ones
    with the largest ``order_scores``."""
    if limit is None:
        return mask
    mask = mask.copy()
    scores = np.where(mask, order_scores, -np.inf)
    if axis == 0:
        scores, mask = scores.T, mask.T
    for i in range(mask.shape[0]):
        idx = np.flatnonzero(mask[i])
        if len(idx) > limit:
            drop = idx[np.argsort(scores[i, idx])[: len(idx) - limit]]
            mask[i, drop] = False
    return mask.T if axis == 0 else mask


def DiscretiseWeightMatrix(
    weights: np.ndarray,
    max_num_connections: int = 3,
    max_num_inputs: int | None = None,
    max_num_outputs: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Discretise a real weight matrix into integer connection counts.

    The strongest connections are kept, at most ``max_num_inputs`` per target (column) and
    ``max_num_outputs`` per source (row). Excitatory and inhibitory weights are then rounded
    separately to ``0..max_num_connections`` units of ``e_unit = max(w⁺)/max_num_connections``
    and ``i_unit = max(|w⁻|)/max_num_connections``.

    Returns
    -------
    (weights_discrete, num_connections)
        ``num_connections`` are signed integer counts; ``weights_discrete`` = counts × unit
        (``e_unit`` where positive, ``i_unit`` where negative). Two values, as Rockpool 3.1
        returns (its docstring lists four).
    """
    w = np.asarray(weights, dtype=float)
    if w.ndim != 2:
        raise ValueError(f"weights: expected a 2-D matrix; got shape {w.shape}")
    if int(max_num_connections) < 1:
        raise ValueError(f"max_num_connections: expected >= 1; got {max_num_connections!r}")
    mask = w != 0
    mask = _limit(np.abs(w), mask, max_num_inputs, axis=0)
    mask = _limit(np.abs(w), mask, max_num_outputs, axis=1)
    w = np.where(mask, w, 0.0)
    e_unit = w.max(initial=0.0) / max_num_connections
    i_unit = -w.min(initial=0.0) / max_num_connections
    counts = np.zeros(w.shape, dtype=int)
    if e_unit > 0:
        counts += np.where(w > 0, np.round(w / e_unit), 0).astype(int)
    if i_unit > 0:
        counts += np.where(w < 0, np.round(w / i_unit), 0).astype(int)
    discrete = np.where(counts > 0, counts * e_unit, counts * i_unit)
    return discrete, counts


def dynapse_conform(
    shape,
    connectivity: float | None = None,
    ratio_exc: float = 0.5,
    max_num_inputs: int = 64,
    max_num_outputs: int = 1024,
    weights_exc=(1, 2),
    weights_inh=(1, 2),
    probs_w_exc=(0.5, 0.5),
    probs_w_inh=(0.5, 0.5),
    normalization: float | None = None,
    rng=None,
) -> tuple[np.ndarray, np.ndarray, dict]:
    """A random matrix that fits DynapSE: each target takes at most ``max_num_inputs``
    connections in total (a weight ``k`` uses ``k`` of them), each source at most
    ``max_num_outputs``. A fraction ``connectivity`` of entries is non-zero (default and upper
    bound: as many as the fan-in allows); each is excitatory with probability ``ratio_exc``, with
    a strength drawn from ``weights_exc`` (``probs_w_exc``) or ``−weights_inh``.

    Returns ``(weights, counts, counts_by_strength)``: signed weights (scaled to spectral radius
    ``normalization`` if given), the integer connection counts, and ``{strength: count}``.
    """
    n_src, n_tgt = (int(s) for s in shape)
    ratio_exc = check_fraction("ratio_exc", ratio_exc)
    g = generator(rng)
    max_conn = min(1.0, max_num_inputs / n_src)
    connectivity = (
        max_conn if connectivity is None else check_fraction("connectivity", connectivity)
    )
    if connectivity > max_conn:
        raise ValueError(
            f"connectivity: at most {max_conn:g} fits {max_num_inputs} inputs per neuron from "
            f"{n_src} sources; got {connectivity}"
        )
    counts = np.zeros((n_src, n_tgt), dtype=int)
    fan_out = np.zeros(n_src, dtype=int)
    per_target = int(round(connectivity * n_src))
    for t in range(n_tgt):
        budget = max_num_inputs
        for s in g.permutation(n_src)[:per_target]:
            exc = g.random() < ratio_exc
            k = int(
                g.choice(weights_exc if exc else weights_inh, p=probs_w_exc if exc else probs_w_inh)
            )
            if k > budget or fan_out[s] + k > max_num_outputs:
                continue
            counts[s, t] = k if exc else -k
            budget -= k
            fan_out[s] += k
    strengths: dict[int, int] = {}
    for v in counts[counts != 0]:
        strengths[int(v)] = strengths.get(int(v), 0) + 1
    weights = counts.astype(float)
    if normalization is not None and n_src == n_tgt and spectral_radius(weights) > 0:
        weights = normalise(weights, normalization)
    return weights, counts, strengths


def digital(
    shape,
    connectivity: float | None = None,
    ratio_exc: float = 0.5,
    bit_resolution: int = 4,
    max_num_inputs: int = 64,
    max_num_outputs: int = 1024,
    use_range: float = 1.0,
    normalization: float | None = None,
    f_rescale: float | None = None,
    rng=None,
) -> tuple[np.ndarray, np.ndarray, float]:
    """A random matrix of integer weights with ``bit_resolution`` bits: excitatory entries in
    ``1 .. use_range·(2^(b−1) − 1)``, inhibitory in ``−use_range·2^(b−1) .. −1``, at most
    ``max_num_inputs`` non-zero entries per target and ``max_num_outputs`` per source.

    Returns ``(weights, integer_weights, scale)`` with ``weights = integer_weights · scale``
    (``scale`` sets the spectral radius to ``normalization`` and/or multiplies by
    ``f_rescale``)."""
    n_src, n_tgt = (int(s) for s in shape)
    g = generator(rng)
    max_conn = min(1.0, max_num_inputs / n_src)
    connectivity = (
        max_conn if connectivity is None else check_fraction("connectivity", connectivity)
    )
    top_e = max(1, int(use_range * (2 ** (bit_resolution - 1) - 1)))
    top_i = max(1, int(use_range * 2 ** (bit_resolution - 1)))
    mask = g.random((n_src, n_tgt)) < connectivity
    mask = _limit(g.random((n_src, n_tgt)), mask, max_num_inputs, axis=0)
    mask = _limit(g.random((n_src, n_tgt)), mask, max_num_outputs, axis=1)
    exc = g.random((n_src, n_tgt)) < ratio_exc
    ints = np.where(
        exc, g.integers(1, top_e + 1, mask.shape), -g.integers(1, top_i + 1, mask.shape)
    )
    ints = np.where(mask, ints, 0)
    scale = 1.0
    if normalization is not None and n_src == n_tgt and spectral_radius(ints.astype(float)) > 0:
        scale = normalization / spectral_radius(ints.astype(float))
    if f_rescale is not None:
        scale *= f_rescale
    return ints * scale, ints, float(scale)
