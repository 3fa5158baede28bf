"""``HardwareConfig``: the integer configuration of a Xylo-family chip, validated on creation.

Arrays: ``weights_in (C, N, S)``, ``weights_rec (N, N, S)``, ``weights_out (N, M)`` (int8
values; ``S`` synapses per hidden neuron), ``threshold (N)``, ``threshold_out (M)`` (1..32767),
``dash_mem (N)``, ``dash_syn (N, S)``, ``dash_mem_out (M)``, ``dash_syn_out (M)`` (0..15),
``bias (N)``, ``bias_out (M)`` (int16), ``aliases (N)`` (target hidden neuron or −1), weight
shifts per matrix, and ``dt`` in seconds.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

from rockpool_nb.devices.catalogue import chip_spec

__all__ = ["HardwareConfig"]

_ARRAYS = (
    "weights_in",
    "weights_rec",
    "weights_out",
    "threshold",
    "threshold_out",
    "dash_mem",
    "dash_syn",
    "dash_mem_out",
    "dash_syn_out",
    "bias",
    "bias_out",
    "aliases",
)
_SCALARS = ("weight_shift_in", "weight_shift_rec", "weight_shift_out")
_FORMAT = "rockpool_nb.hardware_config"


@dataclass(frozen=True, eq=False)
class HardwareConfig:
    """A validated chip configuration (see the module docstring for shapes and ranges)."""

    chip: str
    dt: float
    weights_in: np.ndarray
    weights_rec: np.ndarray
    weights_out: np.ndarray
    threshold: np.ndarray
    threshold_out: np.ndarray
    dash_mem: np.ndarray
    dash_syn: np.ndarray
    dash_mem_out: np.ndarray
    dash_syn_out: np.ndarray
    bias: np.ndarray
    bias_out: np.ndarray
    aliases: np.ndarray
    weight_shift_in: int = 0
    weight_shift_rec: int = 0
    weight_shift_out: int = 0

    def __post_init__(self) -> None:
        spec = chip_spec(self.chip)
        if spec.neuron_model != "xylo-v2":
            raise ValueError(f"chip: HardwareConfig describes Xylo-family chips; got {self.chip!r}")
        for name in _ARRAYS:
            value = np.asarray(getattr(self, name))
            if value.dtype.kind == "f" and np.any(value != np.round(value)):
                raise ValueError(f"{name}: expected integers; got non-integer values")
            arr = np.array(value, dtype=np.int64)
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        object.__setattr__(self, "dt", float(self.dt))
        for name in _SCALARS:
            object.__setattr__(self, name, int(getattr(self, name)))
        self._validate(spec)

    # ---------------------------------------------------------------------------- checks
    def _validate(self, spec) -> None:
        w_in, w_out = self.weights_in, self.weights_out
        if w_in.ndim != 3:
            raise ValueError(f"weights_in: expected shape (C, N, S); got {w_in.shape}")
        c, n, s = w_in.shape
        m = w_out.shape[1] if w_out.ndim == 2 else -1
        expected = {
            "weights_rec": (n, n, s),
            "weights_out": (n, m),
            "threshold": (n,),
            "threshold_out": (m,),
            "dash_mem": (n,),
            "dash_syn": (n, s),
            "dash_mem_out": (m,),
            "dash_syn_out": (m,),
            "bias": (n,),
            "bias_out": (m,),
            "aliases": (n,),
        }
        for name, shape in expected.items():
            if getattr(self, name).shape != shape:
                raise ValueError(f"{name}: expected shape {shape}; got {getattr(self, name).shape}")
        checks = [
            ("input channels", c, spec.max_inputs),
            ("hidden neurons", n, spec.max_hidden),
            ("output neurons", m, spec.max_outputs),
            ("synapses per hidden neuron", s, spec.synapses_per_hidden),
        ]
        for what, value, limit in checks:
            if value > limit:
                raise ValueError(f"{what}: {spec.name} supports at most {limit}; got {value}")
        lo, hi = spec.weight_range
        for name in ("weights_in", "weights_rec", "weights_out"):
            arr = getattr(self, name)
            if arr.size and (arr.min() < lo or arr.max() > hi):
                raise ValueError(
                    f"{name}: expected values in [{lo}, {hi}]; got [{arr.min()}, {arr.max()}]"
                )
        for name in ("threshold", "threshold_out"):
            arr = getattr(self, name)
            if arr.size and (arr.min() < 1 or arr.max() > spec.threshold_max):
                raise ValueError(
                    f"{name}: expected values in [1, {spec.threshold_max}]; got "
                    f"[{arr.min()}, {arr.max()}]"
                )
        for name in ("dash_mem", "dash_syn", "dash_mem_out", "dash_syn_out"):
            arr = getattr(self, name)
            if arr.size and (arr.min() < 0 or arr.max() > spec.dash_max):
                raise ValueError(
                    f"{name}: expected values in [0, {spec.dash_max}]; got [{arr.min()}, {arr.max()}]"
                )
        slo, shi = spec.state_range
        for name in ("bias", "bias_out"):
            arr = getattr(self, name)
            if arr.size and (arr.min() < slo or arr.max() > shi):
                raise ValueError(
                    f"{name}: expected values in [{slo}, {shi}]; got [{arr.min()}, {arr.max()}]"
                )
        for name in _SCALARS:
            v = getattr(self, name)
            if not 0 <= v <= spec.max_weight_shift:
                raise ValueError(f"{name}: expected 0..{spec.max_weight_shift}; got {v}")
        if self.aliases.size and (self.aliases.min() < -1 or self.aliases.max() >= n):
            raise ValueError(f"aliases: expected -1 (none) or a hidden neuron index < {n}")
        if not spec.dt_min <= self.dt <= spec.dt_max:
            raise ValueError(f"dt: expected {spec.dt_min:g}..{spec.dt_max:g} s; got {self.dt:g}")

    # ------------------------------------------------------------------------- properties
    @property
    def shape(self) -> tuple[int, int, int]:
        """``(inputs, hidden neurons, outputs)``."""
        return self.weights_in.shape[0], self.weights_in.shape[1], self.weights_out.shape[1]

    @property
    def bias_enable(self) -> bool:
        return bool(np.any(self.bias != 0) or np.any(self.bias_out != 0))

    # -------------------------------------------------------------------- serialisation
    def to_dict(self) -> dict:
        """Plain values: JSON scalars and NumPy integer arrays."""
        out = {"format": _FORMAT, "chip": self.chip, "dt": self.dt}
        out.update({k: getattr(self, k) for k in _SCALARS})
        out.update({k: np.array(getattr(self, k)) for k in _ARRAYS})
        return out

    @classmethod
    def from_dict(cls, data: dict) -> HardwareConfig:
        """Rebuild from :meth:`to_dict` output (validated; errors name the field)."""
        if not isinstance(data, dict):
            raise TypeError(f"data: expected a dict; got {type(data).__name__}")
        names = {f.name for f in fields(cls)}
        missing = sorted(n for n in names if n not in data and n not in _SCALARS)
        if missing:
            raise ValueError(f"data: missing fields {missing}")
        return cls(**{k: v for k, v in data.items() if k in names})

    def save(self, path) -> Path:
        """Write an ``.npz`` (JSON header + integer arrays, no pickle), atomically."""
        path = Path(path)
        d = self.to_dict()
        header = {k: d[k] for k in ("format", "chip", "dt", *_SCALARS)}
        blob = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(f, __header__=blob, **{k: d[k] for k in _ARRAYS})
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path

    @classmethod
    def load(cls, path) -> HardwareConfig:
        """Read a file written by :meth:`save`."""
        path = Path(path)
        try:
            with open(path, "rb") as fh, np.load(fh, allow_pickle=False) as z:
                header = json.loads(bytes(z["__header__"]).decode())
                arrays = {k: z[k] for k in _ARRAYS}
        except (KeyError, ValueError, OSError, EOFError) as err:
            raise ValueError(f"{path}: not a readable hardware configuration ({err})") from err
        if header.get("format") != _FORMAT:
            raise ValueError(f"{path}: format: expected {_FORMAT!r}; got {header.get('format')!r}")
        header.pop("format")
        return cls(**header, **arrays)
