"""Ridge-regression readouts, streamed over batches.

Minimise ``‖X W + b − Y‖² + λ‖W‖²`` (the bias is not regularised). The trainer accumulates
``X̃ᵀX̃`` and ``X̃ᵀY`` (``X̃ = [X, 1]``) batch by batch, so a long recording or a dataset never has
to be in memory at once, then solves the normal equations once.
"""

from __future__ import annotations

import numpy as np

__all__ = ["RidgeRegrTrainer", "train_readout"]


def _as_2d(name: str, data, width: int | None = None) -> np.ndarray:
    """``(T, N)`` rows from an array ``(T, N)``/``(B, T, N)``/``(T,)`` or a ``TSContinuous``."""
    if hasattr(data, "samples") and hasattr(data, "times"):
        data = data.samples
    a = np.asarray(data, dtype=float)
    if a.ndim == 1:
        a = a[:, None]
    elif a.ndim == 3:
        a = a.reshape(-1, a.shape[-1])
    elif a.ndim != 2:
        raise ValueError(
            f"{name}: expected (T, N), (batches, T, N) or a TSContinuous; got {a.shape}"
        )
    if width is not None and a.shape[1] != width:
        raise ValueError(f"{name}: expected {width} channels; got {a.shape[1]}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name}: expected finite values; got NaN or inf")
    return a


class RidgeRegrTrainer:
    """Streaming ridge regression from ``num_features`` inputs to ``num_outputs`` targets.

    Parameters
    ----------
    num_features, num_outputs : int
        Input and output widths.
    regularize : float
        ``λ`` (≥ 0), applied to the weights, not the bias.
    train_biases : bool
        Fit a bias per output.

    Examples
    --------
    >>> trainer = RidgeRegrTrainer(100, 2, regularize=0.1)     # doctest: +SKIP
    >>> for x, y in batches:
    ...     trainer.train_batch(x, y)
    >>> weights, bias = trainer.fit()
    """

    def __init__(
        self,
        num_features: int,
        num_outputs: int,
        regularize: float = 0.0,
        train_biases: bool = True,
    ):
        for name, value in (("num_features", num_features), ("num_outputs", num_outputs)):
            if int(value) != value or value < 1:
                raise ValueError(f"{name}: expected a positive integer; got {value!r}")
        if not regularize >= 0:
            raise ValueError(f"regularize: expected a non-negative number; got {regularize!r}")
        self.num_features = int(num_features)
        self.num_outputs = int(num_outputs)
        self.regularize = float(regularize)
        self.train_biases = bool(train_biases)
        self.reset()

    def reset(self) -> None:
        """Forget every batch seen so far."""
        k = self.num_features + int(self.train_biases)
        self.xtx = np.zeros((k, k))
        self.xty = np.zeros((k, self.num_outputs))
        self.num_samples = 0
        self.weights = np.zeros((self.num_features, self.num_outputs))
        self.bias = np.zeros(self.num_outputs)

    def train_batch(self, inp, target) -> None:
        """Add one batch: ``inp`` (T, num_features) or (B, T, num_features) or a
        ``TSContinuous``; ``target`` with the same time steps and ``num_outputs`` channels."""
        x = _as_2d("inp", inp, self.num_features)
        y = _as_2d("target", target, self.num_outputs)
        if x.shape[0] != y.shape[0]:
            raise ValueError(
                f"target: expected {x.shape[0]} time steps to match inp; got {y.shape[0]}"
            )
        if self.train_biases:
            x = np.hstack([x, np.ones((x.shape[0], 1))])
        self.xtx += x.T @ x
        self.xty += x.T @ y
        self.num_samples += x.shape[0]

    def fit(self) -> tuple[np.ndarray, np.ndarray]:
        """Solve for the weights ``(num_features, num_outputs)`` and bias ``(num_outputs,)``."""
        if self.num_samples == 0:
            raise RuntimeError("fit: no batches given; call train_batch first")
        reg = np.full(self.xtx.shape[0], self.regularize)
        if self.train_biases:
            reg[-1] = 0.0
        a = self.xtx + np.diag(reg)
        import scipy.linalg  # here, not at import: it costs 0.15 s that training by BPTT never needs

        try:
            sol = scipy.linalg.solve(a, self.xty, assume_a="sym")
        except (scipy.linalg.LinAlgError, ValueError):
            sol = np.linalg.lstsq(a, self.xty, rcond=None)[0]  # singular: least-norm solution
        self.weights = sol[: self.num_features]
        self.bias = sol[self.num_features] if self.train_biases else np.zeros(self.num_outputs)
        return self.weights, self.bias


def train_readout(states, targets, regularize: float = 0.0, bias: bool = True, linear=None):
    """Fit a ridge readout from recorded ``states`` to ``targets`` in one call.

    ``states`` and ``targets`` are arrays ``(T, N)``/``(B, T, N)``, ``TSContinuous``, or lists of
    those (batches, streamed). With ``linear`` (a ``Linear`` module of matching shape), the
    result is written into it (``has_bias=True`` is needed for a bias). Returns
    ``(weights, bias)``.
    """
    xs = states if isinstance(states, (list, tuple)) else [states]
    ys = targets if isinstance(targets, (list, tuple)) else [targets]
    if len(xs) != len(ys):
        raise ValueError(f"targets: expected {len(xs)} batches to match states; got {len(ys)}")
    first = _as_2d("states", xs[0])
    trainer = RidgeRegrTrainer(first.shape[1], _as_2d("targets", ys[0]).shape[1], regularize, bias)
    for x, y in zip(xs, ys):
        trainer.train_batch(x, y)
    w, b = trainer.fit()
    if linear is not None:
        if tuple(linear.shape) != w.shape:
            raise ValueError(f"linear: expected shape {w.shape}; got {tuple(linear.shape)}")
        update = {"weight": w}
        if bias:
            if "bias" not in linear._registry:
                raise ValueError(
                    "linear: the readout has no bias parameter; build it with has_bias=True "
                    "or pass bias=False"
                )
            update["bias"] = b
        linear.set_attributes(update)
    return w, b
