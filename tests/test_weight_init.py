"""
snippets.weight_init and snippets.experiments.weight_init: gradient checks, bad input, and one claim
test per number of report() that the weight-init page shows, each against an independent computation.
"""
import json
import math

import numpy as np
import pytest

from snippets.numerical_gradient import backward_errors, eval_numerical_gradient, rel_error
from snippets.experiments.weight_init import (CONFIGS, NUM_EXAMPLES, backward_factors, layer_statistics,
                                              relu_second_moment_ratio, report)
from snippets.weight_init import (SCHEMES, deep_net, init_weights, input_gradient_ratio,
                                  symmetric_init_gradients, tanh_backward, tanh_forward)
from snippets.layers import affine_backward, affine_forward

FACTOR = 0.01 * math.sqrt(500)          # sigma_w * sqrt(n) for W = 0.01 * randn, n = 500
N = 1000                                # the lecture's batch: D = np.random.randn(1000, 500)


@pytest.fixture(scope='module')
def result(tmp_path_factory):
    outdir = tmp_path_factory.mktemp('init')
    return report(outdir), outdir


@pytest.fixture(scope='module')
def values(result):
    return result[0]


def table(markdown):
    """'| 1 | 2.1e-01 | ... |' lines -> array (layers, 1 + configs) of floats."""
    return np.array([[float(cell) for cell in line.strip().strip('|').split('|')]
                     for line in markdown.splitlines()])


# Gradient checks --------------------------------------------------------------------------

def test_tanh_backward_matches_numerical_gradient():
    x = np.random.default_rng(1).standard_normal((4, 5))
    # numerical side in 80-bit precision, h = 1e-6: its noise (~1e-12) is far below 1e-7
    errors = backward_errors(tanh_forward, tanh_backward, [x], dtype=np.longdouble, h=1e-6)
    assert errors[0] < 1e-7


def independent_net(nonlinearity, scales, x, dh_top):
    """The deep net written out directly: forward, then the chain rule by hand."""
    f = np.tanh if nonlinearity == 'tanh' else (lambda z: np.maximum(0, z))
    hs, zs = [x], []
    for W in scales:
        zs.append(hs[-1] @ W)
        hs.append(f(zs[-1]))
    dh, grads_in, grads_W = dh_top, [], []
    for l in reversed(range(len(scales))):
        slope = 1 - hs[l + 1] ** 2 if nonlinearity == 'tanh' else (zs[l] > 0).astype(float)
        dz = dh * slope
        grads_W.append(hs[l].T @ dz)
        dh = dz @ scales[l].T
        grads_in.append(dh)
    return hs[1:], grads_in[::-1], grads_W[::-1]


@pytest.mark.parametrize('nonlinearity, scheme', [('tanh', '0.01'), ('tanh', 'xavier'),
                                                  ('relu', 'he')])
def test_deep_net_statistics_match_an_independent_net(nonlinearity, scheme):
    L, n, N, seed = 4, 30, 20, 5
    ours = deep_net(nonlinearity, scheme, L, n, N, seed)
    rng = np.random.default_rng(seed)       # the same draws in the same order
    x = rng.standard_normal((N, n))
    Ws = [init_weights(scheme, n, n, rng) for _ in range(L)]
    dh_top = rng.standard_normal((N, n))
    hs, grads_in, grads_W = independent_net(nonlinearity, Ws, x, dh_top)
    np.testing.assert_allclose(ours['act_std'], [h.std() for h in hs], rtol=1e-12)
    np.testing.assert_allclose(ours['grad_in_std'], [g.std() for g in grads_in], rtol=1e-10)
    np.testing.assert_allclose(ours['grad_W_std'], [g.std() for g in grads_W], rtol=1e-10)


def test_independent_net_weight_gradient_matches_numerical_gradient():
    # the hand-written chain rule above is itself checked: L = sum(h_top * dh_top)
    rng = np.random.default_rng(3)
    x, dh_top = rng.standard_normal((5, 6)), rng.standard_normal((5, 6))
    Ws = [0.5 * rng.standard_normal((6, 6)) for _ in range(3)]
    _, _, grads_W = independent_net('tanh', Ws, x, dh_top)
    for l in range(3):
        def loss(W, l=l):
            return np.sum(independent_net('tanh', Ws[:l] + [W] + Ws[l + 1:], x, dh_top)[0][-1] * dh_top)
        numerical = eval_numerical_gradient(loss, Ws[l].copy(), verbose=False, h=1e-6)
        # smooth (tanh), float64, h = 1e-6: truncation ~h^2 and rounding ~1e-16 / h ~ 1e-10
        assert rel_error(numerical, grads_W[l]) < 1e-6


# Proportionality ---------------------------------------------------------------------------

def test_input_gradient_scales_exactly_by_c_for_a_fixed_upstream_gradient(values):
    rng = np.random.default_rng(0)
    x, W, dz = rng.standard_normal((7, 5)), rng.standard_normal((5, 4)), rng.standard_normal((7, 4))
    for c in (0.01, 2.0, -3.0):
        dx_c = affine_backward(dz, affine_forward(x, c * W, np.zeros(4))[1])[0]
        dx_1 = affine_backward(dz, affine_forward(x, W, np.zeros(4))[1])[0]
        np.testing.assert_allclose(dx_c, c * dx_1, rtol=1e-13)
    # the page: doubling W doubles dx, for small and large W alike (rounding only)
    assert values['ratio_linear'] == pytest.approx(2.0, rel=1e-12)
    assert values['ratio_linear_big'] == pytest.approx(2.0, rel=1e-12)


def test_weight_gradient_is_proportional_to_the_layer_input():
    rng = np.random.default_rng(1)
    x, W, dz = rng.standard_normal((7, 5)), rng.standard_normal((5, 4)), rng.standard_normal((7, 4))
    dW = lambda x: affine_backward(dz, affine_forward(x, W, np.zeros(4))[1])[1]
    np.testing.assert_allclose(dW(0.01 * x), 0.01 * dW(x), rtol=1e-13)


def test_through_tanh_doubling_W_does_not_double_dx(values):
    rng = np.random.default_rng(1)          # report()'s draws
    W_small, W_big = init_weights('0.01', 500, 500, rng), init_weights('1.0', 500, 500, rng)
    for key, W in (('ratio_tanh_small', W_small), ('ratio_tanh_big', W_big)):
        x = np.random.default_rng(0).standard_normal((64, 500))
        up = np.random.default_rng(0)
        up.standard_normal((64, 500))
        upstream = up.standard_normal((64, 500))
        dx = lambda W: ((upstream * (1 - np.tanh(x @ W) ** 2)) @ W.T)
        ratio = np.linalg.norm(dx(2 * W)) / np.linalg.norm(dx(W))
        assert values[key] == pytest.approx(ratio, rel=1e-10)
    # the upstream dz = dh * tanh'(z) shrinks as W grows: less than 2, and less so when saturated
    assert values['ratio_tanh_big'] < values['ratio_tanh_small'] < 2.0
    assert values['ratio_tanh_big'] < 1.6


# The deep-net experiment ------------------------------------------------------------------

def test_tables_have_one_row_per_layer_and_one_column_per_configuration(values):
    for key in ('act_rows', 'grad_in_rows', 'grad_W_rows'):
        t = table(values[key])
        assert t.shape == (10, 1 + len(CONFIGS))
        assert list(t[:, 0]) == list(range(1, 11))


@pytest.fixture(scope='module')
def small_net():
    """The 0.01 * randn tanh net of report(), unrounded (the tables show 3 digits)."""
    return deep_net('tanh', '0.01', 10, 500, N)


def test_small_weights_shrink_activations_by_0_01_sqrt_500_per_layer(values, small_net):
    assert values['tanh_001_factor_theory'] == pytest.approx(0.2236068, rel=1e-6)
    assert values['tanh_001_last_theory'] == pytest.approx(3.125e-7, rel=1e-12)   # 500^5 1e-20
    act = small_net['act_std']
    np.testing.assert_allclose(table(values['act_rows'])[:, 1], act, rtol=5e-3)  # 3 digits
    factors = act[1:] / act[:-1]
    # from layer 2 on, z has std < 0.05 and tanh is linear to 0.3 %; each std is measured over
    # 500 000 values from 500 x 500 weights: relative noise ~0.3 %. 1 % covers both.
    np.testing.assert_allclose(factors, FACTOR, rtol=0.01)
    assert values['tanh_001_factor_min'] == pytest.approx(factors.min())
    assert values['tanh_001_factor_max'] == pytest.approx(factors.max())
    # the first layer: z has std 0.2236 and tanh compresses it a few per cent (Var tanh z < Var z)
    assert 0.9 * FACTOR < values['tanh_001_act_first'] < FACTOR
    # hence the last layer sits a few per cent below 0.2236^10 = 3.125e-7
    assert 0.9 * 3.125e-7 < values['tanh_001_act_last'] < 3.125e-7


def test_small_weights_shrink_the_backward_signal_by_the_same_factor(values, small_net):
    grad_in = small_net['grad_in_std']
    np.testing.assert_allclose(table(values['grad_in_rows'])[:, 1], grad_in, rtol=5e-3)
    factors = grad_in[:-1] / grad_in[1:]          # from layer l + 1 down to layer l
    # tanh'(z) = 1 - tanh(z)^2 is within 0.3 % of 1 above layer 1 (z small); same noise as above
    np.testing.assert_allclose(factors[1:], FACTOR, rtol=0.01)
    # into layer 1, z has std 0.2236 and tanh' < 1 takes a few per cent more
    assert 0.9 * FACTOR < factors[0] < FACTOR
    assert grad_in[-1] == pytest.approx(FACTOR, rel=0.01)   # unit-Gaussian upstream, one layer
    assert values['tanh_001_grad_in_first'] == pytest.approx(grad_in[0], rel=0.01)
    assert values['tanh_001_grad_in_first'] < 1e-6


def test_small_weights_give_every_layer_the_same_tiny_weight_gradient(values):
    grad_W = table(values['grad_W_rows'])
    small, xavier = grad_W[:, 1], grad_W[:, 3]
    # std(dW_l) ~ sqrt(N) std(h_{l-1}) std(dz_l) = sqrt(N) 0.2236^(l-1) 0.2236^(10-l):
    # the same for every l, sqrt(1000) * 0.2236^9 ~ 4.4e-5 (the first layer's input is the data,
    # std 1 instead of 0.2236, but its dz has one factor less; tanh compression: a few per cent)
    assert values['num_examples'] == N == NUM_EXAMPLES
    assert small.max() / small.min() < 1.05
    assert FACTOR ** 9 * math.sqrt(N) * 0.85 < small.mean() < FACTOR ** 9 * math.sqrt(N) * 1.05
    assert values['tanh_001_grad_W_theory'] == pytest.approx(FACTOR ** 9 * math.sqrt(N), rel=1e-12)
    # the page prints min and max with three digits: they must differ there (the old page printed
    # "3.0e-05 to 3.0e-05")
    assert f"{values['tanh_001_grad_W_min']:.2e}" != f"{values['tanh_001_grad_W_max']:.2e}"
    assert values['tanh_001_grad_W_max'] < 1e-5 * values['tanh_xavier_grad_W_min']   # five orders


def test_unit_weights_saturate_tanh_and_blow_up_the_backward_signal(values):
    rng = np.random.default_rng(0)
    # independent: the first layer of the 1.0 * randn net, with deep_net's draws, all N x 500 values
    x = rng.standard_normal((N, 500))
    h1 = np.tanh(x @ init_weights('1.0', 500, 500, rng))
    assert values['tanh_1_saturated_first'] == pytest.approx(np.mean(np.abs(h1) > 0.99), abs=1e-12)
    # the activations' std of the first layer, over the same values, is the table's (3 digits)
    assert table(values['act_rows'])[0, 2] == pytest.approx(h1.std(), rel=5e-3)
    assert values['tanh_1_saturated_first'] > 0.85 and values['tanh_1_saturated_last'] > 0.85
    grad_in = table(values['grad_in_rows'])[:, 2]
    assert np.all(np.diff(grad_in) < 0)           # grows from the top towards the input
    assert values['tanh_1_grad_in_first'] > 1e4


def test_saturated_tanh_multiplies_the_backward_signal_by_sqrt_n_mean_slope_squared(values):
    """Not by sqrt(n) = 22.4, as the page once said: by sigma_w sqrt(n E[tanh'(z)^2])."""
    measured, formula = np.array(values['tanh_1_back_factor']), np.array(values['tanh_1_back_formula'])
    slope_sq = np.array(values['tanh_1_slope_sq'])
    np.testing.assert_allclose(formula, np.sqrt(500 * slope_sq[:-1]), rtol=1e-12)
    # the formula treats the upstream gradient as independent of tanh'(z) and uses one draw of
    # 500 x 500 weights (column norms scatter by sqrt(2 / 500) = 6 %, averaged over 500 columns):
    # 5 % allows for both, and still tells 3.5 from sqrt(500) = 22.4 by a factor of six
    np.testing.assert_allclose(measured, formula, rtol=0.05)
    assert np.all(measured > 1) and np.all(measured < math.sqrt(500) / 5)
    # the wrong variant: the factor sqrt(n) of a linear layer would predict 22.4 per layer and a
    # first-layer gradient 22.4^9 ~ 1e12 times the top's, against the measured ~1e5
    grad_in = np.array(values['tanh_1_grad_in_std'])
    assert grad_in[0] / grad_in[-1] < 1e-6 * math.sqrt(500) ** 9
    assert grad_in[0] / grad_in[-1] == pytest.approx(np.prod(formula), rel=0.2)   # 9 layers of 5 %: ~15 %
    # the same formula holds for every configuration (slope 1 for 0.01 * randn, 1/2 for ReLU)
    for name, *_ in CONFIGS:
        np.testing.assert_allclose(values[f'{name}_back_factor'], values[f'{name}_back_formula'],
                                   rtol=0.05)


def test_layer_statistics_count_every_value():
    acts = np.array([[-1.0, -0.999, 0.0, 0.01, 0.5, 0.9999], [0.0, 0.0, 0.1, 2.0, 3.9, 5.0]])
    t = layer_statistics('tanh', acts[:1])
    assert t['saturated'][0] == pytest.approx(3 / 6) and t['central'][0] == pytest.approx(2 / 6)
    assert t['edge'][0] == pytest.approx(3 / 6) and t['counts'][0].sum() == 6
    assert t['slope_sq'][0] == pytest.approx(np.mean((1 - acts[0] ** 2) ** 2))
    r = layer_statistics('relu', acts[1:])
    assert r['zero'][0] == pytest.approx(2 / 6) and r['slope_sq'][0] == pytest.approx(4 / 6)
    assert r['counts'][0].sum() == 3                      # 5.0 is outside (0, 4]
    measured, formula = backward_factors({'grad_in_std': np.array([8.0, 4.0, 1.0]),
                                          'slope_sq': np.array([0.25, 1.0, 1.0])}, '1.0')
    np.testing.assert_allclose(measured, [2.0, 4.0])
    np.testing.assert_allclose(formula, [math.sqrt(500) / 2, math.sqrt(500)])


def test_histogram_rows_say_what_the_alt_text_says(values):
    # 0.01 * randn: from layer 4 on every value sits in the two middle bins (|h| < 0.05)
    assert values['tanh_001_hist_central'][1:] == [1.0, 1.0, 1.0]
    # 1.0 * randn: more than 90 % in the two end bins in every layer shown
    assert min(values['tanh_1_hist_edge']) > 0.9
    # ReLU: about half of the outputs are exactly 0 (left out of the histograms); per layer the
    # fraction is an average over 500 units, each with its own weights: +-0.05 is generous
    assert all(abs(z - 0.5) < 0.05 for z in values['relu_he_hist_zero'])


def test_xavier_keeps_tanh_signals_of_order_one_tenth_to_one(values):
    act = table(values['act_rows'])[:, 3]
    grad_W = table(values['grad_W_rows'])[:, 3]
    assert np.all(np.diff(act) < 0) and act[-1] > 0.1
    assert grad_W.max() / grad_W.min() < 1.3


def test_he_keeps_relu_activations_stable_and_xavier_halves_their_variance(values):
    he = np.array(values['relu_he_act_std'])
    np.testing.assert_allclose(table(values['act_rows'])[:, 4], he, rtol=5e-3)
    assert he.max() / he.min() < 1.25 and values['relu_he_act_last'] > 0.5
    # Var(z_{l+1}) = n Var(w) E[h_l^2] = Var(z_l) / 2 with Var(w) = 1/n, so std(h) falls by
    # 1/sqrt(2) = 0.7071 per layer; finite width and batch: the factors scatter by ~2 %
    assert values['relu_xavier_factor_mean'] == pytest.approx(1 / math.sqrt(2), rel=0.03)
    assert values['relu_xavier_act_last'] < 0.05


def test_relu_keeps_half_the_second_moment():
    # E[relu(z)^2] = E[z^2] / 2 for symmetric z; 1e6 samples: sd of the estimate ~1.1e-3
    assert relu_second_moment_ratio() == pytest.approx(0.5, abs=5e-3)
    z = np.random.default_rng(9).standard_normal(100000)
    assert np.mean(np.maximum(0, z) ** 2) / np.mean(z ** 2) == pytest.approx(0.5, abs=0.02)


def test_zero_init_gives_zero_gradients_and_constant_init_identical_units(values):
    assert values['zero_init_grad_max'] == 0.0
    assert values['const_init_grad_max'] > 0 and values['const_init_column_spread'] == 0.0
    # and it stays so: ten steps of gradient descent keep the hidden units identical
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((16, 8)), rng.integers(0, 3, 16)
    W1, W2 = np.full((8, 6), 0.01), np.full((6, 3), 0.01)
    for _ in range(10):
        h = np.tanh(x @ W1)
        s = h @ W2
        p = np.exp(s - s.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        p[np.arange(16), y] -= 1
        ds = p / 16
        dW2, dh = h.T @ ds, ds @ W2.T
        dW1 = x.T @ (dh * (1 - h ** 2))
        W1, W2 = W1 - 0.5 * dW1, W2 - 0.5 * dW2
    assert np.ptp(W1, axis=1).max() == 0.0 and np.ptp(W2, axis=0).max() == 0.0   # units alike
    assert np.abs(W1 - 0.01).max() > 1e-4 and np.abs(W2 - 0.01).max() > 1e-4     # yet they moved


def test_symmetric_init_gradients_match_the_independent_loop():
    # one step of the loop above, compared with the module's numbers
    biggest, spread = symmetric_init_gradients(0.01)
    assert biggest > 1e-4 and spread == 0.0


def test_randn_has_standard_deviation_one(values):
    # 1e6 draws: the sample std has sd 1 / sqrt(2e6) ~ 7e-4, the mean sd 1e-3; 5 sigma
    assert values['randn_std'] == pytest.approx(1.0, abs=3.5e-3)
    assert abs(values['randn_mean']) < 5e-3
    assert values['randn_001_std'] == pytest.approx(0.01 * values['randn_std'], rel=1e-12)
    w = init_weights('he', 500, 500, np.random.default_rng(0))
    assert w.std() == pytest.approx(math.sqrt(2 / 500), rel=0.01)     # 250 000 draws


# report() and bad input ---------------------------------------------------------------------

def test_report_returns_json_values_and_writes_both_figures(result):
    values, outdir = result
    assert json.loads(json.dumps(values)) == values
    for name in ('stds.svg', 'histograms.svg'):
        svg = (outdir / name).read_text()
        assert svg.startswith('<?xml') and '</svg>' in svg and '<dc:date>' not in svg
        assert len(svg) < 150_000


def raises(name, function, *args):
    with pytest.raises(ValueError, match=rf'\b{name}\b'):
        function(*args)


@pytest.mark.parametrize('name, args', [
    ('scheme', ('0.1', 5, 5, np.random.default_rng(0))),
    ('fan_in', ('he', 0, 5, np.random.default_rng(0))),
    ('fan_out', ('he', 5, 2.0, np.random.default_rng(0))),
])
def test_weight_init_weights_rejects_bad_input(name, args):
    raises(name, init_weights, *args)


@pytest.mark.parametrize('name, args', [
    ('nonlinearity', ('sigmoid', 'he')),
    ('scheme', ('relu', 'glorot')),
    ('num_layers', ('tanh', 'xavier', 0)),
    ('width', ('tanh', 'xavier', 2, -1)),
])
def test_deep_net_rejects_bad_input(name, args):
    raises(name, deep_net, *args)


def test_other_functions_reject_bad_input():
    raises('x', tanh_forward, [1.0, 2.0])
    raises('dout', tanh_backward, np.ones(3), tanh_forward(np.ones(2))[1])
    raises('W', input_gradient_ratio, np.ones(3), 2.0)
    raises('c', input_gradient_ratio, np.ones((3, 2)), 0.0)
    raises('nonlinearity', input_gradient_ratio, np.ones((3, 2)), 2.0, 'elu')
    raises('value', symmetric_init_gradients, float('nan'))
    assert set(SCHEMES) == {'0.01', '1.0', 'xavier', 'he'}
