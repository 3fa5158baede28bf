"""Which function turns a module class into a graph.

A converter is ``f(module) -> GraphModuleBase``. Library modules register theirs in
:mod:`rockpool_nb.graph.converters`; user classes may register their own with
:func:`register_graph_converter`, or override ``Module.as_graph`` directly.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["register_graph_converter", "graph_converter_for"]

_CONVERTERS: dict[type, Callable] = {}
_LOADED = False


def register_graph_converter(cls: type) -> Callable[[Callable], Callable]:
    """Decorator: register ``func(module)`` as the graph converter of ``cls`` (and subclasses)."""

    def deco(func: Callable) -> Callable:
        _CONVERTERS[cls] = func
        return func

    return deco


def graph_converter_for(cls: type) -> Callable | None:
    """The converter of ``cls`` or of its nearest registered base class; ``None`` if there is none."""
    global _LOADED
    if not _LOADED:
        _LOADED = True
        try:
            import rockpool_nb.graph.converters  # noqa: F401  (registers the library modules)
        except ModuleNotFoundError as e:  # the converters are optional until written
            if e.name != "rockpool_nb.graph.converters":
                raise
    for klass in cls.__mro__:
        if klass in _CONVERTERS:
            return _CONVERTERS[klass]
    return None
