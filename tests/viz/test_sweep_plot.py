import numpy as np
import pytest

hv = pytest.importorskip("holoviews")
pd = pytest.importorskip("pandas")

from rockpool_nb.viz.sweep import plot_sweep  # noqa: E402


def table(levels=("bias", "tau_mem")):
    idx = pd.MultiIndex.from_product([[0.0, 1.0, 2.0], [0.01, 0.02]][: len(levels)], names=levels)
    rate = np.arange(len(idx), dtype=float)
    return pd.DataFrame({"rate": rate, "error": [None] * len(idx)}, index=idx)


def test_heat_map_over_two_parameters():
    heat = plot_sweep(table())
    assert isinstance(heat, hv.HeatMap)
    assert [d.name for d in heat.kdims] == ["bias", "tau_mem"] and heat.vdims[0].name == "rate"
    assert heat.dimension_values("rate").tolist() == list(range(6))


def test_curve_over_one_parameter_averages_nothing_else():
    t = table(("bias",))
    curve = plot_sweep(t, "rate")
    assert isinstance(curve, hv.Curve)
    np.testing.assert_array_equal(curve.dimension_values("rate"), [0, 1, 2])


def test_errors_name_the_argument():
    with pytest.raises(ValueError, match=r"value: expected one of \['rate'\]"):
        plot_sweep(table(), "nope")
    with pytest.raises(ValueError, match="x: expected one of the grid parameters"):
        plot_sweep(table(), x="gain")
