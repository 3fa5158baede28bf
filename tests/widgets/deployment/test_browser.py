"""Browser tier: the deployment panel in real JupyterLab (Debian Chromium driven by Playwright):
pick a chip, see a violation, fix it by picking another chip, deploy, run, see the plot."""

import os
from pathlib import Path

import nbformat
import pytest

from tests.test_cli_browser import CHROME_ARGS, KERNEL_IDLE, lab_server  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(os.environ.get("RNB_ARTIFACTS", Path(__file__).resolve().parents[3] / "artifacts"))

SETUP = """
import numpy as np, panel as pn, holoviews as hv
hv.extension("bokeh", inline=True)
pn.extension(inline=True)
from rockpool_nb.nn.combinators import Sequential
from rockpool_nb.nn.modules import LIF, Linear
from rockpool_nb.widgets import DeploymentPanel
rng = np.random.default_rng(0)
net = Sequential(Linear((8, 64), weight=rng.normal(0, 1, (8, 64))), LIF((64, 32)), Linear((32, 4)), LIF(4))
dp = DeploymentPanel({"two synapses": net}, chip="xylo-imu", discover_kwargs={"include_runtime_files": False})
dp.layout
"""


def test_pick_chip_see_violation_fix_deploy_run(lab_server, chromium, tmp_path):  # noqa: F811
    from playwright.sync_api import sync_playwright

    base, token = lab_server
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(SETUP)]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, tmp_path / "notebooks" / "deploy_test.ipynb")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROME_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1300})
        try:
            page.goto(f"{base}/lab/tree/deploy_test.ipynb?reset&token={token}")
            page.wait_for_selector(".jp-Notebook", timeout=60_000)
            page.wait_for_function(KERNEL_IDLE, timeout=60_000, polling=250)
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
            page.get_by_role("button", name="Check", exact=True).wait_for(timeout=90_000)

            page.get_by_role("button", name="Check", exact=True).click()
            page.get_by_text("does not fit").wait_for(timeout=20_000)
            page.get_by_text("synapses per neuron").first.wait_for(timeout=20_000)
            page.screenshot(path=str(ARTIFACTS / "deployment_violation.png"), full_page=True)

            page.locator(".jp-OutputArea-output select").nth(1).select_option(
                "xylo-audio-2"
            )  # the fix
            page.get_by_text("press Check again").wait_for(timeout=20_000)
            page.get_by_role("button", name="Check", exact=True).click()
            page.get_by_text("fits.").wait_for(timeout=20_000)
            page.get_by_role("button", name="Deploy", exact=True).click()
            page.get_by_text("Deployed").wait_for(timeout=20_000)
            page.get_by_role("button", name="Run", exact=True).click()
            page.get_by_text("output spikes").wait_for(timeout=60_000)
            page.locator(".jp-OutputArea-output canvas").first.wait_for(timeout=30_000)
            page.wait_for_timeout(1000)
            page.screenshot(path=str(ARTIFACTS / "deployment_run.png"), full_page=True)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "deployment_failure.png"), full_page=True)
            raise
        finally:
            browser.close()
