"""Arithmetic on ``TSContinuous`` samples.

The right operand is a scalar / array broadcast to ``samples`` (``(T, C)``), or another
``TSContinuous`` sampled at ``self.times``. NaN rules:

- ``+`` and ``-``: NaN counts as 0 unless both operands are NaN (then NaN);
- ``*``, ``/``, ``//``, ``**``: NaN in either operand gives NaN.

Binary operators return a new series; in-place forms (``+=``, ...) modify ``self``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ContinuousArithmetic"]


class ContinuousArithmetic:
    """Mixin giving ``TSContinuous`` its arithmetic operators."""

    # ------------------------------------------------------------------ operand helpers
    def _broadcast(self, other) -> np.ndarray:
        """``other`` as a fresh array of ``self.samples``' shape (``ValueError`` if impossible)."""
        try:
            return np.broadcast_to(other, self.samples.shape).copy()
        except ValueError as err:
            raise ValueError(
                f"TSContinuous `{self.name}`: Input data (shape {np.shape(other)}) could not be "
                f"broadcast to samples shape ({self.samples.shape})."
            ) from err

    def _operand(self, other) -> np.ndarray:
        if isinstance(other, ContinuousArithmetic):
            other = other(self.times)
        return self._broadcast(other)

    def _apply_nan_as_zero(self, other, op):
        # a (+/-) b with NaN -> 0, unless both NaN
        other = self._operand(other)
        nan_self, nan_other = np.isnan(self.samples), np.isnan(other)
        result = op(np.where(nan_self, 0.0, self.samples), np.where(nan_other, 0.0, other))
        result[nan_self & nan_other] = np.nan
        self.samples = result
        return self

    def _apply_nan_propagating(self, other, op):
        other = self._operand(other)
        nan = np.isnan(self.samples) | np.isnan(other)
        with np.errstate(divide="ignore", invalid="ignore"):
            result = op(self.samples, other)
        result[nan] = np.nan
        self.samples = result
        return self

    # ------------------------------------------------------------------ + -
    def __iadd__(self, other):
        return self._apply_nan_as_zero(other, np.add)

    def __add__(self, other):
        return self.copy().__iadd__(other)

    def __radd__(self, other):
        return self + other

    def __isub__(self, other):
        return self._apply_nan_as_zero(other, np.subtract)

    def __sub__(self, other):
        return self.copy().__isub__(other)

    def __rsub__(self, other):
        return -(self - other)

    # ------------------------------------------------------------------ * / // **
    def __imul__(self, other):
        # Unlike the other operators, ``*`` may broadcast samples to a larger shape.
        if isinstance(other, ContinuousArithmetic):
            other = other(self.times)
        nan_self, nan_other = np.isnan(self.samples), np.isnan(other)
        a, b, nan_self, nan_other = np.broadcast_arrays(self.samples, other, nan_self, nan_other)
        result = a * b
        result[nan_self | nan_other] = np.nan
        self.samples = result
        return self

    def __mul__(self, other):
        return self.copy().__imul__(other)

    def __rmul__(self, other):
        return self * other

    def __itruediv__(self, other):
        if isinstance(other, ContinuousArithmetic):
            other = np.reshape(other(self.times), (np.size(self.times), -1))
        return self._apply_nan_propagating(other, np.true_divide)

    def __truediv__(self, other):
        return self.copy().__itruediv__(other)

    def __rtruediv__(self, other):
        # other / self == (1 / self) * other
        inverse = self.copy()
        with np.errstate(divide="ignore"):
            inverse.samples = 1 / inverse.samples
        return inverse * other

    def __ifloordiv__(self, other):
        return self._apply_nan_propagating(other, np.floor_divide)

    def __floordiv__(self, other):
        return self.copy().__ifloordiv__(other)

    def __rfloordiv__(self, other):
        # other // self computed as (1 / self) // (1 / other), as Rockpool does
        inverse = self.copy()
        with np.errstate(divide="ignore"):
            inverse.samples = 1 / inverse.samples
            return inverse // (1 / other)

    def __ipow__(self, exponent):
        return self._apply_nan_propagating(exponent, np.power)

    def __pow__(self, exponent):
        return self.copy().__ipow__(exponent)

    def __rpow__(self, base):
        result = self.copy()
        base = result._broadcast(base)
        nan = np.isnan(result.samples) | np.isnan(base)
        with np.errstate(invalid="ignore"):
            samples = base**result.samples
        samples[nan] = np.nan
        result.samples = samples
        return result

    # ------------------------------------------------------------------ matrix, unary
    def __imatmul__(self, matrix):
        # (T, C) @ (C, C') -> (T, C'): mixes channels
        self.samples = self.samples @ matrix
        return self

    def __matmul__(self, matrix):
        return self.copy().__imatmul__(matrix)

    def __rmatmul__(self, matrix):
        raise NotImplementedError(
            f"TSContinuous `{self.name}`: matrix @ series is not defined; use series @ matrix"
        )

    def __abs__(self):
        result = self.copy()
        result.samples = np.abs(result.samples)
        return result

    def __neg__(self):
        result = self.copy()
        result.samples = -result.samples
        return result
