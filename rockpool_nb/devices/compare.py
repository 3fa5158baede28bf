"""Float network and simulated chip side by side on the same input."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rockpool_nb.devices.xylo_sim import simulate

__all__ = ["compare_outputs", "Comparison"]


@dataclass(frozen=True)
class Comparison:
    """Output spikes of the float network and of the chip, ``(T, M)`` each, and summaries."""

    float_spikes: np.ndarray
    chip_spikes: np.ndarray

    @property
    def float_counts(self) -> np.ndarray:
        return self.float_spikes.sum(0)

    @property
    def chip_counts(self) -> np.ndarray:
        return self.chip_spikes.sum(0)

    @property
    def count_difference(self) -> np.ndarray:
        """Chip minus float spike count, per output neuron."""
        return self.chip_counts - self.float_counts

    @property
    def first_spike_steps(self) -> tuple[np.ndarray, np.ndarray]:
        """First spike step per output neuron (−1: none), float and chip."""

        def first(s):
            any_ = s.any(0)
            return np.where(any_, s.argmax(0), -1)

        return first(self.float_spikes), first(self.chip_spikes)

    def summary(self) -> str:
        f, c = self.first_spike_steps
        rows = ["neuron  float  chip  diff  first(float)  first(chip)"]
        for k in range(self.float_spikes.shape[1]):
            rows.append(
                f"{k:>6} {self.float_counts[k]:>6} {self.chip_counts[k]:>5} "
                f"{self.count_difference[k]:>5} {f[k]:>13} {c[k]:>12}"
            )
        return "\n".join(rows)


def compare_outputs(net, config, inp) -> Comparison:
    """Run ``net`` (float) and the simulated chip for ``config`` on event input ``inp``
    ``(T, C)`` (integer counts); compare the readout spikes. Float spike counts are clipped to
    one per step, as the chip's output neurons emit at most one event per step."""
    x = np.asarray(inp)
    if x.ndim != 2:
        raise ValueError(f"inp: expected (T, C) event counts; got shape {x.shape}")
    out_f, _, _ = net(x.astype(float))
    chip = simulate(config)
    out_c, _, _ = chip(x.astype(np.int64))
    return Comparison(np.minimum(np.asarray(out_f[0]), 1).astype(np.int64), np.asarray(out_c[0]))
