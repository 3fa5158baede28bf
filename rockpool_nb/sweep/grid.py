"""Parameter grids: a dict of value lists (Cartesian product) or an explicit list of points."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

__all__ = ["expand_grid"]


def expand_grid(grid: Mapping[str, Sequence] | Sequence[Mapping]) -> tuple[list[str], list[dict]]:
    """Grid parameter names and the list of grid points.

    Parameters
    ----------
    grid : dict of name -> sequence of values, or sequence of dicts
        ``{"bias": [0, 1], "tau_mem": [0.01, 0.02]}`` gives the 4 combinations, in row-major
        order (the last name varies fastest). A sequence of dicts gives those points as they are.

    Returns
    -------
    names, points
    """
    if isinstance(grid, Mapping):
        if not grid:
            raise ValueError("grid: expected at least one parameter; got an empty dict")
        names = list(grid)
        for name, values in grid.items():
            if not isinstance(name, str):
                raise TypeError(f"grid: parameter names must be strings; got {name!r}")
            if (
                isinstance(values, (str, bytes))
                or not isinstance(values, Sequence | range)
                and not hasattr(values, "__len__")
            ):
                raise TypeError(
                    f"grid[{name!r}]: expected a sequence of values; got {type(values).__name__}"
                )
            if len(values) == 0:
                raise ValueError(f"grid[{name!r}]: expected at least one value; got none")
        points = [dict(zip(names, combo)) for combo in itertools.product(*grid.values())]
        return names, points
    points = [dict(p) for p in grid]
    if not points:
        raise ValueError("grid: expected at least one point; got an empty sequence")
    names = list(points[0])
    for i, point in enumerate(points):
        if list(point) != names:
            raise ValueError(f"grid[{i}]: expected parameters {names}; got {list(point)}")
    return names, points
