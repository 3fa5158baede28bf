"""Browser tier: the deployment panel as a served Panel app (``panel serve`` in its own process,
on 127.0.0.1), driven in Debian Chromium: check, see the violation, fix, deploy, run, plot."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.test_cli_browser import CHROME_ARGS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(os.environ.get("RNB_ARTIFACTS", Path(__file__).resolve().parents[3] / "artifacts"))

APP = """
import numpy as np
from rockpool_nb.nn.combinators import Sequential
from rockpool_nb.nn.modules import LIF, Linear
from rockpool_nb.widgets import DeploymentPanel

rng = np.random.default_rng(0)
net = Sequential(Linear((8, 64), weight=rng.normal(0, 1, (8, 64))), LIF((64, 32)), Linear((32, 4)), LIF(4))
DeploymentPanel({"two synapses": net}, chip="xylo-imu",
                discover_kwargs={"include_runtime_files": False}).servable()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served_app(tmp_path):
    (tmp_path / "deploy_app.py").write_text(APP)
    port = free_port()
    log = tmp_path / "panel-serve.log"
    out = log.open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "panel", "serve", "deploy_app.py", "--address", "127.0.0.1",
         "--port", str(port), "--allow-websocket-origin", f"127.0.0.1:{port}"],
        cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/deploy_app"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as resp:
                    assert resp.status == 200
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    pytest.fail(f"panel serve did not come up:\n{log.read_text()}")
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        out.close()


def test_served_panel_checks_fixes_deploys_and_runs(served_app, chromium):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROME_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1200})
        try:
            page.goto(served_app)
            check = page.get_by_role("button", name="Check", exact=True)
            check.wait_for(timeout=60_000)
            check.click()
            page.get_by_text("does not fit").wait_for(timeout=30_000)
            page.get_by_text("synapses per neuron").first.wait_for(timeout=10_000)
            page.locator("select").nth(1).select_option("xylo-audio-2")  # the fix
            page.get_by_text("press Check again").wait_for(timeout=20_000)
            check.click()
            page.get_by_text("fits.").wait_for(timeout=30_000)
            page.get_by_role("button", name="Deploy", exact=True).click()
            page.get_by_text("Deployed").wait_for(timeout=30_000)
            page.get_by_role("button", name="Run", exact=True).click()
            page.get_by_text("output spikes").wait_for(timeout=60_000)
            page.locator("canvas").first.wait_for(timeout=30_000)
            page.screenshot(path=str(ARTIFACTS / "deployment_served.png"), full_page=True)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "deployment_served_failure.png"), full_page=True)
            raise
        finally:
            browser.close()
