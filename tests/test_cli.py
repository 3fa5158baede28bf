"""The ``rockpool-nb`` command: argument handling, the lab/headless switch, pass-through, runner."""

import os
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from rockpool_nb import __version__, cli
from rockpool_nb._notebook_runner import find_notebooks, notebook_has_outputs

nbformat = pytest.importorskip("nbformat")


def _write_notebook(path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in sources]
    nbformat.write(nb, str(path))
    return path


@pytest.fixture
def calls(monkeypatch):
    """Record subprocess.call (and os.execv, which ``lab`` uses to become the server) instead
    of starting JupyterLab or pytest."""
    seen = []

    def fake_call(cmd, **kwargs):
        seen.append((cmd, kwargs))
        return 0

    def fake_execv(path, cmd):
        seen.append((list(cmd), {}))
        raise SystemExit(0)  # execv does not return

    monkeypatch.setattr(subprocess, "call", fake_call)
    monkeypatch.setattr(os, "execv", fake_execv)
    return seen


def test_console_script_is_registered():
    (ep,) = entry_points(group="console_scripts", name="rockpool-nb")
    assert ep.value == "rockpool_nb.cli:main"


def test_version_prints_package_and_core_versions(capsys):
    assert cli.main(["version"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"rockpool_nb {__version__}"
    assert {line.split()[0] for line in lines[1:]} == {"python", "numpy", "numba", "scipy"}


def test_dash_dash_version_and_bad_arguments_exit_like_argparse(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["--version"])
    assert exc.value.code == 0 and __version__ in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        cli.main(["version", "--bogus"])
    assert exc.value.code == 2 and "unrecognized arguments: --bogus" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        cli.main([])
    assert exc.value.code == 2


@pytest.mark.parametrize(
    ("env", "platform", "headless"),
    [
        ({"CI": "true", "DISPLAY": ":0"}, "linux", True),
        ({"CI": "1"}, "darwin", True),
        ({}, "linux", True),
        ({"DISPLAY": ":0"}, "linux", False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({"CI": "false", "DISPLAY": ":1"}, "linux", False),
        ({}, "darwin", False),
        ({}, "win32", False),
    ],
)
def test_headless_reason(env, platform, headless):
    reason = cli.headless_reason(env=env, platform=platform)
    assert (reason is not None) == headless
    if env.get("CI") in {"true", "1"}:
        assert reason.startswith("CI=")


def test_lab_starts_jupyterlab_on_the_notebook_dir(tmp_path, calls):
    with pytest.raises(SystemExit) as exit_info:  # the CLI process becomes the server
        cli.main(
            ["lab", "--no-headless", "--port", "8999", "--notebooks", str(tmp_path), "--LabApp.x=1"]
        )
    assert exit_info.value.code == 0
    ((cmd, _kwargs),) = calls
    assert cmd[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={tmp_path.resolve()}" in cmd
    assert "--ServerApp.port=8999" in cmd
    assert cmd[-1] == "--LabApp.x=1"


def test_lab_rejects_a_missing_notebook_dir(tmp_path, calls, capsys):
    assert cli.main(["lab", "--no-headless", "--notebooks", str(tmp_path / "nope")]) == 2
    assert "--notebooks: expected a directory" in capsys.readouterr().out
    assert calls == []


def test_headless_rejects_jupyter_arguments(tmp_path, capsys):
    assert cli.main(["lab", "--headless", "--notebooks", str(tmp_path), "--port-x"]) == 2
    assert "unexpected arguments in headless mode: --port-x" in capsys.readouterr().out


def test_headless_with_no_notebooks_fails(tmp_path, capsys):
    assert cli.main(["lab", "--headless", "--notebooks", str(tmp_path)]) == 1
    assert "no notebooks found" in capsys.readouterr().out


def test_lab_goes_headless_automatically_under_ci(tmp_path, monkeypatch, capsys, calls):
    monkeypatch.setenv("CI", "true")
    assert cli.main(["lab", "--notebooks", str(tmp_path)]) == 1  # empty folder: headless failure
    out = capsys.readouterr().out
    assert "CI=true: executing the notebooks headless" in out
    assert calls == []


def test_test_passes_arguments_to_pytest_from_the_repo_root(calls, repo_root):
    assert cli.main(["test", "-x", "-k", "a and b", "tests/test_cli.py"]) == 0
    assert cli.main(["test", "--", "--help"]) == 0
    (cmd1, kw1), (cmd2, _kw2) = calls
    assert cmd1 == [sys.executable, "-m", "pytest", "-x", "-k", "a and b", "tests/test_cli.py"]
    assert Path(kw1["cwd"]) == repo_root
    assert cmd2 == [sys.executable, "-m", "pytest", "--help"]


def test_device_serve_delegates_to_the_device_server(monkeypatch):
    server = pytest.importorskip("rockpool_nb.devices.transport.server")
    seen = []
    monkeypatch.setattr(server, "main", lambda argv: seen.append(argv) or 0)
    assert cli.main(["device", "serve", "--port", "0"]) == 0
    assert seen == [["--port", "0"]]


def test_find_repo_root_and_default_notebook_dir(repo_root):
    assert cli.find_repo_root() == repo_root
    assert cli.default_notebook_dir() == repo_root / "notebooks"


def test_find_repo_root_outside_a_checkout_is_none(tmp_path):
    assert cli.find_repo_root(tmp_path) is None


def test_find_notebooks_is_sorted_and_skips_checkpoints(tmp_path):
    for rel in ["b.ipynb", "a.ipynb", "sub/c.ipynb", ".ipynb_checkpoints/a-checkpoint.ipynb"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        _write_notebook(tmp_path / rel, "1")
    found = [p.relative_to(tmp_path).as_posix() for p in find_notebooks(tmp_path)]
    assert found == ["a.ipynb", "b.ipynb", "sub/c.ipynb"]
    with pytest.raises(FileNotFoundError, match="notebooks: expected a directory"):
        find_notebooks(tmp_path / "missing")


@pytest.mark.slow
def test_headless_run_reports_pass_and_fail(tmp_path, capsys):
    (tmp_path / "data.txt").write_text("42")
    good = _write_notebook(
        tmp_path / "01_good.ipynb",
        "from pathlib import Path",
        "assert Path('data.txt').read_text() == '42'  # runs in the notebook's folder",
    )
    _write_notebook(tmp_path / "02_bad.ipynb", "x = 1", "raise ValueError('boom')", "y = 2")
    before = good.read_text()
    rc = cli.main(["lab", "--headless", "--notebooks", str(tmp_path)])
    out = capsys.readouterr().out
    assert rc == 1
    assert "PASS  01_good.ipynb" in out
    assert "FAIL  02_bad.ipynb" in out
    assert "cell 1: ValueError: boom" in out
    assert out.rstrip().splitlines()[-1] == "notebooks: 1 passed, 1 failed"
    assert good.read_text() == before  # the runner never writes outputs back
    assert not notebook_has_outputs(good)


@pytest.mark.slow
def test_headless_run_enforces_the_notebook_time_budget(tmp_path, capsys):
    _write_notebook(tmp_path / "slow.ipynb", "import time", "time.sleep(60)")
    rc = cli.main(["lab", "--headless", "--timeout", "4", "--notebooks", str(tmp_path)])
    out = capsys.readouterr().out
    assert rc == 1
    assert "cell 1: timed out (notebook budget 4 s)" in out
