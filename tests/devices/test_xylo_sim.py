"""The simulated Xylo core against a plain-Python twin and, where installed, against xylosim."""

import numpy as np
import pytest

from rockpool_nb.devices import HardwareConfig, simulate
from tests.devices.xylo_twin import twin


def random_config(rng, C=4, N=12, S=2, M=3, kind="typical", chip="xylo-audio-2"):
    big = kind == "saturating"
    wmax = 127 if big else 40
    density = 0.6 if big else 0.3
    cfg = dict(
        chip=chip,
        dt=1e-3,
        weights_in=rng.integers(-wmax, wmax + 1, (C, N, S)),
        weights_rec=rng.integers(-wmax, wmax + 1, (N, N, S)) * (rng.random((N, N, S)) < density),
        weights_out=rng.integers(-wmax, wmax + 1, (N, M)),
        threshold=rng.integers(1 if big else 100, 50 if big else 2000, N),
        threshold_out=rng.integers(1 if big else 100, 50 if big else 2000, M),
        dash_mem=rng.integers(0, 16, N),
        dash_syn=rng.integers(0, 16, (N, S)),
        dash_mem_out=rng.integers(0, 16, M),
        dash_syn_out=rng.integers(0, 16, M),
        bias=rng.integers(-200, 200, N) if kind != "nobias" else np.zeros(N, int),
        bias_out=rng.integers(-200, 200, M) if kind != "nobias" else np.zeros(M, int),
        aliases=np.where(rng.random(N) < 0.2, rng.integers(0, N, N), -1),
        weight_shift_in=rng.integers(0, 8) if big else 2,
        weight_shift_rec=rng.integers(0, 8) if big else 1,
        weight_shift_out=rng.integers(0, 8) if big else 1,
    )
    return HardwareConfig(**cfg)


@pytest.mark.parametrize("kind", ["typical", "saturating", "nobias"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_matches_the_twin_step_by_step(kind, seed):
    rng = np.random.default_rng(seed)
    cfg = random_config(rng, kind=kind)
    x = rng.integers(0, 20 if kind == "saturating" else 3, (60, 4))
    out, _, rec = simulate(cfg)(x, record=True)
    out_t, rec_t = twin(cfg, x)
    np.testing.assert_array_equal(out[0], out_t)
    np.testing.assert_array_equal(rec["Vmem"][0], rec_t["Vmem"])
    np.testing.assert_array_equal(rec["Isyn"][0], rec_t["Isyn"][:, :, 0])
    np.testing.assert_array_equal(rec["Isyn2"][0], rec_t["Isyn"][:, :, 1])
    np.testing.assert_array_equal(rec["Spikes"][0], rec_t["Spikes"])
    np.testing.assert_array_equal(rec["Vmem_out"][0], rec_t["Vmem_out"])
    np.testing.assert_array_equal(rec["Isyn_out"][0], rec_t["Isyn_out"])
    if kind == "saturating":
        assert np.abs(rec["Vmem"]).max() == 32768 or np.abs(rec["Isyn"]).max() >= 32000


def test_state_carries_over_and_resets(rng):
    cfg = random_config(rng)
    sim = simulate(cfg)
    x = rng.integers(0, 3, (80, 4))
    whole, _, _ = sim(x)
    sim.reset_state()
    first, _, _ = sim(x[:30])
    second, _, _ = sim(x[30:])
    np.testing.assert_array_equal(np.concatenate([first, second], 1), whole)


def test_input_validation():
    sim = simulate(random_config(np.random.default_rng(3)))
    with pytest.raises(ValueError, match=r"input: expected \(T, 4\)"):
        sim(np.zeros((10, 5)))
    with pytest.raises(ValueError, match="non-negative integer event counts"):
        sim(np.full((10, 4), 0.5))
    with pytest.raises(ValueError, match="at most 255 events"):
        sim(np.full((10, 4), 300))


def _xylosim_layer(cfg):
    v2 = pytest.importorskip("xylosim.v2")
    C, N, S = cfg.weights_in.shape

    def syn_lists(w, n_src):
        lists = []
        for i in range(n_src):
            row = []
            if w.ndim == 3:
                for j, s in zip(*np.nonzero(w[i])):
                    row.append(v2.XyloSynapse(int(j), int(s), int(w[i, j, s])))
            else:
                for q in np.flatnonzero(w[i]):
                    row.append(v2.XyloSynapse(int(q), 0, int(w[i, q])))
            lists.append(row)
        return lists

    syn_in = syn_lists(cfg.weights_in, C)
    syn_rec = syn_lists(cfg.weights_rec, N)
    syn_out = syn_lists(cfg.weights_out, N)
    aliases = [[int(a)] if a >= 0 else [] for a in cfg.aliases]
    layer = v2.XyloLayer(
        syn_in,
        syn_rec,
        syn_out,
        aliases,
        [int(v) for v in cfg.threshold],
        [int(v) for v in cfg.threshold_out],
        cfg.bias_enable,
        [int(v) for v in cfg.bias],
        [int(v) for v in cfg.bias_out],
        cfg.weight_shift_in,
        cfg.weight_shift_rec,
        cfg.weight_shift_out,
        [int(v) for v in cfg.dash_mem],
        [int(v) for v in cfg.dash_mem_out],
        [[int(v) for v in row] for row in cfg.dash_syn],
        [[int(v)] for v in cfg.dash_syn_out],
        "test",
    )
    return layer, (syn_in, syn_rec, syn_out)  # xylosim keeps pointers: keep the lists alive


@pytest.mark.compare
@pytest.mark.parametrize("kind", ["typical", "saturating"])
@pytest.mark.parametrize("seed", range(4))
def test_matches_xylosim_spike_for_spike_and_state_for_state(kind, seed):
    rng = np.random.default_rng(100 + seed)
    cfg = random_config(rng, N=20, kind=kind)
    x = rng.integers(0, 20 if kind == "saturating" else 3, (80, 4))
    layer, keep = _xylosim_layer(cfg)
    ref_out = np.array(layer.evolve(x.tolist()))
    out, _, rec = simulate(cfg)(x, record=True)
    np.testing.assert_array_equal(out[0], ref_out)
    np.testing.assert_array_equal(rec["Vmem"][0], np.array(layer.rec_v_mem).T)
    np.testing.assert_array_equal(rec["Isyn"][0], np.array(layer.rec_i_syn).T)
    np.testing.assert_array_equal(rec["Isyn2"][0], np.array(layer.rec_i_syn2).T)
    np.testing.assert_array_equal(rec["Spikes"][0], np.array(layer.rec_recurrent_spikes))
    np.testing.assert_array_equal(rec["Vmem_out"][0], np.array(layer.rec_v_mem_out).T)
    del keep
