"""snippets.gradient_check and snippets.experiments.gradient_check: the SVM of assignment 1 and the
check at W ~ 0 (the gradient-check page)."""
import json
import math

import numpy as np
import pytest

from snippets.data import digits_with_bias
from snippets.data import load_digits
from snippets.experiments.gradient_check import (BURN_IN, CIFAR_SCALES, INIT_SCALE, SCALES,
                                                cifar_scale_digits, input_gradient_ratio,
                                                kink_check, predicted_active_fraction, report)
from snippets.gradient_check import (active_fraction, all_active_gradient, burn_in,
                                     hinges_near_kink, svm_loss_half_reg_gradient, svm_loss_naive,
                                     svm_loss_no_indicator, svm_loss_vectorized)
from snippets.numerical_gradient import (eval_numerical_gradient, grad_check_sparse, rel_error,
                                         sparse_numerical_gradient)


@pytest.fixture(scope='module')
def svm_result(tmp_path_factory):
    outdir = tmp_path_factory.mktemp('gradcheck')
    return report(outdir), outdir


@pytest.fixture(scope='module')
def svm_values(svm_result):
    return svm_result[0]


@pytest.fixture(scope='module')
def digits():
    return digits_with_bias()


def small_problem(scale=1.0, seed=0, N=12, D=7, C=4):
    rng = np.random.default_rng(seed)
    return (scale * rng.standard_normal((D, C)), rng.standard_normal((N, D)),
            rng.integers(0, C, N))


def loop_svm(W, X, y, reg):
    """The SVM loss and gradient written out from the definition, independently."""
    N, C = X.shape[0], W.shape[1]
    loss, dW = 0.0, np.zeros_like(W)
    for i in range(N):
        s = W.T @ X[i]
        for j in range(C):
            if j != y[i] and s[j] - s[y[i]] + 1 > 0:
                loss += s[j] - s[y[i]] + 1
                dW[:, j] += X[i]
                dW[:, y[i]] -= X[i]
    return loss / N + reg * (W ** 2).sum(), dW / N + 2 * reg * W


@pytest.mark.parametrize('reg', [0.0, 0.7])
def test_svm_naive_and_vectorized_agree_with_the_definition(reg):
    W, X, y = small_problem()
    want_loss, want_dW = loop_svm(W, X, y, reg)
    for loss_fn in (svm_loss_naive, svm_loss_vectorized):
        loss, dW = loss_fn(W, X, y, reg)
        assert loss == pytest.approx(want_loss, rel=1e-13)
        np.testing.assert_allclose(dW, want_dW, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize('reg', [0.0, 0.7])
@pytest.mark.parametrize('loss_fn', [svm_loss_naive, svm_loss_vectorized])
def test_svm_gradients_match_the_full_numerical_gradient(loss_fn, reg):
    W, X, y = small_problem()
    assert hinges_near_kink(W, X, y, h=1e-6 * 10) == 0     # no kink within reach of the steps
    numerical = eval_numerical_gradient(lambda W: loss_fn(W, X, y, reg)[0],
                                        W.astype(np.longdouble), verbose=False, h=1e-6)
    # numerical side in 80-bit precision, away from kinks the loss is linear in each entry:
    # only rounding (~1e-13) remains
    assert rel_error(numerical, loss_fn(W, X, y, reg)[1]) < 1e-7


def test_the_wrong_gradient_is_the_all_active_pattern_whatever_W_is():
    W, X, y = small_problem()
    pattern = all_active_gradient(X, y, 4)
    for scale in (1e-4, 1.0, 10.0):
        _, dW = svm_loss_no_indicator(scale * W, X, y, 0.3)
        np.testing.assert_allclose(dW, pattern + 2 * 0.3 * scale * W, rtol=1e-12, atol=1e-15)
    # and the loss is still right
    assert svm_loss_no_indicator(W, X, y, 0.3)[0] == pytest.approx(loop_svm(W, X, y, 0.3)[0])


def test_all_active_gradient_is_the_sum_over_all_hinges():
    _, X, y = small_problem()
    C = 4
    want = np.zeros((X.shape[1], C))
    for i in range(X.shape[0]):
        for j in range(C):
            if j != y[i]:
                want[:, j] += X[i]                 # x_i to each wrong column
        want[:, y[i]] -= (C - 1) * X[i]            # -(C - 1) x_i to its own
    np.testing.assert_allclose(all_active_gradient(X, y, C), want / X.shape[0], rtol=1e-12,
                               atol=1e-15)


def test_near_zero_weights_activate_every_hinge_and_give_the_pattern(digits):
    X, y = digits
    W0 = INIT_SCALE * np.random.default_rng(0).standard_normal((65, 10))
    # |s_j - s_y| <= 2 * max|x| * sum|w| < 1: every margin 1 + s_j - s_y is positive
    assert 2 * np.abs(X).sum(axis=1).max() * np.abs(W0).max() < 1
    assert active_fraction(W0, X, y) == 1.0
    _, dW = svm_loss_vectorized(W0, X, y, 0.0)
    np.testing.assert_allclose(dW, all_active_gradient(X, y, 10), rtol=0, atol=1e-14)
    np.testing.assert_allclose(dW, svm_loss_no_indicator(W0, X, y, 0.0)[1], rtol=0, atol=1e-14)


def test_negative_gradient_column_is_C_p_j_times_class_mean_minus_the_mean(svm_values, digits):
    X, y = digits
    C, N = 10, X.shape[0]
    dW = all_active_gradient(X, y, C)
    for j in range(C):
        p_j = np.mean(y == j)
        np.testing.assert_allclose(-dW[:, j], C * p_j * X[y == j].mean(axis=0) - X.mean(axis=0),
                                   rtol=1e-12, atol=1e-14)
    shares = np.bincount(y) / N
    assert svm_values['class_share_min'] == shares.min() and svm_values['class_share_max'] == shares.max()
    assert 0.09 < shares.min() and shares.max() < 0.11              # so C p_j is close to 1
    corr = [np.corrcoef(-dW[:64, j], X[y == j, :64].mean(0) - X[:, :64].mean(0))[0, 1]
            for j in range(C)]
    assert svm_values['template_corr_min'] == pytest.approx(min(corr), rel=1e-6)
    assert svm_values['template_corr_min'] > 0.99
    # the bias row: 1 - C p_j, small because the classes are nearly balanced
    assert svm_values['bias_row_max'] == pytest.approx(np.abs(1 - C * shares).max(), rel=1e-9)


def test_initial_losses_are_C_minus_1_and_ln_C(svm_values, digits):
    X, y = digits
    W0 = INIT_SCALE * np.random.default_rng(0).standard_normal((65, 10))
    bound = np.abs(X @ W0).max()
    # each of the C - 1 hinges is 1 + s_j - s_y, off by at most 2 max|s|; softmax likewise
    assert abs(svm_values['loss_init'] - 9) < 2 * 9 * bound < 0.1
    assert abs(svm_values['softmax_loss_init'] - math.log(10)) < 2 * bound
    assert math.log(10) == pytest.approx(2.302585, abs=1e-6)
    assert svm_values['active_init'] == 1.0
    assert svm_values['naive_vs_vectorized_loss'] < 1e-12
    assert svm_values['naive_vs_vectorized_grad'] < 1e-12
    assert svm_values['init_vs_pattern'] < 1e-14


def rows_of(markdown):
    return [[cell.strip() for cell in line.strip().strip('|').split('|')]
            for line in markdown.splitlines()]


def test_check_table_wrong_gradient_passes_only_while_every_hinge_is_active(svm_values, digits):
    X, y = digits
    table = rows_of(svm_values['check_rows'])
    # sorted by the score scale, both inputs, every scale once
    scales = [float(row[0]) for row in table]
    assert scales == sorted(scales) and len(table) == len(SCALES) + len(CIFAR_SCALES)
    assert sorted(row[1] for row in table) == ['$D = 3073$'] * 3 + ['$D = 65$'] * 4
    noise = '$< 10^{-5}$'               # rounding noise: only the bound is printed (BLAS-dependent digits)
    for score_scale, _, _, active, near_kink, right, wrong in table:
        score_scale, active = float(score_scale), float(active)
        if int(near_kink) == 0:
            assert right == noise              # away from kinks: float64 noise only
        if active == 1.0:
            assert wrong == right == noise     # the same gradient
            assert score_scale < 0.05
        else:
            assert float(wrong) > 0.5 and score_scale > 0.3
    for key in ('rows_correct', 'rows_wrong'):
        for error, cell in zip(svm_values[key], [row[5 if key == 'rows_correct' else 6] for row in table]):
            assert (cell == noise) == (error < 1e-5)
    assert svm_values['burn_in_correct_cell'] == noise
    assert svm_values['first_scale_detected'] == 0.1
    # independently, at W = 0.1 * randn some hinges are already off
    W = 0.1 * np.random.default_rng(1).standard_normal((65, 10))
    assert active_fraction(W, X, y) < 1
    scores = X @ W
    margins = scores - scores[np.arange(len(y)), y][:, None] + 1
    margins[np.arange(len(y)), y] = 1
    assert active_fraction(W, X, y) == pytest.approx(np.mean(margins > 0) * 10 / 9 - 1 / 9)


def test_cifar_scale_input_is_the_digits_enlarged_to_3073_values_0_255_minus_the_mean():
    X, y = cifar_scale_digits()
    raw, labels = load_digits()
    assert X.shape == (1797, 3073) and np.array_equal(y, labels)
    np.testing.assert_array_equal(X[:, -1], 1.0)
    np.testing.assert_allclose(X[:, :-1].mean(axis=0), 0, atol=1e-9)
    # pixel (r, c) of channel k of the 32x32 image is pixel (r // 4, c // 4) of the 8x8 one, 0..255
    images = X[:, :-1].reshape(-1, 3, 32, 32)
    centred = raw / 16 * 255 - (raw / 16 * 255).mean(axis=0)
    for k, r, c in ((0, 0, 0), (1, 13, 7), (2, 31, 30)):
        np.testing.assert_allclose(images[:, k, r, c], centred[:, (r // 4) * 8 + c // 4], atol=1e-9)


def test_at_cifar_scale_the_assignments_init_closes_hinges_and_catches_the_wrong_gradient(svm_values):
    X, y = cifar_scale_digits()
    W = INIT_SCALE * np.random.default_rng(0).standard_normal((3073, 10))
    assert svm_values['cifar_init_active'] == pytest.approx(active_fraction(W, X, y), rel=1e-12)
    assert svm_values['cifar_init_active'] < 0.99 and svm_values['cifar_init_buggy'] > 0.1
    # the wrong variant is the constant pattern; at this W it differs from the true gradient
    _, right = svm_loss_vectorized(W, X, y, 0.0)
    _, wrong = svm_loss_no_indicator(W, X, y, 0.0)
    assert rel_error(right, wrong) > 0.1
    # while the digits at the same sigma_W keep every hinge open: sigma_W alone decides nothing
    assert svm_values['active_init'] == 1.0
    assert svm_values['cifar_init_score_scale'] > 100 * svm_values['digits_init_score_scale']


def test_the_correct_gradient_fails_at_cifar_scale_only_where_a_step_switches_a_hinge(svm_values):
    X, y = cifar_scale_digits()
    W = INIT_SCALE * np.random.default_rng(0).standard_normal((3073, 10))
    errors, switched = kink_check(W, X, y, 1e-5)
    assert errors.max() == svm_values['cifar_init_correct']        # the same entries as check_both
    assert np.all(switched[errors > 1e-5] > 0) and errors[switched == 0].max() < 1e-6
    assert svm_values['cifar_init_bad'] == (errors > 1e-5).sum() > 0
    # a smaller step crosses fewer kinks
    assert svm_values['cifar_init_bad_small_h'] < svm_values['cifar_init_bad']


def test_kink_check_counts_switched_hinges_on_a_tiny_problem():
    # one example, two classes; margin of class 1: 1 + x (W1 - W0) = 1 + (w1 - w0) with x = [1]
    X, y = np.array([[1.0]]), np.array([0])
    W = np.array([[0.0, -1.0 + 5e-6]])               # margin 5e-6: within h = 1e-5 of the kink
    errors, switched = kink_check(W, X, y, 1e-5, num_checks=2)
    assert list(switched) == [1, 1]
    W = np.array([[0.0, -0.5]])                       # margin 0.5: far from the kink
    errors, switched = kink_check(W, X, y, 1e-5, num_checks=2)
    assert list(switched) == [0, 0] and errors.max() < 1e-9


def test_the_fraction_of_active_hinges_depends_on_the_score_scale(svm_values):
    """E[active] = mean_i Phi(1 / (sqrt(2) ||x_i|| sigma_W)), checked by simulation, and the
    table's measured fractions lie within 0.15 of it."""
    rng = np.random.default_rng(7)
    X = rng.standard_normal((400, 30)) * rng.uniform(0.2, 2.0, (400, 1))
    y = rng.integers(0, 5, 400)
    for scale in (0.05, 0.3):
        fractions = [active_fraction(scale * rng.standard_normal((30, 5)), X, y) for _ in range(200)]
        # 200 draws: the mean's standard error is below 0.003 (draw-to-draw sd < 0.04)
        assert np.mean(fractions) == pytest.approx(predicted_active_fraction(X, scale), abs=0.01)
    # the wrong variant, sigma_W alone: the same sigma_W on the two inputs gives 1.0 and 0.966
    assert svm_values['rows_active'][svm_values['rows_scale'].index(1e-4)] == 1.0
    # one draw of W: over 20 draws the fraction scatters by at most 0.06 (sd) on these inputs,
    # so 0.15 is 2.5 sd
    for a, p in zip(svm_values['rows_active'], svm_values['rows_predicted_active']):
        assert abs(a - p) < 0.15
    # Phi(1 / (sqrt(2) * 0.4)) = Phi(1.77), independently with scipy's normal distribution
    from scipy.stats import norm
    assert svm_values['active_prob_at_04'] == pytest.approx(norm.cdf(1 / (math.sqrt(2) * 0.4)), rel=1e-12)
    assert svm_values['closed_prob_at_01'] == pytest.approx(norm.sf(1 / (math.sqrt(2) * 0.1)), rel=1e-9)
    assert 0.96 < svm_values['active_prob_at_04'] < 0.962
    assert svm_values['closed_prob_at_01'] < 1e-12


def test_input_gradient_doubles_with_W_only_while_the_upstream_gradient_is_fixed(svm_values, digits):
    X, y = digits
    assert svm_values['dx_ratio_init'] == pytest.approx(2.0, rel=1e-12)
    assert svm_values['dx_ratio_big'] < 1.99
    W = np.random.default_rng(1).standard_normal((65, 10))
    scores = X @ W
    margins = scores - scores[np.arange(len(y)), y][:, None] + 1
    assert 0 < np.mean(margins > 0) < 1                 # some hinges closed: dscores moves with W
    assert input_gradient_ratio(X, y, W) == pytest.approx(svm_values['dx_ratio_big'], rel=1e-12)


def test_the_trained_gradient_is_faint_on_the_shared_scale_and_no_longer_a_template(svm_values):
    assert svm_values['template_trained_ratio'] < 0.05
    assert svm_values['template_trained_corr_max'] < 0.9 < svm_values['template_corr_min']


def test_after_burn_in_the_wrong_gradient_fails_and_the_right_one_passes(svm_values, digits):
    X, y = digits
    assert svm_values['burn_in_buggy'] > 0.1 and svm_values['burn_in_correct'] < 1e-6
    assert svm_values['burn_in_active'] < 0.1 and svm_values['burn_in_accuracy'] > 0.9
    assert svm_values['burn_in_near_kink'] == 0 and svm_values['init_near_kink'] == 0
    W = burn_in(INIT_SCALE * np.random.default_rng(0).standard_normal((65, 10)), X, y, 0.0,
                **BURN_IN)
    assert svm_values['burn_in_loss'] == pytest.approx(loop_svm(W, X, y, 0.0)[0], rel=1e-10)
    assert svm_values['burn_in_loss'] < svm_values['loss_init'] / 10


def test_regularization_gradient_of_the_older_convention_fails_only_with_reg(svm_values):
    assert svm_values['half_reg_err_reg0'] < 1e-5
    assert svm_values['half_reg_err_reg'] > 1e-2
    assert svm_values['correct_err_reg'] < 1e-5
    W, X, y = small_problem()
    # 0.5 * reg convention: gradient reg * W, half of what reg * sum(W * W) needs
    np.testing.assert_allclose(svm_loss_half_reg_gradient(W, X, y, 0.4)[1],
                               loop_svm(W, X, y, 0.0)[1] + 0.4 * W, rtol=1e-12, atol=1e-15)


def test_grad_check_sparse_catches_a_wrong_gradient_and_restores_x():
    x = np.linspace(1, 2, 6)
    before = x.copy()
    right = grad_check_sparse(lambda x: np.sum(x ** 2), x, 2 * x, num_checks=4)
    wrong = grad_check_sparse(lambda x: np.sum(x ** 2), x, x, num_checks=4)
    np.testing.assert_array_equal(x, before)
    assert right.max() < 1e-8 and wrong.min() == pytest.approx(1 / 3, rel=1e-6)
    picks, _ = sparse_numerical_gradient(np.sum, np.zeros(10), num_checks=10)
    assert sorted(picks[0]) == list(range(10))          # distinct entries


def test_report_writes_the_templates_figure(svm_result):
    values, outdir = svm_result
    assert json.loads(json.dumps(values)) == values
    svg = (outdir / 'templates.svg').read_text()
    assert svg.startswith('<?xml') and '</svg>' in svg and '<dc:date>' not in svg
    assert len(svg) < 150_000


W_, X_, Y_ = small_problem()


@pytest.mark.parametrize('name, args', [
    ('W', (np.ones(7), X_, Y_, 0.0)),
    ('W', (np.full((7, 4), np.nan), X_, Y_, 0.0)),
    ('X', (W_, np.ones((12, 6)), Y_, 0.0)),
    ('X', (W_, X_[0], Y_, 0.0)),
    ('y', (W_, X_, Y_[:5], 0.0)),
    ('y', (W_, X_, Y_ + 4, 0.0)),
    ('y', (W_, X_, Y_.astype(float), 0.0)),
    ('reg', (W_, X_, Y_, -1.0)),
    ('reg', (W_, X_, Y_, float('inf'))),
    ('reg', (W_, X_, Y_, None)),
])
@pytest.mark.parametrize('loss_fn', [svm_loss_naive, svm_loss_vectorized, svm_loss_no_indicator])
def test_svm_losses_reject_bad_input(loss_fn, name, args):
    with pytest.raises(ValueError, match=rf'\b{name}\b'):
        loss_fn(*args)


def test_sparse_check_rejects_bad_input():
    with pytest.raises(ValueError, match=r'\bnum_checks\b'):
        grad_check_sparse(np.sum, np.zeros(3), np.zeros(3), num_checks=4)
    with pytest.raises(ValueError, match=r'\bnum_checks\b'):
        sparse_numerical_gradient(np.sum, np.zeros(3), num_checks=0)
    with pytest.raises(ValueError, match=r'\banalytic_grad\b'):
        grad_check_sparse(np.sum, np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match=r'\bC\b|\by\b'):
        all_active_gradient(X_, Y_, 2)


def test_the_correct_gradient_error_at_W0_is_float64_rounding(svm_values, digits):
    X, y = digits
    W0 = INIT_SCALE * np.random.default_rng(0).standard_normal((65, 10))
    f = lambda W: svm_loss_vectorized(W, X, y, 0.0)[0]
    analytic = svm_loss_vectorized(W0, X, y, 0.0)[1]
    float64 = grad_check_sparse(f, W0.copy(), analytic, 40)
    assert float64.max() == svm_values['check_init_correct']
    # the same entries with the numerical side in 80-bit precision: ~1000 times less noise
    extended = grad_check_sparse(f, W0.astype(np.longdouble), analytic, 40, h=1e-6)
    assert extended.max() < 1e-3 * float64.max()
    assert svm_values['check_worst_correct'] < 1e-5


def test_every_hinge_is_active_up_to_scale_0_01(digits):
    X, y = digits
    for scale in (1e-4, 1e-2):
        W = scale * np.random.default_rng(1).standard_normal((65, 10))
        s = X @ W
        margins = s - s[np.arange(len(y)), y][:, None] + 1
        assert margins.min() > 0              # including j = y_i, where the margin is 1
