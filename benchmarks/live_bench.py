"""Live-view benchmark in a real browser (JupyterLab + Debian Chromium via Playwright).

1. Update rate: a LiveView streaming 64 membrane traces (2,000 points on screen) while the
   kernel simulates LIF(512); canvas frames drawn per second, measured over 5 s.
2. A 10^7-event raster (``rockpool_nb.viz.plot_raster``, datashader): time from running the
   cell to the image on screen, and the kernel-side time of re-aggregating a zoomed range.
Usage: ``python benchmarks/live_bench.py`` (needs the lab, widgets and browser extras).
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat

CHROME = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
]
RUN = """async (code) => {
  const k = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  const f = k.requestExecute({code, silent: false, store_history: false}); const out = [];
  f.onIOPub = m => { if (m.header.msg_type === 'stream') out.push(m.content.text); };
  await f.done; return out.join(''); }"""

CELL_LIVE = """
import numpy as np
from rockpool_nb.nn.combinators import Sequential
from rockpool_nb.nn.modules import LIF, Linear
from rockpool_nb.widgets import LiveView
rng = np.random.default_rng(0)
net = Sequential(Linear((32, 512), weight=rng.normal(0.02, 0.01, (32, 512))), LIF(512, max_spikes_per_dt=1))
view = LiveView(net, chunk=25, trace_neurons=range(64), window=2000)
view.runner.speed = 4.0  # network time runs 4x faster than wall time
view
"""
CELL_DATA = """
import time, numpy as np, holoviews as hv
from rockpool_nb import viz
hv.extension("bokeh", inline=True)
rng = np.random.default_rng(1)
n = 10_000_000
t, c = np.sort(rng.random(n)) * 100.0, rng.integers(0, 1000, n)
"""
CELL_RASTER = """
viz.plot_raster(t, c)
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp())
    nbdir = tmp / "nb"
    nbdir.mkdir()
    for name, cells in (("live.ipynb", [CELL_LIVE]), ("raster.ipynb", [CELL_DATA, CELL_RASTER])):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(cell) for cell in cells]
        nb.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        nbformat.write(nb, nbdir / name)
    port, token = free_port(), secrets.token_hex(8)
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(tmp / "c"),
        JUPYTER_DATA_DIR=str(tmp / "d"),
        JUPYTER_RUNTIME_DIR=str(tmp / "r"),
    )
    lab = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={nbdir}", "--LabApp.expose_app_in_browser=True",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--LabApp.extension_manager=readonly"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        idle = """() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
          const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
          return !!k && k.status === 'idle'; }"""
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROME, headless=True, args=ARGS)
            page = browser.new_page(viewport={"width": 1300, "height": 1200})
            page.goto(f"{base}/lab/tree/live.ipynb?reset&token={token}")
            page.wait_for_function(idle, timeout=90_000)
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
            page.wait_for_selector(".rnb-live-canvas", timeout=90_000)
            page.locator('.rnb-live-btn[data-cmd="run"]').click()
            frames = "() => Number(document.querySelector('.rnb-live-canvas').dataset.frames)"
            page.wait_for_function(f"() => ({frames})() > 10", timeout=60_000)
            f0, t0 = page.evaluate(frames), time.perf_counter()
            page.wait_for_timeout(5000)
            f1, t1 = page.evaluate(frames), time.perf_counter()
            steps = page.evaluate(RUN, "print(view.runner.t)")
            page.evaluate(RUN, "view.close()")
            rate = (f1 - f0) / (t1 - t0)
            print(
                f"live view: {rate:.1f} canvas updates/s with 64 traces x 2000 points "
                f"(kernel simulated {int(steps)} steps of LIF(512) meanwhile)"
            )

            page.goto(f"{base}/lab/tree/raster.ipynb?reset&token={token}")
            page.wait_for_function(idle, timeout=90_000)
            page.evaluate(
                "() => window.jupyterapp.commands.execute('notebook:run-cell-and-select-next')"
            )
            page.wait_for_timeout(500)
            page.wait_for_function(idle, timeout=120_000)  # data generated (not timed)
            start = time.perf_counter()
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-cell')")
            page.locator(".jp-OutputArea-output canvas").first.wait_for(timeout=120_000)
            first = time.perf_counter() - start  # the rasterised image is on screen
            zoom = page.evaluate(
                RUN,
                "from holoviews.operation.datashader import rasterize\n"
                "pts = hv.Points((t, c), kdims=['time (s)', 'channel'])\n"
                "t0 = time.perf_counter(); img = rasterize(pts, x_range=(40, 45), y_range=(0, 1000), dynamic=False)\n"
                "print(time.perf_counter() - t0)",
            )
            print(
                f"raster of 1e7 events: first display {first:.2f} s "
                f"re-aggregation of a zoomed range in the kernel {float(zoom):.3f} s"
            )
            browser.close()
    finally:
        lab.terminate()
        lab.wait(timeout=20)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
