"""``UpDown``: analog signals to up/down spike trains by delta modulation."""

from __future__ import annotations

import numpy as np

from rockpool_nb.kernels.updown import updown_evolve
from rockpool_nb.nn.modules._shapes import neuron_shape
from rockpool_nb.nn.modules.module import Module
from rockpool_nb.parameters import Parameter, SimulationParameter, State, conform

__all__ = ["UpDown"]


class UpDown(Module):
    """Delta-modulation encoder: each of ``C`` input channels drives two outputs, ``2c`` (up)
    and ``2c+1`` (down). A channel keeps a reference level; whenever the input rises
    ``thr_up`` above it (or falls ``thr_down`` below), an up (down) event is emitted and the
    reference moves by one threshold (several events in one step for large changes).

    Parameters
    ----------
    shape : int or (C,) or (C, 2C)
        Input channels (the output has ``2C`` channels).
    thr_up, thr_down : float or array (C,)
        Thresholds, in input units (family ``"thresholds"``).
    max_events_per_dt : int
        Cap on events per step and output.
    dt : float
        Time step, seconds.
    """

    def __init__(
        self, shape, thr_up=0.1, thr_down=0.1, max_events_per_dt: int = 2**16, dt: float = 1e-3
    ):
        shape = neuron_shape(shape, "UpDown")
        c = shape[0]
        if len(shape) == 2 and shape[1] != 2 * c:
            raise ValueError(f"UpDown: shape must be (C,) or (C, 2C); got {shape}")
        super().__init__(shape=(c, 2 * c), spiking_input=False, spiking_output=True)
        for name, value in (("thr_up", thr_up), ("thr_down", thr_down)):
            arr = np.asarray(value, dtype=float)
            if np.any(arr <= 0):
                raise ValueError(f"UpDown.{name}: expected positive thresholds; got {value!r}")
        self.thr_up = Parameter(
            conform(thr_up, [(c,), ()], what="UpDown.thr_up"), "thresholds", shape=[(c,), ()]
        )
        self.thr_down = Parameter(
            conform(thr_down, [(c,), ()], what="UpDown.thr_down"), "thresholds", shape=[(c,), ()]
        )
        self.max_events_per_dt = SimulationParameter(float(max_events_per_dt))
        self.dt = SimulationParameter(dt)
        self.ref = State(shape=(c,), init_func=np.zeros)

    def evolve(self, input_data, record: bool = False):
        """Encode ``(T, C)`` or ``(B, T, C)`` input; output event counts ``(B, T, 2C)``; with
        ``record=True`` the record holds the reference levels ``ref`` ``(B, T, C)``."""
        x, (ref,) = self._auto_batch(input_data, (self.ref,))
        x = np.ascontiguousarray(x, dtype=float)
        ref = np.ascontiguousarray(ref, dtype=float)
        c = self.size_in
        up = np.broadcast_to(np.asarray(self.thr_up, float), (c,)).copy()
        down = np.broadcast_to(np.asarray(self.thr_down, float), (c,)).copy()
        out = np.zeros(x.shape[:2] + (2 * c,))
        rec = {}
        if record:  # reference levels per step: evolve step by step on a copy
            refs = np.zeros_like(x)
            r = ref.copy()
            for t in range(x.shape[1]):
                o = np.zeros((x.shape[0], 1, 2 * c))
                updown_evolve(x[:, t : t + 1], r, up, down, float(self.max_events_per_dt), o)
                refs[:, t] = r
            rec = {"ref": refs}
        updown_evolve(x, ref, up, down, float(self.max_events_per_dt), out)
        self.ref = ref[0].copy()
        return out, self.state(), rec
