"""Browser tier: the graph builder in real JupyterLab (Debian Chromium driven by Playwright).

Place three modules from the palette, connect them by dragging from output to input ports, set a
parameter in the editor, then build the network in the kernel, evolve it and check the output.
"""

import json
import os
from pathlib import Path

import nbformat
import pytest

from tests.test_cli_browser import CHROME_ARGS, KERNEL_IDLE, lab_server  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(os.environ.get("RNB_ARTIFACTS", Path(__file__).resolve().parents[3] / "artifacts"))

RUN_IN_KERNEL = """async (code) => {
  const k = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  const f = k.requestExecute({code, silent: false, store_history: false}); const out = [];
  f.onIOPub = m => { const t = m.header.msg_type;
    if (t === 'execute_result') out.push(m.content.data['text/plain']);
    if (t === 'stream') out.push(m.content.text);
    if (t === 'error') out.push('ERROR ' + m.content.ename + ': ' + m.content.evalue); };
  await f.done; return out.join(''); }"""

CHECK = """
import json
import numpy as np
net = builder.to_network()
out, state, rec = net(np.random.default_rng(0).random((50, 2)))
print(json.dumps({"shape": list(out.shape), "types": [m.class_name for m in net],
                  "tau_mem": float(np.ravel(net[1].tau_mem)[0]), "edges": len(builder.graph["edges"])}))
"""


def _centre(locator):
    locator.wait_for(state="visible", timeout=10_000)
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _drag(page, src, dst):
    x0, y0 = _centre(src)
    x1, y1 = _centre(dst)
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, steps=5)
    page.mouse.move(x1, y1, steps=5)
    page.mouse.up()


def test_draw_connect_edit_and_run(lab_server, chromium, tmp_path):  # noqa: F811
    from playwright.sync_api import sync_playwright

    base, token = lab_server
    nb_dir = tmp_path / "notebooks"
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from rockpool_nb.widgets import GraphBuilder\nbuilder = GraphBuilder()\nbuilder"
        )
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, nb_dir / "builder_test.ipynb")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    errors = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROME_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1100})
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{base}/lab/tree/builder_test.ipynb?reset&token={token}")
            page.wait_for_selector(".jp-Notebook", timeout=60_000)
            page.wait_for_function(KERNEL_IDLE, timeout=60_000, polling=250)
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
            page.wait_for_selector(".rnb-gb .rnb-gb-item", timeout=60_000)

            # three modules from the palette
            for type_name in ("Linear", "LIF", "Linear"):
                before = page.locator(".rnb-gb-node").count()
                page.locator(f'.rnb-gb-item[data-type="{type_name}"]').click()
                page.wait_for_function(
                    f"() => document.querySelectorAll('.rnb-gb-node').length === {before + 1}"
                )
            page.locator('.rnb-gb-btn[data-cmd="layout"]').click()
            page.wait_for_timeout(500)
            page.locator('.rnb-gb-btn[data-cmd="fit"]').click()
            page.wait_for_timeout(300)

            # connect n1 -> n2 -> n3 by dragging from output ports to input ports
            for count, (a, b) in enumerate((("n1", "n2"), ("n2", "n3")), start=1):
                _drag(
                    page,
                    page.locator(f'[data-node="{a}"] .rnb-gb-out'),
                    page.locator(f'[data-node="{b}"] .rnb-gb-in'),
                )
                page.wait_for_function(
                    f"() => document.querySelectorAll('.rnb-gb-edge').length === {count}",
                    timeout=10_000,
                )
                page.wait_for_timeout(300)  # the view redraws from the synced state

            # select the LIF and set tau_mem in the editor
            page.locator('[data-node="n2"] rect').click()
            field = page.locator('.rnb-gb-editor input[data-param="tau_mem"]')
            field.wait_for(timeout=10_000)
            field.fill("0.05")
            field.press("Enter")
            page.wait_for_timeout(500)
            page.screenshot(path=str(ARTIFACTS / "graph_builder.png"), full_page=True)

            raw = page.evaluate(RUN_IN_KERNEL, CHECK)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "graph_builder_failure.png"), full_page=True)
            raise
        finally:
            browser.close()
    assert "ERROR" not in raw, raw
    result = json.loads(raw.strip().splitlines()[-1])
    assert result["edges"] == 2
    assert result["types"] == ["Linear", "LIF", "Linear"]
    assert result["shape"] == [1, 50, 2]
    assert result["tau_mem"] == pytest.approx(0.05)
    assert errors == [], f"JavaScript errors in the page: {errors}"
