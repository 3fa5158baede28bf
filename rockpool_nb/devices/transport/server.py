"""The device server: a simulated board behind a real, token-authenticated network protocol.

``rockpool-nb device serve --chip NAME [--port P]`` starts it. It listens on 127.0.0.1 by
default, prints its address and a fresh token (as Jupyter does), and writes a runtime file
(mode 0600) so that :func:`rockpool_nb.devices.discover` finds it. Every connection must
authenticate with ``hello`` before anything else; malformed, oversized or unauthenticated
requests get an error reply and the connection is closed.
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import json
import os
import secrets
import signal
import sys
import time
from pathlib import Path

import numpy as np

from rockpool_nb.devices.transport.protocol import (
    DEFAULT_MAX_FRAME,
    PROTOCOL_VERSION,
    ProtocolError,
    decode_body,
    encode,
    read_prefix,
)

__all__ = ["DeviceServer", "runtime_dir", "main"]


def runtime_dir() -> Path:
    """Folder of the servers' runtime files (``$ROCKPOOL_NB_RUNTIME_DIR`` overrides it)."""
    env = os.environ.get("ROCKPOOL_NB_RUNTIME_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "rockpool_nb" / "runtime"


class BoardError(Exception):
    """A request the board refuses (e.g. a configuration that breaks a design rule)."""


class DeviceServer:
    """Serve one board on ``host:port`` (port 0 picks a free one).

    Parameters
    ----------
    board : object
        Implements ``info()``, ``status()``, ``apply(header, arrays)``, ``reset_state()`` and
        ``run(raster, record) -> (output, record_arrays)``.
    token : str, optional
        Shared secret clients must present (a fresh random one by default).
    max_frame : int
        Largest accepted message, bytes.
    """

    def __init__(
        self,
        board,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str | None = None,
        max_frame: int = DEFAULT_MAX_FRAME,
    ):
        self.board = board
        self.host, self.port = host, port
        self.token = token or secrets.token_hex(24)
        self.max_frame = max_frame
        self._lock = asyncio.Lock()
        self._server: asyncio.base_events.Server | None = None
        self.runtime_file: Path | None = None

    # ------------------------------------------------------------------------ lifecycle
    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    def write_runtime_file(self) -> Path:
        folder = runtime_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"device-{os.getpid()}-{self.port}.json"
        info = {
            "host": self.host,
            "port": self.port,
            "token": self.token,
            "pid": os.getpid(),
            "chip": self.board.info().get("chip"),
            "protocol": PROTOCOL_VERSION,
        }
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(info, fh)
        os.replace(tmp, path)
        self.runtime_file = path
        return path

    def remove_runtime_file(self) -> None:
        if self.runtime_file is not None:
            self.runtime_file.unlink(missing_ok=True)
            self.runtime_file = None

    async def serve_forever(self) -> None:
        assert self._server is not None
        async with self._server:
            await self._server.serve_forever()

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
        self.remove_runtime_file()

    # ----------------------------------------------------------------------- connection
    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        authenticated = False
        try:
            while True:
                try:
                    prefix = await reader.readexactly(8)
                except asyncio.IncompleteReadError:
                    return  # client closed
                try:
                    length = read_prefix(prefix, self.max_frame)
                    body = await reader.readexactly(length)
                    header, arrays = decode_body(body)
                except ProtocolError as err:
                    await self._reply(writer, {"ok": False, "error": f"malformed request: {err}"})
                    return
                op = header.get("op")
                if not authenticated:
                    if op != "hello":
                        await self._reply(
                            writer,
                            {
                                "ok": False,
                                "error": "unauthenticated: send "
                                "'hello' with the server's token first",
                            },
                        )
                        return
                    if not hmac.compare_digest(str(header.get("token", "")), self.token):
                        await self._reply(
                            writer, {"ok": False, "error": "authentication failed: wrong token"}
                        )
                        return
                    authenticated = True
                    await self._reply(
                        writer,
                        {
                            "ok": True,
                            "protocol": PROTOCOL_VERSION,
                            "server": "rockpool_nb device server",
                        },
                    )
                    continue
                if op == "close":
                    await self._reply(writer, {"ok": True})
                    return
                reply, out = await self._dispatch(op, header, arrays)
                await self._reply(writer, reply, out)
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            writer.close()

    async def _reply(self, writer, header: dict, arrays: dict | None = None) -> None:
        writer.write(encode(header, arrays))
        await writer.drain()

    async def _dispatch(self, op, header: dict, arrays: dict):
        loop = asyncio.get_running_loop()
        async with self._lock:
            try:
                if op == "identify":
                    return {"ok": True, **self.board.info()}, None
                if op == "status":
                    return {"ok": True, **self.board.status()}, None
                if op == "apply":
                    await loop.run_in_executor(
                        None, self.board.apply, header.get("config", {}), arrays
                    )
                    return {"ok": True}, None
                if op == "reset":
                    self.board.reset_state()
                    return {"ok": True}, None
                if op == "run":
                    raster = arrays.get("input")
                    if raster is None or raster.ndim != 2:
                        shape = None if raster is None else raster.shape
                        raise BoardError(f"input: expected an integer raster (T, Nin); got {shape}")
                    events_in = int(np.sum(raster))
                    output, rec = await loop.run_in_executor(
                        None, self.board.run, raster, bool(header.get("record", False))
                    )
                    return (
                        {"ok": True, "events_in": events_in, "events_out": int(np.sum(output))},
                        {"output": output, **{f"rec/{k}": v for k, v in rec.items()}},
                    )
                raise BoardError(
                    f"op: expected one of hello, identify, status, apply, reset, run, "
                    f"close; got {op!r}"
                )
            except (BoardError, ValueError, TypeError, KeyError) as err:
                return {"ok": False, "error": f"{type(err).__name__}: {err}"}, None


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``rockpool-nb device serve``."""
    from rockpool_nb.devices.transport.board import SimulatedBoard, available_boards

    parser = argparse.ArgumentParser(
        prog="rockpool-nb device serve", description="Serve a simulated chip over the network."
    )
    parser.add_argument("--chip", required=True, help=f"one of {', '.join(available_boards())}")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    parser.add_argument("--port", type=int, default=0, help="TCP port (default: a free one)")
    parser.add_argument("--token", default=None, help="shared secret (default: random)")
    parser.add_argument(
        "--max-frame", type=int, default=DEFAULT_MAX_FRAME, help="largest accepted message in bytes"
    )
    args = parser.parse_args(argv)
    if args.chip not in available_boards():
        parser.error(f"--chip: expected one of {', '.join(available_boards())}; got {args.chip!r}")
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"warning: listening on {args.host}, not loopback: anyone who can reach it and "
            "knows the token can drive the board",
            file=sys.stderr,
        )

    async def run() -> None:
        server = DeviceServer(
            SimulatedBoard(args.chip), args.host, args.port, args.token, args.max_frame
        )
        await server.start()
        path = server.write_runtime_file()
        print(
            f"rockpool_nb device server: chip {args.chip} on {server.host}:{server.port}",
            flush=True,
        )
        print(f"    token: {server.token}", flush=True)
        print(f"    runtime file: {path}", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        task = asyncio.create_task(server.serve_forever())
        await stop.wait()
        server.close()
        task.cancel()

    started = time.monotonic()
    asyncio.run(run())
    print(f"rockpool_nb device server stopped after {time.monotonic() - started:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
