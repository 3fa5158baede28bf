from collections import OrderedDict

import numpy as np
import pytest

from rockpool_nb.nn.combinators import ModSequential, Residual, Sequential
from rockpool_nb.nn.modules import Module
from rockpool_nb.parameters import Parameter


class Lin(Module):
    def __init__(self, shape, spiking_output=False):
        super().__init__(shape=shape, spiking_output=spiking_output)
        self.weight = Parameter(shape=shape, family="weights", init_func=lambda s: np.ones(s))

    def evolve(self, x, record=False):
        return x @ self.weight, {}, ({"in": x} if record else {})


class Neurons(Module):
    def __init__(self, n, spiking_input=False):
        super().__init__(shape=(n,), spiking_input=spiking_input)

    def evolve(self, x, record=False):
        return np.tanh(x), {}, {}


def test_auto_names_shape_and_printing():
    seq = Sequential(Lin((1, 10)), Neurons(10), Lin((10, 1)))
    assert isinstance(seq, ModSequential)
    assert list(seq.modules()) == ["0_Lin", "1_Neurons", "2_Lin"]
    assert seq.shape == (1, 1)
    assert repr(seq) == (
        "ModSequential  with shape (1, 1) {\n"
        "    Lin '0_Lin' with shape (1, 10)\n"
        "    Neurons '1_Neurons' with shape (10,)\n"
        "    Lin '2_Lin' with shape (10, 1)\n"
        "}"
    )


def test_ordered_dict_and_append_forms_match():
    od = Sequential(OrderedDict([("lin1", Lin((1, 10))), ("rate1", Neurons(10))]), Lin((10, 1)))
    assert list(od.modules()) == ["lin1", "rate1", "1_Lin"]
    app = Sequential()
    app.append(Lin((1, 10)), "lin1").append(Neurons(10), "rate1")
    app.append(Lin((10, 1)))
    assert list(app.modules()) == ["lin1", "rate1", "2_Lin"] and app.shape == (1, 1)


def test_single_module_shape_and_flags():
    assert Sequential(Neurons(4)).shape == (4,)
    seq = Sequential(Neurons(3, spiking_input=True), Lin((3, 2), spiking_output=True))
    assert seq.spiking_input and seq.spiking_output


def test_errors():
    with pytest.raises(ValueError, match=r"submodule 0 \(Lin\).*submodule 1 \(Lin\): 3 ≠ 4"):
        Sequential(Lin((2, 3)), Lin((4, 5)))
    with pytest.raises(ValueError, match="shape"):
        Sequential(Lin((2, 3)), shape=(2, 3))
    seq = Sequential(Lin((2, 3)))
    with pytest.raises(ValueError, match="already exists"):
        seq.append(Lin((3, 3)), "0_Lin")
    with pytest.raises(TypeError, match="Module"):
        seq.append(np.ones(3))


def test_indexing_and_iteration():
    seq = Sequential(Lin((2, 3)), Neurons(3))
    assert seq[0] is seq["0_Lin"] and seq[-1] is seq["1_Neurons"]
    assert [m.class_name for m in seq] == ["Lin", "Neurons"]


def test_evolve_states_and_records():
    seq = Sequential(Lin((2, 3)), Neurons(3))
    x = np.random.default_rng(0).random((5, 2))
    out, state, rec = seq(x)
    np.testing.assert_allclose(out, np.tanh(x @ np.ones((2, 3))))
    assert state == {"0_Lin": {}, "1_Neurons": {}} and rec == {}
    _, _, rec = seq(x, record=True)
    assert set(rec) == {"0_Lin", "0_Lin_output", "1_Neurons", "1_Neurons_output"}
    np.testing.assert_array_equal(rec["1_Neurons_output"], out)


def test_parameters_nest_by_name():
    seq = Sequential(Lin((2, 3)), Neurons(3), Lin((3, 1)))
    assert set(seq.parameters("weights")) == {"0_Lin", "2_Lin"}
    seq.set_attributes({"2_Lin": {"weight": np.zeros((3, 1))}})
    assert seq[2].weight.sum() == 0


def test_residual_adds_input():
    res = Residual(Lin((3, 3)), Neurons(3))
    x = np.random.default_rng(1).random((4, 3))
    out, _, _ = res(x)
    np.testing.assert_allclose(out, np.tanh(x @ np.ones((3, 3))) + x)
    assert res.class_name == "ModResidual"
    with pytest.raises(ValueError, match="input and output sizes"):
        Residual(Lin((3, 2)))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("batched", [False, True])
def test_linear_lif_fused_path_equals_module_by_module(dtype, batched):
    """Sparse events through Linear -> LIF take one event-driven kernel (record off); outputs
    and final states equal running the modules one after the other."""
    from rockpool_nb.nn.modules import LIF, Linear

    rng = np.random.default_rng(7)
    shape = (3, 200, 20) if batched else (200, 20)
    x = ((rng.random(shape) < 0.05) * rng.integers(1, 3, shape)).astype(dtype)
    w = rng.normal(0, 2.0, (20, 8))
    b = rng.normal(0, 0.1, 8)
    fused = Sequential(Linear((20, 8), weight=w, bias=b), LIF(8, tau_syn=[[0.01]]))
    plain = Sequential(Linear((20, 8), weight=w, bias=b), LIF(8, tau_syn=[[0.01]]))
    out_f, state_f, _ = fused(x)
    h, _, _ = plain[0](x)
    out_p, state_p, _ = plain[1](h)
    assert out_f.dtype == dtype and out_f.sum() > 0
    np.testing.assert_array_equal(out_f, out_p)
    tol = 1e-4 if dtype == np.float32 else 1e-10  # summation order differs
    for key in ("vmem", "isyn", "spikes"):
        np.testing.assert_allclose(state_f["1_LIF"][key], state_p[key], rtol=tol, atol=tol)
    # the recorded path runs the modules one by one and gives the same output
    out_r, _, rec = Sequential(Linear((20, 8), weight=w, bias=b), LIF(8, tau_syn=[[0.01]]))(
        x, record=True
    )
    np.testing.assert_array_equal(out_r, out_f)
    assert "0_Linear_output" in rec
