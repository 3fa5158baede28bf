"""``LiveRunner``: evolve a network chunk by chunk in a background thread, buffer what it
records, apply parameter changes between chunks, and hand everything over as messages and
TimeSeries. No widget code here: the widget (and the tests) drive it.

Message format (one per chunk, see :func:`encode_chunk`): a JSON header ``{"t0", "steps",
"dt", "traces", "neurons", "outputs"}`` and three little-endian buffers: float32 traces
``(steps, traces)``, uint8 spike counts ``(steps, neurons)`` (saturated at 255) and float32
outputs ``(steps, outputs)``.
"""

from __future__ import annotations

import threading
import time
import traceback

import numpy as np

__all__ = ["LiveRunner", "encode_chunk", "decode_chunk", "network_controls"]


def _spiking_layers(net):
    from rockpool_nb.nn.modules import LIF

    mods = (
        list(net._submodules.items())
        if hasattr(net, "_submodules") and net._submodules
        else [("", net)]
    )
    return [(name, m) for name, m in mods if isinstance(m, LIF)]


def network_controls(net) -> dict:
    """Slider specs ``name -> (min, max, step, label, value)`` from the network's parameters: for
    each LIF/Rate layer its time constants, bias and threshold (one value for all neurons), and
    a gain for each weight layer."""
    from rockpool_nb.nn.modules import LIF, Linear, Rate

    mods = (
        list(net._submodules.items())
        if hasattr(net, "_submodules") and net._submodules
        else [("net", net)]
    )
    out = {}
    for name, m in mods:
        if isinstance(m, LIF):
            out[f"{name}.tau_mem"] = (
                2e-3,
                200e-3,
                1e-3,
                f"{name} τ_mem (s)",
                float(np.mean(m.tau_mem)),
            )
            out[f"{name}.bias"] = (-0.5, 0.5, 0.005, f"{name} bias", float(np.mean(m.bias)))
            out[f"{name}.threshold"] = (
                0.1,
                5.0,
                0.05,
                f"{name} threshold",
                float(np.mean(m.threshold)),
            )
        elif isinstance(m, Rate):
            out[f"{name}.tau"] = (2e-3, 200e-3, 1e-3, f"{name} τ (s)", float(np.mean(m.tau)))
            out[f"{name}.bias"] = (-1.0, 1.0, 0.01, f"{name} bias", float(np.mean(m.bias)))
        elif isinstance(m, Linear):
            out[f"{name}.gain"] = (0.0, 3.0, 0.05, f"{name} weight gain", 1.0)
    return out


def encode_chunk(header: dict, traces, spikes, outputs) -> tuple[dict, list[bytes]]:
    t = np.ascontiguousarray(traces, dtype="<f4")
    s = np.ascontiguousarray(np.minimum(spikes, 255), dtype=np.uint8)
    o = np.ascontiguousarray(outputs, dtype="<f4")
    head = dict(header, traces=t.shape[1], neurons=s.shape[1], outputs=o.shape[1], steps=t.shape[0])
    return head, [t.tobytes(), s.tobytes(), o.tobytes()]


def decode_chunk(header: dict, buffers) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = header["steps"]
    t = np.frombuffer(buffers[0], dtype="<f4").reshape(n, header["traces"])
    s = np.frombuffer(buffers[1], dtype=np.uint8).reshape(n, header["neurons"])
    o = np.frombuffer(buffers[2], dtype="<f4").reshape(n, header["outputs"])
    return t, s, o


class LiveRunner:
    """Run ``net`` on ``source`` in chunks of ``chunk`` steps.

    Parameters
    ----------
    net : Module
        A network (``Sequential``) or a single module; its first LIF layer is watched
        (membrane traces of ``trace_neurons``, spikes of up to ``raster_neurons`` neurons).
    source : callable
        ``source(t0, steps) -> (steps, size_in)`` input (see :mod:`.sources`).
    on_chunk : callable, optional
        ``on_chunk(header, buffers)`` for each chunk (the widget sends it to the browser).
    on_end : callable, optional
        ``on_end()`` when the background thread ends (paused, or stopped by an error). If it
        raises (a served page that has closed), that becomes the run's ``error`` unless one
        was already kept: the thread itself never raises.
    keep : int
        Steps kept in the recording buffers (oldest dropped).
    speed : float
        Network time per wall-clock time while running (chunks are paced to ``chunk·dt/speed``
        seconds each; a large value runs as fast as the kernels go).
    """

    def __init__(
        self,
        net,
        source,
        chunk: int = 50,
        trace_neurons=(0, 1, 2, 3),
        raster_neurons: int = 64,
        on_chunk=None,
        keep: int = 20_000,
        speed: float = 1.0,
        on_end=None,
    ):
        self.net, self.source, self.chunk = net, source, int(chunk)
        layers = _spiking_layers(net)
        self.layer = layers[0] if layers else None
        n = self.layer[1].size_out if self.layer else 0
        self.trace_neurons = [i for i in trace_neurons if i < n]
        self.raster_neurons = min(int(raster_neurons), n)
        self.on_chunk = on_chunk
        self.on_end = on_end
        self.keep = int(keep)
        self.speed = float(speed)
        self.dt = float(getattr(self.layer[1] if self.layer else net, "dt", 1e-3))
        self.t = 0
        self.controls = network_controls(net)
        self.controls.update(
            {
                f"input.{k}": (*v, float(getattr(source, k)))
                for k, v in getattr(source, "controls", {}).items()
            }
        )
        self.values = {k: v[-1] for k, v in self.controls.items()}
        self._base_weights = {}
        self._pending: dict = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._traces, self._spikes, self._outputs = [], [], []
        self.status = "idle"
        self.error: str | None = None
        self.compiling = True

    # ----------------------------------------------------------------------- parameters
    def set(self, name: str, value: float) -> None:
        """Change a control; it applies from the next chunk (state is kept)."""
        if name not in self.controls:
            raise KeyError(f"name: expected one of {sorted(self.controls)}; got {name!r}")
        lo, hi = self.controls[name][:2]
        if not lo <= float(value) <= hi:
            raise ValueError(f"{name}: expected a value in [{lo}, {hi}]; got {value}")
        with self._lock:
            self._pending[name] = float(value)
            self.values[name] = float(value)
        if not self.running:
            self._apply_pending()

    def _apply_pending(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, {}
        for name, value in pending.items():
            target, attr = name.rsplit(".", 1)
            if target == "input":
                setattr(self.source, attr, value)
                continue
            mod = self.net if target == "net" else self.net._submodules[target]
            if attr == "gain":
                base = self._base_weights.setdefault(target, np.array(mod.weight))
                mod.set_attributes({"weight": base * value})
            else:
                mod.set_attributes({attr: np.full(np.shape(getattr(mod, attr)), value)})

    # -------------------------------------------------------------------------- running
    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def step(self, n: int | None = None) -> tuple[dict, list[bytes]]:
        """Evolve ``n`` steps (one chunk by default) in the caller's thread; returns the message."""
        n = self.chunk if n is None else int(n)
        self._apply_pending()
        x = self.source(self.t, n)
        out, _, rec = self.net(x, record=True)
        self.compiling = False
        if self.layer is not None:
            key = self.layer[0]
            r = rec[key] if key else rec
            vmem = np.asarray(r["vmem"])[0]
            spikes = np.asarray(r["spikes"])[0]
        else:
            vmem = np.zeros((n, 0))
            spikes = np.zeros((n, 0))
        traces = vmem[:, self.trace_neurons]
        raster = spikes[:, : self.raster_neurons]
        outputs = np.asarray(out)[0].reshape(n, -1)
        with self._lock:
            self._traces.append(traces.astype(np.float32))
            self._spikes.append(spikes.astype(np.uint16))
            self._outputs.append(outputs.astype(np.float32))
            self._trim()
        header, buffers = encode_chunk({"t0": self.t, "dt": self.dt}, traces, raster, outputs)
        self.t += n
        if self.on_chunk is not None:
            self.on_chunk(header, buffers)
        return header, buffers

    def _trim(self) -> None:
        total = sum(len(a) for a in self._traces)
        while total > self.keep and len(self._traces) > 1:
            total -= len(self._traces[0])
            for buf in (self._traces, self._spikes, self._outputs):
                buf.pop(0)

    def start(self) -> None:
        """Run in a background thread until :meth:`pause` (or an error)."""
        if self.running:
            return
        self._stop.clear()
        self.status = "running"
        self.error = None
        self._thread = threading.Thread(target=self._loop, name="rockpool_nb-live", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        try:
            while not self._stop.is_set():
                t0 = time.perf_counter()
                self.step()
                # pace to real time × speed (chunk·dt seconds of network time per chunk)
                wait = self.chunk * self.dt / max(self.speed, 1e-6) - (time.perf_counter() - t0)
                if wait > 0:
                    self._stop.wait(wait)
            self.status = "paused"
        except Exception as err:  # shown to the user; the thread ends
            self.error = f"{type(err).__name__}: {err}"
            self.status = "error"
            self._traceback = traceback.format_exc()
        finally:
            if self.on_end is not None:
                try:
                    self.on_end()
                except Exception as err:  # e.g. the served page that showed the run has gone
                    if self.error is None:
                        self.error = f"{type(err).__name__}: {err}"
                        self.status = "error"
                        self._traceback = traceback.format_exc()

    def pause(self, timeout: float = 10.0) -> None:
        """Stop the thread (after the chunk in progress) and wait for it."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._thread = None
        if self.status == "running":
            self.status = "paused"

    stop = pause

    def reset(self) -> None:
        """Pause, reset the network's state and clear the recording."""
        self.pause()
        self.net.reset_state()
        self.t = 0
        with self._lock:
            self._traces, self._spikes, self._outputs = [], [], []
        self.status = "idle"

    # ------------------------------------------------------------------------ recording
    def recording(self) -> dict:
        """What was recorded so far, as ``TimeSeries``: ``vmem`` (``TSContinuous`` of the traced
        neurons), ``spikes`` (``TSEvent`` of the watched layer), ``output`` (``TSContinuous``)."""
        from rockpool_nb.timeseries import TSContinuous, TSEvent

        with self._lock:
            traces = (
                np.concatenate(self._traces)
                if self._traces
                else np.zeros((0, len(self.trace_neurons)))
            )
            spikes = np.concatenate(self._spikes) if self._spikes else np.zeros((0, 0))
            outputs = np.concatenate(self._outputs) if self._outputs else np.zeros((0, 0))
        start = (self.t - len(traces)) * self.dt
        out = {}
        if len(traces):
            out["vmem"] = TSContinuous.from_clocked(
                traces.astype(float), dt=self.dt, t_start=start, name="vmem"
            )
            out["spikes"] = TSEvent.from_raster(
                spikes.astype(float),
                dt=self.dt,
                t_start=start,
                name="spikes",
                num_channels=spikes.shape[1],
            )
            out["output"] = TSContinuous.from_clocked(
                outputs.astype(float), dt=self.dt, t_start=start, name="output"
            )
        return out
