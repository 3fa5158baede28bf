"""Conversion between ``TSEvent`` and clocked rasters (``(T, C)`` arrays of bins)."""

from __future__ import annotations

import warnings

import numpy as np

__all__ = ["EventRaster"]


class EventRaster:
    """Mixin giving ``TSEvent`` ``raster``, ``xraster`` and ``from_raster``."""

    def raster(
        self,
        dt: float,
        t_start: float | None = None,
        t_stop: float | None = None,
        num_timesteps: int | None = None,
        channels=None,
        add_events: bool = False,
    ) -> np.ndarray:
        """Bin the events on a clock.

        Bin ``k`` covers ``[t_start + k dt, t_start + (k+1) dt)``; there are
        ``ceil((t_stop - t_start) / dt)`` bins (or ``num_timesteps``).

        Parameters
        ----------
        dt : float
            Bin width, seconds.
        t_start : float, optional
            Start of the first bin; default ``self.t_start``.
        t_stop : float, optional
            End of the raster; default ``self.t_stop``. Not together with ``num_timesteps``.
        num_timesteps : int, optional
            Number of bins.
        channels : int or array-like (list or array), optional
            Channels to rasterise; column ``j`` holds ``channels[j]``. Default all channels.
            Channels at or beyond ``num_channels`` warn and stay empty.
        add_events : bool
            Count events per bin (int raster); otherwise mark presence (bool raster). Several
            events in one bin without ``add_events`` give a warning.

        Returns
        -------
        (num_timesteps, len(channels)) bool or int array
        """
        t_start = self.t_start if t_start is None else t_start
        if num_timesteps is not None and t_stop is not None:
            raise ValueError(
                "raster: only one of `t_stop` and `num_timesteps` may be provided; got "
                f"t_stop={t_stop}, num_timesteps={num_timesteps}"
            )
        if num_timesteps is not None:
            # exactly num_timesteps bins (Rockpool recomputes ceil((t_stop - t_start) / dt),
            # which rounding can make num_timesteps + 1)
            num_timesteps = int(num_timesteps)
            t_stop = t_start + num_timesteps * dt
        else:
            t_stop = self.t_stop if t_stop is None else t_stop
            num_timesteps = int(np.ceil((t_stop - t_start) / dt))

        if channels is None:
            channels = np.arange(self.num_channels)
        channels = np.atleast_1d(np.asarray(channels)).astype(int).reshape(-1)
        if channels.size > 0 and channels.min() < 0:
            raise ValueError(
                f"TSEvent `{self.name}`: channels: expected non-negative channel IDs; got "
                f"{channels[channels < 0].tolist()}"
            )
        defined = channels[channels < self.num_channels]
        if defined.size < channels.size:
            undefined = np.unique(channels[channels >= self.num_channels])
            warnings.warn(
                f"TSEvent `{self.name}` is not defined for some of the channels provided in "
                f"`channels` argument ({', '.join(undefined.astype(str))}). Will assume that "
                "there are no events for these channels.",
                stacklevel=2,
            )

        dtype = int if add_events else bool
        num_timesteps = max(num_timesteps, 0)
        times, event_channels = self(t_start, t_stop, np.unique(defined))
        # bin index k = floor((t - t_start) / dt); rounding may push the last event to k = T
        bins = np.floor((times - t_start) / dt).astype(int)
        valid = (bins >= 0) & (bins < num_timesteps)
        bins, event_channels = bins[valid], event_channels[valid]
        # counts over all channel IDs up to the largest requested, then pick the columns
        width = int(channels.max()) + 1 if channels.size > 0 else 0
        counts = np.bincount(bins * width + event_channels, minlength=num_timesteps * width)
        counts = counts.reshape(num_timesteps, width)[:, channels]
        if add_events:
            return counts.astype(dtype)
        if (counts > 1).any():
            warnings.warn(
                f"TSEvent `{self.name}`: There are channels with multiple events per time "
                "step. Consider using a smaller `dt` or setting `add_events = True`.",
                stacklevel=2,
            )
        return counts > 0

    def xraster(
        self,
        dt: float,
        t_start: float | None = None,
        t_stop: float | None = None,
        num_timesteps: int | None = None,
        channels=None,
        add_events: bool = False,
    ):
        """Generator over the rows of :meth:`raster` (same arguments): one ``(C,)`` row per bin."""
        yield from self.raster(
            dt,
            t_start=t_start,
            t_stop=t_stop,
            num_timesteps=num_timesteps,
            channels=channels,
            add_events=add_events,
        )

    @staticmethod
    def from_raster(
        raster,
        dt: float = 1.0,
        t_start: float = 0.0,
        t_stop: float | None = None,
        name: str | None = None,
        periodic: bool = False,
        num_channels: int | None = None,
        spikes_at_bin_start: bool = False,
    ):
        """Build a ``TSEvent`` from a raster of event counts.

        A count ``n`` in bin ``k`` of column ``c`` gives ``n`` events on channel ``c`` at
        ``t_start + k dt + dt/2`` (``t_start + k dt`` with ``spikes_at_bin_start``).

        Parameters
        ----------
        raster : (T, C) or (T,) int or bool array
            Event counts per bin (cast to int; counts <= 0 give no event).
        dt : float
            Bin width, seconds.
        t_start : float
            Start of the first bin, seconds.
        t_stop : float, optional
            Default ``t_start + T dt``.
        num_channels : int, optional
            Default ``C``.
        """
        from rockpool_nb.timeseries.event import TSEvent

        raster = np.asarray(raster, dtype=int)
        if raster.ndim == 1:
            raster = raster[:, None]
        if t_stop is None:
            t_stop = raster.shape[0] * dt + t_start
        # np.nonzero is row-major, so events come out sorted by bin, then channel
        bin_idx, channel_idx = np.nonzero(raster > 0)
        repeats = raster[bin_idx, channel_idx]
        bin_idx, channel_idx = np.repeat(bin_idx, repeats), np.repeat(channel_idx, repeats)
        shift = 0.0 if spikes_at_bin_start else dt / 2
        return TSEvent(
            bin_idx * dt + t_start + shift,
            channel_idx,
            name=name,
            periodic=periodic,
            num_channels=raster.shape[1] if num_channels is None else num_channels,
            t_start=t_start,
            t_stop=t_stop,
        )
