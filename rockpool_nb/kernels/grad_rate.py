"""Rate neurons for training: a forward kernel that keeps what the reverse pass needs, and the
reverse (adjoint) kernel. Both run over one time segment, so a checkpointed run calls them per
segment with the state (forward) or adjoint (reverse) carried between segments.

Forward Euler, ``α = dt / τ`` (the caller applies any floor on τ), activation ``H``::

    r_t = H(x_{t−1} − θ) W,   x_t = x_{t−1} + α(−x_{t−1} + u_t + b + r_t),   y_t = H(x_t − θ)

Reverse, with ``λ`` the adjoint of ``x`` and ``g_t = ∂L/∂y_t``::

    gx_t = g_t H'(x_t − θ) + λ_t,   ∂L/∂u_t = α gx_t,   λ_{t−1} = (1 − α) gx_t + H'(x_{t−1} − θ)·(W α gx_t)
    ∂L/∂α += gx_t (x_t − x_{t−1}) / α,   ∂L/∂θ −= g_t H'(x_t − θ) + H'(x_{t−1} − θ)·(W α gx_t)

``H'`` is computed from the output: ReLU ``[y > 0]``, tanh ``1 − y²``, sigmoid ``2y(1 − y)``.
Activation codes as :mod:`rockpool_nb.kernels.rate` (0 ReLU, 1 tanh, 2 sigmoid).
"""

from __future__ import annotations

import numpy as np

from rockpool_nb.kernels._jit import njit

__all__ = ["tanh_vec", "tanh_f32", "rate_train_forward", "rate_train_reverse"]

# odd Taylor coefficients of tanh up to u^13
_C3, _C5, _C7 = -1.0 / 3.0, 2.0 / 15.0, -17.0 / 315.0
_C9, _C11, _C13 = 62.0 / 2835.0, -1382.0 / 155925.0, 21844.0 / 6081075.0


@njit
def tanh_vec(z):
    """``tanh(z)`` in float64 to a few ulp, branch-free so that loops over it vectorise (a
    scalar ``math.tanh`` call is a libm call per element here). The series on ``u = z/256``
    (|u| ≤ 0.08, truncation below 1e-18) is followed by eight doublings
    ``tanh(2u) = 2 tanh(u) / (1 + tanh(u)²)``, which do not amplify relative errors; they are
    done on ``tanh = p/q`` (``p ← 2pq``, ``q ← p² + q²``, ``q ≤ 2^255``), one division at the end."""
    z = min(max(z, -20.0), 20.0)  # tanh(±20) = ±1 in float64
    u = z * (1.0 / 256.0)
    u2 = u * u
    p = u * (1.0 + u2 * (_C3 + u2 * (_C5 + u2 * (_C7 + u2 * (_C9 + u2 * (_C11 + u2 * _C13))))))
    q = 1.0
    for _ in range(8):
        p, q = 2.0 * p * q, p * p + q * q
    return p / q


_F = np.float32


@njit
def tanh_f32(z):
    """``tanh(z)`` for float32 ``z`` in float32 arithmetic (8 lanes), error about 1 ulp: the
    series to ``u^13`` on ``u = z/32`` (|u| ≤ 0.3), then five doublings as in :func:`tanh_vec`
    (``q ≤ 2^31``)."""
    z = min(max(z, _F(-9.5)), _F(9.5))  # tanh(±9.5) = ±1 in float32
    u = z * _F(1.0 / 32.0)
    u2 = u * u
    p = u * (
        _F(1.0)
        + u2
        * (
            _F(_C3)
            + u2 * (_F(_C5) + u2 * (_F(_C7) + u2 * (_F(_C9) + u2 * (_F(_C11) + u2 * _F(_C13)))))
        )
    )
    q = _F(1.0)
    for _ in range(5):
        p, q = _F(2.0) * p * q, p * p + q * q
    return p / q


@njit
def _act_row(x, thr, code, out):
    """``out = H(x − θ)`` over a row, one loop per activation (each vectorises)."""
    if code == 1 and x.itemsize == 4:
        for n in range(x.shape[0]):
            out[n] = tanh_f32(x[n] - thr[n])
    elif code == 2 and x.itemsize == 4:
        for n in range(x.shape[0]):
            out[n] = (tanh_f32(x[n] - thr[n]) + _F(1.0)) * _F(0.5)
    elif code == 1:
        for n in range(x.shape[0]):
            out[n] = tanh_vec(x[n] - thr[n])
    elif code == 2:
        for n in range(x.shape[0]):
            out[n] = (tanh_vec(x[n] - thr[n]) + 1.0) * 0.5
    else:
        zero = x.dtype.type(0.0)
        for n in range(x.shape[0]):
            out[n] = max(x[n] - thr[n], zero)


@njit
def _dact_row(y, code, out):
    """``out = H'`` through the output ``y = H(z)`` (in the dtype of ``y``)."""
    one = y.dtype.type(1.0)
    if code == 1:
        for n in range(y.shape[0]):
            out[n] = one - y[n] * y[n]
    elif code == 2:
        for n in range(y.shape[0]):
            out[n] = (one + one) * y[n] * (one - y[n])
    else:
        for n in range(y.shape[0]):
            out[n] = 1.0 if y[n] > 0.0 else 0.0


@njit
def _rows_sum(m, c, out):
    """``out = c m`` = Σ_j c_j m_j as a sum of rows, four rows per pass over ``out`` (same
    rounding as one row at a time; the loop over a row vectorises)."""
    J, K = m.shape
    for k in range(K):
        out[k] = 0.0
    j = 0
    while j + 4 <= J:
        c0, c1, c2, c3 = c[j], c[j + 1], c[j + 2], c[j + 3]
        m0, m1, m2, m3 = m[j], m[j + 1], m[j + 2], m[j + 3]
        for k in range(K):
            out[k] = out[k] + c0 * m0[k] + c1 * m1[k] + c2 * m2[k] + c3 * m3[k]
        j += 4
    while j < J:
        cj, mj = c[j], m[j]
        for k in range(K):
            out[k] += cj * mj[k]
        j += 1


@njit
def rate_train_forward(u, x, alpha, bias, thr, w_rec, code, y, xs):
    """Evolve one segment. ``u`` (B, T, N) input (noise added); state ``x`` (B, N), updated in
    place; ``w_rec`` (N, N) or (0, 0); writes ``y`` and the states ``xs`` (B, T, N)."""
    B, T, N = u.shape
    has_rec = w_rec.shape[0] > 0
    a0 = np.zeros(N, dtype=u.dtype)
    r = np.zeros(N, dtype=u.dtype)
    for b in range(B):
        xb = x[b]
        _act_row(xb, thr, code, a0)
        for t in range(T):
            a = y[b, t - 1] if t > 0 else a0  # H(x_{t−1} − θ)
            if has_rec:
                _rows_sum(w_rec, a, r)  # r = a W
            ut, yt, xt = u[b, t], y[b, t], xs[b, t]
            for n in range(N):  # separate simple loops: each vectorises
                xt[n] = xb[n] + alpha[n] * (-xb[n] + ut[n] + bias[n] + r[n])
            for n in range(N):
                xb[n] = xt[n]
            _act_row(xt, thr, code, yt)


@njit
def rate_train_reverse(xs, y, x0, a0, alpha, w_rec_t, g_out, code, lam, g_u, ga, gthr):
    """Adjoint of :func:`rate_train_forward` over one segment.

    ``xs``, ``y`` (B, T, N) from the forward; ``x0``, ``a0 = H(x0 − θ)`` (B, N) the state before
    the segment; ``w_rec_t = Wᵀ`` (N, N) or (0, 0); ``g_out`` (B, T, N). ``lam`` (B, N), the
    adjoint of the state after the segment, is updated in place to the adjoint before it.
    Writes ``g_u`` (B, T, N) (also the gradient of the bias and of the recurrent input) and adds
    into ``ga`` (N,) (∂L/∂α) and ``gthr`` (N,)."""
    B, T, N = xs.shape
    has_rec = w_rec_t.shape[0] > 0
    gr = np.zeros(N, dtype=xs.dtype)
    acc = np.zeros(N, dtype=xs.dtype)
    d = np.zeros(N, dtype=xs.dtype)
    dp = np.zeros(N, dtype=xs.dtype)
    gx = np.zeros(N, dtype=xs.dtype)
    inv_a = np.empty_like(alpha)
    for n in range(N):
        inv_a[n] = xs.dtype.type(1.0) / alpha[n]
    for b in range(B):
        lb = lam[b]
        _dact_row(y[b, T - 1], code, d)
        for t in range(T - 1, -1, -1):
            xp = xs[b, t - 1] if t > 0 else x0[b]
            _dact_row(y[b, t - 1] if t > 0 else a0[b], code, dp)  # H'(x_{t−1} − θ)
            xt, gt, gut = xs[b, t], g_out[b, t], g_u[b, t]
            for n in range(N):  # short loops over few arrays: each vectorises
                gy = gt[n] * d[n]
                gx[n] = gy + lb[n]
                gthr[n] -= gy
            for n in range(N):
                ga[n] += gx[n] * (xt[n] - xp[n]) * inv_a[n]
            for n in range(N):
                gr[n] = gx[n] * alpha[n]
                lb[n] = gx[n] - gr[n]
            for n in range(N):
                gut[n] = gr[n]
            if has_rec:
                _rows_sum(w_rec_t, gr, acc)  # acc = W gr (rows of Wᵀ)
                for j in range(N):
                    c = acc[j] * dp[j]
                    lb[j] += c
                    gthr[j] -= c
            for n in range(N):
                d[n] = dp[n]
