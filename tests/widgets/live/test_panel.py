"""The live view as a served Panel app (``live_app``): Python side without a browser, then a
browser-tier test that serves it for real (``pn.serve`` in this process, loopback only) and
drives it with Debian Chromium."""

import os
import socket
import threading
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

pn = pytest.importorskip("panel")

from rockpool_nb.nn.combinators import Sequential  # noqa: E402
from rockpool_nb.nn.modules import LIF, Linear  # noqa: E402
from rockpool_nb.widgets.live import PoissonSource, live_app  # noqa: E402
from rockpool_nb.widgets.live.runner import decode_chunk  # noqa: E402

ARTIFACTS = Path(os.environ.get("RNB_ARTIFACTS", Path(__file__).resolve().parents[3] / "artifacts"))
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]


def net(n=32):
    rng = np.random.default_rng(0)
    return Sequential(
        Linear((10, n), weight=rng.normal(0.02, 0.01, (10, n))),
        LIF(n, max_spikes_per_dt=1),
    )


def live_threads():
    return [t for t in threading.enumerate() if t.name == "rockpool_nb-live"]


def test_app_layout_and_chunk_message_with_binary_buffers():
    app = live_app(net(), source=PoissonSource(10, rate=50, seed=1), chunk=40, title="demo")
    assert isinstance(app, pn.Column) and app[0].object == "## demo"
    view = app[1]
    assert "input.rate" in view.controls and view.values["input.rate"] == 50.0
    got = []
    view.send = got.append
    view.step()
    (msg,) = got
    assert msg["kind"] == "chunk" and msg["t0"] == 0 and len(msg["buffers"]) == 3
    traces, spikes, _ = decode_chunk(msg, msg["buffers"])
    assert traces.shape == (40, 4) and spikes.shape == (40, 32)
    assert view.status == "paused at t = 0.040 s"

    # Bokeh sends bytes as binary frames, not base64 text: the serialised event defers them
    from bokeh.core.serialization import Serializer

    rep = Serializer(deferred=True).serialize({"buffers": msg["buffers"]})
    assert len(rep.buffers) == 3 and bytes(rep.buffers[0].data) == msg["buffers"][0]


def test_commands_from_the_browser_go_through_the_numbered_property():
    view = live_app(net(), source=PoissonSource(10, rate=50, seed=1), chunk=25)[1]
    view.send = lambda msg: None
    view.command = {"cmd": "step", "seq": 1}
    view.command = {"cmd": "step", "seq": 2}  # the same command again is still a change
    assert view.runner.t == 50
    view.command = {"cmd": "set", "name": "input.rate", "value": 120.0, "seq": 3}
    assert view.runner.source.rate == 120.0 and view.values["input.rate"] == 120.0
    view.command = {"cmd": "set", "name": "1_LIF.bias", "value": 9.0, "seq": 4}
    assert "expected a value in" in view.status
    view.command = {"cmd": "speed", "value": 100, "seq": 5}
    view.command = {"cmd": "run", "seq": 6}
    time.sleep(0.2)
    assert view.runner.running
    view.command = {"cmd": "pause", "seq": 7}
    assert not view.runner.running and not live_threads()
    assert view.status.startswith("paused at t = ")
    view.command = {"cmd": "reset", "seq": 8}
    assert view.runner.t == 0 and view.status == "idle" and view.recording() == {}


def canvas_frames(page) -> int:
    # the component draws inside Panel's shadow root: locators pierce it, document.querySelector not
    return int(page.locator(".rnb-live-canvas").evaluate("(c) => Number(c.dataset.frames)"))


def wait_frames(page, at_least: int, timeout: float = 60.0) -> int:
    deadline = time.monotonic() + timeout
    while (n := canvas_frames(page)) < at_least:
        assert time.monotonic() < deadline, f"canvas drew {n} frames, expected {at_least}"
        page.wait_for_timeout(100)
    return n


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.browser
@pytest.mark.slow
def test_served_app_canvas_updates_and_controls_reach_python(chromium):
    from playwright.sync_api import sync_playwright

    views = []

    def app():
        layout = live_app(net(64), source=PoissonSource(10, rate=20, seed=3), chunk=50)
        view = layout[1]
        rate = pn.pane.Markdown("rate in Python: 20.0", css_classes=["rate-md"])
        # the source's rate as Python sees it (a change applies from the next chunk)
        pn.state.add_periodic_callback(
            lambda: setattr(rate, "object", f"rate in Python: {view.runner.source.rate}"), 200
        )
        views.append(view)
        layout.append(rate)
        return layout

    port = free_port()
    server = pn.serve(
        {"live": app},
        port=port,
        address="127.0.0.1",
        websocket_origin=[f"127.0.0.1:{port}"],
        threaded=True,
        show=False,
        # discard a closed session within seconds (a lifetime well under the page's load time
        # makes Bokeh rebuild the session without the server's static paths: CDN stylesheets)
        check_unused_sessions_milliseconds=500,
        unused_session_lifetime_milliseconds=3000,
    )
    url = f"http://127.0.0.1:{port}/live"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROME_ARGS)
            page = browser.new_page(viewport={"width": 1000, "height": 800})
            errors, failed, binary_frames = [], [], []
            page.on("requestfailed", lambda r: failed.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on(
                "websocket",
                lambda ws: ws.on(
                    "framereceived",
                    lambda f: binary_frames.append(len(f)) if isinstance(f, bytes) else None,
                ),
            )
            try:
                page.goto(url, wait_until="domcontentloaded")
                page.wait_for_selector(".rnb-live-canvas", timeout=60_000)
                assert canvas_frames(page) == 0  # nothing drawn before Run
                page.locator('.rnb-live-btn[data-cmd="run"]').click()
                f0 = wait_frames(page, 5)
                wait_frames(page, f0 + 3, timeout=30)
                assert page.locator(".rnb-live-status").text_content() == "running"
                assert len(binary_frames) >= 5  # chunks came as binary websocket frames

                slider = page.locator('input[data-control="input.rate"]')
                slider.evaluate(
                    "(el) => { el.value = '150'; el.dispatchEvent(new Event('change')); }"
                )
                page.get_by_text("rate in Python: 150.0").wait_for(timeout=10_000)

                page.locator('.rnb-live-btn[data-cmd="pause"]').click()
                page.get_by_text("paused at t = ").wait_for(timeout=10_000)
                view = views[-1]  # the browser's session (urlopen above made one too)
                assert not view.runner.running and view.runner.t > 0
                steps = view.runner.t
                page.locator('.rnb-live-btn[data-cmd="step"]').click()
                page.get_by_text(f"paused at t = {(steps + 50) * 1e-3:.3f} s").wait_for(
                    timeout=10_000
                )
                page.screenshot(path=str(ARTIFACTS / "live_panel.png"), full_page=True)
                assert not failed and not errors, (failed, errors)

                page.locator('.rnb-live-btn[data-cmd="run"]').click()
                page.get_by_text("running", exact=True).wait_for(timeout=10_000)
            except Exception:
                page.screenshot(path=str(ARTIFACTS / "live_panel_failure.png"), full_page=True)
                raise
            finally:
                browser.close()
        # closing the tab ends the session, which stops the run: no thread left
        deadline = time.monotonic() + 20
        while live_threads() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not live_threads()
    finally:
        for view in views:
            view.close()
        server.stop()
