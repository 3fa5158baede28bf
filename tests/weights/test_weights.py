"""Each generator against the property it states."""

import numpy as np
import pytest

from rockpool_nb import weights as W


def radius(w):
    return np.max(np.abs(np.linalg.eigvals(w)))


def test_unit_lambda_net_has_unit_spectral_radius():
    w = W.unit_lambda_net(400, rng=0)
    assert w.shape == (400, 400)
    assert 0.9 < radius(w) < 1.1  # circular law
    np.testing.assert_array_equal(w, W.unit_lambda_net(400, rng=0))  # seeded
    assert not np.array_equal(w, W.unit_lambda_net(400, rng=1))


def test_rndm_sparse_ei_net_connectivity_signs_and_radius():
    w = W.rndm_sparse_ei_net(200, connectivity=0.2, partitioned=True, ratio_exc=0.8, rng=1)
    assert abs(np.mean(w != 0) - 0.2) < 0.02
    assert np.all(w[:160] >= 0) and np.all(w[160:] <= 0)
    assert radius(w) == pytest.approx(0.95)
    mixed = W.rndm_sparse_ei_net(200, ratio_exc=0.7, normalization=None, rng=2)
    assert abs(np.mean(mixed > 0) - 0.7) < 0.02
    with pytest.raises(ValueError, match=r"connectivity: expected a fraction in \[0, 1\]; got 2"):
        W.rndm_sparse_ei_net(10, connectivity=2)


def test_rndm_ei_net_balances_inhibition_against_excitation():
    w = W.rndm_ei_net(30, 10, ratio_inh_exc=2.0, normalization=None, rng=3)
    assert np.all(w[:30] >= 0) and np.all(w[30:] <= 0)
    np.testing.assert_allclose(-w[30:].sum(axis=0), 2.0 * w[:30].sum(axis=0))
    assert radius(W.rndm_ei_net(30, 10, rng=3)) == pytest.approx(0.95)


def test_wilson_cowan_net_structure():
    w = W.wilson_cowan_net(5, self_exc=1.5, self_inh=0.7, rng=4)
    assert w.shape == (10, 10)
    assert np.all(w[:5] >= 0) and np.all(w[5:] <= 0)  # E rows excite, I rows inhibit
    i = np.arange(5)
    np.testing.assert_array_equal(w[i, i], 1.5)
    np.testing.assert_array_equal(w[i + 5, i], -0.7)


def test_wipe_non_switiching_eigs_removes_uniform_runaway_modes():
    rng = np.random.default_rng(5)
    n = 20
    w = np.abs(rng.normal(0, 0.5, (n, n)))  # all-excitatory: a positive Perron mode runs away
    jac_before = w.T - np.eye(n)
    assert np.max(np.real(np.linalg.eigvals(jac_before))) > 0
    w_new, jac = W.wipe_non_switiching_eigs(w)
    vals, vecs = np.linalg.eig(jac)
    for k in range(n):
        v = np.real(vecs[:, k])
        if np.real(vals[k]) > 1e-9:
            assert not (np.all(v >= -1e-9) or np.all(v <= 1e-9))
    np.testing.assert_allclose(jac, w_new.T - np.eye(n), atol=1e-9)


def test_iaf_sparse_net_density_and_mean():
    w = W.iaf_sparse_net(300, density=0.1, rng=6)
    assert abs(np.mean(w != 0) - 0.1) < 0.01
    nz = w[w != 0]
    assert np.mean(nz) == pytest.approx(-4.5e-3 / 30, rel=0.2)  # summed input keeps -4.5 mV


def test_one_dim_exc_res_neighbours():
    w = W.one_dim_exc_res(8, 2)
    assert np.all(w.sum(axis=1) == 2) and np.all(np.diag(w) == 0)
    assert w[0, 1] == 1 and w[0, 7] == 1 and w[3, 4] == 1 and w[3, 2] == 1


def test_combine_ff_rec_stack():
    ff, rec = np.ones((2, 3)), 2 * np.eye(3)
    w = W.combine_ff_rec_stack(ff, rec)
    assert w.shape == (5, 5)
    np.testing.assert_array_equal(w[:2, 2:], ff)
    np.testing.assert_array_equal(w[2:, 2:], rec)
    assert np.all(w[:, :2] == 0)
    with pytest.raises(ValueError, match=r"weights_rec: expected shape \(3, 3\)"):
        W.combine_ff_rec_stack(ff, np.eye(2))


def test_gen_sparse_partitioned_network_fan_in():
    w, conns = W.gen_sparse_partitioned_network([3, 3, 3], 2, 1, rng=7)
    assert np.all(w.sum(axis=0) == 3)  # every neuron: 2 internal + 1 external inputs
    for target, sources in conns:
        part = target // 3
        inside = [s for s in sources if s // 3 == part]
        assert len(inside) == 2 and target not in sources


def test_discretise_weight_matrix_counts_units_and_fan_in():
    rng = np.random.default_rng(8)
    w = rng.normal(0, 1, (20, 20))
    discrete, counts = W.DiscretiseWeightMatrix(w, 3, max_num_inputs=5)  # two values, as 3.1
    assert np.all(np.abs(counts) <= 3)
    assert np.all((counts != 0).sum(axis=0) <= 5)
    kept = np.where(counts != 0, w, 0.0)
    e_unit, i_unit = kept.max() / 3, -kept.min() / 3
    assert e_unit > 0 and i_unit > 0
    np.testing.assert_allclose(discrete[counts < 0], counts[counts < 0] * i_unit)
    outputs_limited, c2 = W.DiscretiseWeightMatrix(w, 2, max_num_outputs=4)
    assert np.all((c2 != 0).sum(axis=1) <= 4) and np.all(np.abs(c2) <= 2)
    np.testing.assert_allclose(discrete[counts > 0], counts[counts > 0] * e_unit)
    assert np.all(np.sign(counts[counts != 0]) == np.sign(w[counts != 0]))
    kept = counts != 0
    assert np.max(np.abs(discrete[kept] - w[kept])) <= max(e_unit, i_unit) / 2 + 1e-12


def test_dynapse_conform_fan_in_and_strengths():
    weights, counts, by_strength = W.dynapse_conform((100, 50), max_num_inputs=64, rng=9)
    assert np.all(np.abs(counts).sum(axis=0) <= 64)
    assert set(np.unique(counts)) <= {-2, -1, 0, 1, 2}
    assert sum(by_strength.values()) == np.count_nonzero(counts)
    with pytest.raises(ValueError, match="connectivity: at most 0.64 fits 64 inputs"):
        W.dynapse_conform((100, 10), connectivity=0.9)


def test_digital_integer_range_and_scale():
    w, ints, scale = W.digital((40, 40), bit_resolution=4, normalization=0.9, rng=10)
    assert ints.min() >= -8 and ints.max() <= 7
    assert np.all((ints != 0).sum(axis=0) <= 64)
    np.testing.assert_allclose(w, ints * scale)
    assert radius(w) == pytest.approx(0.9)
