import {
  RingBuffer,
  decimateMinMax,
  decodeChunk,
  range,
} from "./live_view_logic.js";

const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];

function html(tag, cls, text) {
  const el = document.createElement(tag);
  if (cls) el.className = cls;
  if (text !== undefined) el.textContent = text;
  return el;
}

function render({ model, el }) {
  const root = html("div", "rnb-live");
  root.dataset.lmSuppressShortcuts = "true";
  const bar = html("div", "rnb-live-bar");
  const status = html("span", "rnb-live-status", "");
  const sliders = html("div", "rnb-live-sliders");
  const canvas = html("canvas", "rnb-live-canvas");
  canvas.width = 720;
  canvas.height = 360;
  canvas.dataset.frames = "0";
  canvas.dataset.steps = "0";
  const rule = html("div", "rnb-live-rule", "Changes apply from the next chunk; the network state is kept.");
  root.append(bar, sliders, canvas, rule);
  el.append(root);

  const capacity = model.get("window") || 2000;
  let traces = null;
  let spikes = null;
  let outputs = null;
  let dirty = false;
  let frames = 0;

  for (const [label, cmd] of [["Run", "run"], ["Pause", "pause"], ["Step", "step"], ["Reset", "reset"]]) {
    const b = html("button", "rnb-live-btn", label);
    b.dataset.cmd = cmd;
    b.addEventListener("click", () => model.send({ cmd }));
    bar.append(b);
  }
  const speed = html("select", "rnb-live-speed");
  for (const s of [0.25, 0.5, 1, 2, 4, 100]) {
    const o = html("option", "", s === 100 ? "max" : `${s}x`);
    o.value = String(s);
    speed.append(o);
  }
  speed.value = "1";
  speed.addEventListener("change", () => model.send({ cmd: "speed", value: Number(speed.value) }));
  bar.append(speed, status);

  function drawSliders() {
    sliders.replaceChildren();
    const values = model.get("values") || {};
    for (const [name, spec] of Object.entries(model.get("controls") || {})) {
      const [lo, hi, step, label] = spec;
      const row = html("label", "rnb-live-slider");
      const text = html("span", "", label);
      const input = html("input", "");
      input.type = "range";
      input.min = lo;
      input.max = hi;
      input.step = step;
      input.value = values[name];
      input.dataset.control = name;
      const val = html("span", "rnb-live-value", Number(values[name]).toPrecision(3));
      input.addEventListener("input", () => (val.textContent = Number(input.value).toPrecision(3)));
      input.addEventListener("change", () => model.send({ cmd: "set", name, value: Number(input.value) }));
      row.append(text, input, val);
      sliders.append(row);
    }
  }

  model.on("msg:custom", (msg, buffers) => {
    if (msg.kind !== "chunk") return;
    const { traces: tr, spikes: sp, outputs: out } = decodeChunk(msg, buffers);
    if (!traces || traces.width !== msg.traces) traces = new RingBuffer(capacity, Math.max(1, msg.traces));
    if (!spikes || spikes.width !== msg.neurons) spikes = new RingBuffer(capacity, Math.max(1, msg.neurons));
    if (!outputs || outputs.width !== msg.outputs) outputs = new RingBuffer(capacity, Math.max(1, msg.outputs));
    if (msg.traces) traces.push(tr, msg.steps);
    if (msg.neurons) spikes.push(Float32Array.from(sp), msg.steps);
    if (msg.outputs) outputs.push(out, msg.steps);
    canvas.dataset.steps = String(Number(canvas.dataset.steps) + msg.steps);
    dirty = true;
  });

  function draw() {
    if (dirty && traces) {
      dirty = false;
      const ctx = canvas.getContext("2d");
      const W = canvas.width;
      const H = canvas.height;
      ctx.clearRect(0, 0, W, H);
      const hTr = H * 0.45;
      const cols = [];
      for (let c = 0; c < traces.width; c++) cols.push(traces.column(c));
      const [lo, hi] = range(cols);
      cols.forEach((col, k) => {
        const [mins, maxs] = decimateMinMax(col, W);
        ctx.strokeStyle = COLORS[k % COLORS.length];
        ctx.beginPath();
        for (let x = 0; x < W; x++) {
          if (Number.isNaN(mins[x])) continue;
          const y0 = hTr - ((mins[x] - lo) / (hi - lo)) * hTr;
          const y1 = hTr - ((maxs[x] - lo) / (hi - lo)) * hTr;
          ctx.moveTo(x + 0.5, y0);
          ctx.lineTo(x + 0.5, y1 - 0.5);
        }
        ctx.stroke();
      });
      // raster
      const top = hTr + 10;
      const hRa = H * 0.4;
      const n = spikes.width;
      ctx.fillStyle = "#222";
      for (let i = 0; i < spikes.length; i++) {
        const x = Math.floor((i * W) / spikes.length);
        for (let j = 0; j < n; j++) if (spikes.get(i, j) > 0) ctx.fillRect(x, top + (j * hRa) / n, 1.5, Math.max(1, hRa / n - 0.5));
      }
      // population rate
      const rate = new Float32Array(spikes.length);
      for (let i = 0; i < spikes.length; i++) { let s = 0; for (let j = 0; j < n; j++) s += spikes.get(i, j); rate[i] = s / n; }
      const [rlo, rhi] = range([rate]);
      const [rmin, rmax] = decimateMinMax(rate, W);
      ctx.strokeStyle = "#d62728";
      ctx.beginPath();
      for (let x = 0; x < W; x++) {
        if (Number.isNaN(rmax[x])) continue;
        const y = H - 2 - ((rmax[x] - rlo) / (rhi - rlo)) * (H - top - hRa - 4);
        if (x === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
      }
      ctx.stroke();
      frames += 1;
      canvas.dataset.frames = String(frames);
    }
    if (root.isConnected) requestAnimationFrame(draw);
  }
  requestAnimationFrame(draw);

  const showStatus = () => (status.textContent = model.get("status") || "");
  model.on("change:status", showStatus);
  model.on("change:controls", drawSliders);
  model.on("change:values", drawSliders);
  showStatus();
  drawSliders();
  return () => root.remove();
}

export default { render };
