"""Live-view benchmark in a real browser (JupyterLab + Debian Chromium via Playwright).

1. Update rate: a LiveView streaming 64 membrane traces (2,000 points on screen) while the
   kernel simulates LIF(512); canvas frames drawn per second, measured over 5 s.
2. A 10^7-event raster (``rockpool_nb.viz.plot_raster``, an image of counts per pixel): time
   from running the cell to the image drawn (Bokeh idle), the kernel-side split of that time,
   and the browser round trip of a zoom: the x range set from JavaScript (as the wheel-zoom tool
   does) until the re-aggregated image is back in the page and painted.
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
# the previous implementation, measured side by side as the reference
CELL_RASTER_DATASHADER = """
from holoviews.operation.datashader import dynspread, rasterize
dynspread(rasterize(hv.Points((t, c), kdims=["time (s)", "channel"]))).opts(width=650, height=250, cmap="fire")
"""
# kernel side of the first display, in a fresh process (imports and first-use costs included)
KERNEL_SPLIT = """
import time, numpy as np
t0 = time.perf_counter()
import holoviews as hv
from rockpool_nb import viz
hv.extension("bokeh", inline=True)
rng = np.random.default_rng(1)
t, c = np.sort(rng.random(10_000_000)) * 100.0, rng.integers(0, 1000, 10_000_000)
t1 = time.perf_counter()
obj = viz.plot_raster(t, c)
plot = hv.renderer("bokeh").get_plot(obj)
t2 = time.perf_counter()
from rockpool_nb.viz.rasters import aggregate_events
t3 = time.perf_counter()
aggregate_events(t, c, (0, 100), (-0.5, 999.5), 650, 250, sorted_times=True)
t4 = time.perf_counter()
aggregate_events(t, c, (40, 45), (-0.5, 999.5), 650, 250, sorted_times=True)
t5 = time.perf_counter()
print(f"{t2 - t1:.3f} {t4 - t3:.3f} {t5 - t4:.4f}")
"""
# Zoom with the mouse wheel (HoloViews re-aggregates on Bokeh's RangesUpdate event, which the
# tools fire; setting x_range from JavaScript does not fire it). ARM records the wheel event's
# time; WAIT polls until the image source holds the image for the new range, then two frames.
WHEEL_ARM = """() => {
  const doc = Bokeh.documents[Bokeh.documents.length - 1];
  const fig = [...doc.all_models].find((m) => m.x_range !== undefined && m.renderers !== undefined);
  window.__zoom = {t0: 0, before: fig.x_range.start};
  document.addEventListener("wheel", () => {
    if (!window.__zoom.t0) window.__zoom.t0 = performance.now();
  }, {capture: true, once: true});
}"""
WHEEL_WAIT = """async () => {
  const doc = Bokeh.documents[Bokeh.documents.length - 1];
  const models = [...doc.all_models];
  const fig = models.find((m) => m.x_range !== undefined && m.renderers !== undefined);
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const done = () => {
    const lo = fig.x_range.start;
    if (lo === window.__zoom.before) return false;
    return [...doc.all_models].some((m) => m.data !== undefined && m.data.image !== undefined
      && Math.abs(m.data.x[0] - lo) <= 1e-9 * Math.max(1, Math.abs(lo)));
  };
  const start = performance.now();
  while (!window.__zoom.t0 || !done()) {
    if (performance.now() - start > 20000) return -1;
    await frame();
  }
  await frame();
  await frame();  // painted
  return performance.now() - window.__zoom.t0;
}"""
# the plot's canvas is in the page, then two animation frames (Bokeh paints on render; the
# document never reports is_idle in JupyterLab, so that flag cannot be the signal)
PAINTED = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def raster_display(page, url, idle):
    """Run the raster cell of a fresh notebook; (first display in s, sorted zoom round trips)."""
    page.goto(url)
    page.wait_for_function(idle, timeout=90_000)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-cell-and-select-next')")
    page.wait_for_timeout(500)
    page.wait_for_function(idle, timeout=120_000)  # data generated (not timed)
    start = time.perf_counter()
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-cell')")
    page.locator(".jp-OutputArea-output canvas").first.wait_for(timeout=120_000)
    page.evaluate(PAINTED)
    first = time.perf_counter() - start  # the image is drawn
    page.wait_for_function(idle, timeout=60_000)
    box = page.locator(".jp-OutputArea-output canvas").last.bounding_box()
    zooms = []
    for k, notches in enumerate([-1, -1, 1, -1, 1]):  # in, in, out, in, out
        page.evaluate(WHEEL_ARM)
        page.mouse.move(box["x"] + box["width"] * (0.3 + 0.1 * k), box["y"] + box["height"] / 2)
        page.mouse.wheel(0, 100 * notches)
        zooms.append(page.evaluate(WHEEL_WAIT) / 1000)
        page.wait_for_timeout(500)
    return first, sorted(zooms)


def main():
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp())
    nbdir = tmp / "nb"
    nbdir.mkdir()
    notebooks = (
        ("live.ipynb", [CELL_LIVE]),
        ("raster.ipynb", [CELL_DATA, CELL_RASTER]),
        ("raster_datashader.ipynb", [CELL_DATA, CELL_RASTER_DATASHADER]),
    )
    for name, cells in notebooks:
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

            for name, label in (
                ("raster_datashader.ipynb", "before: datashader rasterize + dynspread"),
                ("raster.ipynb", "viz.plot_raster"),
            ):
                first, zooms = raster_display(
                    page, f"{base}/lab/tree/{name}?reset&token={token}", idle
                )
                print(
                    f"raster of 1e7 events ({label}): first display {first:.2f} s; "
                    f"zoom round trip in the browser median {zooms[2]:.3f} s, "
                    f"max {zooms[-1]:.3f} s (5 zooms)"
                )
            browser.close()
        split = subprocess.run(
            [sys.executable, "-c", KERNEL_SPLIT], capture_output=True, text=True, check=True
        ).stdout.split()
        print(
            f"kernel side (fresh process): plot_raster + Bokeh plot {float(split[0]):.2f} s, "
            f"full-range aggregation {float(split[1]):.3f} s, zoomed aggregation "
            f"{float(split[2]) * 1000:.1f} ms; load average {os.getloadavg()[0]:.1f}"
        )
    finally:
        lab.terminate()
        lab.wait(timeout=20)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
