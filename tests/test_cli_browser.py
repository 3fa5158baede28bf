"""Browser tier: ``rockpool-nb lab`` really serves JupyterLab, and the getting-started notebook
runs there from the UI (Debian Chromium driven by Playwright; see browser-testing notes)."""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROME_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
KERNEL_IDLE = """() => { const a = window.jupyterapp; if (!a) return false;
  const w = a.shell.currentWidget; if (!w || !w.sessionContext) return false;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.status === 'idle' && k.connectionStatus === 'connected'; }"""
# done when every code cell has run, or as soon as one shows an error (run-all stops there)
DONE = """() => { const w = window.jupyterapp.shell.currentWidget;
  const cells = w.content.widgets.filter(c => c.model.type === 'code');
  const failed = cells.some(c => c.model.outputs.toJSON().some(o => o.output_type === 'error'));
  return w.sessionContext.session.kernel.status === 'idle'
         && (failed || cells.every(c => c.model.executionCount !== null)); }"""

ERRORS = """() => window.jupyterapp.shell.currentWidget.content.widgets
  .filter(c => c.model.type === 'code')
  .flatMap(c => c.model.outputs.toJSON().filter(o => o.output_type === 'error')
  .map(o => o.ename + ': ' + o.evalue))"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab_server(tmp_path, repo_root):
    """``rockpool-nb lab --no-headless`` on a copy of the notebooks, loopback only, with a token."""
    nb_dir = tmp_path / "notebooks"
    shutil.copytree(repo_root / "notebooks", nb_dir)  # Lab autosaves outputs: never the originals
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ)
    for var in ("CONFIG", "DATA", "RUNTIME"):
        env[f"JUPYTER_{var}_DIR"] = str(tmp_path / var.lower())
    cmd = [
        sys.executable, "-m", "rockpool_nb.cli", "lab", "--no-headless",
        "--port", str(port), "--notebooks", str(nb_dir),
        "--no-browser", "--ip=127.0.0.1", f"--IdentityProvider.token={token}",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]  # fmt: skip
    log = open(tmp_path / "lab.log", "w")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail("JupyterLab did not start:\n" + (tmp_path / "lab.log").read_text())
            time.sleep(0.5)
        yield base, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_getting_started_runs_in_jupyterlab(lab_server, chromium, tmp_path):
    from playwright.sync_api import sync_playwright

    base, token = lab_server
    url = f"{base}/lab/tree/00_getting_started.ipynb?reset&token={token}"
    errors = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROME_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 1600})
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(url, wait_until="domcontentloaded")
            page.wait_for_selector(".jp-Notebook", timeout=60_000)
            page.wait_for_function(KERNEL_IDLE, timeout=60_000, polling=250)
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
            page.wait_for_function(DONE, timeout=120_000, polling=250)
            tracebacks = page.evaluate(ERRORS)
        finally:
            browser.close()
    assert tracebacks == [], "a cell failed in JupyterLab:\n" + "\n".join(tracebacks)
    assert errors == [], f"JavaScript errors in the page: {errors}"
