"""Saving and loading time series as ``.npz`` files (no pickle).

Layout (Rockpool-compatible): numeric arrays ``times``, ``samples`` / ``channels``, ``t_start``,
``t_stop``, ``periodic`` (and ``num_channels`` for events); strings are stored in the *names*
of empty flag arrays: ``type_<class>``, ``name_<name>``, ``interp_kind_<kind>``. Files are read
with ``np.load(allow_pickle=False)``.
"""

from __future__ import annotations

import warnings

import numpy as np

__all__ = ["save_npz", "load_ts_from_file"]


def save_npz(series, path, attributes: dict, verbose: bool = False) -> None:
    """Write ``attributes`` (from ``series.to_dict()``) to ``path`` with ``np.savez``."""
    np.savez(path, **attributes)
    if verbose:
        target = str(path)
        if not target.endswith(".npz"):
            target += ".npz"  # np.savez adds the ending
        print(f"{type(series).__name__} `{series.name}` has been stored in `{target}`.")


def _flag(data, prefix: str):
    """The text after ``prefix_`` in the first key starting with ``prefix``, else ``None``."""
    keys = [k for k in data.files if k.startswith(prefix + "_")]
    return keys[0][len(prefix) + 1 :] if keys else None


def _read_type(data, path, expected_type):
    for key in ("str_type", "strType"):  # older Rockpool files
        if key in data.files:
            return str(data[key].item())
    loaded = _flag(data, "type")
    if loaded is not None:
        return loaded
    if expected_type is None:
        raise KeyError(f"Cannot determine type of Timeseries at {path}.")
    warnings.warn(
        f"Cannot determine type of Timeseries at {path}. Will assume expected type "
        f"('{expected_type}').",
        stacklevel=3,
    )
    return expected_type


def load_ts_from_file(path, expected_type: str | None = None):
    """Load a ``TSContinuous`` or ``TSEvent`` saved with ``save``.

    Parameters
    ----------
    path : str, Path or file object
        ``.npz`` file (a file object is rewound first).
    expected_type : str, optional
        ``"TSContinuous"`` or ``"TSEvent"``; a different stored type raises ``TypeError``.

    Returns
    -------
    TSContinuous or TSEvent
    """
    from rockpool_nb.timeseries.continuous import TSContinuous
    from rockpool_nb.timeseries.event import TSEvent

    if hasattr(path, "seek"):
        path.seek(0)
    with np.load(path, allow_pickle=False) as data:
        loaded_type = _read_type(data, path, expected_type)
        if expected_type is not None and loaded_type != expected_type:
            raise TypeError(
                f"Timeseries at `{path}` is of type `{loaded_type}`, which does not match "
                f"expected type `{expected_type}`."
            )
        if loaded_type not in ("TSContinuous", "TSEvent"):
            raise TypeError(f"Type `{loaded_type}` not supported.")
        if "name" in data.files:
            name = str(data["name"].item())
        else:
            name = _flag(data, "name") or "unnamed"
        common = dict(
            times=data["times"],
            t_start=data["t_start"].item(),
            t_stop=data["t_stop"].item(),
            periodic=bool(data["periodic"].item()),
            name=name,
        )
        if loaded_type == "TSContinuous":
            if "interp_kind" in data.files:
                interp_kind = str(data["interp_kind"].item())
            else:
                interp_kind = _flag(data, "interp_kind") or "linear"
            series = TSContinuous(samples=data["samples"], interp_kind=interp_kind, **common)
        else:
            series = TSEvent(
                channels=data["channels"], num_channels=int(data["num_channels"].item()), **common
            )
        if "trial_start_times" in data.files:
            series.trial_start_times = data["trial_start_times"]
    return series
