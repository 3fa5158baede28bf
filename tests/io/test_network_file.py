import json
import zipfile
from collections import OrderedDict

import numpy as np
import pytest

import rockpool_nb
from rockpool_nb.io import load, save
from rockpool_nb.nn.combinators import Residual, Sequential
from rockpool_nb.nn.modules import LIF, ExpSyn, Instant, LIFTorch, Linear, Rate, RateJax


def network():
    return Sequential(
        OrderedDict(
            inp=Linear((3, 6), has_bias=True),
            hidden=LIF((6, 3), has_rec=True, noise_std=0.0, max_spikes_per_dt=3, dt=2e-3),
            res=Residual(Linear((3, 3)), Instant(3, function=np.tanh)),
            rate=Rate(3, has_rec=True, activation_func="tanh", tau=[0.02, 0.03, 0.05]),
            out=Linear((3, 2)),
            syn=ExpSyn(2),
        )
    )


def test_round_trip_is_exact(tmp_path, rng):
    net = network()
    x = rng.random((40, 3)) * 3
    path = rockpool_nb.save(net, tmp_path / "net")
    assert path.name == "net.npz"
    net2 = rockpool_nb.load(path)
    assert repr(net2) == repr(net)
    np.testing.assert_array_equal(net(x)[0], net2(x)[0])
    flat1 = net.parameters()
    flat2 = net2.parameters()
    np.testing.assert_array_equal(flat1["hidden"]["w_rec"], flat2["hidden"]["w_rec"])
    assert net2["hidden"].dt == 2e-3 and net2["hidden"].max_spikes_per_dt == 3


def test_state_is_saved_only_when_asked(tmp_path, rng):
    net = Sequential(Linear((2, 4)), LIF(4, bias=0.2))
    net(rng.random((30, 2)))
    v = net[1].vmem.copy()
    assert np.any(v != 0)
    without = load(save(net, tmp_path / "a.npz"))
    with_state = load(save(net, tmp_path / "b.npz", state=True))
    np.testing.assert_array_equal(with_state[1].vmem, v)
    assert np.all(without[1].vmem == 0)


def test_backend_named_classes_keep_their_class(tmp_path):
    net = Sequential(Linear((2, 3)), LIFTorch(3), RateJax(3))
    net2 = load(save(net, tmp_path / "n.npz"))
    assert [m.class_name for m in net2] == ["Linear", "LIFTorch", "RateJax"]


def test_saving_is_atomic(tmp_path, monkeypatch):
    path = save(Linear((2, 2)), tmp_path / "w.npz")
    before = path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", crash)
    with pytest.raises(OSError, match="disk full"):
        save(Linear((3, 3)), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["w.npz"]  # no temporary file left


def test_truncated_file(tmp_path):
    path = save(network(), tmp_path / "n.npz")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="not a readable rockpool_nb network file"):
        load(path)


def test_foreign_files(tmp_path):
    np.savez(tmp_path / "other.npz", x=np.zeros(3))
    with pytest.raises(ValueError, match="not a rockpool_nb network file"):
        load(tmp_path / "other.npz")
    (tmp_path / "text.npz").write_text("hello")
    with pytest.raises(ValueError, match="not a readable rockpool_nb network file"):
        load(tmp_path / "text.npz")
    with pytest.raises(FileNotFoundError, match="no such file"):
        load(tmp_path / "missing.npz")


def _rewrite(path, edit_header=None, drop=None):
    with np.load(path, allow_pickle=False) as z:
        entries = {k: z[k] for k in z.files}
    header = json.loads(bytes(entries["__rockpool_nb__"]).decode())
    if edit_header:
        edit_header(header)
    entries["__rockpool_nb__"] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
    if drop:
        del entries[drop]
    np.savez(path, **entries)


def test_wrong_version_and_missing_array(tmp_path):
    path = save(network(), tmp_path / "n.npz")
    _rewrite(path, edit_header=lambda h: h.update(version=99))
    with pytest.raises(ValueError, match="version: expected 1 .* got 99"):
        load(path)
    path = save(network(), tmp_path / "m.npz")
    _rewrite(path, drop="a3")
    with pytest.raises(ValueError, match="the array 'a3' is missing"):
        load(path)


def test_pickled_arrays_are_refused(tmp_path):
    path = save(Linear((2, 2)), tmp_path / "p.npz")
    with np.load(path) as z:
        entries = {k: z[k] for k in z.files}
    entries["a0"] = np.array([object()], dtype=object)  # would need pickle to read
    np.savez(path, **entries)
    with pytest.raises(ValueError, match="not a readable rockpool_nb network file"):
        load(path)
    assert zipfile.is_zipfile(path)


def test_unsaveable_modules_are_named(tmp_path):
    with pytest.raises(ValueError, match=r"Instant.function: cannot save the function"):
        save(Instant(2, function=lambda x: x * 2), tmp_path / "f.npz")

    class Custom(Linear):
        pass

    with pytest.raises(TypeError, match="is a Custom, which is not a library module"):
        save(Sequential(Custom((2, 2))), tmp_path / "c.npz")
    assert not list(tmp_path.iterdir())
