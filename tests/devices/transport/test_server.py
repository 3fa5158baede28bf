"""A real device server process on 127.0.0.1: deploy, run, compare, and every failure mode."""

import os
import re
import socket
import struct
import subprocess
import sys
import time

import numpy as np
import pytest

from rockpool_nb.devices import deploy, discover, map_network, simulate
from rockpool_nb.devices.transport.client import (
    DeviceClient,
    DeviceConnectionError,
    DeviceError,
)
from rockpool_nb.nn.combinators import Sequential
from rockpool_nb.nn.modules import LIF, Linear

pytestmark = pytest.mark.slow

TOKEN = "test-token-0123456789"


def start_server(tmp_path, chip="xylo-audio-2", max_frame=None):
    env = dict(os.environ, ROCKPOOL_NB_RUNTIME_DIR=str(tmp_path / "runtime"))
    cmd = [
        sys.executable,
        "-m",
        "rockpool_nb.devices.transport.server",
        "--chip",
        chip,
        "--token",
        TOKEN,
    ]
    if max_frame:
        cmd += ["--max-frame", str(max_frame)]
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    line = proc.stdout.readline()
    m = re.search(r"on ([\d.]+):(\d+)", line)
    if not m:
        proc.kill()
        raise RuntimeError(f"server did not start: {line}{proc.stdout.read()}")
    return proc, m.group(1), int(m.group(2))


@pytest.fixture
def server(tmp_path):
    proc, host, port = start_server(tmp_path)
    try:
        yield proc, host, port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        proc.stdout.close()


@pytest.fixture(scope="module")
def mapping():
    rng = np.random.default_rng(0)
    net = Sequential(
        Linear((16, 40), weight=rng.normal(0, 1.0, (16, 40))),
        LIF(40, has_rec=True, w_rec=rng.normal(0, 0.3, (40, 40)) * (rng.random((40, 40)) < 0.5)),
        Linear((40, 4)),
        LIF(4),
    )
    m = map_network(net, "xylo-audio-2")
    assert m.ok, m.report()
    return m


def test_deploy_run_and_compare_with_the_in_process_chip(server, mapping):
    _, host, port = server
    x = (np.random.default_rng(1).random((300, 16)) < 0.2).astype(int)
    dev = deploy(mapping.config, (host, port, TOKEN))
    assert dev.on_device
    out, _, rec = dev(x, record=True)
    ref, _, ref_rec = simulate(mapping.config)(x, record=True)
    np.testing.assert_array_equal(out, ref)
    for key in ("Vmem", "Isyn", "Spikes", "Vmem_out"):
        np.testing.assert_array_equal(rec[key], ref_rec[key])
    assert ref_rec["Spikes"].sum() > 0
    # state carries over between calls, as on the in-process chip
    out2, _, _ = dev(x)
    ref2, _, _ = simulate(mapping.config)(np.concatenate([x, x]))
    np.testing.assert_array_equal(out2[0], ref2[0, 300:])
    status = dev._client.status()
    assert status["steps_run"] == 600 and status["events_in"] == 2 * int(x.sum())


def test_bad_token_and_unauthenticated_requests(server):
    _, host, port = server
    with pytest.raises(DeviceError, match="authentication failed: wrong token"):
        DeviceClient(host, port, "wrong")
    with socket.create_connection((host, port), timeout=5) as s:
        from rockpool_nb.devices.transport.protocol import decode_body, encode, read_prefix

        s.sendall(encode({"op": "identify"}))
        header, _ = decode_body(s.recv(read_prefix(s.recv(8), 1 << 20) + 100))
        assert not header["ok"] and "unauthenticated" in header["error"]


def _raw_reply(host, port, payload: bytes) -> dict:
    from rockpool_nb.devices.transport.protocol import decode_body, read_prefix

    with socket.create_connection((host, port), timeout=5) as s:
        s.sendall(payload)
        prefix = s.recv(8)
        body = b""
        n = read_prefix(prefix, 1 << 20)
        while len(body) < n:
            body += s.recv(n - len(body))
        header, _ = decode_body(body)
        assert s.recv(10) == b""  # the server closed the connection
    return header


def test_malformed_and_oversized_messages(server):
    _, host, port = server
    garbage = b"HTTP" + struct.pack(">I", 10) + b"0123456789"
    reply = _raw_reply(host, port, garbage)
    assert not reply["ok"] and "malformed request" in reply["error"]
    huge = b"RPNB" + struct.pack(">I", 2**31)
    reply = _raw_reply(host, port, huge)
    assert not reply["ok"] and "exceeds" in reply["error"]
    # and the server still serves well-behaved clients
    with DeviceClient(host, port, TOKEN) as c:
        assert c.identify()["chip"] == "xylo-audio-2"


def test_refused_configuration_leaves_the_board_as_it_was(server, mapping):
    _, host, port = server
    x = (np.random.default_rng(2).random((100, 16)) < 0.2).astype(int)
    dev = deploy(mapping.config, (host, port, TOKEN))
    first, _, _ = dev(x)
    d = mapping.config.to_dict()
    d["dash_mem"] = np.full(40, 99)  # out of range: the board must refuse it
    with DeviceClient(host, port, TOKEN) as c:
        arrays = {k: v for k, v in d.items() if isinstance(v, np.ndarray)}
        with pytest.raises(DeviceError, match=r"dash_mem: expected values in \[0, 15\]"):
            c.apply({k: v for k, v in d.items() if not isinstance(v, np.ndarray)}, arrays)
    dev.reset_state()
    again, _, _ = dev(x)
    np.testing.assert_array_equal(again, first)


def test_server_killed_mid_run_then_reconnect(tmp_path, mapping):
    proc, host, port = start_server(tmp_path)
    try:
        dev = deploy(mapping.config, (host, port, TOKEN))
        long_run = np.random.default_rng(3).integers(0, 2, (200_000, 16))
        import threading

        killer = threading.Timer(0.3, proc.kill)
        killer.start()
        with pytest.raises(
            DeviceConnectionError, match=r"device server .* (closed the connection|lost connection)"
        ):
            dev(long_run)
        killer.join()
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
    with pytest.raises(DeviceConnectionError, match="not connected|cannot reach"):
        dev(long_run[:10])
    proc2, host2, port2 = start_server(tmp_path)
    try:
        dev._client.host, dev._client.port = host2, port2
        dev.reconnect()
        out, _, _ = dev(long_run[:100])
        ref, _, _ = simulate(mapping.config)(long_run[:100])
        np.testing.assert_array_equal(out, ref)
    finally:
        proc2.terminate()
        proc2.wait(timeout=10)
        proc2.stdout.close()


def test_discovery_finds_the_server_through_its_runtime_file(server, tmp_path, monkeypatch):
    _, host, port = server
    monkeypatch.setenv("ROCKPOOL_NB_RUNTIME_DIR", str(tmp_path / "runtime"))
    for _ in range(50):
        found = discover()
        servers = [d for d in found if d.kind == "server"]
        if servers:
            break
        time.sleep(0.1)
    assert [d.address for d in servers] == [f"{host}:{port}"]
    assert {d.chip for d in found if d.kind == "simulator"} == {
        "xylo-audio-2",
        "xylo-audio-3",
        "xylo-imu",
    }
    assert any("samna" in n or "vendor driver" in n for n in found.notes)
    dev = deploy(
        map_network(
            Sequential(Linear((2, 4)), LIF(4), Linear((4, 1)), LIF(1)), "xylo-audio-2"
        ).config,
        servers[0],
    )
    assert dev.on_device
