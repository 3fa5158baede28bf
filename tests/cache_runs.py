"""Running a script in fresh processes that share one numba cache directory."""

import os
import subprocess
import sys


def run_twice(code: str, cache_dir, stream: str = "stdout") -> list[str]:
    """Run ``python -c code`` twice, each in a fresh process with ``NUMBA_CACHE_DIR=cache_dir``:
    the first compiles into the (empty) cache, the second loads from it. Returns what each
    wrote to ``stream`` (``"stdout"`` or ``"stderr"``); a failing run raises."""
    env = dict(os.environ, NUMBA_CACHE_DIR=str(cache_dir))
    return [
        getattr(
            subprocess.run(
                [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
            ),
            stream,
        )
        for _ in range(2)
    ]
