import { test } from "node:test";
import assert from "node:assert/strict";

import {
  NODE_H,
  NODE_W,
  canConnect,
  edgePath,
  formatValue,
  hitTest,
  layeredLayout,
  parseValue,
  portPosition,
  toCanvas,
  zoomAt,
} from "../graph_builder_logic.js";

const node = (id, x, y, extra = {}) => ({ id, type: "LIF", x, y, ...extra });

test("hit-testing finds ports before bodies and the top-most node first", () => {
  const g = { nodes: [node("a", 0, 0), node("b", 50, 10)], edges: [] };
  const out = portPosition(g.nodes[0], "out");
  assert.deepEqual(hitTest(g, out.x, out.y), { kind: "port", node: "a", side: "out" });
  assert.deepEqual(hitTest(g, 60, 20), { kind: "node", node: "b" }); // b drawn over a
  assert.deepEqual(hitTest(g, 10, 5), { kind: "node", node: "a" });
  assert.equal(hitTest(g, 1000, 1000), null);
  const inp = portPosition(g.nodes[1], "in");
  assert.deepEqual(hitTest(g, inp.x + 2, inp.y - 2), { kind: "port", node: "b", side: "in" });
});

test("port compatibility: sizes, spiking, loops, fan-in and fan-out", () => {
  const g = {
    nodes: [
      node("lin", 0, 0, { type: "Linear", size_in: 2, size_out: 64, spiking_output: false }),
      node("lif", 0, 0, { size_in: 64, size_out: 64, spiking_output: true }),
      node("syn", 0, 0, { type: "ExpSyn", size_in: 64, size_out: 64, spiking_input: true, spiking_output: false }),
      node("small", 0, 0, { type: "Linear", size_in: 32, size_out: 1 }),
    ],
    edges: [],
  };
  assert.deepEqual(canConnect(g, "lin", "lif"), { ok: true, reason: "" });
  assert.match(canConnect(g, "lif", "small").reason, /gives 64 outputs; Linear expects 32 inputs/);
  assert.match(canConnect(g, "lin", "syn").reason, /ExpSyn expects spikes; Linear gives continuous/);
  assert.ok(canConnect(g, "lif", "syn").ok);
  assert.match(canConnect(g, "lif", "lif").reason, /itself/);
  g.edges.push({ id: "e1", source: "lin", target: "lif" }, { id: "e2", source: "lif", target: "syn" });
  assert.match(canConnect(g, "syn", "lin").reason, /loop/);
  assert.match(canConnect(g, "lin", "syn").reason, /already has an (input|output)/);
  assert.match(canConnect(g, "lin", "lif").reason, /already connected/);
});

test("layered layout puts each node one layer after its source", () => {
  const g = {
    nodes: [node("c", null, null), node("a", null, null), node("b", null, null), node("d", null, null)],
    edges: [
      { id: "1", source: "a", target: "b" },
      { id: "2", source: "b", target: "c" },
    ],
  };
  const pos = layeredLayout(g);
  assert.ok(pos.a.x < pos.b.x && pos.b.x < pos.c.x);
  assert.equal(pos.a.y, pos.b.y);
  assert.equal(pos.d.x, pos.a.x); // unconnected nodes stay in the first layer, stacked
  assert.notEqual(pos.d.y, pos.a.y);
  assert.ok(pos.b.x - pos.a.x >= NODE_W);
  assert.ok(Math.abs(pos.d.y - pos.a.y) >= NODE_H);
});

test("zoom keeps the point under the cursor fixed and clamps", () => {
  const view = { x: 10, y: 20, k: 1 };
  const before = toCanvas(view, 200, 100);
  const zoomed = zoomAt(view, 200, 100, 2);
  const after = toCanvas(zoomed, 200, 100);
  assert.ok(Math.abs(before.x - after.x) < 1e-9 && Math.abs(before.y - after.y) < 1e-9);
  assert.equal(zoomAt({ x: 0, y: 0, k: 3 }, 0, 0, 10).k, 4);
  assert.equal(zoomAt({ x: 0, y: 0, k: 0.3 }, 0, 0, 0.1).k, 0.2);
});

test("edge path starts at the output port and ends at the input port", () => {
  const a = node("a", 0, 0);
  const b = node("b", 300, 100);
  const path = edgePath(a, b);
  assert.ok(path.startsWith(`M${NODE_W},${NODE_H / 2}`));
  assert.ok(path.endsWith(`300,${100 + NODE_H / 2}`));
});

test("parameter fields parse scalars, lists, shapes and reject junk", () => {
  assert.deepEqual(parseValue("0.02", "vector"), { ok: true, value: 0.02 });
  assert.deepEqual(parseValue("1, 2, 3", "vector"), { ok: true, value: [1, 2, 3] });
  assert.deepEqual(parseValue("[4]", "vector"), { ok: true, value: [4] });
  assert.deepEqual(parseValue("2, 64", "shape"), { ok: true, value: [2, 64] });
  assert.deepEqual(parseValue("", "number"), { ok: true, value: null });
  assert.equal(parseValue("1.5", "int").ok, false);
  assert.match(parseValue("abc", "number").reason, /expected a number/);
  assert.deepEqual(parseValue("true", "bool"), { ok: true, value: true });
  assert.equal(formatValue([1, 2]), "1, 2");
  assert.equal(formatValue(null), "");
});
