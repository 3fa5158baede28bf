import importlib
import warnings
from collections import OrderedDict

import numpy as np
import pytest

from rockpool_nb.nn.modules import Module
from rockpool_nb.parameters import Constant, Parameter, SimulationParameter, State


class Toy(Module):
    """A minimal module: y = x @ w, with a state that counts steps."""

    def __init__(self, shape=(2, 3), tau=None):
        super().__init__(shape=shape)
        self.w = Parameter(shape=self.shape, family="weights", init_func=lambda s: np.ones(s))
        self.tau = Parameter(
            tau, "taus", init_func=lambda s: np.full(s, 0.02), shape=[(self.size_out,), ()]
        )
        self.count = State(shape=(), init_func=lambda s: np.zeros(s))
        self.dt = SimulationParameter(1e-3)
        self.k = Parameter(Constant(np.ones(2)))

    def evolve(self, input_data, record=False):
        x, (count,) = self._auto_batch(input_data, (self.count,))
        self.count = count[0] + x.shape[1]
        rec = {"x": x} if record else {}
        return x @ self.w, self.state(), rec


class Net(Module):
    def __init__(self):
        super().__init__(shape=(2, 4))
        self.a = Toy((2, 3))
        self.b = Toy((3, 4))

    def evolve(self, input_data, record=False):
        x, sa, ra = self.a(input_data, record=record)
        x, sb, rb = self.b(x, record=record)
        return x, {"a": sa, "b": sb}, {"a": ra, "b": rb}


def test_properties_and_printing():
    t = Toy((2, 3))
    assert (t.size_in, t.size_out, t.shape) == (2, 3, (2, 3))
    assert t.name == "" and t.full_name == "Toy " and t.class_name == "Toy"
    assert repr(t) == "Toy  with shape (2, 3)"
    n = Net()
    assert repr(n) == (
        "Net  with shape (2, 4) {\n    Toy 'a' with shape (2, 3)\n    Toy 'b' with shape (3, 4)\n}"
    )
    assert n.a.name == "'a'" and n.a.full_name == "Toy 'a'"
    assert not t.spiking_input and not t.spiking_output


def test_size_is_deprecated():
    with pytest.warns(DeprecationWarning):
        assert Toy().size == 3


def test_registries_and_families():
    n = Net()
    p = n.parameters()
    assert set(p) == {"a", "b"} and set(p["a"]) == {"w", "tau"}
    assert set(n.simulation_parameters()["a"]) == {"dt", "k"}  # Constant demotes
    assert set(n.state()["b"]) == {"count"}
    assert set(n.parameters("taus")["a"]) == {"tau"}
    assert set(n.parameters(("taus", "weights"))["b"]) == {"w", "tau"}
    assert set(n.parameters(["weights"])["b"]) == {"w"}
    fam = "ta" + "us"[0:2]  # built at run time: compared by equality, not identity
    assert set(n.parameters(fam)["a"]) == {"tau"}
    assert isinstance(n.modules(), OrderedDict) and list(n.modules()) == ["a", "b"]
    assert set(n.attributes_named("tau")) == {"a", "b"}
    assert n.attributes_named(("w", "dt"))["a"].keys() == {"w", "dt"}


def test_unknown_family_is_an_error():
    with pytest.raises(ValueError, match=r"family: expected one of \['taus', 'weights'\].*'tau'"):
        Net().parameters("tau")


def test_shape_checked_assignment():
    t = Toy()
    with pytest.raises(ValueError, match=r"Toy.w: expected shape \(2, 3\); got \(3, 2\)"):
        t.w = np.ones((3, 2))
    t.tau = 0.05  # a shape permitted at declaration
    assert np.shape(t.tau) == ()
    t.tau = np.ones(3)
    assert t.tau.dtype == np.float64
    with pytest.raises(TypeError, match="numeric"):
        t.w = np.array([["a"] * 3] * 2)
    with pytest.raises(ValueError, match="NaN"):
        t.w = np.full((2, 3), np.nan)
    t.w = None  # accepted without a check
    with pytest.raises(TypeError, match=r"Toy.dt: expected a number; got str 'fast'"):
        t.dt = "fast"
    t.dt = 2e-3
    assert t.dt == 2e-3


def test_new_wrapper_after_init_refused():
    t = Toy()
    with pytest.raises(ValueError, match="existing attribute"):
        t.w = Parameter(np.ones((2, 3)))


def test_set_attributes_all_or_nothing():
    n = Net()
    before = n.b.w.copy()
    with pytest.raises(ValueError, match=r"Toy.tau: expected shape"):
        n.set_attributes({"b": {"w": np.zeros((3, 4))}, "a": {"tau": np.ones(7)}})
    np.testing.assert_array_equal(n.b.w, before)
    with pytest.raises(KeyError, match="no attribute or submodule 'nope'"):
        n.set_attributes({"a": {"w": np.zeros((2, 3))}, "nope": 1})
    assert n.a.w.sum() == 6
    assert n.set_attributes({"a": {"w": np.zeros((2, 3))}}) is n
    assert n.a.w.sum() == 0


def test_state_round_trip_through_set_attributes():
    n = Net()
    _, state, _ = n(np.ones((5, 2)))
    assert state["a"]["count"] == 5
    n.reset_state()
    assert n.a.count == 0
    n.set_attributes(state)
    assert n.a.count == 5


def test_reset_parameters_restores_initial_values():
    t = Toy(tau=np.array([1.0, 2.0, 3.0]))
    t.tau = np.zeros(3)
    t.w = np.zeros((2, 3))
    t.reset_parameters()
    np.testing.assert_array_equal(t.tau, [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(t.w, np.ones((2, 3)))


def test_missing_super_init_names_the_class():
    class NoSuper(Module):
        def __init__(self):
            pass

        def evolve(self, x, record=False):
            return x, {}, {}

    with pytest.raises(NotImplementedError, match="NoSuper"):
        NoSuper()


def test_auto_batch_shapes_and_errors():
    t = Toy((2, 3))
    x, (s,) = t._auto_batch(np.ones((7, 2)), (np.zeros(3),))
    assert x.shape == (1, 7, 2) and s.shape == (1, 3)
    x, (s,) = t._auto_batch(np.ones((4, 7, 2)), (np.zeros(3),))
    assert x.shape == (4, 7, 2) and s.shape == (4, 3)
    x, _ = t._auto_batch(np.ones(7))
    assert x.shape == (1, 7, 2)
    x, _ = t._auto_batch(np.ones((7, 1), dtype=np.int64))
    assert x.shape == (1, 7, 2) and x.dtype == np.float64
    assert t._auto_batch(np.ones((3, 2), np.float32))[0].dtype == np.float32
    with pytest.raises(ValueError, match="It is 5, must be 2"):
        t._auto_batch(np.ones((7, 5)))
    _, (s,) = t._auto_batch(np.ones((4, 7, 2)), (np.zeros(3),), ((-1, 3),))
    assert s.shape == (4, 3)


def test_call_chains_triples():
    a, b = Toy((2, 3)), Toy((3, 4))
    out, state, rec = b(a(np.ones((5, 2)), record=True), record=True)
    assert out.shape == (1, 5, 4)
    assert set(state) == {"count", ""} and "x" in rec


def test_call_chains_named_modules_under_their_plain_names():
    n = Net()
    _, state, rec = n.b(n.a(np.ones((5, 2)), record=True), record=True)
    assert set(state) == {"count", "b"} and set(rec) == {"x", "b"}
    assert state["b"]["count"] == 5
    n.reset_state()
    n.set_attributes({"b": state["b"]})  # the key feeds straight back (Rockpool's is "'b'")
    assert n.b.count == 5 and n.a.count == 0


def test_as_graph_unimplemented_message():
    with pytest.raises(NotImplementedError, match="Module class 'Toy'"):
        Toy().as_graph()


def test_post_init_hook_runs_once():
    calls = []

    class Post(Toy):
        def __post_init__(self):
            calls.append(self._in_Module_init)

    Post()
    assert calls == [True]


def test_delattr_unregisters():
    t = Toy()
    del t.tau
    assert "tau" not in t.parameters()


def test_evolve_is_abstract():
    class NoEvolve(Module):
        pass

    with pytest.raises(TypeError):
        NoEvolve(3)


def test_no_warnings_on_plain_use():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Net()(np.ones((3, 2)), record=True)


def _nested_network(pkg):
    m = importlib.import_module(f"{pkg}.nn.modules")
    c = importlib.import_module(f"{pkg}.nn.combinators")
    inner = c.Sequential(m.Linear((2, 3)), m.Rate(3, has_rec=True))
    return c.Sequential(inner, m.Linear((3, 2)), m.LIF(2))


def _tree(d):
    return {k: _tree(v) if isinstance(v, dict) else np.shape(v) for k, v in d.items()}


@pytest.mark.compare
def test_nested_inspection_matches_rockpool():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pytest.importorskip("rockpool")
        theirs = _nested_network("rockpool")
        their_repr = repr(theirs)
        their_timed = repr(theirs.timed(dt=1e-3))  # names the wrapped module '_module'
    ours = _nested_network("rockpool_nb")
    assert repr(ours) == their_repr
    assert repr(ours.timed(dt=1e-3)) == their_timed
    assert repr(ours) == repr(theirs) and ours.name == "'_module'"
    for query in ("parameters", "state", "simulation_parameters"):
        assert _tree(getattr(ours, query)()) == _tree(getattr(theirs, query)()), query
    assert _tree(ours.parameters("weights")) == _tree(theirs.parameters("weights"))
    assert _tree(ours.attributes_named(("tau", "dt"))) == _tree(
        theirs.attributes_named(("tau", "dt"))
    )
    assert list(ours.modules()) == list(theirs.modules())
    assert (ours.size_in, ours.size_out, ours.shape) == (
        theirs.size_in,
        theirs.size_out,
        theirs.shape,
    )
    assert [mod.full_name for mod in ours.modules().values()] == [
        mod.full_name for mod in theirs.modules().values()
    ]
