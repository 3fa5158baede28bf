import {
  RingBuffer,
  decimateMinMax,
  decodeChunk,
  makeSender,
  range,
  unpackMessage,
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
  const send = makeSender(model);
  let stopped = false;

  const capacity = model.get("window") || 2000;
  let traces = null;
  let spikes = null;
  let outputs = null;
  let dirty = false;
  let frames = 0;

  for (const [label, cmd] of [["Run", "run"], ["Pause", "pause"], ["Step", "step"], ["Reset", "reset"]]) {
    const b = html("button", "rnb-live-btn", label);
    b.dataset.cmd = cmd;
    b.addEventListener("click", () => send({ cmd }));
    bar.append(b);
  }
  const speed = html("select", "rnb-live-speed");
  for (const s of [0.25, 0.5, 1, 2, 4, 100]) {
    const o = html("option", "", s === 100 ? "max" : `${s}x`);
    o.value = String(s);
    speed.append(o);
  }
  speed.value = "1";
  speed.addEventListener("change", () => send({ cmd: "speed", value: Number(speed.value) }));
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
      input.addEventListener("change", () => send({ cmd: "set", name, value: Number(input.value) }));
      row.append(text, input, val);
      sliders.append(row);
    }
  }

  model.on("msg:custom", (content, extra) => {
    const [msg, buffers] = unpackMessage(content, extra);
    if (!msg || msg.kind !== "chunk") return;
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
      // traces: min/max per pixel column, read straight from the ring buffer
      const len = traces.length;
      const tw = traces.width;
      const tdata = traces.data;
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < len * tw; i++) {
        const v = tdata[i];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (!(hi > lo)) { lo -= 0.5; hi += 0.5; }
      const mins = new Float32Array(W);
      const maxs = new Float32Array(W);
      for (let c = 0; c < tw; c++) {
        mins.fill(Infinity);
        maxs.fill(-Infinity);
        for (let i = 0; i < len; i++) {
          const x = Math.floor((i * W) / len);
          const v = tdata[((traces.start + i) % traces.capacity) * tw + c];
          if (v < mins[x]) mins[x] = v;
          if (v > maxs[x]) maxs[x] = v;
        }
        ctx.strokeStyle = COLORS[c % COLORS.length];
        // a vertical min-max stroke per pixel column; where samples are sparser than pixels
        // (fewer steps kept than columns) the strokes are joined into a line
        const join = len < W;
        ctx.beginPath();
        let started = false;
        for (let x = 0; x < W; x++) {
          if (mins[x] === Infinity) continue;
          const y0 = hTr - ((mins[x] - lo) / (hi - lo)) * hTr;
          const y1 = hTr - ((maxs[x] - lo) / (hi - lo)) * hTr - 0.5;
          if (join && started) ctx.lineTo(x + 0.5, y0);
          else ctx.moveTo(x + 0.5, y0);
          ctx.lineTo(x + 0.5, y1);
          started = true;
        }
        ctx.stroke();
      }
      // raster and population rate in one pass over the ring buffer
      const top = hTr + 10;
      const hRa = H * 0.4;
      const n = spikes.width;
      const sdata = spikes.data;
      const rate = new Float32Array(spikes.length);
      // raster into a pixel buffer (one putImageData per frame, not one rectangle per spike)
      const rh = Math.max(1, Math.floor(hRa));
      const img = ctx.createImageData(W, rh);
      const px = img.data;
      const rowH = rh / n;
      for (let i = 0; i < spikes.length; i++) {
        const x = Math.floor((i * W) / spikes.length);
        const base = ((spikes.start + i) % spikes.capacity) * n;
        let sum = 0;
        for (let j = 0; j < n; j++) {
          const v = sdata[base + j];
          if (v > 0) {
            sum += v;
            const y0 = Math.floor(j * rowH);
            const y1 = Math.max(y0 + 1, Math.floor((j + 1) * rowH));
            for (let y = y0; y < y1; y++) {
              const o = (y * W + x) * 4;
              px[o] = 34;
              px[o + 1] = 34;
              px[o + 2] = 34;
              px[o + 3] = 255;
            }
          }
        }
        rate[i] = sum / n;
      }
      ctx.putImageData(img, 0, Math.floor(top));
      const [rlo, rhi] = range([rate]);
      const [, rmax] = decimateMinMax(rate, W);
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
    if (!stopped) requestAnimationFrame(draw);
  }
  requestAnimationFrame(draw);

  const showStatus = () => {
    const text = model.get("status") || "";
    status.textContent = text;
    root.dataset.status = text.split(" ")[0];
  };
  model.on("change:status", showStatus);
  model.on("change:controls", drawSliders);
  model.on("change:values", drawSliders);
  showStatus();
  drawSliders();
  return () => {
    stopped = true;
    root.remove();
  };
}

export default { render };
