import assert from "node:assert/strict";
import test from "node:test";

import { RingBuffer, decimateMinMax, decodeChunk, makeSender, range, unpackMessage } from "../live_view_logic.js";

test("ring buffer keeps the newest rows in order", () => {
  const rb = new RingBuffer(3, 2);
  rb.push(Float32Array.from([1, 10, 2, 20]), 2);
  rb.push(Float32Array.from([3, 30, 4, 40]), 2);
  assert.equal(rb.length, 3);
  assert.deepEqual(Array.from(rb.column(0)), [2, 3, 4]);
  assert.deepEqual(Array.from(rb.column(1)), [20, 30, 40]);
});

test("min/max decimation keeps every extreme of a pixel column", () => {
  const v = Float32Array.from([0, 5, -1, 2, 7, 3, 3, 3]);
  const [mins, maxs] = decimateMinMax(v, 2);
  assert.deepEqual(Array.from(mins), [-1, 3]);
  assert.deepEqual(Array.from(maxs), [5, 7]);
  const [m1] = decimateMinMax(Float32Array.from([1]), 4);
  assert.equal(m1.filter((x) => !Number.isNaN(x)).length, 1);
});

test("chunk decoding checks sizes against the header", () => {
  const header = { steps: 2, traces: 1, neurons: 3, outputs: 1 };
  const bufs = [new Float32Array([1, 2]).buffer, new Uint8Array([0, 1, 0, 2, 0, 0]).buffer, new Float32Array([5, 6]).buffer];
  const { traces, spikes, outputs } = decodeChunk(header, bufs);
  assert.deepEqual(Array.from(traces), [1, 2]);
  assert.equal(spikes[3], 2);
  assert.deepEqual(Array.from(outputs), [5, 6]);
  assert.throws(() => decodeChunk({ ...header, steps: 3 }, bufs), /buffer sizes/);
});

test("range pads flat and empty data", () => {
  assert.deepEqual(range([Float32Array.from([2, 2])]), [1.5, 2.5]);
  assert.deepEqual(range([]), [0, 1]);
  const [lo, hi] = range([Float32Array.from([0, 10])]);
  assert.ok(lo < 0 && hi > 10);
});

test("messages unpack the same from anywidget and from Panel's AnyWidgetComponent", () => {
  const bufs = [new ArrayBuffer(4), new ArrayBuffer(1), new ArrayBuffer(4)];
  const head = { kind: "chunk", steps: 1, traces: 1, neurons: 1, outputs: 1 };
  const [h1, b1] = unpackMessage(head, bufs); // anywidget: (msg, buffers)
  assert.equal(h1, head);
  assert.equal(b1, bufs);
  const [h2, b2] = unpackMessage({ ...head, buffers: bufs }, undefined); // Panel: one object
  assert.equal(h2.steps, 1);
  assert.equal(b2, bufs);
  assert.deepEqual(unpackMessage({ kind: "other" }, undefined)[1], []);
});

test("commands go through model.send, or a numbered synced property without it", () => {
  const sent = [];
  makeSender({ send: (m) => sent.push(m) })({ cmd: "run" });
  assert.deepEqual(sent, [{ cmd: "run" }]);
  const changes = [];
  let saved = 0;
  const panelModel = { set: (k, v) => changes.push([k, v]), save_changes: () => (saved += 1) };
  const send = makeSender(panelModel);
  send({ cmd: "step" });
  send({ cmd: "step" });
  assert.deepEqual(changes, [["command", { cmd: "step", seq: 1 }], ["command", { cmd: "step", seq: 2 }]]);
  assert.equal(saved, 2);
});
