"""The chip catalogue: one frozen record per chip. Mapper, checks and simulators read it.

Figures from each vendor's documentation and RAM maps (see docs/chips.md). Adding a chip is
adding a record here.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["ChipSpec", "CHIPS", "chip_spec"]


@dataclass(frozen=True)
class ChipSpec:
    """Limits and number formats of one neuromorphic chip (times in seconds)."""

    name: str
    title: str
    neuron_model: str  # "xylo-v2" (bit-exact integer LIF) or "dynapse" (analog, behavioural)
    max_inputs: int
    max_hidden: int
    max_outputs: int
    synapses_per_hidden: int
    max_input_events: int  # per channel per step
    max_hidden_events: int  # per neuron per step
    max_output_events: int
    input_neurons: int | None  # hidden neurons that can receive input (None: all)
    readout_neurons: int | None  # hidden neurons that can feed the readout (None: all)
    max_fan_out: int | None  # recurrent targets per hidden neuron
    max_recurrent_entries: int | None  # non-zero recurrent weights in total
    weight_bits: int
    state_bits: int
    threshold_bits: int
    dash_bits: int  # bit-shift decay parameter width
    max_weight_shift: int
    has_bias: bool
    dt_min: float
    dt_max: float
    max_fan_in: int | None = None  # incoming connections per neuron (DynapSE CAMs)
    neurons_per_core: int | None = None
    cores_per_chip: int | None = None
    max_interval_steps: int | None = None  # longest gap between input events, in steps

    @property
    def weight_range(self) -> tuple[int, int]:
        return -(2 ** (self.weight_bits - 1)), 2 ** (self.weight_bits - 1) - 1

    @property
    def state_range(self) -> tuple[int, int]:
        return -(2 ** (self.state_bits - 1)), 2 ** (self.state_bits - 1) - 1

    @property
    def threshold_max(self) -> int:
        return 2 ** (self.threshold_bits - 1) - 1

    @property
    def dash_max(self) -> int:
        return 2**self.dash_bits - 1


_XYLO = dict(
    neuron_model="xylo-v2",
    max_inputs=16,
    max_input_events=15,
    max_hidden_events=31,
    max_output_events=1,
    weight_bits=8,
    state_bits=16,
    threshold_bits=16,
    dash_bits=4,
    max_weight_shift=7,
    has_bias=True,
    dt_min=1e-5,
    dt_max=1.0,
)

CHIPS = MappingProxyType(
    {
        "xylo-audio-2": ChipSpec(
            name="xylo-audio-2",
            title="XyloAudio 2 (SYNS61201)",
            max_hidden=1000,
            max_outputs=8,
            synapses_per_hidden=2,
            input_neurons=None,
            readout_neurons=None,
            max_fan_out=64,
            max_recurrent_entries=32_000,
            **_XYLO,
        ),
        "xylo-audio-3": ChipSpec(
            name="xylo-audio-3",
            title="XyloAudio 3 (SYNS65302)",
            max_hidden=992,
            max_outputs=32,
            synapses_per_hidden=2,
            input_neurons=128,
            readout_neurons=128,
            max_fan_out=1024,
            max_recurrent_entries=31_744,
            **_XYLO,
        ),
        "xylo-imu": ChipSpec(
            name="xylo-imu",
            title="Xylo IMU (SYNS63300)",
            max_hidden=496,
            max_outputs=16,
            synapses_per_hidden=1,
            input_neurons=128,
            readout_neurons=128,
            max_fan_out=512,
            max_recurrent_entries=31_744,
            **_XYLO,
        ),
        "dynapse": ChipSpec(
            name="dynapse",
            title="Dynap-SE (4 chips x 4 cores x 256 neurons)",
            neuron_model="dynapse",
            max_inputs=1024,
            max_hidden=4096,
            max_outputs=4096,
            synapses_per_hidden=4,
            max_input_events=1,
            max_hidden_events=1,
            max_output_events=1,
            input_neurons=None,
            readout_neurons=None,
            max_fan_out=None,
            max_recurrent_entries=None,
            weight_bits=7,
            state_bits=32,
            threshold_bits=32,
            dash_bits=0,
            max_weight_shift=0,
            has_bias=False,
            dt_min=1 / 9 * 1e-7,
            dt_max=1.0,
            max_fan_in=64,
            neurons_per_core=256,
            cores_per_chip=4,
            max_interval_steps=65_535,
        ),
    }
)


def chip_spec(chip) -> ChipSpec:
    """``chip`` as a :class:`ChipSpec` (a name from :data:`CHIPS`, or a record)."""
    if isinstance(chip, ChipSpec):
        return chip
    if chip not in CHIPS:
        raise ValueError(f"chip: expected one of {sorted(CHIPS)}; got {chip!r}")
    return CHIPS[chip]
