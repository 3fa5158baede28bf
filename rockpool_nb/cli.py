"""The ``rockpool-nb`` command.

Subcommands::

    rockpool-nb lab [--headless | --no-headless] [--port N] [--notebooks DIR] [jupyter args...]
    rockpool-nb test [pytest args...]
    rockpool-nb version
    rockpool-nb device serve [args...]

``lab`` starts JupyterLab on the notebooks folder. Without a display (Linux with neither
``DISPLAY`` nor ``WAYLAND_DISPLAY``), with ``CI`` set to a true value, or with ``--headless``, it
instead executes every notebook from a clean kernel and prints a report; the exit code is non-zero
if any notebook fails.

To add a subcommand, write an ``_add_<name>(subparsers)`` function that creates its parser and
sets ``func=`` (called as ``func(args, extra) -> int``) and, if it forwards unknown arguments to
another program, ``passthrough=True``; then list it in ``_SUBCOMMANDS``. Import heavy modules
inside ``func`` so ``rockpool-nb --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from rockpool_nb._version import __version__

_TRUE = {"1", "true", "yes", "on"}


def find_repo_root(start: Path | None = None) -> Path | None:
    """The source checkout holding this package (``pyproject.toml`` + ``tests/``), if any.

    Parameters
    ----------
    start : Path, optional
        Where to start looking upwards; default: the folder of the installed package.

    Returns
    -------
    Path or None
        ``None`` for a plain (non-editable) install.
    """
    here = (start or Path(__file__).resolve().parent).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (folder / "rockpool_nb").is_dir():
            return folder
    return None


def default_notebook_dir() -> Path:
    """``notebooks/`` of the source checkout, else ``./notebooks`` if present, else ``.``."""
    root = find_repo_root()
    if root is not None and (root / "notebooks").is_dir():
        return root / "notebooks"
    cwd = Path.cwd()
    return cwd / "notebooks" if (cwd / "notebooks").is_dir() else cwd


def headless_reason(
    env: Mapping[str, str] | None = None, platform: str | None = None
) -> str | None:
    """Why ``lab`` should run notebooks headless instead of starting a server, or ``None``.

    Parameters
    ----------
    env : mapping, optional
        Environment variables (default ``os.environ``).
    platform : str, optional
        ``sys.platform`` value (default: the running one).

    Returns
    -------
    str or None
        A human-readable reason (``"CI=true"``, ``"no display"``), or ``None`` to start JupyterLab.
    """
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if env.get("CI", "").strip().lower() in _TRUE:
        return f"CI={env['CI']}"
    is_x11_platform = platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))
    if is_x11_platform and not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return "no display (DISPLAY and WAYLAND_DISPLAY are unset)"
    return None


def _missing(*modules: str) -> list[str]:
    return [m for m in modules if importlib.util.find_spec(m) is None]


# ---------------------------------------------------------------------------------------- lab
def _run_lab(args: argparse.Namespace, extra: list[str]) -> int:
    nb_dir = Path(args.notebooks).resolve() if args.notebooks else default_notebook_dir()
    if not nb_dir.is_dir():
        print(f"rockpool-nb lab: --notebooks: expected a directory, got {str(nb_dir)!r}")
        return 2
    if args.headless is None:
        reason = headless_reason()
        headless = reason is not None
        if headless:
            print(f"rockpool-nb lab: {reason}: executing the notebooks headless")
            print("  (start the JupyterLab server anyway with: rockpool-nb lab --no-headless)")
    else:
        headless = args.headless
    if headless:
        if extra:
            print(f"rockpool-nb lab: unexpected arguments in headless mode: {' '.join(extra)}")
            return 2
        return _run_headless(nb_dir, args.timeout)
    missing = _missing("jupyterlab")
    if missing:
        print("rockpool-nb lab: JupyterLab is not installed: pip install 'rockpool_nb[lab]'")
        return 2
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={nb_dir}"]
    if args.port is not None:
        cmd.append(f"--ServerApp.port={args.port}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # the server refuses to start as root otherwise
    cmd += extra
    print("rockpool-nb lab:", " ".join(cmd), flush=True)
    if os.name == "posix":  # become the server: signals (Ctrl-C, terminate) reach it directly
        os.execv(sys.executable, cmd)
    try:
        return subprocess.call(cmd)
    except KeyboardInterrupt:
        return 130


def _run_headless(nb_dir: Path, timeout: float) -> int:
    missing = _missing("nbclient", "nbformat", "ipykernel")
    if missing:
        print(f"rockpool-nb lab: missing {', '.join(missing)}: pip install 'rockpool_nb[lab]'")
        return 2
    from rockpool_nb._notebook_runner import find_notebooks, run_notebooks

    paths = find_notebooks(nb_dir)
    if not paths:
        print(f"rockpool-nb lab: no notebooks found in {nb_dir}")
        return 1
    print(f"rockpool-nb lab: executing {len(paths)} notebook(s) in {nb_dir}", flush=True)
    results = run_notebooks(paths, timeout=timeout, root=nb_dir)
    return 0 if all(r.ok for r in results) else 1


def _add_lab(sub) -> None:
    p = sub.add_parser(
        "lab",
        help="start JupyterLab on the notebooks (or run them headless)",
        description="Start JupyterLab on the notebooks folder. Unknown arguments are passed to "
        "JupyterLab. Without a display or with CI=true, execute every notebook headless instead.",
    )
    p.add_argument(
        "--headless",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="execute the notebooks with nbclient and report, instead of starting a server "
        "(default: only when there is no display or CI is set)",
    )
    p.add_argument("--port", type=int, default=None, help="JupyterLab port (default: Jupyter's)")
    p.add_argument(
        "--notebooks",
        metavar="DIR",
        default=None,
        help="notebooks folder (default: notebooks/ of the source checkout)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=120.0,
        metavar="SECONDS",
        help="headless: time budget per notebook (default: 120)",
    )
    p.set_defaults(func=_run_lab, passthrough=True)


# --------------------------------------------------------------------------------------- test
def _run_test(args: argparse.Namespace, extra: list[str]) -> int:
    if _missing("pytest"):
        print("rockpool-nb test: pytest is not installed: pip install 'rockpool_nb[dev]'")
        return 2
    root = find_repo_root()
    if root is None or not (root / "tests").is_dir():
        print("rockpool-nb test: the test suite ships with the source checkout only")
        return 2
    cmd = [sys.executable, "-m", "pytest", *extra]
    try:
        return subprocess.call(cmd, cwd=root)
    except KeyboardInterrupt:
        return 130


def _add_test(sub) -> None:
    p = sub.add_parser(
        "test",
        help="run the test suite (arguments go to pytest)",
        description="Run pytest from the source checkout; all arguments are passed to pytest.",
        add_help=False,  # so `rockpool-nb test --help` shows pytest's help
    )
    p.set_defaults(func=_run_test, passthrough=True)


# ------------------------------------------------------------------------------------ version
def _run_version(args: argparse.Namespace, extra: list[str]) -> int:
    from importlib.metadata import PackageNotFoundError, version

    print(f"rockpool_nb {__version__}")
    print(f"python {sys.version.split()[0]}")
    for dist in ("numpy", "numba", "scipy"):
        try:
            print(f"{dist} {version(dist)}")
        except PackageNotFoundError:
            print(f"{dist} (not installed)")
    return 0


def _add_version(sub) -> None:
    p = sub.add_parser("version", help="print the versions of rockpool_nb and its core deps")
    p.set_defaults(func=_run_version, passthrough=False)


# ------------------------------------------------------------------------------------ compile
def _run_compile(args: argparse.Namespace, extra: list[str]) -> int:
    from rockpool_nb.precompile import kernel_cache_use, precompile

    t0 = time.perf_counter()
    precompile(training=not args.no_training, report=lambda line: print(line, flush=True))
    loaded, compiled = kernel_cache_use()
    print(
        f"rockpool-nb compile: {len(loaded)} kernels loaded from numba's cache, "
        f"{len(compiled)} compiled, in {time.perf_counter() - t0:.1f} s"
    )
    if args.check and compiled:
        print(
            "rockpool-nb compile --check: the cache lacked " + ", ".join(compiled),
            file=sys.stderr,
        )
        return 1
    return 0


def _add_compile(sub) -> None:
    p = sub.add_parser(
        "compile",
        help="compile the numba kernels into the on-disk cache now",
        description="Compile (or load) the simulation and training kernels on tiny networks, "
        "so that the first simulation or training step of a notebook only loads them.",
    )
    p.add_argument("--no-training", action="store_true", help="only the simulation kernels")
    p.add_argument(
        "--check",
        action="store_true",
        help="fail (exit 1) if any kernel had to be compiled instead of loaded from the cache",
    )
    p.set_defaults(func=_run_compile, passthrough=False)


# ------------------------------------------------------------------------------------- device
def _run_device_serve(args: argparse.Namespace, extra: list[str]) -> int:
    from rockpool_nb.devices.transport import server

    return int(server.main(extra) or 0)


def _add_device(sub) -> None:
    p = sub.add_parser("device", help="device tools (serve a simulated board)")
    dsub = p.add_subparsers(dest="device_command", metavar="{serve}", required=True)
    serve = dsub.add_parser(
        "serve",
        help="run the loopback device server (arguments go to the server)",
        add_help=False,  # `rockpool-nb device serve --help` shows the server's own help
    )
    serve.set_defaults(func=_run_device_serve, passthrough=True)


# --------------------------------------------------------------------------------------- main
_SUBCOMMANDS = (_add_lab, _add_test, _add_version, _add_compile, _add_device)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``rockpool-nb`` with every registered subcommand."""
    parser = argparse.ArgumentParser(
        prog="rockpool-nb",
        description="rockpool_nb: build, simulate, watch, train and deploy spiking networks.",
    )
    parser.add_argument("--version", action="version", version=f"rockpool_nb {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add in _SUBCOMMANDS:
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``rockpool-nb`` console script; returns the exit code."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and not args.passthrough:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if extra[:1] == ["--"]:
        extra = extra[1:]  # `rockpool-nb test -- -x`: everything after `--` is forwarded as is
    return args.func(args, extra)


if __name__ == "__main__":
    sys.exit(main())
