"""A deployed network is a ``Module``: evolving it runs the chip (simulated in-process, or a
board behind a device server) and returns its output with the simulated chip's shapes."""

from __future__ import annotations

import numpy as np

from rockpool_nb.devices.config import HardwareConfig
from rockpool_nb.nn.modules.module import Module
from rockpool_nb.parameters import SimulationParameter

__all__ = ["DeployedModule", "deploy"]


class DeployedModule(Module):
    """A configuration running on a target.

    ``target`` is ``None`` or ``"simulator"`` (the in-process simulated chip), a
    :class:`~rockpool_nb.devices.transport.client.DeviceClient`, a ``(host, port, token)``
    tuple, or a :class:`~rockpool_nb.devices.transport.discovery.DeviceInfo` from ``discover()``.
    ``evolve(input)`` takes event counts ``(T, C)`` or ``(batches, T, C)`` and returns output
    events ``(batches, T, M)``; a lost connection or a timeout raises
    ``DeviceConnectionError``/``DeviceTimeoutError`` (call :meth:`reconnect`).
    """

    def __init__(self, config: HardwareConfig, target=None):
        if not isinstance(config, HardwareConfig):
            raise TypeError(f"config: expected a HardwareConfig; got {type(config).__name__}")
        c, n, m = config.shape
        super().__init__(shape=(c, m), spiking_input=True, spiking_output=True)
        self.dt = SimulationParameter(config.dt)
        self._client = None
        self._sim = None
        self._connect(target)
        self._config = None
        self.apply(config)

    def _connect(self, target) -> None:
        from rockpool_nb.devices.transport.client import DeviceClient
        from rockpool_nb.devices.transport.discovery import DeviceInfo

        if target is None or target == "simulator":
            return
        if isinstance(target, DeviceInfo):
            if target.kind == "simulator":
                return
            if target.kind != "server" or target.address is None:
                raise ValueError(f"target: cannot deploy to {target.label} from here")
            host, port = target.address.rsplit(":", 1)
            target = DeviceClient(host, int(port), target.token)
        elif isinstance(target, tuple) and len(target) == 3:
            target = DeviceClient(*target)
        if not isinstance(target, DeviceClient):
            raise TypeError(
                "target: expected None, 'simulator', a DeviceClient, (host, port, token) or a "
                f"DeviceInfo; got {type(target).__name__}"
            )
        self._client = target

    @property
    def config(self) -> HardwareConfig:
        return self._config

    @property
    def on_device(self) -> bool:
        """``True`` when running on a device server, ``False`` for the in-process simulator."""
        return self._client is not None

    def apply(self, config: HardwareConfig) -> None:
        """Send a new configuration; if the target refuses it, nothing changes."""
        from rockpool_nb.devices.xylo_sim import simulate

        if self._config is not None and config.shape != self._config.shape:
            raise ValueError(
                f"config: shape {config.shape} differs from the deployed {self._config.shape}"
            )
        if self._client is not None:
            d = config.to_dict()
            arrays = {k: v for k, v in d.items() if isinstance(v, np.ndarray)}
            scalars = {k: v for k, v in d.items() if not isinstance(v, np.ndarray)}
            info = self._client.identify()
            if info.get("chip") != config.chip:
                raise ValueError(
                    f"config: the target is a {info.get('chip')}; the configuration is for {config.chip}"
                )
            self._client.apply(scalars, arrays)
        else:
            self._sim = simulate(config)
        self._config = config

    def reconnect(self) -> None:
        """Reconnect to the device server and apply the configuration again."""
        if self._client is None:
            return
        self._client.reconnect()
        self.apply(self._config)

    def close(self) -> None:
        """Close the connection to the device server (if any)."""
        if self._client is not None:
            self._client.close()

    def reset_state(self):
        if self._client is not None:
            self._client.reset_state()
        elif self._sim is not None:
            self._sim.reset_state()
        return self

    def evolve(self, input_data, record: bool = False):
        x = np.asarray(input_data)
        if x.ndim == 2:
            x = x[None]
        if x.ndim != 3 or x.shape[-1] != self.size_in:
            raise ValueError(
                f"input: expected (T, {self.size_in}) or (batches, T, {self.size_in}) event counts; "
                f"got {np.shape(input_data)}"
            )
        if self._client is None:
            return self._sim(x, record=record)
        outs, recs = [], []
        for b in range(x.shape[0]):
            out, rec = self._client.run(x[b], record=record)
            outs.append(out)
            recs.append(rec)
        record_dict = {k: np.stack([r[k] for r in recs]) for k in recs[0]} if record else {}
        return np.stack(outs).astype(np.int64), {}, record_dict


def deploy(config: HardwareConfig, target=None) -> DeployedModule:
    """Deploy ``config`` to ``target`` (see :class:`DeployedModule`)."""
    return DeployedModule(config, target)
