"""Browser tier: a live run in real JupyterLab (Debian Chromium via Playwright): the canvas
updates, a slider changes the input rate in the kernel, pause, then a HoloViews plot of the
recording renders."""

import os
from pathlib import Path

import nbformat
import pytest

from tests.test_cli_browser import CHROME_ARGS, KERNEL_IDLE, lab_server  # noqa: F401
from tests.widgets.graph_builder.test_browser import RUN_IN_KERNEL

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(os.environ.get("RNB_ARTIFACTS", Path(__file__).resolve().parents[3] / "artifacts"))

CELL1 = """
import numpy as np
from rockpool_nb.nn.combinators import Sequential
from rockpool_nb.nn.modules import LIF, Linear
from rockpool_nb.widgets import LiveView
rng = np.random.default_rng(0)
net = Sequential(Linear((10, 64), weight=rng.normal(0.02, 0.01, (10, 64))), LIF(64, max_spikes_per_dt=1))
view = LiveView(net, chunk=50)
view
"""
CELL2 = """
import holoviews as hv
from rockpool_nb import viz
hv.extension("bokeh", inline=True)
rec = view.recording()
viz.plot_traces(rec["vmem"].samples, dt=1e-3) + viz.plot_raster(rec["spikes"].times, rec["spikes"].channels)
"""

FRAMES = "() => Number(document.querySelector('.rnb-live-canvas')?.dataset.frames || 0)"


def test_live_run_slider_pause_and_recording_plot(lab_server, chromium, tmp_path):  # noqa: F811
    from playwright.sync_api import sync_playwright

    base, token = lab_server
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(CELL1), nbformat.v4.new_code_cell(CELL2)]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, tmp_path / "notebooks" / "live_test.ipynb")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROME_ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 1400})
        try:
            page.goto(f"{base}/lab/tree/live_test.ipynb?reset&token={token}")
            page.wait_for_selector(".jp-Notebook", timeout=60_000)
            page.wait_for_function(KERNEL_IDLE, timeout=60_000, polling=250)
            page.evaluate(
                "() => window.jupyterapp.commands.execute('notebook:run-cell-and-select-next')"
            )
            page.wait_for_selector(".rnb-live-canvas", timeout=60_000)
            page.locator('.rnb-live-btn[data-cmd="run"]').click()
            page.wait_for_function(f"() => ({FRAMES})() >= 5", timeout=60_000)
            frames_before = page.evaluate(FRAMES)
            page.wait_for_function(f"() => ({FRAMES})() > {frames_before + 3}", timeout=30_000)

            slider = page.locator('input[data-control="input.rate"]')
            slider.evaluate("(el) => { el.value = '150'; el.dispatchEvent(new Event('change')); }")
            page.wait_for_timeout(500)
            rate = page.evaluate(
                RUN_IN_KERNEL, "print(view.runner.source.rate, view.values['input.rate'])"
            )
            assert rate.split() == ["150.0", "150.0"], rate

            page.locator('.rnb-live-btn[data-cmd="pause"]').click()
            page.wait_for_timeout(500)
            state = page.evaluate(
                RUN_IN_KERNEL,
                "print(view.runner.running, view.runner.t > 0, view.status.split()[0])",
            )
            assert state.split() == ["False", "True", "paused"], state
            page.screenshot(path=str(ARTIFACTS / "live_view.png"), full_page=True)

            page.evaluate(
                "() => { const nb = window.jupyterapp.shell.currentWidget.content;"
                " nb.activeCellIndex = 1; return window.jupyterapp.commands.execute('notebook:run-cell'); }"
            )
            page.locator(".jp-Cell").nth(1).locator(".jp-OutputArea-output canvas").first.wait_for(
                timeout=60_000
            )
            page.wait_for_timeout(1000)
            page.screenshot(path=str(ARTIFACTS / "live_recording.png"), full_page=True)
            page.evaluate(RUN_IN_KERNEL, "view.close()")
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "live_failure.png"), full_page=True)
            raise
        finally:
            browser.close()
