"""What the live view's buttons do, shared by the notebook widget (:class:`LiveView`, anywidget)
and the served app (:class:`LivePanel`, Panel's ``AnyWidgetComponent``): both run the same ES
module and hold a :class:`~rockpool_nb.widgets.live.runner.LiveRunner` as ``self.runner``, with
``status`` and ``values`` synced to the browser (traitlets there, ``param`` here; plain attribute
assignment works for both).

Status rule: ``"compiling the kernels (first run only)..."`` from pressing Run until the first
chunk is back (numba compiles on first use), then ``"running"``; ``"paused at t = ... s"`` after
Pause or Step; ``"error: ..."`` if user code raised in the background thread; ``"idle"`` after
Reset.
"""

from __future__ import annotations

__all__ = ["LiveControls", "COMPILING"]

COMPILING = "compiling the kernels (first run only)..."


class LiveControls:
    """Mixin: ``run``, ``pause``, ``step``, ``reset``, ``set``, ``close``, ``recording`` and the
    dispatch of commands from the browser (``{"cmd": ..., "name": ..., "value": ...}``)."""

    runner = None  # LiveRunner, set by the host's __init__

    def run(self) -> None:
        """Start (or resume) the background run."""
        self.status = COMPILING if self.runner.compiling else "running"
        self.runner.start()

    def pause(self) -> None:
        """Stop the background run after the chunk in progress."""
        self.runner.pause()
        self.status = (
            f"error: {self.runner.error}"
            if self.runner.error
            else f"paused at t = {self.runner.t * self.runner.dt:.3f} s"
        )

    def step(self, n: int | None = None) -> None:
        """Evolve one chunk (or ``n`` steps) now, in this thread."""
        if self.runner.running:
            raise RuntimeError("step: pause the live run first")
        if self.runner.compiling:
            self.status = COMPILING
        self.runner.step(n)
        self.status = f"paused at t = {self.runner.t * self.runner.dt:.3f} s"

    def reset(self) -> None:
        """Pause, reset the network's state and clear the recording (parameters are kept)."""
        self.runner.reset()
        self.status = "idle"

    def set(self, name: str, value: float) -> None:
        """Change a control (see :attr:`controls`); applies from the next chunk, state is kept."""
        self.runner.set(name, value)
        self.values = dict(self.runner.values)

    def recording(self) -> dict:
        """The recording so far as ``TimeSeries`` (see :meth:`LiveRunner.recording`)."""
        return self.runner.recording()

    def _after_chunk(self) -> None:
        """Called after each chunk is sent (from the runner's thread while running)."""
        if self.runner.error:
            self.status = f"error: {self.runner.error}"
        elif self.status == COMPILING:
            self.status = "running"

    def _after_run(self) -> None:
        """Called when the background thread ends: an error in user code shows at once."""
        if self.runner.error:
            self.status = f"error: {self.runner.error}"

    def _dispatch(self, msg: dict) -> None:
        """Apply one command from the browser; a refused command shows in the status line."""
        cmd = msg.get("cmd")
        try:
            if cmd == "run":
                self.run()
            elif cmd == "pause":
                self.pause()
            elif cmd == "step":
                self.step()
            elif cmd == "reset":
                self.reset()
            elif cmd == "set":
                self.set(msg["name"], msg["value"])
            elif cmd == "speed":
                self.runner.speed = float(msg["value"])
        except (KeyError, ValueError, RuntimeError) as err:
            self.status = f"{err}"
