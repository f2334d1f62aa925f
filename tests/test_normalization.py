"""
snippets.normalization and snippets.experiments.normalization: gradient checks, bad input, running
statistics, and one claim test per number of report() that the page shows, each against an
independent computation.
"""
import json
import math
import re

import numpy as np
import pytest

from snippets.numerical_gradient import backward_errors, eval_numerical_gradient_array, rel_error
from snippets.experiments.normalization import (NOTEBOOK_SEEDS, channel_offset_data,
                                                fc_shape_flow, naive_batchnorm_backward,
                                                notebook_batchnorm_gradcheck,
                                                notebook_gradcheck_over_seeds, notes_experiment,
                                                report)
from snippets.normalization import (batchnorm_backward, batchnorm_forward, layernorm_backward,
                                    layernorm_forward, spatial_batchnorm_backward,
                                    spatial_batchnorm_forward,
                                    spatial_batchnorm_forward_wrong_reshape,
                                    spatial_groupnorm_backward, spatial_groupnorm_forward)

EPS = 1e-5


def train():
    """A fresh bn_param: train mode writes running averages into it."""
    return {'mode': 'train'}


def rows(markdown):
    """Cells of markdown table rows '| a | b |', one list per line."""
    return [[cell.strip() for cell in line.strip().strip('|').split('|')]
            for line in markdown.splitlines()]


def numbers(text):
    """[1.5, -2e-17, 3.00] -> array."""
    assert re.fullmatch(r'\[[^\[\]]*\]', text), text
    return np.array([float(v) for v in text[1:-1].split(',')])


def direct_normalize(x, axis):
    """(x - mean) / sqrt(var + eps) over axis, written out independently of the module."""
    return (x - x.mean(axis=axis, keepdims=True)) / np.sqrt(x.var(axis=axis, keepdims=True) + EPS)


@pytest.fixture(scope='module')
def result(tmp_path_factory):
    outdir = tmp_path_factory.mktemp('normalization')
    return report(outdir), outdir


@pytest.fixture(scope='module')
def values(result):
    return result[0]


# Gradient checks --------------------------------------------------------------------------
# The numerical side runs in np.longdouble (80-bit on x86-64) with h = 1e-6: its noise, about
# 1e-12 absolute, stays below 1e-7 relative even for the entries of dx that happen to be near 0.
# In float64 (report()'s table, as in the assignment) the noise is about 1e-10, and an entry of
# 1e-4 alone gives 1e-6: measured over 30 random seeds, 9 of 30 spatial checks passed 1e-7 only
# in extended precision.

def check(forward, backward, x, gamma, beta, *args):
    errors = backward_errors(forward, backward, [x, gamma, beta], *args,
                             dtype=np.longdouble, h=1e-6)
    assert max(errors) < 1e-7, errors


def data(*shape):
    """x as in the assignment's checks. Its seed differs from backward_errors' seed for dout
    (0): from the same stream dout would be linear in x, and dx nearly 0."""
    return 5 * np.random.default_rng(1).standard_normal(shape) + 12


def params(*shape):
    rng = np.random.default_rng(2)
    return rng.standard_normal(shape), rng.standard_normal(shape)


# not N = 2: there x_hat = +-sqrt(var / (var + eps)) whatever x is, and dx ~ eps / var ~ 1e-7
# is all noise
@pytest.mark.parametrize('shape', [(4, 5), (10, 3), (3, 7)])
def test_batchnorm_backward_train_mode_matches_numerical_gradient(shape):
    check(batchnorm_forward, batchnorm_backward, data(*shape), *params(shape[1]), train())


def test_batchnorm_backward_test_mode_matches_numerical_gradient():
    running_mean, running_var = params(5)
    bn_param = {'mode': 'test', 'running_mean': 12 + running_mean, 'running_var': 1 + running_var ** 2}
    check(batchnorm_forward, batchnorm_backward, data(4, 5), *params(5), bn_param)


@pytest.mark.parametrize('shape', [(4, 5), (3, 10), (1, 6)])
def test_layernorm_backward_matches_numerical_gradient(shape):
    check(layernorm_forward, layernorm_backward, data(*shape), *params(shape[1]), {})


@pytest.mark.parametrize('shape', [(2, 3, 4, 5), (3, 2, 2, 3), (1, 4, 3, 3)])
def test_spatial_batchnorm_backward_matches_numerical_gradient(shape):
    check(spatial_batchnorm_forward, spatial_batchnorm_backward, data(*shape),
          *params(shape[1]), train())


@pytest.mark.parametrize('shape, G', [((2, 6, 4, 5), 2), ((2, 4, 3, 3), 4), ((3, 4, 2, 2), 1)])
def test_spatial_groupnorm_backward_matches_numerical_gradient(shape, G):
    check(spatial_groupnorm_forward, spatial_groupnorm_backward, data(*shape),
          *params(1, shape[1], 1, 1), G, {})


def test_groupnorm_gamma_and_its_gradient_have_shape_1_C_1_1():
    x, (gamma, beta) = data(2, 6, 3, 3), params(1, 6, 1, 1)
    out, cache = spatial_groupnorm_forward(x, gamma, beta, 3, {})
    dx, dgamma, dbeta = spatial_groupnorm_backward(np.ones_like(out), cache)
    assert dx.shape == x.shape and dgamma.shape == dbeta.shape == (1, 6, 1, 1)


def test_a_wrong_backward_fails_the_same_check():
    # dropping the terms through the mean and the variance: dx = dout * gamma / std
    def naive_backward(dout, cache):
        x_hat, gamma, mean, std, mode = cache
        return dout * gamma / std, (dout * x_hat).sum(axis=0), dout.sum(axis=0)
    errors = backward_errors(batchnorm_forward, naive_backward, [data(4, 5), *params(5)], train(),
                             dtype=np.longdouble, h=1e-6)
    assert errors[0] > 1e-2


# Forward values and statistics ------------------------------------------------------------

def test_each_layer_matches_a_direct_normalization_over_its_axes():
    x, (g, b) = data(3, 4, 2, 5), params(4)
    flat = x.reshape(3, -1)
    ones = lambda *shape: (np.ones(shape), np.zeros(shape))
    cases = [
        (batchnorm_forward(flat, *ones(40), train())[0], direct_normalize(flat, 0)),
        (layernorm_forward(flat, *ones(40), {})[0], direct_normalize(flat, 1)),
        (spatial_batchnorm_forward(x, g, b, train())[0],
         g.reshape(1, 4, 1, 1) * direct_normalize(x, (0, 2, 3)) + b.reshape(1, 4, 1, 1)),
        (spatial_groupnorm_forward(x, *ones(1, 4, 1, 1), 2, {})[0],
         direct_normalize(x.reshape(3, 2, 2, 2, 5), (2, 3, 4)).reshape(x.shape)),
    ]
    for ours, direct in cases:
        np.testing.assert_allclose(ours, direct, rtol=0, atol=1e-12)


def test_train_mode_writes_running_averages_back_into_bn_param():
    x, bn_param = data(8, 3), {'mode': 'train'}
    batchnorm_forward(x, *params(3), bn_param)
    # from zeros, one step: 0.9 * 0 + 0.1 * batch statistic
    np.testing.assert_allclose(bn_param['running_mean'], 0.1 * x.mean(axis=0), rtol=1e-14)
    np.testing.assert_allclose(bn_param['running_var'], 0.1 * x.var(axis=0), rtol=1e-14)
    x2 = data(8, 3)
    batchnorm_forward(x2, *params(3), bn_param)
    np.testing.assert_allclose(bn_param['running_mean'],
                               0.9 * 0.1 * x.mean(axis=0) + 0.1 * x2.mean(axis=0), rtol=1e-14)


def test_test_mode_uses_the_running_statistics_and_changes_nothing():
    x, (gamma, beta) = data(6, 3), params(3)
    running_mean, running_var = np.array([1.0, 12.0, -3.0]), np.array([4.0, 25.0, 0.5])
    bn_param = {'mode': 'test', 'running_mean': running_mean, 'running_var': running_var}
    out, _ = batchnorm_forward(x, gamma, beta, bn_param)
    np.testing.assert_allclose(out, gamma * (x - running_mean) / np.sqrt(running_var + EPS) + beta,
                               rtol=1e-13)
    assert bn_param['running_mean'] is running_mean and bn_param['running_var'] is running_var


def test_a_bn_param_reused_for_another_width_is_refused():
    bn_param = train()
    batchnorm_forward(data(4, 5), *params(5), bn_param)
    raises('running_mean', batchnorm_forward, data(4, 3), *params(3), bn_param)


def test_wrong_reshape_differs_from_spatial_batchnorm():
    x = channel_offset_data()
    right, _ = spatial_batchnorm_forward(x, *params(4), train())
    wrong, _ = spatial_batchnorm_forward_wrong_reshape(x, *params(4), train())
    assert wrong.shape == right.shape and np.max(np.abs(right - wrong)) > 0.5


# Bad input ---------------------------------------------------------------------------------

def raises(name, function, *args):
    with pytest.raises(ValueError, match=rf'\b{name}\b') as info:
        function(*args)
    return str(info.value)


X2, G5, B5 = np.ones((4, 5)), np.ones(5), np.zeros(5)            # good (N, D) input
X4, GC, BC = np.ones((2, 6, 3, 3)), np.ones(6), np.zeros(6)       # good (N, C, H, W) input
G4, B4 = np.ones((1, 6, 1, 1)), np.zeros((1, 6, 1, 1))             # good group norm gamma, beta


def test_batchnorm_forward_sends_4d_input_to_spatial_batchnorm():
    message = raises('x', batchnorm_forward, X4, GC, BC, train())
    assert 'spatial_batchnorm_forward' in message


@pytest.mark.parametrize('name, args', [
    ('x', (np.ones(5), G5, B5, train())),
    ('x', (np.array([[1.0, np.nan, 0, 0, 0]] * 4), G5, B5, train())),
    ('x', (np.array([[np.inf] * 5] * 4), G5, B5, train())),
    ('gamma', (X2, np.ones(4), B5, train())),
    ('beta', (X2, G5, np.zeros((1, 5)), train())),
    ('mode', (X2, G5, B5, {})),
    ('mode', (X2, G5, B5, {'mode': 'eval'})),
    ('eps', (X2, G5, B5, {'mode': 'train', 'eps': 0})),
    ('eps', (X2, G5, B5, {'mode': 'train', 'eps': -1e-5})),
    ('momentum', (X2, G5, B5, {'mode': 'train', 'momentum': 1.5})),
    ('momentum', (X2, G5, B5, {'mode': 'train', 'momentum': -0.1})),
    ('bn_param', (X2, G5, B5, None)),
])
def test_batchnorm_forward_rejects_bad_input(name, args):
    raises(name, batchnorm_forward, *args)


@pytest.mark.parametrize('name, args', [
    ('x', (X4, G5, B5, {})),
    ('x', (np.full((4, 5), np.nan), G5, B5, {})),
    ('gamma', (X2, np.ones(4), B5, {})),
    ('beta', (X2, G5, np.zeros(6), {})),
    ('eps', (X2, G5, B5, {'eps': 0.0})),
])
def test_layernorm_forward_rejects_bad_input(name, args):
    raises(name, layernorm_forward, *args)


@pytest.mark.parametrize('name, args', [
    ('x', (X2, G5, B5, train())),
    ('x', (np.full((2, 6, 3, 3), np.inf), GC, BC, train())),
    ('gamma', (X4, G4, BC, train())),
    ('beta', (X4, GC, np.zeros(3), train())),
    ('mode', (X4, GC, BC, {'mode': 'Train'})),
    ('momentum', (X4, GC, BC, {'mode': 'train', 'momentum': 2})),
])
def test_spatial_batchnorm_forward_rejects_bad_input(name, args):
    raises(name, spatial_batchnorm_forward, *args)


@pytest.mark.parametrize('name, args', [
    ('x', (X2, G4, B4, 2, {})),
    ('x', (np.full((2, 6, 3, 3), np.nan), G4, B4, 2, {})),
    ('gamma', (X4, GC, B4, 2, {})),
    ('beta', (X4, G4, np.zeros((1, 3, 1, 1)), 2, {})),
    ('G', (X4, G4, B4, 4, {})),
    ('G', (X4, G4, B4, 0, {})),
    ('G', (X4, G4, B4, -2, {})),
    ('G', (X4, G4, B4, 2.0, {})),
    ('eps', (X4, G4, B4, 2, {'eps': 0})),
])
def test_spatial_groupnorm_forward_rejects_bad_input(name, args):
    raises(name, spatial_groupnorm_forward, *args)


@pytest.mark.parametrize('forward, backward, args, wrong_dout', [
    (batchnorm_forward, batchnorm_backward, (X2, G5, B5, train()), np.ones((5, 4))),
    (layernorm_forward, layernorm_backward, (X2, G5, B5, {}), np.ones((4, 6))),
    (spatial_batchnorm_forward, spatial_batchnorm_backward, (X4, GC, BC, train()),
     np.ones((2, 3, 3, 6))),
    (spatial_groupnorm_forward, spatial_groupnorm_backward, (X4, G4, B4, 2, {}),
     np.ones((2, 6, 3, 4))),
])
def test_backward_rejects_dout_not_matching_the_cache(forward, backward, args, wrong_dout):
    _, cache = forward(*args)
    raises('dout', backward, wrong_dout, cache)


# report(): the page's numbers ---------------------------------------------------------------

STRING_KEYS = {'flow_input_shape', 'flow_flat_shape', 'flow_bn_input_shape', 'flow_rows',
               'demo_a_shape', 'demo_gamma_shape', 'demo_before_mean', 'demo_before_std',
               'demo_after_mean', 'demo_after_std', 'demo_affine_mean', 'demo_affine_std',
               'truth_shape', 'truth_rows', 'conv_input_shape', 'conv_output_shape',
               'conv_bn_gamma_shape', 'gradcheck_rows', 'gradcheck_worst',
               'demo_x_shape', 'demo_w1_shape', 'demo_w2_shape',
               'gn_gamma_shape', 'gn_dgamma_shape', 'gn_dbeta_shape'}
INT_KEYS = {'bn_means_first_layer', 'bn_means_if_flattened', 'truth_G', 'conv_filters',
            'conv_bn_means', 'steps_to_99pct', 'truth_C', 'nb_seed', 'truth_N',
            'truth_bn_means', 'truth_bn_values_per_mean', 'truth_ln_means',
            'truth_ln_values_per_mean', 'nb_num_seeds',
            'nb_seed_first', 'nb_seed_last'}
FLOAT_KEYS = {'ln_batch_dependence', 'bn_batch_dependence', 'bn_n1_max_abs_out_minus_beta',
              'sbn_right_channel_mean_max', 'sbn_wrong_channel_mean_max', 'sbn_wrong_max_diff',
              'gn_g1_vs_ln_max_diff', 'gn_gC_vs_in_max_diff', 'gn_vs_ln_rows_max_diff',
              'gn_vs_bn_rows_max_diff', 'running_frac_t10', 'running_frac_t50',
              'test_out_mean_after_5', 'test_out_mean_after_100', 'momentum', 'gradcheck_max',
              'gradcheck_max_extended', 'demo_after_mean_abs_max',
              'demo_affine_mean_minus_beta_max', 'demo_affine_std_over_gamma_min',
              'demo_affine_std_over_gamma_max', 'running_max_dev_from_theory',
              'nb_dx_error', 'nb_dgamma_error', 'nb_dbeta_error', 'nb_naive_dx_error',
              'nb_dx_median', 'nb_dx_q90', 'nb_dx_max', 'nb_dx_frac_below_1e8',
              'nb_dx_frac_below_1e7', 'nb_dx_extended_max', 'nb_dx_extended_median'}


def test_report_returns_exactly_the_page_keys_as_json_values(values):
    assert set(values) == STRING_KEYS | INT_KEYS | FLOAT_KEYS
    for key, value in values.items():
        kind = str if key in STRING_KEYS else int if key in INT_KEYS else float
        assert type(value) is kind, (key, value)
    assert json.loads(json.dumps(values)) == values


def test_report_writes_both_figures(result):
    _, outdir = result
    for name in ('cube.svg', 'running_mean.svg', 'gradcheck_seeds.svg'):
        svg = (outdir / name).read_text()
        assert svg.startswith('<?xml') and '</svg>' in svg
        assert '<dc:date>' not in svg              # metadata={'Date': None}: same bytes each run


def test_flow_shapes(values):
    N, C, H, W = 50, 3, 32, 32
    assert values['flow_input_shape'] == str((N, C, H, W))
    assert values['flow_flat_shape'] == str((N, C * H * W))
    assert values['flow_bn_input_shape'] == str((N, 100))


def test_flow_rows_chain_affine_batchnorm_relu_then_affine(values):
    table = rows(values['flow_rows'])
    assert [row[0] for row in table] == [str(i) for i in range(1, 8)]
    assert [row[1] for row in table] == ['affine_forward', 'batchnorm_forward',
                                         'relu_forward'] * 2 + ['affine_forward']
    assert table[0][2] == '(50, 3, 32, 32)' and table[-1][3] == '(50, 10)'
    for before, after in zip(table, table[1:]):
        assert before[3] == after[2]               # each step eats what the last one made


def test_bn_means_one_per_hidden_unit_not_per_pixel(values):
    assert values['bn_means_first_layer'] == 100                # hidden_dims[0]
    assert values['bn_means_if_flattened'] == 3 * 32 * 32
    _, _, _, cache = [step for step in fc_shape_flow((50, 3, 32, 32), [100, 100], 10)
                      if step[0] == 'batchnorm_forward'][0]
    assert cache[2].shape == (100,)


def notes_reference():
    """The notebook's code as the notes quote it (global seed), run here independently."""
    state = np.random.get_state()
    try:
        np.random.seed(231)
        N, D1, D2, D3 = 200, 50, 60, 3
        X = np.random.randn(N, D1)
        W1 = np.random.randn(D1, D2)
        W2 = np.random.randn(D2, D3)
    finally:
        np.random.set_state(state)
    return np.maximum(0, X.dot(W1)).dot(W2)


def test_notes_experiment_reproduces_the_notebook(values):
    a = notes_reference()
    np.testing.assert_array_equal(notes_experiment()['a'], a)
    assert values['demo_a_shape'] == '(200, 3)' and values['demo_gamma_shape'] == '(3,)'
    # three significant digits: each printed number is within half a unit of its 3rd digit
    three_digits = dict(rtol=5e-3, atol=0)
    np.testing.assert_allclose(numbers(values['demo_before_mean']), a.mean(axis=0), **three_digits)
    np.testing.assert_allclose(numbers(values['demo_before_std']), a.std(axis=0), **three_digits)
    a_hat = direct_normalize(a, 0)
    gamma, beta = np.array([1.0, 2.0, 3.0]), np.array([11.0, 12.0, 13.0])
    np.testing.assert_allclose(numbers(values['demo_after_std']), a_hat.std(axis=0), **three_digits)
    np.testing.assert_allclose(numbers(values['demo_affine_mean']),
                               (gamma * a_hat + beta).mean(axis=0), **three_digits)
    np.testing.assert_allclose(numbers(values['demo_affine_std']),
                               (gamma * a_hat + beta).std(axis=0), **three_digits)
    # the mean of a normalized column is 0 up to rounding: 200 terms of ~1e-16
    assert np.all(np.abs(numbers(values['demo_after_mean'])) < 1e-13)


def test_notes_experiment_means_are_beta_and_stds_are_gamma():
    demo = notes_experiment()
    out, gamma, beta = demo['a_affine'], demo['gamma'], demo['beta']
    np.testing.assert_allclose(out.mean(axis=0), beta, rtol=0, atol=1e-12)
    # std(out) = gamma * sqrt(var / (var + eps)): relative shortfall eps / (2 var) < 1e-8 here,
    # as var > 700 (the stds before are ~27 to 38)
    np.testing.assert_allclose(out.std(axis=0), gamma, rtol=1e-6)
    assert np.all(out.std(axis=0) < gamma)          # the page: "slightly below gamma"
    assert np.all(demo['a'].std(axis=0) > 20)


def test_truth_table_counts_are_products_of_the_shape(values):
    N, C, H, W = 4, 6, 5, 5
    G = values['truth_G']
    assert values['truth_shape'] == str((N, C, H, W)) and G == 2
    expected = [
        ['BN', 'N', C * H * W, N, (C * H * W,)],
        ['LN', 'D', N, C * H * W, (C * H * W,)],
        ['spatial BN', 'N, H, W', C, N * H * W, (C,)],
        ['IN', 'H, W', N * C, H * W, (1, C, 1, 1)],
        [f'GN (G={G})', 'C/G, H, W', N * G, C // G * H * W, (1, C, 1, 1)],
    ]
    table = rows(values['truth_rows'])
    assert len(table) == len(expected)
    for (method, function, axes, means, per_mean, gamma_shape), want in zip(table, expected):
        assert [method, axes, int(means), int(per_mean), gamma_shape] == \
            [want[0], want[1], want[2], want[3], str(want[4])]
        assert int(means) * int(per_mean) == N * C * H * W
    # the page's "one layer per example" is LN: N groups; BN has one group per feature
    assert values['truth_N'] == N and values['truth_C'] == C
    assert (values['truth_bn_means'], values['truth_bn_values_per_mean']) == (C * H * W, N)
    assert (values['truth_ln_means'], values['truth_ln_values_per_mean']) == (N, C * H * W)
    assert [row[1].split()[0] for row in table] == [
        'batchnorm_forward', 'layernorm_forward', 'spatial_batchnorm_forward',
        'spatial_groupnorm_forward', 'spatial_groupnorm_forward']


def test_caches_hold_the_means_over_the_stated_axes():
    x = data(4, 6, 5, 5)
    flat, ones = x.reshape(4, -1), lambda *s: (np.ones(s), np.zeros(s))
    close = lambda a, b: np.testing.assert_allclose(np.ravel(a), np.ravel(b), rtol=1e-13)
    close(batchnorm_forward(flat, *ones(150), train())[1][2], flat.mean(axis=0))
    close(layernorm_forward(flat, *ones(150), {})[1][2], flat.mean(axis=1))
    close(spatial_batchnorm_forward(x, *ones(6), train())[1][0][2], x.mean(axis=(0, 2, 3)))
    close(spatial_groupnorm_forward(x, *ones(1, 6, 1, 1), 6, {})[1][2], x.mean(axis=(2, 3)))
    close(spatial_groupnorm_forward(x, *ones(1, 6, 1, 1), 2, {})[1][2],
          x.reshape(4, 2, 3, 5, 5).mean(axis=(2, 3, 4)))


def test_layernorm_ignores_the_rest_of_the_batch_and_batchnorm_does_not(values):
    x = np.random.default_rng(0).standard_normal((50, 20))          # report()'s data
    # LN of a row uses only that row: the same operations give the same bits
    assert values['ln_batch_dependence'] == 0.0
    bn_direct = np.max(np.abs(direct_normalize(x[:5], 0) - direct_normalize(x, 0)[:5]))
    assert values['bn_batch_dependence'] == pytest.approx(bn_direct, rel=1e-12)
    assert values['bn_batch_dependence'] > 0.5


def test_batchnorm_of_a_single_example_is_exactly_beta(values):
    # x - mean(x) is exactly 0 for N = 1, so out = beta with no rounding at all
    assert values['bn_n1_max_abs_out_minus_beta'] == 0.0


def test_wrong_reshape_leaves_channel_means_far_from_zero(values):
    x = channel_offset_data()
    N, C, H, W = x.shape
    right = direct_normalize(x, (0, 2, 3))
    rows_ = x.reshape(-1, C)
    wrong = direct_normalize(rows_, 0).reshape(x.shape)
    channel_mean_max = lambda out: np.max(np.abs(out.mean(axis=(0, 2, 3))))
    # the right means are 0 up to rounding (~1e-16 per term, 360 terms)
    assert values['sbn_right_channel_mean_max'] < 1e-13
    assert values['sbn_wrong_channel_mean_max'] == pytest.approx(channel_mean_max(wrong), rel=1e-9)
    assert values['sbn_wrong_channel_mean_max'] > 0.5
    assert values['sbn_wrong_max_diff'] == pytest.approx(np.max(np.abs(right - wrong)), rel=1e-9)


def test_groupnorm_is_layernorm_on_n_times_g_rows_not_batchnorm(values):
    # three identities of the same numbers computed in a different order: rounding only
    assert values['gn_g1_vs_ln_max_diff'] < 1e-12
    assert values['gn_gC_vs_in_max_diff'] < 1e-12
    assert values['gn_vs_ln_rows_max_diff'] < 1e-12
    # the notes' wording "N x G samples, then BN" normalizes the columns instead: O(1) apart
    assert values['gn_vs_bn_rows_max_diff'] > 0.5


def test_conv_output_shape_and_its_batchnorm(values):
    N, C, H, W, F, k, stride, pad = 8, 3, 32, 32, 16, 3, 1, 1
    assert values['conv_input_shape'] == str((N, C, H, W)) and values['conv_filters'] == F
    H_out = 1 + (H + 2 * pad - k) // stride
    assert values['conv_output_shape'] == str((N, F, H_out, H_out))
    assert values['conv_bn_gamma_shape'] == str((F,)) and values['conv_bn_means'] == F


def test_running_mean_follows_one_minus_momentum_to_the_t(values):
    assert values['momentum'] == 0.9
    # the batch means are mu up to rounding (~1e-15), so the recursion is the geometric sum
    assert values['running_frac_t10'] == pytest.approx(1 - 0.9 ** 10, abs=1e-12)
    assert values['running_frac_t50'] == pytest.approx(1 - 0.9 ** 50, abs=1e-12)
    assert values['steps_to_99pct'] == 44 == math.ceil(math.log(0.01) / math.log(0.9))


def test_test_mode_is_biased_early_and_unbiased_later(values):
    # after 5 steps: running_mean = mu (1 - 0.9^5), running_var ~ (1 - 0.9^5) * E[batch var]
    # = (1 - 0.9^5) * 31/32 for batches of 32 N(0, 1) values; the measured running_var varies
    # by a few per cent (sample variances of 5 batches), so allow 10 %
    mu, kept = 5.0, 1 - 0.9 ** 5
    predicted = mu * (1 - kept) / math.sqrt(kept * 31 / 32)
    assert values['test_out_mean_after_5'] == pytest.approx(predicted, rel=0.1)
    # after 100 steps the bias is mu * 0.9^100 ~ 1e-4; the mean of 4000 fresh N(0, 1) values
    # has std 0.016, so 0.05 is three standard deviations
    assert abs(values['test_out_mean_after_100']) < 0.05


def test_gradient_check_rows_cover_every_backward(values):
    table = rows(values['gradcheck_rows'])
    assert [row[:2] for row in table] == [
        [f, g] for f in ('batchnorm_backward', 'layernorm_backward', 'spatial_batchnorm_backward',
                         'spatial_groupnorm_backward') for g in ('dx', 'dgamma', 'dbeta')]
    assert all(re.fullmatch(r'\d\.\de[+-]\d\d', cell) for row in table for cell in row[2:])
    float64 = [float(row[2]) for row in table]
    extended = [float(row[3]) for row in table]
    # the printed errors are rounded to 2 digits
    assert max(float64) == pytest.approx(values['gradcheck_max'], rel=0.06)
    assert max(extended) == pytest.approx(values['gradcheck_max_extended'], rel=0.06)
    worst = table[float64.index(max(float64))]
    assert values['gradcheck_worst'] == f'{worst[0]} {worst[1]}'
    # float64 centred differences have ~1e-10 absolute noise, and an entry of dx near 1e-4
    # turns that into ~1e-6 relative (the page says so); a wrong formula gives > 1e-2
    assert values['gradcheck_max'] < 1e-5
    # with the numerical side in extended precision every error is below cs231n's 1e-7 (the page's claim)
    assert values['gradcheck_max_extended'] < 1e-7
    # and the float64 worst case really is rounding noise: extended precision shrinks it
    assert values['gradcheck_max_extended'] < values['gradcheck_max'] / 10


def test_notes_demo_sizes_are_layer_sizes_not_an_image(values):
    # the notes' comment reads N, D1, D2, D3 = 200, 50, 60, 3 as "200 photos of 50*60*3": X has
    # only D1 = 50 numbers per example, W1 and W2 are the weights of two affine layers
    assert values['demo_x_shape'] == '(200, 50)'
    assert values['demo_w1_shape'] == '(50, 60)' and values['demo_w2_shape'] == '(60, 3)'


def test_notes_demo_claims_mean_beta_std_just_below_gamma(values):
    # mean(gamma x_hat + beta) = beta up to rounding of 200 terms of order 10 (~1e-15)
    assert values['demo_after_mean_abs_max'] < 1e-13
    assert values['demo_affine_mean_minus_beta_max'] < 1e-12
    # std / gamma = sqrt(var / (var + eps)) = 1 - eps / (2 var) + ...: var > 700 gives < 1e-8 short
    assert 1 - 1e-8 < values['demo_affine_std_over_gamma_min']
    assert values['demo_affine_std_over_gamma_max'] < 1


def test_groupnorm_gamma_and_gradients_shapes_in_report(values):
    assert values['gn_gamma_shape'] == values['gn_dgamma_shape'] == values['gn_dbeta_shape'] \
        == str((1, values['truth_C'], 1, 1))


def test_running_mean_points_lie_on_the_curve(values):
    # the batch means are exactly mu up to rounding, so the recursion is the geometric sum
    assert values['running_max_dev_from_theory'] < 1e-12


# The notebook's own gradient-check cell --------------------------------------------------------

def notebook_cell_reference(seed):
    """BatchNormalization.ipynb's "Batchnorm backward" cell, with numpy's global seed as the
    notebook does (the experiment uses RandomState), restoring the global state afterwards."""
    state = np.random.get_state()
    try:
        np.random.seed(seed)
        N, D = 4, 5
        x = 5 * np.random.randn(N, D) + 12
        gamma = np.random.randn(D)
        beta = np.random.randn(D)
        dout = np.random.randn(N, D)
    finally:
        np.random.set_state(state)
    bn_param = {'mode': 'train'}
    fx = lambda x: batchnorm_forward(x, gamma, beta, bn_param)[0]
    dx_num = eval_numerical_gradient_array(fx, x, dout)
    _, cache = batchnorm_forward(x, gamma, beta, bn_param)
    dx, _, _ = batchnorm_backward(dout, cache)
    return rel_error(dx_num, dx), x


def test_notebook_cell_uses_the_notebooks_draws(values):
    error, x = notebook_cell_reference(231)
    assert values['nb_seed'] == 231
    assert values['nb_dx_error'] == error            # same draws, same operations: same bits
    # the old page's 8.3e-7 came from default_rng(231), a different generator: different numbers
    assert not np.allclose(5 * np.random.default_rng(231).standard_normal((4, 5)) + 12, x)


def test_notebook_cell_meets_the_notebooks_expectation(values):
    # the notebook's comment: "You should expect to see relative errors between 1e-13 and 1e-8"
    for key in ('nb_dx_error', 'nb_dgamma_error', 'nb_dbeta_error'):
        assert 1e-13 < values[key] < 1e-8, key
    # a backward pass without the terms through the mean and variance fails by far
    assert values['nb_naive_dx_error'] > 1e-2
    assert notebook_batchnorm_gradcheck(231, backward=naive_batchnorm_backward)[0] > 1e-2


def test_the_spread_over_seeds_is_rounding_noise(values):
    assert values['nb_num_seeds'] == len(NOTEBOOK_SEEDS) == 200
    assert (values['nb_seed_first'], values['nb_seed_last']) == (0, 199)
    # "most seeds are below 1e-8": with 200 seeds a fraction's standard error is at most 0.035,
    # and the page says "most", so it must clear 0.5 by more than that
    assert values['nb_dx_frac_below_1e8'] > 0.5 + 0.035
    assert values['nb_dx_median'] < 1e-8 < values['nb_dx_q90'] <= values['nb_dx_max']
    assert values['nb_dx_frac_below_1e8'] <= values['nb_dx_frac_below_1e7']
    # extended precision shrinks the typical error by far more than 10x, and every one is below
    # cs231n's 1e-7: the spread is the numerical side's rounding, not the formula
    assert values['nb_dx_extended_median'] < values['nb_dx_median'] / 100
    assert values['nb_dx_extended_max'] < 1e-7 < values['nb_dx_max']


def test_seed_distribution_recomputed_on_a_few_seeds():
    seeds = [0, 1, 231]
    again = notebook_gradcheck_over_seeds(seeds)
    assert [notebook_batchnorm_gradcheck(s)[0] for s in seeds] == list(again['float64'])
    assert again['float64'][2] == notebook_cell_reference(231)[0]
