"""The readout products of training (one narrow side) against NumPy's."""

import numpy as np
import pytest

from rockpool_nb.kernels.narrow import (
    narrow_matmul,
    narrow_matmul_parallel,
    narrow_matmul_t,
    narrow_matmul_t_parallel,
    narrow_outer,
    narrow_outer_parallel,
)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("parts", [1, 3])
def test_narrow_products_equal_numpys(rng, dtype, parts):
    R, I, J = 1001, 37, 4  # rows not divisible by the parts
    x = rng.normal(size=(R, I)).astype(dtype)
    g = rng.normal(size=(R, J)).astype(dtype)
    wt = rng.normal(size=(J, I)).astype(dtype)
    tol = dict(rtol=1e-4, atol=1e-4) if dtype == np.float32 else dict(rtol=1e-12, atol=1e-12)

    out = np.empty((R, J), dtype)
    narrow_matmul(x, wt, out) if parts == 1 else narrow_matmul_parallel(x, wt, out, parts)
    np.testing.assert_allclose(out, x @ wt.T, **tol)

    gx = np.full((R, I), np.nan, dtype)  # every entry written
    narrow_matmul_t(g, wt, gx) if parts == 1 else narrow_matmul_t_parallel(g, wt, gx, parts)
    np.testing.assert_allclose(gx, g @ wt, **tol)

    if parts == 1:
        acc = np.ones((J, I), dtype)  # added into
        narrow_outer(x, g, acc)
        np.testing.assert_allclose(acc, 1.0 + g.T @ x, **tol)
    else:
        p = np.zeros((parts, J, I), dtype)
        narrow_outer_parallel(x, g, p)
        np.testing.assert_allclose(p.sum(0), g.T @ x, **tol)
