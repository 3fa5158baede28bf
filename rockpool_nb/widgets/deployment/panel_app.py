"""``DeploymentPanel``: map a network onto a chip, see what fits and why, deploy, run, compare.

Built from Panel widgets and HoloViews plots, so the same object displays in a notebook and
serves as an app (``panel serve``; see :meth:`DeploymentPanel.servable`). Every button has a
Python method (:meth:`check`, :meth:`deploy`, :meth:`run`, :meth:`export`), so the panel can be
scripted and tested without a browser.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import numpy as np

__all__ = ["DeploymentPanel"]


def _imports():
    try:
        import holoviews as hv
        import holoviews.plotting.bokeh  # noqa: F401  (registers the plot options used here)
        import panel as pn
    except ImportError as err:
        raise ImportError(
            "DeploymentPanel needs Panel and HoloViews: pip install 'rockpool_nb[widgets]'"
        ) from err
    return pn, hv


class DeploymentPanel:
    """A deployment panel for one or several networks.

    Parameters
    ----------
    networks : Module or dict of name -> Module
        The network(s) to choose from.
    chip : str
        Chip selected at start (a name from ``rockpool_nb.devices.CHIPS``).
    discover_kwargs : dict, optional
        Arguments of :func:`rockpool_nb.devices.discover` (e.g. device server addresses).
    """

    def __init__(self, networks, chip: str = "xylo-audio-2", discover_kwargs: dict | None = None):
        from rockpool_nb.devices import CHIPS, discover

        pn, hv = _imports()
        self._pn, self._hv = pn, hv
        if not isinstance(networks, Mapping):
            networks = {"network": networks}
        if not networks:
            raise ValueError("networks: expected at least one network")
        self.networks = dict(networks)
        self.discovery = discover(**(discover_kwargs or {}))
        self.mapping = None
        self.deployed = None
        self.comparison = None

        self.network_select = pn.widgets.Select(label="Network", options=list(self.networks))
        self.chip_select = pn.widgets.Select(
            label="Chip",
            options=list(CHIPS),
            value=chip,
        )
        self.target_select = pn.widgets.Select(label="Target", options=self._target_options())
        self.rate = pn.widgets.FloatSlider(
            label="Input rate (Hz)", start=1, end=200, value=50, step=1
        )
        self.steps = pn.widgets.IntSlider(label="Steps", start=100, end=5000, value=1000, step=100)
        self.check_button = pn.widgets.Button(label="Check", color="primary")
        self.deploy_button = pn.widgets.Button(label="Deploy", color="success", disabled=True)
        self.run_button = pn.widgets.Button(label="Run", color="warning", disabled=True)
        self.download = pn.widgets.FileDownload(
            label="Export configuration",
            filename="config.npz",
            callback=self._export_bytes,
            disabled=True,
        )
        self.status = pn.pane.Markdown("Pick a network and a chip, then **Check**.", name="status")
        self.resources = pn.Column(name="resources")
        self.violations = pn.pane.Markdown("", name="violations")
        self.quantisation = pn.pane.Markdown("", name="quantisation")
        self.plot = pn.pane.HoloViews(None, name="comparison", sizing_mode="stretch_width")

        self.check_button.on_click(lambda _e: self._safely(self.check))
        self.deploy_button.on_click(lambda _e: self._safely(self.deploy))
        self.run_button.on_click(lambda _e: self._safely(self.run))
        for w in (self.network_select, self.chip_select):
            w.param.watch(lambda _e: self._invalidate(), "value")

        controls = pn.Column(
            self.network_select,
            self.chip_select,
            self.target_select,
            pn.Row(self.check_button, self.deploy_button, self.run_button),
            self.rate,
            self.steps,
            self.download,
            width=330,
        )
        report = pn.Column(
            self.status, self.resources, self.violations, self.quantisation, width=520
        )
        self.layout = pn.Column(
            pn.pane.Markdown("### rockpool_nb deployment"),
            pn.Row(controls, report),
            self.plot,
            css_classes=["rnb-deployment"],
        )

    # ------------------------------------------------------------------------------- helpers
    def _target_options(self) -> dict:
        return {d.label: d for d in self.discovery}

    def _safely(self, action) -> None:
        try:
            action()
        except Exception as err:  # shown in the panel, not as a traceback
            self.status.object = f"**Error:** {type(err).__name__}: {err}"

    def _invalidate(self) -> None:
        self.mapping = None
        self.deploy_button.disabled = True
        self.run_button.disabled = True
        self.download.disabled = True
        self.status.object = "Changed: press **Check** again."

    @property
    def network(self):
        return self.networks[self.network_select.value]

    # ------------------------------------------------------------------------------ actions
    def check(self):
        """Map the selected network onto the selected chip and show the report."""
        from rockpool_nb.devices import map_network

        pn = self._pn
        self.mapping = m = map_network(self.network, self.chip_select.value)
        bars = []
        for name, (used, limit) in m.resources.items():
            value = int(100 * used / limit) if limit else 0
            bars.append(
                pn.Row(
                    pn.pane.Markdown(f"{name}: **{used}** / {limit}", width=260),
                    pn.indicators.Progress(
                        value=min(value, 100),
                        max=100,
                        width=200,
                        bar_color="danger" if used > limit else "success",
                    ),
                )
            )
        self.resources.objects = bars
        if m.violations:
            lines = [f"**{len(m.violations)} design-rule violation(s):**"]
            lines += [f"- *{v.rule}* — {v.message} **Fix:** {v.fix}" for v in m.violations]
            self.violations.object = "\n".join(lines)
        else:
            self.violations.object = "No design-rule violations."
        if m.quantisation:
            rows = ["| parameter | error |", "|---|---|"]
            for name, q in m.quantisation.items():
                if "relative_max_error" in q:
                    rows.append(
                        f"| {name} | max {q['relative_max_error']:.2%} of the largest value |"
                    )
                else:
                    rows.append(f"| {name} | time constant within {q['max_relative_error']:.0%} |")
            self.quantisation.object = "**Quantisation error**\n\n" + "\n".join(rows)
        else:
            self.quantisation.object = ""
        self.status.object = (
            f"**{m.chip.title}: fits.** Deploy to a target."
            if m.ok
            else f"**{m.chip.title}: does not fit.** Fix the violations below."
        )
        self.deploy_button.disabled = not m.ok
        self.download.disabled = not m.ok
        return m

    def deploy(self):
        """Deploy the checked configuration to the selected target."""
        from rockpool_nb.devices import deploy

        if self.mapping is None or not self.mapping.ok:
            raise RuntimeError("deploy: check the network first; it must fit the chip")
        target = self.target_select.value
        if (
            self.mapping.chip.neuron_model != "xylo-v2"
        ):  # e.g. Dynap-SE: behavioural simulation only
            from rockpool_nb.devices import simulate

            self.deployed = simulate(self.mapping.config)
            self.status.object = (
                f"**Deployed** to the simulated {self.mapping.chip.title}. Press **Run**."
            )
            self.run_button.disabled = False
            return self.deployed
        if target is not None and target.chip != self.mapping.chip.name:
            raise ValueError(f"target: {target.label} is not a {self.mapping.chip.name}")
        self.deployed = deploy(
            self.mapping.config,
            None if target is None or target.kind == "simulator" else target,
        )
        where = target.label if target is not None else "simulator"
        self.status.object = f"**Deployed** to {where}. Press **Run**."
        self.run_button.disabled = False
        return self.deployed

    def input_raster(self, seed: int = 0) -> np.ndarray:
        """Poisson input at the selected rate for the selected number of steps."""
        c = self.mapping.config.shape[0]
        p = self.rate.value * self.mapping.config.dt
        return (np.random.default_rng(seed).random((self.steps.value, c)) < p).astype(np.int64)

    def run(self, raster=None):
        """Run the float network and the deployed chip on the same input; plot both."""
        from rockpool_nb.devices.compare import Comparison

        if self.deployed is None:
            raise RuntimeError("run: deploy first")
        hv = self._hv
        x = self.input_raster() if raster is None else np.asarray(raster)
        self.network.reset_state()
        float_out, _, _ = self.network(x.astype(float))
        self.deployed.reset_state()
        chip_out, _, _ = self.deployed(x)
        self.comparison = c = Comparison(np.minimum(float_out[0], 1).astype(np.int64), chip_out[0])
        dt = self.mapping.config.dt

        def raster_plot(s, title):
            t, n = np.nonzero(s)
            return hv.Points((t * dt, n), kdims=["time (s)", "output neuron"]).opts(
                title=title, size=4, width=380, height=220
            )

        diff = hv.Bars(
            [(str(k), int(d)) for k, d in enumerate(c.count_difference)],
            "output neuron",
            "chip − float spikes",
        ).opts(width=300, height=220, title="spike-count difference")
        self.plot.object = (
            raster_plot(c.float_spikes, "float network") + raster_plot(c.chip_spikes, "chip") + diff
        )
        self.status.object = (
            f"**Ran** {x.shape[0]} steps: float {int(c.float_counts.sum())} output spikes, "
            f"chip {int(c.chip_counts.sum())}."
        )
        return c

    def _export_bytes(self):
        buf = io.BytesIO()
        d = self.mapping.config.to_dict()
        np.savez(buf, **{k: v for k, v in d.items() if isinstance(v, np.ndarray)})
        buf.seek(0)
        return buf

    def export(self, path):
        """Save the checked configuration to ``path`` (see ``HardwareConfig.save``)."""
        if self.mapping is None or self.mapping.config is None:
            raise RuntimeError("export: check a network that fits first")
        return self.mapping.config.save(path)

    # ---------------------------------------------------------------------------- display
    def servable(self, title: str = "rockpool_nb deployment"):
        """Mark the layout servable for ``panel serve``."""
        return self.layout.servable(title=title)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.layout._repr_mimebundle_(include, exclude)
