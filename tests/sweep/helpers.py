"""Build and measure functions for the sweep tests (importable by worker processes)."""

import time

import numpy as np

from rockpool_nb.nn.modules import Module
from rockpool_nb.parameters import Parameter, State


class Leaky(Module):
    """x <- a x + u, output x; a tiny stateful module independent of the neuron library."""

    def __init__(self, n=3, a=0.9, gain=1.0, delay=0.0):
        super().__init__(shape=(n, n))
        self.a = Parameter(np.full(n, a), "taus")
        self.gain = Parameter(np.full(n, gain), "weights")
        self.x = State(np.zeros(n))
        self.delay = delay

    def evolve(self, data, record=False):
        data, (x,) = self._auto_batch(data, (self.x,))
        out = np.zeros_like(data)
        for t in range(data.shape[1]):
            x = self.a * x + self.gain * data[:, t]
            out[:, t] = x
        if self.delay:
            time.sleep(self.delay)
        self.x = x[0]
        return out, self.state(), ({"x": out} if record else {})


def build(a, gain, delay=0.0):
    return Leaky(3, a, gain, delay)


def mean_output(output, state, record):
    return {"mean": float(np.mean(output)), "last": float(state["x"][0])}


def fragile_measure(output, state, record):
    if np.isclose(np.mean(output), 0.0):
        raise ZeroDivisionError("no activity to normalise by")
    return float(np.mean(output))
