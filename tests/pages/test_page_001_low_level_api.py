"""Page 001, "Low-level Module API", re-typed with ``rockpool`` renamed to ``rockpool_nb``."""

import numpy as np

from rockpool_nb.nn.modules import Module, Rate, RateJax
from rockpool_nb.parameters import Parameter


def test_construct_and_evolve():
    mod = Rate(4)
    assert repr(mod) == "Rate  with shape (4,)"
    mod = Rate(4, tau=np.ones(4))
    assert repr(mod) == "Rate  with shape (4,)"
    inp = np.random.default_rng(0).random((5, mod.size_in))
    output, _, _ = mod(inp)
    assert output.shape == (1, 5, 4)
    _, _, recorded_state = mod(inp, record=True)
    assert set(recorded_state) == {"rec_input", "x"}
    assert recorded_state["x"].shape == (1, 5, 4)
    np.testing.assert_array_equal(recorded_state["rec_input"], np.zeros((1, 5, 4)))


def test_recorded_x_follows_euler_update():
    mod = Rate(4, tau=np.ones(4))
    inp = np.random.default_rng(1).random((5, 4))
    _, _, rec = mod(inp, record=True)
    x = np.zeros(4)
    alpha = 1e-3 / 1.0  # dt / tau, tau well above the 10 dt clip
    for t in range(5):
        x = x + alpha * (-x + inp[t])
        np.testing.assert_allclose(rec["x"][0, t], x, rtol=1e-12)


class ffwd_net(Module):
    def __init__(self, shape, *args, **kwargs):
        super().__init__(shape=shape, *args, **kwargs)  # noqa: B026  (as on the page)
        self.w_ffwd = Parameter(shape=self.shape, family="weights", init_func=lambda s: np.zeros(s))
        self.neurons = RateJax(self.shape[-1])

    def evolve(self, input_data, record: bool = False, *args, **kwargs):
        new_state, recorded_state = {}, {}
        x = input_data @ self.w_ffwd
        if record:
            recorded_state["weighted_input"] = x
        x, submod_state, submod_record = self.neurons(x, record=record)
        new_state.update({"neurons": submod_state})
        recorded_state.update({"neurons": submod_record})
        return x, new_state, recorded_state


def test_ffwd_net_inspection():
    my_mod = ffwd_net((4, 6))
    assert repr(my_mod) == "ffwd_net  with shape (4, 6) {\n    RateJax 'neurons' with shape (6,)\n}"
    params = my_mod.parameters()
    np.testing.assert_array_equal(params["w_ffwd"], np.zeros((4, 6)))
    assert list(params["neurons"]) == ["tau", "bias", "threshold"]
    np.testing.assert_allclose(params["neurons"]["tau"], [0.02] * 6)
    assert params["neurons"]["tau"].dtype == np.float32
    assert "x" in my_mod.state()["neurons"]
    taus = my_mod.parameters("taus")
    assert list(taus) == ["neurons"] and list(taus["neurons"]) == ["tau"]
    assert list(my_mod.parameters("weights")) == ["w_ffwd"]
    np.testing.assert_allclose(my_mod.neurons.tau, [0.02] * 6)
    out, state, rec = my_mod(np.ones((3, 4)), record=True)
    assert out.shape == (1, 3, 6) and set(rec) == {"weighted_input", "neurons"}


def test_api_reference_members_exist():
    mod = Rate(3)
    for member in (
        "class_name",
        "name",
        "full_name",
        "spiking_input",
        "spiking_output",
        "shape",
        "size_in",
        "size_out",
        "parameters",
        "state",
        "simulation_parameters",
        "modules",
        "attributes_named",
        "set_attributes",
        "reset_state",
        "reset_parameters",
        "_auto_batch",
        "timed",
    ):
        assert hasattr(mod, member), member
