"""``import rockpool_nb`` stays light: no plotting, widget, dask or NIR libraries get loaded."""

import json
import subprocess
import sys

import pytest

HEAVY = ("holoviews", "bokeh", "panel", "anywidget", "matplotlib", "dask", "nir", "ipywidgets")

# the light core: DESIGN.md promises these load numpy, numba and scipy only
CORE = ["rockpool_nb", "rockpool_nb.nn.modules", "rockpool_nb.nn.combinators"]

PROBE = """
import json, sys, time
t0 = time.perf_counter()
import {module}
dt = time.perf_counter() - t0
print(json.dumps({{"seconds": dt, "modules": sorted(sys.modules)}}))
"""


def _import_in_fresh_process(module: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(module=module)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("module", [*CORE, "rockpool_nb.cli"])
def test_import_loads_no_optional_dependency(module):
    probe = _import_in_fresh_process(module)
    loaded = {name.split(".")[0] for name in probe["modules"]}
    assert module.split(".")[0] in loaded
    heavy = sorted(loaded.intersection(HEAVY))
    assert heavy == [], f"import {module} loaded optional dependencies: {heavy}"
    # reported, never asserted (timings depend on the machine's load)
    print(f"import {module}: {probe['seconds'] * 1e3:.0f} ms, {len(probe['modules'])} modules")


def _third_party(modules: list[str]) -> set[str]:
    top = {name.split(".")[0] for name in modules}
    return {n for n in top if n not in sys.stdlib_module_names and not n.startswith("_")}


@pytest.mark.parametrize("module", CORE)
def test_core_imports_only_numpy_numba_scipy(module):
    """Third-party modules loaded by the core are those that numpy, numba and scipy load anyway."""
    baseline = _third_party(_import_in_fresh_process("numpy, numba, scipy")["modules"])
    loaded = _third_party(_import_in_fresh_process(module)["modules"])
    extra = sorted(loaded - baseline - {"rockpool_nb"})
    assert extra == [], f"import {module} loaded {extra} beyond numpy/numba/scipy"
