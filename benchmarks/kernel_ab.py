"""One training kernel against its version at another git revision, in one process.

This machine's speed drifts by up to 2x within hours, so two benchmark runs minutes apart do not
show a 5 % change. Here both versions run alternately on the same recorded arguments, in one
process pinned to one core, and the paired ratio of their times is printed::

    python benchmarks/kernel_ab.py HEAD~1                      # LIF reverse sweep, TW2's arguments
    python benchmarks/kernel_ab.py c9f5008 --kernel rate_train_reverse

The arguments are those of the kernel's call in one TW2 (or TW1) training step, float32, serial
kernels. The other revision's kernel module is loaded from ``git show`` into a temporary file (so
it compiles on the first call); it imports the helpers of the working tree's package. It also
reports which output arrays differ between the two versions.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("NUMBA_NUM_THREADS", str(os.cpu_count() or 1))

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

KERNELS = {  # kernel: (module in rockpool_nb/kernels, task whose step calls it)
    "lif_reverse_ramp": ("grad_lif", "tw2"),
    "lif_train_forward": ("grad_lif", "tw2"),
    "rate_train_reverse": ("grad_rate", "tw1"),
    "rate_train_forward": ("grad_rate", "tw1"),
}


def recorded_arguments(kernel: str, task: str) -> tuple:
    """Copies of the arguments of ``kernel``'s last call in one training step of ``task``."""
    import train_bench as tb

    import rockpool_nb.training.backprop as bp

    calls, target = [], getattr(bp, kernel)

    def spy(*args):
        calls.append(tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args))
        return target(*args)

    setattr(bp, kernel, spy)
    try:
        if task == "tw2":
            from rockpool_nb.training import losses, value_and_grad

            net = tb.tw2_net("ours")
            x, y = (a.astype(np.float32) for a in tb.tw2_data())
            value_and_grad(net, losses.mse, dtype=np.float32, threads=1)(net.parameters(), x, y)
        else:
            tb.tw1_ours(np.float32, repeats=1)
    finally:
        setattr(bp, kernel, target)
    return calls[-1]


def module_at(rev: str, module: str, folder: str):
    """``rockpool_nb.kernels.<module>`` as of git revision ``rev``, loaded from a copy."""
    source = subprocess.run(
        ["git", "show", f"{rev}:rockpool_nb/kernels/{module}.py"],
        cwd=HERE, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    path = os.path.join(folder, f"{module}_at_{rev.replace('~', '_').replace('/', '_')}.py")
    with open(path, "w") as fh:
        fh.write(source)
    spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3], path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rev", help="git revision of the other version, e.g. HEAD~1")
    parser.add_argument("--kernel", choices=sorted(KERNELS), default="lif_reverse_ramp")
    parser.add_argument("--repeats", type=int, default=20, help="calls of each version")
    parser.add_argument("--core", type=int, default=1, help="core to pin the process to")
    args = parser.parse_args()
    os.sched_setaffinity(0, {args.core})
    module, task = KERNELS[args.kernel]
    recorded = recorded_arguments(args.kernel, task)
    current = getattr(importlib.import_module(f"rockpool_nb.kernels.{module}"), args.kernel)
    with tempfile.TemporaryDirectory() as folder:
        other = getattr(module_at(args.rev, module, folder), args.kernel)
        versions = {"working tree": current, args.rev: other}

        def call(fn):
            a = [x.copy() if isinstance(x, np.ndarray) else x for x in recorded]
            t0 = time.perf_counter()
            fn(*a)
            return time.perf_counter() - t0, a

        outputs = {name: call(fn)[1] for name, fn in versions.items()}  # (compiles both)
        times: dict = {name: [] for name in versions}
        order = list(versions)
        for i in range(args.repeats):
            for name in order if i % 2 else order[::-1]:
                times[name].append(call(versions[name])[0])
    mine, theirs = outputs["working tree"], outputs[args.rev]
    for i, (a, b) in enumerate(zip(mine, theirs)):
        if isinstance(a, np.ndarray) and a.size and not np.array_equal(a, b):
            scale = float(np.max(np.abs(b))) or 1.0
            print(f"argument {i} differs: max |difference| / max |value| = "
                  f"{float(np.max(np.abs(a - b))) / scale:.2e}")  # fmt: skip
    for name, t in times.items():
        t = np.array(t) * 1e3
        print(f"{args.kernel} {name}: median {np.median(t):.2f} ms, fastest {t.min():.2f} ms")
    ratio = np.array(times["working tree"]) / np.array(times[args.rev])
    print(f"working tree / {args.rev}: paired median ratio {np.median(ratio):.3f}")


if __name__ == "__main__":
    main()
