"""``Residual``: a sequential stack whose input is added to its output."""

from __future__ import annotations

from rockpool_nb.nn.combinators.sequential import ModSequential

__all__ = ["Residual", "ModResidual"]


class ModResidual(ModSequential):
    """A stack of modules with a skip connection: ``y = stack(x) + x`` (built by :func:`Residual`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.size_in != self.size_out:
            raise ValueError(
                f"Residual: expected the stack's input and output sizes to be equal; got "
                f"{self.size_in} inputs and {self.size_out} outputs"
            )

    def evolve(self, input_data, record: bool = False):
        """Evolve the stack and add its input to its output."""
        output, new_state, rec = super().evolve(input_data, record=record)
        return output + input_data, new_state, rec


def Residual(*args, **kwargs) -> ModResidual:
    """Build a residual stack ``y = Sequential(*args)(x) + x``; input and output sizes must match."""
    return ModResidual(*args, **kwargs)
