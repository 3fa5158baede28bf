"""scripts/_common.sh: the venv set-up behind ./run.sh is idempotent and never drops extras.

A stub ``python`` in a fake venv records the pip calls, so these tests install nothing."""

import os
import subprocess

import pytest

STUB = '#!/bin/sh\necho "$@" >> "$(dirname "$0")/../calls.log"\n'


@pytest.fixture
def fake_venv(tmp_path):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin" / "python"
    python.write_text(STUB)
    python.chmod(0o755)
    return venv


def _ensure(repo_root, venv, extras, **env):
    script = f'set -euo pipefail; source "{repo_root}/scripts/_common.sh"; ensure_venv "{extras}"'
    res = subprocess.run(
        ["bash", "-c", script],
        env={**os.environ, "VENV": str(venv), "RNB_FORCE_INSTALL": "0", **env},
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    return res.stdout


def _pip_installs(venv):
    log = venv / "calls.log"
    lines = log.read_text().splitlines() if log.exists() else []
    return [line.split()[-1] for line in lines if "-e" in line.split()]


def test_ensure_venv_installs_once_then_reuses(repo_root, fake_venv):
    out = _ensure(repo_root, fake_venv, "all")
    assert "pip install of rockpool_nb[all] took" in out
    assert _pip_installs(fake_venv) == [f"{repo_root}[all]"]
    out = _ensure(repo_root, fake_venv, "all")
    assert "reusing" in out
    assert len(_pip_installs(fake_venv)) == 1


def test_ensure_venv_adds_extras_without_dropping_installed_ones(repo_root, fake_venv):
    _ensure(repo_root, fake_venv, "all,dev")
    _ensure(repo_root, fake_venv, "all")  # a subset: nothing to do
    _ensure(repo_root, fake_venv, "docs,all")
    assert _pip_installs(fake_venv) == [f"{repo_root}[all,dev]", f"{repo_root}[all,dev,docs]"]
    assert (fake_venv / ".rockpool_nb-install").read_text().splitlines()[1] == "all,dev,docs"


def test_ensure_venv_reinstalls_when_forced_or_pyproject_changed(repo_root, fake_venv):
    _ensure(repo_root, fake_venv, "all")
    _ensure(repo_root, fake_venv, "all", RNB_FORCE_INSTALL="1")
    stamp = fake_venv / ".rockpool_nb-install"
    stamp.write_text("0\nall\n")  # as if pyproject.toml had changed since
    _ensure(repo_root, fake_venv, "all")
    assert len(_pip_installs(fake_venv)) == 3


def test_ensure_venv_compiles_the_kernels_after_installing(repo_root, fake_venv):
    out = _ensure(repo_root, fake_venv, "all")
    calls = (fake_venv / "calls.log").read_text().splitlines()
    assert calls[-1] == "-m rockpool_nb compile"  # after pip, once per install
    assert "compiling the numba kernels" in out
    _ensure(repo_root, fake_venv, "all")  # reused: nothing compiled again
    assert (fake_venv / "calls.log").read_text().splitlines() == calls


def test_ensure_venv_fails_when_the_kernels_do_not_compile(repo_root, fake_venv):
    python = fake_venv / "bin" / "python"
    python.write_text(
        STUB + 'case "$*" in *compile*) echo "numba: TypingError" >&2; exit 1;; esac\n'
    )
    script = f'set -euo pipefail; source "{repo_root}/scripts/_common.sh"; ensure_venv all'
    res = subprocess.run(
        ["bash", "-c", script],
        env={**os.environ, "VENV": str(fake_venv), "RNB_FORCE_INSTALL": "0"},
        capture_output=True,
        text=True,
    )
    assert res.returncode != 0
    assert "rockpool-nb compile failed" in res.stderr and "TypingError" in res.stderr
    assert not (fake_venv / ".rockpool_nb-install").exists()  # the next run tries again
