"""The deployment panel (needs the ``widgets`` extra)."""

from rockpool_nb.widgets.deployment.panel_app import DeploymentPanel as DeploymentPanel

__all__ = ["DeploymentPanel"]
