"""``TSDictOnDisk``: a dict whose ``TimeSeries`` values live in temporary ``.npz`` files."""

from __future__ import annotations

import collections.abc
import contextlib
import os
import tempfile
import weakref

from rockpool_nb.timeseries._base import TimeSeries
from rockpool_nb.timeseries.io import load_ts_from_file

__all__ = ["TSDictOnDisk"]


def _remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)


class _DiskEntry:
    """A series saved to a temporary ``.npz`` file, deleted when the entry is collected (entries
    may be shared between dicts by ``insert``)."""

    def __init__(self, series):
        fd, self.path = tempfile.mkstemp(suffix=".npz", prefix="rockpool_nb_ts_")
        os.close(fd)
        series.save(self.path)
        weakref.finalize(self, _remove, self.path)


class TSDictOnDisk(collections.abc.MutableMapping):
    """Mapping that keeps ``TimeSeries`` values on disk (anonymous temporary files) and other
    values in memory. Files are removed when no dict refers to them any more. Reading a series loads a fresh copy from its file.

    Parameters
    ----------
    data : mapping, optional
        Initial items.
    """

    def __init__(self, data=None):
        self._mapping = {}
        self._mapping_ts = {}
        self.update({} if data is None else data)

    def insert(self, data) -> None:
        """Add the items of ``data``; a ``TSDictOnDisk`` shares its files instead of copying."""
        for key in set(data.keys()).intersection(self.keys()):
            del self[key]
        if isinstance(data, TSDictOnDisk):
            self._mapping.update(data._mapping)
            self._mapping_ts.update(data._mapping_ts)
        else:
            self.update(data)

    def __getitem__(self, key):
        if key in self._mapping_ts:
            return load_ts_from_file(self._mapping_ts[key].path)
        return self._mapping[key]

    def __setitem__(self, key, value):
        if isinstance(value, TimeSeries):
            self._mapping_ts[key] = _DiskEntry(value)
            self._mapping.pop(key, None)
        else:
            self._mapping[key] = value
            self._mapping_ts.pop(key, None)

    def __delitem__(self, key):
        if key in self._mapping_ts:
            del self._mapping_ts[key]
        else:
            del self._mapping[key]

    def __len__(self) -> int:
        return len(self._mapping) + len(self._mapping_ts)

    def __iter__(self):
        yield from self._mapping
        yield from self._mapping_ts

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}.\nKeys of stored TimeSeries objects:\n"
            f"{list(self._mapping_ts)}\nOther keys:\n{list(self._mapping)}"
        )
