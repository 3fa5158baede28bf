"""``save(net, path)`` / ``load(path)``: one ``.npz`` file, no pickle, atomic writes.

The file is a NumPy ``.npz`` archive: ``__rockpool_nb__`` holds the JSON structure (format name,
version, module tree) as UTF-8 bytes, and every array is a plain numeric entry. Loading never
unpickles (``allow_pickle=False``).
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from rockpool_nb.io.spec import network_from_spec, network_spec

__all__ = ["save", "load", "FORMAT", "VERSION"]

FORMAT = "rockpool_nb.network"
VERSION = 1
_KEY = "__rockpool_nb__"


def save(net, path, state: bool = False) -> Path:
    """Save ``net``'s structure, parameters and simulation parameters (and its state, with
    ``state=True``) to ``path`` (``.npz`` is appended if missing). The file is replaced
    atomically: a crash mid-save leaves any previous file intact. Returns the path written."""
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    structure, arrays = network_spec(net, state=state)
    header = {"format": FORMAT, "version": VERSION, "state": bool(state), "network": structure}
    blob = np.frombuffer(json.dumps(header).encode("utf-8"), dtype=np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **{_KEY: blob}, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load(path):
    """Load a network written by :func:`save`. A truncated, corrupt or foreign file, a newer
    format version or a missing array raises ``ValueError`` naming the file and the problem."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"load: no such file: {path}")
    try:
        with open(path, "rb") as fh, np.load(fh, allow_pickle=False) as archive:
            if _KEY not in archive.files:
                raise ValueError(
                    f"{path}: not a rockpool_nb network file (no {_KEY} entry; entries: "
                    f"{archive.files[:5]})"
                )
            header = json.loads(bytes(archive[_KEY]).decode("utf-8"))
            arrays = {k: archive[k] for k in archive.files if k != _KEY}
    except (zipfile.BadZipFile, EOFError, OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(f"{path}: not a readable rockpool_nb network file ({err})") from err
    except ValueError as err:
        if str(path) in str(err):
            raise
        raise ValueError(f"{path}: not a readable rockpool_nb network file ({err})") from err
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ValueError(f"{path}: format: expected {FORMAT!r}; got {header.get('format')!r}")
    version = header.get("version")
    if version != VERSION:
        raise ValueError(
            f"{path}: version: expected {VERSION} (this rockpool_nb reads version {VERSION}); "
            f"got {version!r}"
        )
    return network_from_spec(header.get("network"), arrays, str(path))
