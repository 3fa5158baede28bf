"""Page 004, the ``Module`` API reference: its examples re-typed (``rockpool`` → ``rockpool_nb``)."""

import numpy as np

from rockpool_nb.nn.modules import Module
from rockpool_nb.parameters import Parameter, SimulationParameter, State


class Demo(Module):
    def __init__(self, shape=(3, 3)):
        super().__init__(shape=shape)
        self.w_input = Parameter(np.ones(self.shape), family="weights")
        self.tau = Parameter(np.full(self.size_out, 0.02), family="taus")
        self.state0 = State(np.zeros(self.size_out))
        self.state1 = State(np.ones(2))
        self.state2 = State(np.zeros((2, 2)))
        self.dt = SimulationParameter(1e-3)

    def evolve(self, data, record=False):
        data, (state0, state1, state2) = self._auto_batch(
            data, (self.state0, self.state1, self.state2)
        )
        out = data @ self.w_input
        self.state0 = out[0, -1]
        return out, self.state(), {}


def test_auto_batch_replicates_states_and_checks_the_input():
    mod = Demo()
    data, (s0, s1, s2) = mod._auto_batch(np.zeros((5, 3)), (mod.state0, mod.state1, mod.state2))
    assert (
        data.shape == (1, 5, 3)
        and s0.shape == (1, 3)
        and s1.shape == (1, 2)
        and s2.shape == (1, 2, 2)
    )
    data, (s0,) = mod._auto_batch(np.zeros((4, 5, 3)), (mod.state0,))
    assert s0.shape == (4, 3)
    data, _ = mod._auto_batch(np.zeros(5))
    assert data.shape == (1, 5, 3)  # (T,) expands to (1, T, size_in)
    # replicate to a requested size: (10, -1, size_in) with the batch size prepended
    data, (s,) = mod._auto_batch(
        np.zeros((10, 5, 3)), (np.zeros((1, 3)),), ((10, -1, mod.size_in),)
    )
    assert s.shape == (10, 1, 3)


def test_parameters_state_and_simulation_parameters():
    mod = Demo()
    assert set(mod.parameters()) == {"w_input", "tau"}
    assert set(mod.parameters("weights")) == {"w_input"}
    assert set(mod.state()) == {"state0", "state1", "state2"}
    assert mod.simulation_parameters() == {"dt": 1e-3}


def test_set_attributes_from_new_state_and_modified_parameters():
    mod = Demo()
    _, new_state, _ = mod(np.ones((4, 3)))
    mod.state0 = np.zeros(3)
    mod = mod.set_attributes(new_state)
    np.testing.assert_array_equal(mod.state0, [3.0, 3.0, 3.0])
    params = mod.parameters()
    params["w_input"] *= 0.0
    mod.set_attributes(params)
    assert np.all(mod.w_input == 0)
    mod.reset_parameters()
    assert np.all(mod.w_input == 1)
