"""Shared fixtures for the whole test suite.

- ``seed``: an integer derived from the test's node id (stable across runs, different per test).
- ``rng``: ``numpy.random.default_rng(seed)``; use it instead of the global ``np.random``.
- every test (autouse): modules built without ``rng`` draw their weights and noise from one
  generator seeded by ``seed``, and the global ``np.random`` (Rockpool's own initialisers) is
  seeded too, so a test sees the same draws on every run and machine.
- hypothesis: under ``CI`` the ``ci`` profile (derandomised: the same examples on every run).
- ``chromium``: path of Debian's Chromium for browser-tier tests (``-m browser``). Missing
  Chromium skips the test locally but fails it under CI, so a missing install step is caught.
"""

import os
import shutil
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings

REPO_ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# Property tests: under CI the same examples on every run (a red CI blocks a landing, so it must
# come from a change, not from a new draw); locally hypothesis explores new ones each run.
settings.register_profile("ci", derandomize=True, print_blob=True)
if IN_CI:
    settings.load_profile("ci")


@pytest.fixture
def seed(request) -> int:
    return zlib.crc32(request.node.nodeid.encode()) % (2**31)


@pytest.fixture
def rng(seed) -> np.random.Generator:
    return np.random.default_rng(seed)


@pytest.fixture(autouse=True)
def _seeded_draws(seed, monkeypatch):
    import rockpool_nb.nn.modules  # noqa: F401  (every module binds the real as_generator first)
    from rockpool_nb.nn.modules import initialisers

    draws = np.random.default_rng(seed + 1)  # not the ``rng`` fixture's stream
    fresh = initialisers.as_generator

    def as_generator(rng=None):
        return draws if rng is None else fresh(rng)

    for name, module in list(sys.modules.items()):  # every module that imported it
        if name.startswith("rockpool_nb") and getattr(module, "as_generator", None) is fresh:
            monkeypatch.setattr(module, "as_generator", as_generator)
    np.random.seed(seed)


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def chromium() -> str:
    missing = []
    if not Path(CHROMIUM).is_file() and shutil.which("chromium") is None:
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append("python playwright (pip install 'rockpool_nb[browser]')")
    if missing:
        msg = "browser tier needs " + " and ".join(missing) + "; ./run.sh test installs both"
        if IN_CI:
            pytest.fail(msg)
        pytest.skip(msg)
    return CHROMIUM if Path(CHROMIUM).is_file() else shutil.which("chromium")
