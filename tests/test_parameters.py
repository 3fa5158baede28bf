import importlib
import warnings

import numpy as np
import pytest

from rockpool_nb.parameters import (
    Constant,
    Parameter,
    ParameterBase,
    RP_Constant,
    SimulationParameter,
    State,
)


def test_needs_data_or_shape():
    with pytest.raises(ValueError, match="data.*shape"):
        Parameter()


def test_shape_types():
    assert Parameter(shape=3, init_func=np.zeros).shape == (3,)
    assert Parameter(shape=(2, 3), init_func=np.zeros).shape == (2, 3)
    with pytest.raises(TypeError, match="shape"):
        Parameter(shape="3", init_func=np.zeros)
    with pytest.raises(TypeError, match="entry"):
        Parameter(shape=(2, 1.5), init_func=np.zeros)


def test_list_of_shapes_uses_first_for_init():
    p = Parameter(shape=[(4,), ()], init_func=lambda s: np.ones(s))
    assert p.shape == (4,)
    q = Parameter(np.array(2.0), shape=[(4,), ()])
    assert q.shape == ()


def test_reshape_permitted_and_refused():
    p = Parameter(np.arange(6), shape=(2, 3))
    assert p.data.shape == (2, 3)
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(6,\)"):
        Parameter(np.arange(6), shape=(2, 3), permit_reshape=False)
    with pytest.raises(ValueError, match="got \\(5,\\)"):
        Parameter(np.arange(5), shape=(2, 3))


def test_init_func_required_and_callable():
    with pytest.raises(ValueError, match="init_func"):
        Parameter(shape=(3,))
    with pytest.raises(ValueError, match="callable"):
        Parameter(shape=(3,), init_func=3)


def test_concrete_data_reset_returns_constructor_value():
    data = np.array([1.0, 2.0])
    p = Parameter(data, family="taus")
    data[0] = (
        100.0  # mutating the caller's array after construction does not change the reset value
    )
    assert p.init_func(p.shape)[0] == 1.0
    assert p.family == "taus"
    again = p.init_func(p.shape)
    again[1] = -1
    assert p.init_func(p.shape)[1] == 2.0


def test_cast_fn_applied_once():
    p = Parameter([1, 2, 3], cast_fn=np.array)
    assert isinstance(p.data, np.ndarray)


def test_constant_kinds():
    c = Constant(0.1)
    assert isinstance(c, float) and isinstance(c, RP_Constant) and c == 0.1
    a = Constant(np.ones(3))
    assert isinstance(a, np.ndarray) and isinstance(a, RP_Constant)
    assert isinstance(Constant(3), int)


def test_repr_mentions_fields():
    text = repr(State(np.zeros(2), family="x"))
    assert text.startswith("State(data=") and "family='x'" in text and "shape=(2,)" in text


def test_subclasses_share_base():
    for cls in (Parameter, State, SimulationParameter):
        assert issubclass(cls, ParameterBase)


def _cases(pkg):
    P = importlib.import_module(f"{pkg}.parameters")
    return {
        "nothing": lambda: P.Parameter(),
        "float shape": lambda: P.Parameter(shape=2.0, init_func=np.zeros),
        "float in shape": lambda: P.Parameter(shape=(2.0,), init_func=np.zeros),
        "int shape": lambda: P.Parameter(shape=3, init_func=np.zeros).shape,
        "shape list": lambda: P.Parameter(shape=[(2,), ()], init_func=np.zeros).shape,
        "list of ints": lambda: P.Parameter(shape=[2, 3], init_func=np.zeros).shape,
        "reshape": lambda: P.Parameter(np.ones(6), shape=(2, 3)).data.shape,
        "reshape to first fit": lambda: P.Parameter(np.ones(6), shape=[(3, 2), (2, 3)]).data.shape,
        "no reshape": lambda: P.Parameter(np.ones(6), shape=(2, 3), permit_reshape=False),
        "wrong size": lambda: P.Parameter(np.ones(5), shape=(2, 3)),
        "no init_func": lambda: P.Parameter(shape=3),
        "init_func not callable": lambda: P.Parameter(shape=3, init_func=3),
        "scalar": lambda: P.Parameter(0.5).shape,
        "list data": lambda: P.Parameter([1.0, 2.0], shape=(2,)).shape,
        "family positional": lambda: P.Parameter(np.ones(2), "taus").family,
        "state from init": lambda: P.State(shape=(2,), init_func=np.ones).data.tolist(),
        "constant float": lambda: (isinstance(P.Constant(0.1), float), P.Constant(0.1) + 1),
        "constant array": lambda: isinstance(P.Constant(np.ones(2)), np.ndarray),
        "constant int": lambda: P.Constant(3) * 2,
        "cast_fn": lambda: type(P.Parameter([1, 2], cast_fn=np.array).data).__name__,
        "init is a copy": lambda: (lambda p: p.init_func(p.shape) is p.data)(
            P.Parameter(np.ones(2))
        ),
    }


def _outcome(fn):
    try:
        return fn()
    except Exception as err:  # noqa: BLE001 - the exception type is the outcome compared
        return f"raises {type(err).__name__}"


@pytest.mark.compare
def test_construction_rules_match_rockpool():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pytest.importorskip("rockpool")
        theirs = {k: _outcome(f) for k, f in _cases("rockpool").items()}
    ours = {k: _outcome(f) for k, f in _cases("rockpool_nb").items()}
    assert ours == theirs
    assert ours["wrong size"] == "raises ValueError" and ours["reshape"] == (2, 3)
