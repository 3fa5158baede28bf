"""Find targets: local simulators, device servers, and (opt-in) boards of the vendor driver."""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
from dataclasses import dataclass, field

from rockpool_nb.devices.transport.client import DeviceClient, DeviceError
from rockpool_nb.devices.transport.server import runtime_dir

__all__ = ["DeviceInfo", "Discovery", "discover"]


@dataclass(frozen=True)
class DeviceInfo:
    """One deployment target.

    ``kind`` is ``"simulator"`` (in-process bit-accurate simulation), ``"server"`` (a device
    server reached over the network) or ``"vendor"`` (a board reported by the vendor driver).
    """

    kind: str
    chip: str
    address: str | None = None
    token: str | None = field(default=None, repr=False)
    detail: str = ""

    @property
    def label(self) -> str:
        where = f" at {self.address}" if self.address else ""
        return f"{self.chip} ({self.kind}{where})"


@dataclass
class Discovery:
    """Result of :func:`discover`: the targets found and notes on what was skipped."""

    devices: list[DeviceInfo]
    notes: list[str]

    def __iter__(self):
        return iter(self.devices)

    def __len__(self) -> int:
        return len(self.devices)


def _simulators() -> list[DeviceInfo]:
    from rockpool_nb.devices.transport.board import available_boards

    return [
        DeviceInfo("simulator", chip, detail="in-process simulation") for chip in available_boards()
    ]


def _probe(host: str, port: int, token: str, timeout: float) -> DeviceInfo:
    with DeviceClient(host, port, token, timeout=timeout) as client:
        info = client.identify()
    return DeviceInfo(
        "server", info.get("chip", "?"), f"{host}:{port}", token, detail=info.get("board", "")
    )


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _vendor_boards() -> tuple[list[DeviceInfo], str]:
    if importlib.util.find_spec("samna") is None:
        return [], "vendor driver: samna is not installed (install it from the vendor's own index)"
    try:
        samna = importlib.import_module("samna")
        infos = samna.device.get_all_devices()
    except Exception as err:  # the PyPI package is a bootstrapper that may fail on import
        return [], f"vendor driver: samna could not be used ({type(err).__name__}: {err})"
    found = [
        DeviceInfo("vendor", str(getattr(i, "device_type_name", "?")), detail=str(i)) for i in infos
    ]
    return found, f"vendor driver: {len(found)} board(s) reported"


def discover(
    addresses: list[tuple[str, int, str]] | None = None,
    include_simulators: bool = True,
    include_runtime_files: bool = True,
    include_vendor: bool = False,
    timeout: float = 2.0,
) -> Discovery:
    """List deployment targets.

    Parameters
    ----------
    addresses : list of (host, port, token), optional
        Device servers to probe explicitly.
    include_simulators : bool
        List one in-process simulator per chip in the catalogue.
    include_runtime_files : bool
        Probe the servers that announced themselves in :func:`runtime_dir` (stale files of
        servers that are gone are skipped, with a note).
    include_vendor : bool
        Ask the vendor driver (``samna``) for attached boards. Opt-in: the package is never
        imported otherwise.
    timeout : float
        Seconds to wait for each server.
    """
    devices, notes = [], []
    if include_simulators:
        devices += _simulators()
    targets = list(addresses or [])
    if include_runtime_files and runtime_dir().is_dir():
        for path in sorted(runtime_dir().glob("device-*.json")):
            try:
                info = json.loads(path.read_text())
                if not _pid_alive(int(info["pid"])):
                    notes.append(f"{path.name}: server process {info['pid']} is gone")
                    continue
                targets.append((info["host"], int(info["port"]), info["token"]))
            except (OSError, ValueError, KeyError) as err:
                notes.append(f"{path.name}: unreadable runtime file ({err})")
    for host, port, token in targets:
        try:
            devices.append(_probe(host, port, token, timeout))
        except DeviceError as err:
            notes.append(f"{host}:{port}: {err}")
    if include_vendor:
        found, note = _vendor_boards()
        devices += found
        notes.append(note)
    else:
        notes.append("vendor driver: not asked (pass include_vendor=True to list attached boards)")
    return Discovery(devices, notes)
