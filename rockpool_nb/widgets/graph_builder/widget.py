"""``GraphBuilder``: draw a network in the notebook, build it from Python, and back.

The view (``widgets/graph_builder.js``) only draws and sends commands; this class applies them to
the drawing state, validates it (:mod:`.state`), keeps the undo history and regenerates the code.
Everything it does is also available as Python methods, so a drawing can be scripted and tested
without a browser.
"""

from __future__ import annotations

import copy
import warnings
from importlib import resources
from pathlib import Path

from rockpool_nb.widgets.graph_builder import state as st
from rockpool_nb.widgets.graph_builder.palette import palette

__all__ = ["GraphBuilder", "load_esm"]

_HISTORY = 200


def _asset_dir() -> Path:
    """Folder holding the widgets' ES modules: inside the wheel, or the repo's ``widgets/``."""
    try:
        packaged = resources.files("rockpool_nb") / "_widget_assets"
        if packaged.is_dir():
            return Path(str(packaged))
    except (ModuleNotFoundError, FileNotFoundError):
        pass
    repo = Path(__file__).resolve().parents[3] / "widgets"
    if repo.is_dir():
        return repo
    raise FileNotFoundError("rockpool_nb widget assets not found: reinstall rockpool_nb")


def load_esm(view: str, logic: str | None = None) -> str:
    """The view's ES module with its logic module inlined (anywidget loads one file)."""
    folder = _asset_dir()
    source = (folder / view).read_text()
    if logic is None:
        return source
    lines = source.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("import {"))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("} from"))
    return (folder / logic).read_text() + "\n" + "\n".join(lines[:start] + lines[end + 1 :]) + "\n"


def _widget_base():
    try:
        import anywidget
        import traitlets
    except ImportError as err:
        raise ImportError(
            "GraphBuilder needs anywidget: pip install 'rockpool_nb[widgets]'"
        ) from err
    return anywidget.AnyWidget, traitlets


_AnyWidget, _traitlets = _widget_base()


class GraphBuilder(_AnyWidget):
    """Visual builder of ``Sequential`` networks.

    Examples
    --------
    >>> builder = GraphBuilder()                       # doctest: +SKIP
    >>> builder                                        # draw in the notebook
    >>> net = builder.to_network()                     # a runnable network
    >>> print(builder.to_code())                       # Python that rebuilds it
    >>> GraphBuilder.from_network(net)                 # draw an existing network
    """

    _esm = load_esm("graph_builder.js", "graph_builder_logic.js")
    _css = (_asset_dir() / "graph_builder.css").read_text()

    graph = _traitlets.Dict(default_value=st.empty_graph()).tag(sync=True)
    palette = _traitlets.List().tag(sync=True)
    issues = _traitlets.Dict(default_value={"nodes": {}, "edges": {}, "network": ""}).tag(sync=True)
    selected = _traitlets.Unicode("").tag(sync=True)
    status = _traitlets.Unicode("").tag(sync=True)
    code = _traitlets.Unicode("").tag(sync=True)

    def __init__(self, graph: dict | None = None, fixed: dict | None = None, **kwargs):
        super().__init__(**kwargs)
        self.palette = palette()
        self._fixed = copy.deepcopy(fixed or {})
        self._undo: list[tuple[dict, dict]] = []
        self._redo: list[tuple[dict, dict]] = []
        self._apply(copy.deepcopy(graph) if graph else st.empty_graph(), record=False)
        self.on_msg(self._on_message)

    # ------------------------------------------------------------------------ conversions
    @classmethod
    def from_network(cls, net, **kwargs) -> GraphBuilder:
        """Draw an existing network (a chain of library modules)."""
        graph, fixed = st.graph_from_network(net)
        return cls(graph, fixed, **kwargs)

    @classmethod
    def from_notebook(cls, path, index: int = -1, **kwargs) -> GraphBuilder:
        """Redraw a drawing saved in notebook ``path``'s widget state (after a kernel restart).

        ``index`` picks among the builders the notebook stored (default: the last one).
        Matrices carried over by :meth:`from_network` (trained weights) live in the kernel, not
        in the drawing: those modules get their default initialisation, with a warning naming
        them (keep ``builder.to_code()`` or :func:`rockpool_nb.save` for exact weights).
        """
        from rockpool_nb.widgets.graph_builder.saved import saved_drawings

        drawings = saved_drawings(path)
        if not drawings:
            raise ValueError(f"path: {Path(path).name!r} stores no graph-builder drawing")
        try:
            graph = drawings[index]
        except IndexError:
            raise IndexError(
                f"index: expected -{len(drawings)} <= index < {len(drawings)} "
                f"({len(drawings)} drawing(s) saved), got {index}"
            ) from None
        graph = copy.deepcopy(graph)
        carried = [
            f"{n.get('label') or n['id']} ({n['type']}: {', '.join(n['fixed'])})"
            for n in graph["nodes"]
            if n.get("fixed")
        ]
        for node in graph["nodes"]:
            node["fixed"] = []
        if carried:
            warnings.warn(
                f"from_notebook: the matrices of {', '.join(carried)} were carried from a network "
                "in the kernel and are not part of the saved drawing; they are re-initialised",
                stacklevel=2,
            )
        return cls(graph, **kwargs)

    def to_network(self):
        """The drawn network as a runnable ``Sequential`` (``ValueError`` naming any problem)."""
        return st.network_from_graph(self.graph, self._fixed)

    def to_code(self, name: str = "net") -> str:
        """Python source that rebuilds the drawn network."""
        return st.code_from_graph(self.graph, self._fixed, name)

    # ------------------------------------------------------------------------- editing
    def _apply(self, graph: dict, record: bool = True) -> None:
        if record:
            self._undo.append((copy.deepcopy(self.graph), copy.deepcopy(self._fixed)))
            del self._undo[:-_HISTORY]
            self._redo.clear()
        issues = st.validate_graph(graph, self._fixed)
        try:
            code = st.code_from_graph(graph, self._fixed)
        except ValueError as err:
            code = f"# not a complete network yet: {err}"
        self.graph = graph
        self.issues = issues
        self.code = code

    def _edit(self) -> dict:
        return copy.deepcopy(self.graph)

    def _node(self, graph: dict, node_id: str) -> dict:
        for node in graph["nodes"]:
            if node["id"] == node_id:
                return node
        raise KeyError(f"id: no module {node_id!r} on the canvas")

    def add(self, type_name: str, label: str = "", x=None, y=None, **params) -> str:
        """Add a module of ``type_name``; returns its id."""
        graph = self._edit()
        node = st.new_node(graph, type_name, x, y, label, params or None)
        graph["nodes"].append(node)
        self._apply(graph)
        return node["id"]

    def connect(self, source: str, target: str) -> str:
        """Connect ``source``'s output to ``target``'s input; returns the edge id."""
        graph = self._edit()
        self._node(graph, source), self._node(graph, target)
        ids = {e["id"] for e in graph["edges"]}
        i = len(ids) + 1
        while f"e{i}" in ids:
            i += 1
        graph["edges"].append({"id": f"e{i}", "source": source, "target": target})
        self._apply(graph)
        return f"e{i}"

    def set_param(self, node_id: str, name: str, value) -> None:
        """Set a constructor argument of a module (validated; problems show on the node)."""
        graph = self._edit()
        node = self._node(graph, node_id)
        spec = {p.name for p in self._types()[node["type"]].params}
        if name not in spec:
            raise KeyError(
                f"name: {node['type']} has no editable parameter {name!r}; "
                f"expected one of {sorted(spec)}"
            )
        if name in node["params"] and node["params"][name] == value:
            return  # unchanged (a field commits on Enter and again on blur): no undo step
        node["params"][name] = value
        if name == "shape" and node_id in self._fixed:  # new sizes: carried matrices no longer fit
            self._fixed = {k: v for k, v in self._fixed.items() if k != node_id}
            node["fixed"] = []
        self._apply(graph)

    def set_label(self, node_id: str, label: str) -> None:
        graph = self._edit()
        self._node(graph, node_id)["label"] = label
        self._apply(graph)

    def move(self, node_id: str, x: float, y: float, record: bool = True) -> None:
        graph = self._edit()
        node = self._node(graph, node_id)
        node["x"], node["y"] = float(x), float(y)
        self._apply(graph, record)

    def remove(self, node_id: str) -> None:
        """Delete a module and its connections."""
        graph = self._edit()
        self._node(graph, node_id)
        graph["nodes"] = [n for n in graph["nodes"] if n["id"] != node_id]
        graph["edges"] = [e for e in graph["edges"] if node_id not in (e["source"], e["target"])]
        if self.selected == node_id:
            self.selected = ""
        self._apply(graph)

    def disconnect(self, edge_id: str) -> None:
        graph = self._edit()
        graph["edges"] = [e for e in graph["edges"] if e["id"] != edge_id]
        self._apply(graph)

    def undo(self) -> bool:
        """Undo the last edit; ``False`` if there is nothing to undo."""
        if not self._undo:
            return False
        self._redo.append((copy.deepcopy(self.graph), copy.deepcopy(self._fixed)))
        graph, self._fixed = self._undo.pop()
        self._apply(graph, record=False)
        return True

    def redo(self) -> bool:
        """Redo the last undone edit; ``False`` if there is nothing to redo."""
        if not self._redo:
            return False
        self._undo.append((copy.deepcopy(self.graph), copy.deepcopy(self._fixed)))
        graph, self._fixed = self._redo.pop()
        self._apply(graph, record=False)
        return True

    @staticmethod
    def _types():
        from rockpool_nb.widgets.graph_builder.palette import builder_types

        return builder_types()

    # ---------------------------------------------------------------------- view commands
    def _on_message(self, _widget, msg: dict, _buffers) -> None:
        cmd = msg.get("cmd")
        try:
            if cmd == "add_node":
                self.selected = self.add(msg["type"], x=msg.get("x"), y=msg.get("y"))
            elif cmd == "move":
                self.move(msg["id"], msg["x"], msg["y"])
            elif cmd == "move_many":
                graph = self._edit()
                for node in graph["nodes"]:
                    pos = msg["positions"].get(node["id"])
                    if pos:
                        node["x"], node["y"] = float(pos["x"]), float(pos["y"])
                self._apply(graph, bool(msg.get("record", True)))
            elif cmd == "connect":
                self.connect(msg["source"], msg["target"])
            elif cmd == "set_param":
                self.set_param(msg["id"], msg["name"], msg["value"])
            elif cmd == "set_label":
                self.set_label(msg["id"], msg["label"])
            elif cmd == "delete_node":
                self.remove(msg["id"])
            elif cmd == "delete_edge":
                self.disconnect(msg["id"])
            elif cmd == "undo":
                self.status = "undone" if self.undo() else "nothing to undo"
                return
            elif cmd == "redo":
                self.status = "redone" if self.redo() else "nothing to redo"
                return
            else:
                raise ValueError(f"cmd: unknown command {cmd!r}")
            self.status = ""
        except (KeyError, ValueError, TypeError) as err:
            self.status = f"{err}"
