// Graph builder view (anywidget ES module). Draws the graph held in the `graph` trait as SVG,
// and turns user gestures into commands sent to Python, which validates them, keeps the undo
// history and updates `graph`, `issues` and `code`. No network access, no bundler.
import {
  NODE_H,
  NODE_W,
  PORT_R,
  canConnect,
  edgePath,
  formatValue,
  hitTest,
  layeredLayout,
  parseValue,
  portPosition,
  toCanvas,
  zoomAt,
} from "./graph_builder_logic.js";

const SVG = "http://www.w3.org/2000/svg";

/** @param {string} tag @param {Record<string, any>} attrs */
function svg(tag, attrs = {}) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** @param {string} tag @param {string} cls @param {string} [text] */
function html(tag, cls, text) {
  const el = document.createElement(tag);
  if (cls) el.className = cls;
  if (text !== undefined) el.textContent = text;
  return el;
}

function render({ model, el }) {
  const root = html("div", "rnb-gb");
  // keys typed in the builder are ours: JupyterLab's shortcuts (Enter, Delete, ...) stay out
  root.dataset.lmSuppressShortcuts = "true";
  const toolbar = html("div", "rnb-gb-toolbar");
  const body = html("div", "rnb-gb-body");
  const palette = html("div", "rnb-gb-palette");
  const canvasBox = html("div", "rnb-gb-canvas");
  const editor = html("div", "rnb-gb-editor");
  const status = html("div", "rnb-gb-status");
  const codeBox = html("pre", "rnb-gb-code");
  root.append(toolbar, body, status, codeBox);
  body.append(palette, canvasBox, editor);
  el.append(root);

  const svgEl = svg("svg", { class: "rnb-gb-svg", width: "100%", height: "100%" });
  const world = svg("g");
  const edgeLayer = svg("g");
  const nodeLayer = svg("g");
  const rubber = svg("path", { class: "rnb-gb-rubber", d: "" });
  world.append(edgeLayer, nodeLayer, rubber);
  svgEl.append(world);
  canvasBox.append(svgEl);

  let view = { x: 0, y: 0, k: 1 };
  /** @type {null | {kind: string, [k: string]: any}} */
  let drag = null;
  let selectedEdge = "";

  const send = (msg) => model.send(msg);
  const graph = () => model.get("graph") || { nodes: [], edges: [] };
  const setStatus = (text, bad = false) => {
    status.textContent = text;
    status.classList.toggle("rnb-gb-bad", bad);
  };

  // ------------------------------------------------------------------ toolbar and palette
  for (const [label, cmd, title] of [
    ["Undo", "undo", "Undo (Ctrl+Z)"],
    ["Redo", "redo", "Redo (Ctrl+Y)"],
    ["Auto layout", "layout", "Arrange the modules in layers"],
    ["Delete", "delete", "Delete the selected module or connection (Del)"],
    ["Fit", "fit", "Zoom to show everything"],
  ]) {
    const b = html("button", "rnb-gb-btn", label);
    b.title = title;
    b.dataset.cmd = cmd;
    b.addEventListener("click", () => command(cmd));
    toolbar.append(b);
  }

  function drawPalette() {
    palette.replaceChildren(html("div", "rnb-gb-heading", "Modules"));
    for (const spec of model.get("palette") || []) {
      const item = html("div", "rnb-gb-item", spec.type);
      item.title = spec.doc || spec.type;
      item.draggable = true;
      item.dataset.type = spec.type;
      item.addEventListener("dragstart", (ev) => ev.dataTransfer.setData("text/plain", spec.type));
      item.addEventListener("click", () => {
        const r = svgEl.getBoundingClientRect();
        const c = toCanvas(view, r.width / 2 - NODE_W / 2, r.height / 3);
        const n = graph().nodes.length;
        send({ cmd: "add_node", type: spec.type, x: c.x + 20 * (n % 5), y: c.y + 20 * (n % 5) });
      });
      palette.append(item);
    }
  }
  canvasBox.addEventListener("dragover", (ev) => ev.preventDefault());
  canvasBox.addEventListener("drop", (ev) => {
    ev.preventDefault();
    const type = ev.dataTransfer.getData("text/plain");
    const r = svgEl.getBoundingClientRect();
    const c = toCanvas(view, ev.clientX - r.left, ev.clientY - r.top);
    if (type) send({ cmd: "add_node", type, x: c.x - NODE_W / 2, y: c.y - NODE_H / 2 });
  });

  // ----------------------------------------------------------------------------- drawing
  function drawGraph() {
    const g = graph();
    const issues = model.get("issues") || {};
    const nodeIssues = issues.nodes || {};
    const edgeIssues = issues.edges || {};
    const selected = model.get("selected");
    const missing = g.nodes.filter((n) => n.x === null || n.y === null);
    if (missing.length) {
      const pos = layeredLayout(g);
      send({ cmd: "move_many", positions: pos, record: false });
      return; // Python answers with positioned nodes
    }
    edgeLayer.replaceChildren();
    for (const e of g.edges) {
      const s = g.nodes.find((n) => n.id === e.source);
      const t = g.nodes.find((n) => n.id === e.target);
      if (!s || !t) continue;
      const bad = edgeIssues[e.id];
      const path = svg("path", {
        d: edgePath(s, t),
        class: `rnb-gb-edge${bad ? " rnb-gb-bad" : ""}${selectedEdge === e.id ? " rnb-gb-sel" : ""}`,
        "data-edge": e.id,
      });
      const title = svg("title");
      title.textContent = bad || `${s.label || s.type} → ${t.label || t.type}`;
      path.append(title);
      path.addEventListener("pointerdown", (ev) => {
        ev.stopPropagation();
        selectedEdge = e.id;
        model.set("selected", "");
        model.save_changes();
        drawGraph();
        setStatus(bad || "connection selected: press Delete to remove it", Boolean(bad));
      });
      edgeLayer.append(path);
    }
    nodeLayer.replaceChildren();
    for (const n of g.nodes) {
      const bad = nodeIssues[n.id];
      const grp = svg("g", {
        class: `rnb-gb-node${bad ? " rnb-gb-bad" : ""}${selected === n.id ? " rnb-gb-sel" : ""}${n.spiking_output ? " rnb-gb-spiking" : ""}`,
        transform: `translate(${n.x},${n.y})`,
        "data-node": n.id,
      });
      grp.append(svg("rect", { width: NODE_W, height: NODE_H, rx: 8 }));
      const name = svg("text", { x: 10, y: 22, class: "rnb-gb-title" });
      name.textContent = n.label ? `${n.label}: ${n.type}` : n.type;
      const dims = svg("text", { x: 10, y: 42, class: "rnb-gb-dims" });
      dims.textContent = n.size_in == null ? "?" : `${n.size_in} → ${n.size_out}`;
      grp.append(name, dims);
      for (const side of ["in", "out"]) {
        const p = portPosition({ x: 0, y: 0 }, side);
        grp.append(svg("circle", { cx: p.x, cy: p.y, r: PORT_R, class: `rnb-gb-port rnb-gb-${side}`, "data-port": side }));
      }
      if (bad) {
        const t = svg("title");
        t.textContent = bad;
        grp.append(t);
      }
      nodeLayer.append(grp);
    }
    world.setAttribute("transform", `translate(${view.x},${view.y}) scale(${view.k})`);
    const net = issues.network;
    if (net) setStatus(net, true);
    else if (!status.classList.contains("rnb-gb-bad") || !net) setStatus(model.get("status") || "");
  }

  function drawEditor() {
    const g = graph();
    const id = model.get("selected");
    const n = g.nodes.find((x) => x.id === id);
    editor.replaceChildren(html("div", "rnb-gb-heading", n ? `${n.label || n.id}: ${n.type}` : "Parameters"));
    if (!n) {
      editor.append(html("div", "rnb-gb-hint", "Select a module to edit its shape and parameters."));
      return;
    }
    const spec = (model.get("palette") || []).find((s) => s.type === n.type);
    const issue = (model.get("issues")?.nodes || {})[n.id];
    if (issue) editor.append(html("div", "rnb-gb-issue", issue));
    const labelRow = html("label", "rnb-gb-field");
    labelRow.append(html("span", "", "name"));
    const labelInput = html("input", "");
    labelInput.value = n.label || "";
    labelInput.dataset.param = "__label__";
    commitOnEnter(labelInput);
    labelInput.addEventListener("change", () => send({ cmd: "set_label", id: n.id, label: labelInput.value }));
    labelRow.append(labelInput);
    editor.append(labelRow);
    for (const p of spec?.params || []) {
      const row = html("label", "rnb-gb-field");
      row.title = p.doc || "";
      row.append(html("span", "", p.name));
      let input;
      if (p.kind === "choice") {
        input = html("select", "");
        for (const c of p.choices) {
          const o = html("option", "", c);
          o.value = c;
          input.append(o);
        }
        input.value = n.params[p.name] ?? p.default;
      } else if (p.kind === "bool") {
        input = html("input", "");
        input.type = "checkbox";
        input.checked = Boolean(n.params[p.name] ?? p.default);
      } else {
        input = html("input", "");
        input.value = formatValue(n.params[p.name] ?? null);
        input.placeholder = p.default == null ? "default" : formatValue(p.default);
      }
      input.dataset.param = p.name;
      commitOnEnter(input);
      input.addEventListener("change", () => {
        const raw = p.kind === "bool" ? String(input.checked) : input.value;
        const parsed = parseValue(raw, p.kind);
        if (!parsed.ok) {
          setStatus(`${p.name}: ${parsed.reason}`, true);
          input.classList.add("rnb-gb-bad");
          return;
        }
        input.classList.remove("rnb-gb-bad");
        send({ cmd: "set_param", id: n.id, name: p.name, value: parsed.value });
      });
      row.append(input);
      editor.append(row);
    }
    for (const fixed of n.fixed || []) {
      editor.append(html("div", "rnb-gb-hint", `${fixed}: kept from the network it was drawn from`));
    }
  }

  /** Enter commits a field (fires "change") without reaching the notebook. */
  function commitOnEnter(input) {
    input.addEventListener("keydown", (ev) => {
      ev.stopPropagation();
      if (ev.key === "Enter") {
        ev.preventDefault();
        input.dispatchEvent(new Event("change"));
      }
    });
  }

  // -------------------------------------------------------------------------- gestures
  function local(ev) {
    const r = svgEl.getBoundingClientRect();
    return { sx: ev.clientX - r.left, sy: ev.clientY - r.top };
  }

  svgEl.addEventListener("pointerdown", (ev) => {
    const { sx, sy } = local(ev);
    const c = toCanvas(view, sx, sy);
    const hit = hitTest(graph(), c.x, c.y);
    svgEl.setPointerCapture(ev.pointerId);
    if (hit?.kind === "port" && hit.side === "out") {
      drag = { kind: "connect", from: hit.node };
    } else if (hit?.kind === "node" || hit?.kind === "port") {
      const n = graph().nodes.find((x) => x.id === hit.node);
      drag = { kind: "move", id: n.id, dx: c.x - n.x, dy: c.y - n.y, moved: false };
      selectedEdge = "";
      model.set("selected", n.id);
      model.save_changes();
    } else {
      drag = { kind: "pan", sx, sy, vx: view.x, vy: view.y };
      selectedEdge = "";
      model.set("selected", "");
      model.save_changes();
    }
  });

  svgEl.addEventListener("pointermove", (ev) => {
    if (!drag) return;
    const { sx, sy } = local(ev);
    const c = toCanvas(view, sx, sy);
    if (drag.kind === "pan") {
      view = { ...view, x: drag.vx + sx - drag.sx, y: drag.vy + sy - drag.sy };
      world.setAttribute("transform", `translate(${view.x},${view.y}) scale(${view.k})`);
    } else if (drag.kind === "move") {
      drag.moved = true;
      const grp = nodeLayer.querySelector(`[data-node="${drag.id}"]`);
      drag.x = c.x - drag.dx;
      drag.y = c.y - drag.dy;
      grp?.setAttribute("transform", `translate(${drag.x},${drag.y})`);
    } else if (drag.kind === "connect") {
      const s = graph().nodes.find((n) => n.id === drag.from);
      const a = portPosition(s, "out");
      rubber.setAttribute("d", `M${a.x},${a.y} L${c.x},${c.y}`);
      const hit = hitTest(graph(), c.x, c.y);
      if (hit?.kind === "port" && hit.side === "in") {
        const verdict = canConnect(graph(), drag.from, hit.node);
        rubber.classList.toggle("rnb-gb-bad", !verdict.ok);
        setStatus(verdict.ok ? "release to connect" : verdict.reason, !verdict.ok);
      }
    }
  });

  svgEl.addEventListener("pointerup", (ev) => {
    if (!drag) return;
    const { sx, sy } = local(ev);
    const c = toCanvas(view, sx, sy);
    if (drag.kind === "move" && drag.moved) {
      send({ cmd: "move", id: drag.id, x: drag.x, y: drag.y });
    } else if (drag.kind === "connect") {
      rubber.setAttribute("d", "");
      const hit = hitTest(graph(), c.x, c.y);
      if (hit && hit.node !== drag.from) {
        const verdict = canConnect(graph(), drag.from, hit.node);
        if (verdict.ok) send({ cmd: "connect", source: drag.from, target: hit.node });
        else setStatus(verdict.reason, true);
      }
    }
    drag = null;
  });

  svgEl.addEventListener(
    "wheel",
    (ev) => {
      ev.preventDefault();
      const { sx, sy } = local(ev);
      view = zoomAt(view, sx, sy, ev.deltaY < 0 ? 1.1 : 1 / 1.1);
      world.setAttribute("transform", `translate(${view.x},${view.y}) scale(${view.k})`);
    },
    { passive: false },
  );

  root.tabIndex = 0;
  root.addEventListener("keydown", (ev) => {
    if (ev.target instanceof HTMLInputElement) return;
    if (ev.key === "Delete" || ev.key === "Backspace") command("delete");
    else if ((ev.ctrlKey || ev.metaKey) && ev.key === "z") command("undo");
    else if ((ev.ctrlKey || ev.metaKey) && ev.key === "y") command("redo");
  });

  function command(cmd) {
    if (cmd === "delete") {
      if (selectedEdge) send({ cmd: "delete_edge", id: selectedEdge });
      else if (model.get("selected")) send({ cmd: "delete_node", id: model.get("selected") });
      selectedEdge = "";
    } else if (cmd === "layout") {
      send({ cmd: "move_many", positions: layeredLayout(graph()), record: true });
    } else if (cmd === "fit") {
      const g = graph();
      if (!g.nodes.length) return;
      const r = svgEl.getBoundingClientRect();
      const xs = g.nodes.map((n) => n.x);
      const ys = g.nodes.map((n) => n.y);
      const w = Math.max(...xs) + NODE_W - Math.min(...xs) + 80;
      const h = Math.max(...ys) + NODE_H - Math.min(...ys) + 80;
      const k = Math.min(4, Math.max(0.2, Math.min(r.width / w, r.height / h)));
      view = { k, x: -(Math.min(...xs) - 40) * k, y: -(Math.min(...ys) - 40) * k };
      drawGraph();
    } else {
      send({ cmd });
    }
  }

  const redraw = () => {
    drawGraph();
    drawEditor();
    codeBox.textContent = model.get("code") || "";
  };
  model.on("change:graph", redraw);
  model.on("change:issues", redraw);
  model.on("change:selected", redraw);
  model.on("change:code", () => (codeBox.textContent = model.get("code") || ""));
  model.on("change:status", () => setStatus(model.get("status") || "", false));
  model.on("change:palette", drawPalette);
  drawPalette();
  redraw();
  return () => root.remove();
}

export default { render };
