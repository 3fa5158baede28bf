"""Client side of the device protocol (see :mod:`.server`)."""

from __future__ import annotations

import socket

import numpy as np

from rockpool_nb.devices.transport.protocol import (
    DEFAULT_MAX_FRAME,
    ProtocolError,
    decode_body,
    encode,
    read_prefix,
)

__all__ = ["DeviceClient", "DeviceError", "DeviceConnectionError", "DeviceTimeoutError"]


class DeviceError(RuntimeError):
    """The device refused a request; the message says why."""


class DeviceConnectionError(DeviceError, ConnectionError):
    """The connection to the device was lost or could not be made."""


class DeviceTimeoutError(DeviceConnectionError, TimeoutError):
    """The device did not answer in time."""


class DeviceClient:
    """A connection to a device server.

    Parameters
    ----------
    host, port : str, int
        Address of the server.
    token : str
        The token the server printed at start (or found in its runtime file).
    timeout : float
        Seconds to wait for any one reply.
    """

    def __init__(
        self,
        host: str,
        port: int,
        token: str,
        timeout: float = 30.0,
        max_frame: int = DEFAULT_MAX_FRAME,
    ):
        self.host, self.port, self.token = host, int(port), token
        self.timeout = timeout
        self.max_frame = max_frame
        self._sock: socket.socket | None = None
        self.connect()

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def connect(self) -> DeviceClient:
        """(Re)connect and authenticate; returns ``self``."""
        self.close()
        try:
            self._sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as err:
            raise DeviceConnectionError(
                f"cannot reach device server {self.address}: {err}"
            ) from None
        self.request("hello", token=self.token)
        return self

    reconnect = connect

    def close(self) -> None:
        if self._sock is not None:
            try:
                self._sock.sendall(encode({"op": "close"}))
            except OSError:
                pass
            self._sock.close()
            self._sock = None

    def __enter__(self):
        return self

    def __del__(self):  # a forgotten client does not leak its socket
        try:
            self._drop()
        except Exception:  # noqa: BLE001  (interpreter shutdown)
            pass

    def __exit__(self, *exc):
        self.close()

    def _recv_exactly(self, n: int, op: str) -> bytes:
        chunks, remaining = [], n
        while remaining:
            try:
                chunk = self._sock.recv(min(remaining, 1 << 20))
            except TimeoutError:
                self._drop()
                raise DeviceTimeoutError(
                    f"device server {self.address} did not answer '{op}' within {self.timeout} s"
                ) from None
            except OSError as err:
                self._drop()
                raise DeviceConnectionError(
                    f"lost connection to device server {self.address} during '{op}': {err}"
                ) from None
            if not chunk:
                self._drop()
                raise DeviceConnectionError(
                    f"device server {self.address} closed the connection during '{op}'"
                )
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def _drop(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def request(self, op: str, arrays: dict | None = None, **fields) -> tuple[dict, dict]:
        """Send one request; return the reply's header and arrays, or raise ``DeviceError``."""
        if self._sock is None:
            raise DeviceConnectionError(
                f"not connected to device server {self.address}; call reconnect()"
            )
        frame = encode({"op": op, **fields}, arrays)
        if len(frame) - 8 > self.max_frame:
            raise DeviceError(
                f"{op}: message of {len(frame) - 8} bytes exceeds the limit of "
                f"{self.max_frame} bytes"
            )
        try:
            self._sock.sendall(frame)
        except OSError as err:
            self._drop()
            raise DeviceConnectionError(
                f"lost connection to device server {self.address} during '{op}': {err}"
            ) from None
        try:
            length = read_prefix(self._recv_exactly(8, op), self.max_frame)
            header, out = decode_body(self._recv_exactly(length, op))
        except ProtocolError as err:
            self._drop()
            raise DeviceError(
                f"device server {self.address} sent a malformed reply: {err}"
            ) from None
        if not header.get("ok", False):
            raise DeviceError(f"device server {self.address} refused '{op}': {header.get('error')}")
        return header, out

    # ------------------------------------------------------------------- board operations
    def identify(self) -> dict:
        """Chip name, serial and firmware of the board."""
        header, _ = self.request("identify")
        return {k: v for k, v in header.items() if k != "ok"}

    def status(self) -> dict:
        header, _ = self.request("status")
        return {k: v for k, v in header.items() if k != "ok"}

    def apply(self, config: dict, arrays: dict[str, np.ndarray]) -> None:
        """Apply a configuration (scalars in ``config``, integer arrays in ``arrays``)."""
        self.request("apply", arrays=arrays, config=config)

    def reset_state(self) -> None:
        self.request("reset")

    def run(self, raster: np.ndarray, record: bool = False) -> tuple[np.ndarray, dict]:
        """Stream an input raster ``(T, Nin)`` of event counts; return output and recordings.

        Raises ``DeviceError`` if the board did not receive exactly the events sent.
        """
        raster = np.asarray(raster)
        if raster.ndim != 2:
            raise ValueError(f"raster: expected shape (T, Nin); got {raster.shape}")
        if raster.dtype.kind == "f":
            if not np.all(raster == np.round(raster)) or np.any(raster < 0):
                raise ValueError("raster: expected non-negative integer event counts")
        raster = raster.astype(np.int32)
        header, out = self.request("run", arrays={"input": raster}, record=record)
        sent = int(raster.sum())
        if header["events_in"] != sent:
            raise DeviceError(
                f"run: sent {sent} input events but the board received {header['events_in']}"
            )
        output = out.pop("output")
        if int(output.sum()) != header["events_out"]:
            raise DeviceError(
                f"run: the board reported {header['events_out']} output events but "
                f"{int(output.sum())} arrived"
            )
        return output, {k.removeprefix("rec/"): v for k, v in out.items()}
