"""The board a device server hosts: a bit-exact simulated chip with the operations a
USB-attached board offers (identify, apply a configuration, reset, run, status)."""

from __future__ import annotations

import os
import threading

import numpy as np

from rockpool_nb._version import __version__
from rockpool_nb.devices.catalogue import CHIPS
from rockpool_nb.devices.config import HardwareConfig

__all__ = ["SimulatedBoard", "available_boards"]


def available_boards() -> list[str]:
    """Chips that have a bit-exact simulated board."""
    return [name for name, spec in CHIPS.items() if spec.neuron_model == "xylo-v2"]


class SimulatedBoard:
    """A simulated board for ``chip``. ``apply`` validates a whole configuration before it
    replaces the current one: a refused configuration leaves the board as it was."""

    def __init__(self, chip: str):
        if chip not in available_boards():
            raise ValueError(f"chip: expected one of {available_boards()}; got {chip!r}")
        self.chip = chip
        self.config: HardwareConfig | None = None
        self._sim = None
        self._lock = threading.Lock()
        self.steps_run = 0
        self.events_in = 0
        self.events_out = 0

    def info(self) -> dict:
        return {
            "chip": self.chip,
            "board": "simulated",
            "serial": f"sim-{os.getpid()}-{id(self) & 0xFFFF:04x}",
            "firmware": f"rockpool_nb {__version__}",
        }

    def status(self) -> dict:
        return {
            "configured": self.config is not None,
            "shape": list(self.config.shape) if self.config is not None else None,
            "steps_run": self.steps_run,
            "events_in": self.events_in,
            "events_out": self.events_out,
        }

    def apply(self, header: dict, arrays: dict) -> None:
        from rockpool_nb.devices.xylo_sim import simulate

        data = {**header, **arrays}
        if data.get("chip") != self.chip:
            raise ValueError(
                f"config: this board is a {self.chip}; the configuration is for {data.get('chip')!r}"
            )
        config = HardwareConfig.from_dict(data)  # raises on anything invalid
        sim = simulate(config)
        with self._lock:
            self.config, self._sim = config, sim

    def reset_state(self) -> None:
        with self._lock:
            if self._sim is not None:
                self._sim.reset_state()

    def run(self, raster: np.ndarray, record: bool) -> tuple[np.ndarray, dict]:
        with self._lock:
            if self._sim is None:
                raise ValueError("run: no configuration applied yet")
            out, _, rec = self._sim(np.asarray(raster, dtype=np.int64), record=record)
            self.steps_run += raster.shape[0]
            self.events_in += int(np.sum(raster))
            self.events_out += int(out.sum())
        return out[0], {k: v[0] for k, v in rec.items()}
