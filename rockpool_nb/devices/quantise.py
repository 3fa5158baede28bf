"""From float network parameters to a chip's integers, with the error made on each.

Weights share one scale per group: ``global`` gives input and recurrent weights (and the hidden
thresholds and biases, which live in the same units) one scale ``127 / max|w|``, and the readout
its own; ``channel`` gives each target neuron its own scale (its incoming weights, threshold and
bias). If a scaled threshold would exceed the 16-bit range, that scale is lowered so it fits.
Integers are rounded and then clipped to their range (never wrapped). Time constants become
bit-shift decays ``dash = round(−log2(1 − exp(−dt/τ)))``, the shift whose per-step decay
``1 − 2^−dash`` is closest to the float network's ``exp(−dt/τ)``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["quantise", "dash_from_tau", "tau_from_dash"]


def dash_from_tau(tau, dt: float, dash_max: int = 15) -> np.ndarray:
    """Bit-shift decay parameters for time constants ``tau`` (s) at step ``dt`` (s)."""
    tau = np.asarray(tau, dtype=float)
    d = -np.log2(1.0 - np.exp(-dt / tau))
    return np.clip(np.round(d), 0, dash_max).astype(np.int64)


def tau_from_dash(dash, dt: float) -> np.ndarray:
    """The time constant (s) whose exponential decay matches ``1 − 2^−dash`` per step."""
    dash = np.asarray(dash, dtype=float)
    with np.errstate(divide="ignore"):
        return -dt / np.log(1.0 - 2.0**-dash)


def _error(name: str, float_values, ints, scale) -> dict:
    f = np.asarray(float_values, dtype=float)
    back = np.asarray(ints, dtype=float) / scale
    err = np.abs(back - f)
    peak = np.max(np.abs(f)) if f.size else 0.0
    return {
        "parameter": name,
        "max_abs_error": float(err.max()) if err.size else 0.0,
        "rms_error": float(np.sqrt(np.mean(err**2))) if err.size else 0.0,
        "relative_max_error": float(err.max() / peak) if peak > 0 else 0.0,
        "clipped": int(np.sum(np.round(f * scale) != np.asarray(ints))) if f.size else 0,
    }


def _to_int(values, scale, lo, hi):
    return np.clip(np.round(np.asarray(values, dtype=float) * scale), lo, hi).astype(np.int64)


def quantise(floats: dict, spec, method: str = "global") -> tuple[dict, dict]:
    """Quantise a float specification (``weights_in (C, N, S)``, ``weights_rec (N, N, S)``,
    ``weights_out (N, M)``, ``threshold``, ``threshold_out``, ``bias``, ``bias_out``,
    ``tau_mem``, ``tau_syn``, ``tau_mem_out``, ``tau_syn_out``, ``dt``) for chip ``spec``.

    Returns ``(integers, report)``: the integer arrays and dashes of a ``HardwareConfig``, and
    per parameter the scale and the error in float units."""
    if method not in ("global", "channel"):
        raise ValueError(f"method: expected 'global' or 'channel'; got {method!r}")
    wlo, whi = spec.weight_range
    slo, shi = spec.state_range
    tmax = spec.threshold_max
    w_in, w_rec, w_out = (
        np.asarray(floats[k], dtype=float) for k in ("weights_in", "weights_rec", "weights_out")
    )
    thr, thr_o = np.asarray(floats["threshold"], float), np.asarray(floats["threshold_out"], float)
    bias, bias_o = np.asarray(floats["bias"], float), np.asarray(floats["bias_out"], float)
    n = w_in.shape[1]
    m = w_out.shape[1]

    if method == "global":
        peak = max(np.abs(w_in).max(initial=0), np.abs(w_rec).max(initial=0))
        g = np.full(n, whi / peak if peak > 0 else 1.0)
        peak_o = np.abs(w_out).max(initial=0)
        g_o = np.full(m, whi / peak_o if peak_o > 0 else 1.0)
        # thresholds must fit 16 bits: lower the shared scale if needed
        if thr.size and np.max(thr * g) > tmax:
            g[:] = tmax / np.max(thr)
        if thr_o.size and np.max(thr_o * g_o) > tmax:
            g_o[:] = tmax / np.max(thr_o)
    else:
        incoming = np.maximum(
            np.abs(w_in).max(axis=(0, 2), initial=0), np.abs(w_rec).max(axis=(0, 2), initial=0)
        )
        g = np.where(incoming > 0, whi / np.where(incoming > 0, incoming, 1), 1.0)
        g = np.minimum(g, np.where(thr > 0, tmax / np.where(thr > 0, thr, 1), np.inf))
        col = np.abs(w_out).max(axis=0, initial=0)
        g_o = np.where(col > 0, whi / np.where(col > 0, col, 1), 1.0)
        g_o = np.minimum(g_o, np.where(thr_o > 0, tmax / np.where(thr_o > 0, thr_o, 1), np.inf))

    ints = {
        "weights_in": _to_int(w_in * g[None, :, None], 1.0, wlo, whi),
        "weights_rec": _to_int(w_rec * g[None, :, None], 1.0, wlo, whi),
        "weights_out": _to_int(w_out * g_o[None, :], 1.0, wlo, whi),
        "threshold": np.clip(_to_int(thr * g, 1.0, 1, tmax), 1, tmax),
        "threshold_out": np.clip(_to_int(thr_o * g_o, 1.0, 1, tmax), 1, tmax),
        "bias": _to_int(bias * g, 1.0, slo, shi),
        "bias_out": _to_int(bias_o * g_o, 1.0, slo, shi),
    }
    dt = float(floats["dt"])
    for key, src in (
        ("dash_mem", "tau_mem"),
        ("dash_syn", "tau_syn"),
        ("dash_mem_out", "tau_mem_out"),
        ("dash_syn_out", "tau_syn_out"),
    ):
        ints[key] = dash_from_tau(floats[src], dt, spec.dash_max)

    report = {}
    for key, fvals, scale in (
        ("weights_in", w_in, g[None, :, None]),
        ("weights_rec", w_rec, g[None, :, None]),
        ("weights_out", w_out, g_o[None, :]),
        ("threshold", thr, g),
        ("threshold_out", thr_o, g_o),
        ("bias", bias, g),
        ("bias_out", bias_o, g_o),
    ):
        report[key] = _error(key, fvals, ints[key], scale)
        report[key]["scale"] = float(np.min(scale)) if np.size(scale) else 1.0
    for key, src in (
        ("dash_mem", "tau_mem"),
        ("dash_syn", "tau_syn"),
        ("dash_mem_out", "tau_mem_out"),
        ("dash_syn_out", "tau_syn_out"),
    ):
        tau = np.asarray(floats[src], dtype=float)
        back = tau_from_dash(ints[key], dt)
        rel = np.abs(back - tau) / tau if tau.size else np.zeros(0)
        report[src] = {
            "parameter": src,
            "max_relative_error": float(rel.max()) if rel.size else 0.0,
            "rms_relative_error": float(np.sqrt(np.mean(rel**2))) if rel.size else 0.0,
        }
    return ints, report
