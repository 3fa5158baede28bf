// Pure logic of the graph builder: geometry, hit-testing, port compatibility and layered layout.
// No DOM here, so `node --test widgets/tests/` exercises all of it.

/** @typedef {{id: string, type: string, x: number|null, y: number|null, label?: string,
 *   size_in?: number|null, size_out?: number|null, spiking_input?: boolean,
 *   spiking_output?: boolean}} GNode */
/** @typedef {{id: string, source: string, target: string}} GEdge */
/** @typedef {{nodes: GNode[], edges: GEdge[]}} Graph */

export const NODE_W = 150;
export const NODE_H = 56;
export const PORT_R = 7;
export const LAYER_GAP = 80;
export const ROW_GAP = 40;

/** Position of a node's input (left) or output (right) port, canvas coordinates. */
export function portPosition(node, side) {
  const x = side === "in" ? node.x : node.x + NODE_W;
  return { x, y: node.y + NODE_H / 2 };
}

/**
 * What lies under a canvas point: a port, a node body, or nothing. Ports win over bodies and
 * the node drawn last (end of the list) wins over earlier ones.
 * @param {Graph} graph
 * @returns {{kind: "port", node: string, side: "in"|"out"} | {kind: "node", node: string} | null}
 */
export function hitTest(graph, px, py) {
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const n = graph.nodes[i];
    for (const side of ["in", "out"]) {
      const p = portPosition(n, side);
      if ((px - p.x) ** 2 + (py - p.y) ** 2 <= (PORT_R + 3) ** 2) {
        return { kind: "port", node: n.id, side };
      }
    }
  }
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const n = graph.nodes[i];
    if (px >= n.x && px <= n.x + NODE_W && py >= n.y && py <= n.y + NODE_H) {
      return { kind: "node", node: n.id };
    }
  }
  return null;
}

/**
 * Can an edge go from `source`'s output to `target`'s input? Returns `{ok, reason}`; the reason
 * is shown to the user while dragging. Python validates again and has the last word.
 * @param {Graph} graph
 */
export function canConnect(graph, sourceId, targetId) {
  if (sourceId === targetId) return { ok: false, reason: "a module cannot feed itself here" };
  const source = graph.nodes.find((n) => n.id === sourceId);
  const target = graph.nodes.find((n) => n.id === targetId);
  if (!source || !target) return { ok: false, reason: "unknown module" };
  if (graph.edges.some((e) => e.source === sourceId && e.target === targetId)) {
    return { ok: false, reason: "already connected" };
  }
  if (graph.edges.some((e) => e.target === targetId)) {
    return { ok: false, reason: `${label(target)} already has an input` };
  }
  if (graph.edges.some((e) => e.source === sourceId)) {
    return { ok: false, reason: `${label(source)} already has an output` };
  }
  if (reaches(graph, targetId, sourceId)) return { ok: false, reason: "this would make a loop" };
  if (source.size_out != null && target.size_in != null && source.size_out !== target.size_in) {
    return {
      ok: false,
      reason: `${label(source)} gives ${source.size_out} outputs; ${label(target)} expects ${target.size_in} inputs`,
    };
  }
  if (target.spiking_input && source.spiking_output === false) {
    return { ok: false, reason: `${label(target)} expects spikes; ${label(source)} gives continuous values` };
  }
  return { ok: true, reason: "" };
}

function label(node) {
  return node.label || node.type;
}

/** Is `to` reachable from `from` along edges? */
export function reaches(graph, from, to) {
  const seen = new Set([from]);
  const stack = [from];
  while (stack.length) {
    const id = stack.pop();
    if (id === to) return true;
    for (const e of graph.edges) {
      if (e.source === id && !seen.has(e.target)) {
        seen.add(e.target);
        stack.push(e.target);
      }
    }
  }
  return false;
}

/**
 * Layered layout: a node's layer is the length of the longest path reaching it; nodes in a
 * layer are stacked in order of first appearance. Returns `{id: {x, y}}`.
 * @param {Graph} graph
 */
export function layeredLayout(graph, origin = { x: 40, y: 40 }) {
  const depth = new Map(graph.nodes.map((n) => [n.id, 0]));
  // longest-path layering by relaxation (graphs are small and acyclic)
  for (let pass = 0; pass < graph.nodes.length; pass++) {
    let changed = false;
    for (const e of graph.edges) {
      const d = (depth.get(e.source) ?? 0) + 1;
      if (depth.has(e.target) && d > depth.get(e.target)) {
        depth.set(e.target, d);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const rows = new Map();
  const out = {};
  for (const n of graph.nodes) {
    const layer = depth.get(n.id);
    const row = rows.get(layer) ?? 0;
    rows.set(layer, row + 1);
    out[n.id] = { x: origin.x + layer * (NODE_W + LAYER_GAP), y: origin.y + row * (NODE_H + ROW_GAP) };
  }
  return out;
}

/** Canvas coordinates of a screen point under a pan/zoom view `{x, y, k}`. */
export function toCanvas(view, sx, sy) {
  return { x: (sx - view.x) / view.k, y: (sy - view.y) / view.k };
}

/** Zoom by `factor` about screen point (sx, sy), clamped to [0.2, 4]. */
export function zoomAt(view, sx, sy, factor) {
  const k = Math.min(4, Math.max(0.2, view.k * factor));
  const c = toCanvas(view, sx, sy);
  return { k, x: sx - c.x * k, y: sy - c.y * k };
}

/** SVG path of an edge: a horizontal cubic from the source's output to the target's input. */
export function edgePath(source, target) {
  const a = portPosition(source, "out");
  const b = portPosition(target, "in");
  const dx = Math.max(40, Math.abs(b.x - a.x) / 2);
  return `M${a.x},${a.y} C${a.x + dx},${a.y} ${b.x - dx},${b.y} ${b.x},${b.y}`;
}

/**
 * Parse the text of a parameter field: "0.02" -> 0.02, "1, 2, 3" -> [1, 2, 3], "" -> null,
 * "true"/"false" -> booleans. Returns `{ok, value, reason}`.
 */
export function parseValue(text, kind) {
  const t = String(text).trim();
  if (kind === "bool") return { ok: true, value: t === "true" || t === "1" || t === "on" };
  if (kind === "choice" || kind === "text") return { ok: true, value: t };
  if (t === "" || t === "None") return { ok: true, value: null };
  const parts = t.replace(/^[[(]|[\])]$/g, "").split(/[,\s]+/).filter((s) => s.length);
  const nums = parts.map(Number);
  if (nums.some((v) => !Number.isFinite(v))) {
    return { ok: false, value: null, reason: `expected a number or a list of numbers; got "${t}"` };
  }
  if ((kind === "int" || kind === "shape") && nums.some((v) => !Number.isInteger(v))) {
    return { ok: false, value: null, reason: `expected whole numbers; got "${t}"` };
  }
  if (kind === "shape") return { ok: true, value: nums };
  if (nums.length === 1 && !/[,[(]/.test(t)) return { ok: true, value: nums[0] };
  return { ok: true, value: nums };
}

/** Text shown in a parameter field for a value. */
export function formatValue(value) {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.join(", ");
  return String(value);
}
