// Pure logic of the live view: ring buffers, min/max decimation, chunk decoding.
// No DOM here, so `node --test widgets/tests/` can test it.

/** Fixed-size ring buffer of rows of `width` float values. */
export class RingBuffer {
  constructor(capacity, width) {
    this.capacity = capacity;
    this.width = width;
    this.data = new Float32Array(capacity * width);
    this.start = 0;
    this.length = 0;
  }
  /** Append `rows` rows from a flat array (row-major). */
  push(flat, rows) {
    for (let r = 0; r < rows; r++) {
      const end = (this.start + this.length) % this.capacity;
      this.data.set(flat.subarray(r * this.width, (r + 1) * this.width), end * this.width);
      if (this.length < this.capacity) this.length++;
      else this.start = (this.start + 1) % this.capacity;
    }
  }
  /** Value of row `i` (0 = oldest kept), column `c`. */
  get(i, c) {
    return this.data[((this.start + i) % this.capacity) * this.width + c];
  }
  /** Column `c` as an array, oldest first. */
  column(c) {
    const out = new Float32Array(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.get(i, c);
    return out;
  }
}

/** Min and max of `values` per pixel column: `[mins, maxs]`, each `columns` long. */
export function decimateMinMax(values, columns) {
  const mins = new Float32Array(columns).fill(NaN);
  const maxs = new Float32Array(columns).fill(NaN);
  const n = values.length;
  if (!n) return [mins, maxs];
  for (let i = 0; i < n; i++) {
    const c = Math.min(columns - 1, Math.floor((i * columns) / n));
    const v = values[i];
    if (!(mins[c] <= v)) mins[c] = v;
    if (!(maxs[c] >= v)) maxs[c] = v;
  }
  return [mins, maxs];
}

/** Decode one chunk message: header plus three buffers (see rockpool_nb.widgets.live.runner). */
export function decodeChunk(header, buffers) {
  const view = (b) => (b instanceof ArrayBuffer ? b : b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  const traces = new Float32Array(view(buffers[0]));
  const spikes = new Uint8Array(view(buffers[1]));
  const outputs = new Float32Array(view(buffers[2]));
  const n = header.steps;
  if (traces.length !== n * header.traces || spikes.length !== n * header.neurons || outputs.length !== n * header.outputs) {
    throw new Error(`chunk: buffer sizes do not match the header (${n} steps)`);
  }
  return { traces, spikes, outputs };
}

/** Data range of several arrays, padded so a flat signal still has height. */
export function range(arrays) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of arrays) for (const v of a) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (!Number.isFinite(lo)) return [0, 1];
  if (hi - lo < 1e-9) return [lo - 0.5, hi + 0.5];
  const pad = 0.05 * (hi - lo);
  return [lo - pad, hi + pad];
}

/**
 * Split a chunk message into `[header, buffers]` whatever the host: anywidget passes
 * `(msg, buffers)`; Panel's AnyWidgetComponent passes one object whose `buffers` key holds the
 * binary buffers (Bokeh sends them as binary websocket frames).
 */
export function unpackMessage(msg, buffers) {
  if (buffers && buffers.length) return [msg, buffers];
  if (msg && Array.isArray(msg.buffers)) return [msg, msg.buffers];
  return [msg, buffers || []];
}

/**
 * A `send(command)` for the host. anywidget models have `model.send`; Panel's AnyWidgetComponent
 * adapter has none, so the command goes through a synced `command` property instead, numbered so
 * that the same command twice (Step, Step) is still a change.
 */
export function makeSender(model) {
  if (typeof model.send === "function") return (m) => model.send(m);
  let seq = 0;
  return (m) => {
    seq += 1;
    model.set("command", { ...m, seq });
    model.save_changes();
  };
}
