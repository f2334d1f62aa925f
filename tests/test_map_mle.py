"""
snippets.map_mle and snippets.experiments.map_mle: gradient checks, bad input, the identities
behind "L2 = Gaussian prior", and one claim test per number of report() that the page shows, each
against an independent computation.
"""
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from snippets.data import digits_with_bias
from snippets.experiments.map_mle import (SIGMA, SWEEP_SIZES, WEAK_SIGMA, label_sums,
                                          one_weight_example, report)
from snippets.map_mle import (gaussian_log_prior, log_likelihood, minimize_loss,
                              minimize_posterior, mle_exists, neg_log_posterior, newton,
                              reg_from_sigma, softmax_hessian, softmax_loss_vectorized,
                              zero_row_sum_basis)
from snippets.numerical_gradient import eval_numerical_gradient, rel_error

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope='module')
def result(tmp_path_factory):
    outdir = tmp_path_factory.mktemp('map_mle')
    return report(outdir), outdir


@pytest.fixture(scope='module')
def values(result):
    return result[0]


def small_problem(seed=0, n=30):
    """30 digits at 4x4 (16 features + bias, 10 classes) and a random W (D, C)."""
    X, y = digits_with_bias(pool=2, centre=True)
    W = 0.1 * np.random.default_rng(seed).standard_normal((X.shape[1], 10))
    return W, X[:n], y[:n]


def softmax_loss_naive(W, X, y, reg):
    """The assignment's loop version, written independently of the module."""
    loss, dW = 0.0, np.zeros_like(W)
    N = X.shape[0]
    for i in range(N):
        scores = X[i].dot(W)
        scores = scores - scores.max()
        p = np.exp(scores) / np.sum(np.exp(scores))
        loss -= np.log(p[y[i]])
        for j in range(W.shape[1]):
            dW[:, j] += (p[j] - (j == y[i])) * X[i]
    return loss / N + reg * np.sum(W * W), dW / N + 2 * reg * W


# Gradient checks --------------------------------------------------------------------------
# rel_error is the largest elementwise relative error; in float64 with h = 1e-5 the centred
# difference carries ~1e-10 absolute noise, and entries of dW near 1e-4 turn it into ~1e-6
# relative. A wrong gradient (below) is off by more than 1e-2.

def test_softmax_loss_vectorized_gradient_matches_numerical_gradient():
    W, X, y = small_problem()
    for reg in (0.0, 0.05, 3.0):
        _, dW = softmax_loss_vectorized(W, X, y, reg)
        numerical = eval_numerical_gradient(lambda V: softmax_loss_vectorized(V, X, y, reg)[0],
                                            W.copy(), verbose=False)
        assert rel_error(numerical, dW) < 2e-6, reg


def test_neg_log_posterior_gradient_matches_numerical_gradient():
    W, X, y = small_problem(1)
    _, grad = neg_log_posterior(W, X, y, 0.7)
    numerical = eval_numerical_gradient(lambda V: neg_log_posterior(V, X, y, 0.7)[0],
                                        W.copy(), verbose=False)
    assert rel_error(numerical, grad) < 2e-6


def test_softmax_hessian_matches_differences_of_the_gradient():
    W, X, y = small_problem(2)
    H = softmax_hessian(W, X)
    h = 1e-5
    for j in range(0, W.size, 7):
        V = W.ravel().copy()
        V[j] += h
        plus = softmax_loss_vectorized(V.reshape(W.shape), X, y, 0.0)[1].ravel()
        V[j] -= 2 * h
        minus = softmax_loss_vectorized(V.reshape(W.shape), X, y, 0.0)[1].ravel()
        # entries of H near 1e-5 turn the ~1e-11 noise of a gradient difference into ~1e-6
        # relative; dropping the -p_c p_k term would be off by order 1
        assert rel_error((plus - minus) / (2 * h), H[:, j]) < 1e-5, j
    np.testing.assert_allclose(H, H.T, atol=1e-15)


def test_a_wrong_regularization_gradient_fails_the_same_check():
    W, X, y = small_problem()
    reg = 0.05
    _, dW = softmax_loss_vectorized(W, X, y, reg)
    wrong = dW - reg * W                      # "d/dW reg * W^2 = reg * W", the factor 2 dropped
    numerical = eval_numerical_gradient(lambda V: softmax_loss_vectorized(V, X, y, reg)[0],
                                        W.copy(), verbose=False)
    assert rel_error(numerical, wrong) > 1e-2


def test_report_gradient_checks_pass(values):
    for key in ('gradcheck_loss', 'gradcheck_posterior', 'gradcheck_hessian'):
        assert values[key] < 2e-6, key


def test_softmax_loss_vectorized_equals_the_loop_version():
    W, X, y = small_problem(3)
    loss, dW = softmax_loss_vectorized(W, X, y, 0.1)
    loss_naive, dW_naive = softmax_loss_naive(W, X, y, 0.1)
    assert abs(loss - loss_naive) < 1e-13
    np.testing.assert_allclose(dW, dW_naive, atol=1e-15)


# The identities ---------------------------------------------------------------------------

def test_gaussian_log_prior_is_the_sum_of_scipy_normal_log_densities():
    W, _, _ = small_problem(4)
    value, grad = gaussian_log_prior(W, 0.3)
    assert abs(value - stats.norm(0, 0.3).logpdf(W).sum()) < 1e-10
    np.testing.assert_allclose(grad, -W / 0.09, rtol=1e-14)


def test_log_likelihood_is_minus_N_times_the_mean_data_loss():
    W, X, y = small_problem(5)
    ll, dll = log_likelihood(W, X, y)
    loss, dW = softmax_loss_vectorized(W, X, y, 0.0)
    assert abs(ll + len(y) * loss) < 1e-11
    np.testing.assert_allclose(dll, -len(y) * dW, atol=1e-13)


@pytest.mark.parametrize('sigma', [0.3, 1.0, 5.0])
def test_neg_log_posterior_is_N_times_the_cs231n_loss_plus_a_constant(sigma):
    # -log p(W | D) = N * (loss / N + reg * sum W^2) + (D C / 2) log(2 pi sigma^2), exactly
    W, X, y = small_problem(6)
    N, (D, C) = len(y), W.shape
    for scale in (0.0, 1.0, 10.0):
        nlp, grad = neg_log_posterior(scale * W, X, y, sigma)
        loss, dW = softmax_loss_vectorized(scale * W, X, y, reg_from_sigma(sigma, N))
        assert abs(nlp - N * loss - D * C / 2 * math.log(2 * math.pi * sigma ** 2)) < 1e-10
        np.testing.assert_allclose(grad, N * dW, atol=1e-12)


def test_reg_from_sigma_both_conventions():
    assert reg_from_sigma(2.0, 100) == 1 / (2 * 100 * 4.0)
    assert reg_from_sigma(2.0, 100, half=True) == 2 * reg_from_sigma(2.0, 100)
    # fixed sigma: reg shrinks like 1/N
    assert reg_from_sigma(1.0, 1000) == reg_from_sigma(1.0, 10) / 100


def test_the_half_convention_needs_twice_the_reg():
    # loss += 0.5 * reg_half * sum(W * W) is our loss with reg = reg_half / 2
    X, y = digits_with_bias(pool=4, centre=True, standardize=True)
    X, y = X[:400], y[:400]
    W_post, _ = minimize_posterior(X, y, 1.0)
    W_half, _ = minimize_loss(X, y, 0.5 * reg_from_sigma(1.0, 400, half=True))
    W_wrong, _ = minimize_loss(X, y, 0.5 * reg_from_sigma(1.0, 400))
    assert np.abs(W_half - W_post).max() < 1e-10
    assert np.abs(W_wrong - W_post).max() > 0.1


def test_laplace_prior_is_l1():
    # -log Laplace(w; 0, b) = |w| / b + log(2 b): an L1 penalty with reg = 1 / (N b)
    w = np.linspace(-3, 3, 13)
    b = 0.5
    np.testing.assert_allclose(-stats.laplace(0, b).logpdf(w), np.abs(w) / b + np.log(2 * b),
                               rtol=1e-13)


def test_flat_prior_map_is_the_mle():
    # sigma -> infinity: the Gaussian prior flattens and the MAP becomes the MLE
    X, y = digits_with_bias(pool=4, centre=True, standardize=True)
    W_mle, _ = minimize_loss(X, y, 0.0)
    W_flat, _ = minimize_posterior(X, y, 1e4)
    assert np.linalg.norm(W_flat - W_mle) / np.linalg.norm(W_mle) < 1e-4


def test_map_and_mle_rows_sum_to_zero():
    # the data gradient's rows sum to 0 over classes (softmax is shift invariant), so the MAP
    # (2 reg W = -grad) has rows summing to 0; newton pins the MLE there too
    X, y = digits_with_bias(pool=4, centre=True, standardize=True)
    for reg in (0.0, 1e-3):
        W, _ = minimize_loss(X, y, reg)
        assert np.abs(W.sum(axis=1)).max() < 1e-12 * np.abs(W).max()
        shifted = W + np.arange(W.shape[0])[:, None]        # same loss, other weights
        assert abs(softmax_loss_vectorized(shifted, X, y, 0.0)[0]
                   - softmax_loss_vectorized(W, X, y, 0.0)[0]) < 1e-12


# The gauge, pinned: the same numbers on every CPU --------------------------------------------
# Without a prior the Hessian is singular along W + v 1^T. The old newton solved H step = -g with
# np.linalg.lstsq(rcond=None); on an AVX-512 OpenBLAS kernel a null singular value landed above
# its cut-off and the sigma = 10, N = 1797 MLE drifted (row sums near -0.08, the first-order
# formula "off by 36%"). newton now solves on the rows-sum-to-zero subspace.

def test_zero_row_sum_basis_is_orthonormal_and_spans_the_zero_row_sums():
    D, C = 3, 5
    Q = zero_row_sum_basis(D, C)
    assert Q.shape == (D * C, D * (C - 1))
    np.testing.assert_allclose(Q.T @ Q, np.eye(D * (C - 1)), atol=1e-15)
    # each column, as a (D, C) matrix, has rows summing to 0; and the dimensions add up to D C
    assert np.abs(Q.T.reshape(-1, D, C).sum(axis=2)).max() < 1e-15
    shifts = np.kron(np.eye(D), np.ones((C, 1)))                 # the D directions W + v 1^T
    assert np.abs(Q.T @ shifts).max() < 1e-15


@pytest.mark.parametrize('sigma', [SIGMA, WEAK_SIGMA, None])      # None: the MLE
def test_rows_sum_to_zero_for_every_N_and_sigma(sigma):
    # the invariant the old solver broke; rounding leaves ~1e-16 relative (10 terms per row)
    X, y = digits_with_bias(pool=4, centre=True, standardize=True)
    order = np.random.default_rng(0).permutation(len(y))
    for n in SWEEP_SIZES:
        Xn, yn = X[order[:n]], y[order[:n]]
        W, info = minimize_loss(Xn, yn, 0.0 if sigma is None else reg_from_sigma(sigma, n))
        assert info['converged'], n
        assert np.abs(W.sum(axis=1)).max() < 1e-12 * np.abs(W).max(), (n, sigma)


def test_newton_does_not_depend_on_where_it_starts_along_the_gauge():
    # a start shifted along W + v 1^T (same loss) ends at the same W, to rounding
    X, y = digits_with_bias(pool=4, centre=True, standardize=True)
    W, _ = minimize_loss(X, y, 0.0)
    shifted_start = 5.0 * np.arange(X.shape[1])[:, None] * np.ones((1, 10))
    W_shifted, info = minimize_loss(X, y, 0.0, W0=shifted_start)
    assert info['converged']
    assert np.abs(W_shifted - W).max() < 1e-10 * np.abs(W).max()


def test_lstsq_with_its_default_cutoff_lets_rounding_pick_the_gauge():
    # The failure, made deterministic. Near the MLE, change the Hessian along one gauge direction
    # v by 2e-14 of its largest eigenvalue (rounding: another BLAS kernel sums in another order),
    # just above lstsq's default cut-off eps * max(H.shape) = 1.1e-14 relative, and let the
    # gradient have a rounding-sized 1e-16 along v. lstsq then divides that 1e-16 by the tiny
    # singular value and steps along the gauge; the pinned solve never looks in that direction.
    X, y = digits_with_bias(pool=4, centre=True, standardize=True)
    W, _ = minimize_loss(X, y, 0.0)
    W = W + 1e-3 * np.random.default_rng(0).standard_normal(W.shape)   # a point before the end
    W -= W.mean(axis=1, keepdims=True)
    H = softmax_hessian(W, X)
    g = softmax_loss_vectorized(W, X, y, 0.0)[1].ravel() + 1e-16 * np.ones(W.size)
    D, C = W.shape
    v = np.ones(D * C) / np.sqrt(D * C)                       # W + const: one gauge direction
    top = np.linalg.eigvalsh(H)[-1]
    H_other = H + 2e-14 * top * np.outer(v, v)
    assert 2e-14 > np.finfo(float).eps * max(H.shape)          # above the default cut-off
    old_step = np.linalg.lstsq(H_other, -g, rcond=None)[0]
    old_reference = np.linalg.lstsq(H, -g, rcond=None)[0]
    assert abs(old_reference @ v) < 1e-12                      # below the cut-off: no drift
    assert abs(old_step @ v) > 1e-3                            # above it: a drift along v
    Q = zero_row_sum_basis(D, C)
    pinned = Q @ np.linalg.solve(Q.T @ H_other @ Q, -Q.T @ g)
    reference = Q @ np.linalg.solve(Q.T @ H @ Q, -Q.T @ g)
    assert abs(pinned @ v) < 1e-15
    np.testing.assert_allclose(pinned, reference, rtol=1e-9, atol=1e-14)


# report(): equivalence ---------------------------------------------------------------------

def test_equivalence_optimum_is_the_same(values):
    assert values['eq_N'] == 1797 and values['eq_params'] == values['eq_D'] * values['eq_C'] == 170
    assert values['eq_reg'] == 1 / (2 * 1797 * SIGMA ** 2)
    assert values['eq_reg_half'] == 2 * values['eq_reg']
    # both solutions are at the same point to rounding: differences far below 1e-6
    assert values['eq_max_diff'] < 1e-12
    assert values['eq_max_weight'] > 1                  # so the difference is not trivially small


def test_equivalence_solver_converged(values):
    # half the squared Newton decrement estimates the gap; the strong-convexity bound is rigorous
    assert values['eq_gap_loss'] < 1e-20 and values['eq_gap_post'] < 1e-20
    assert values['eq_grad_loss'] < 1e-15 and values['eq_grad_post'] < 1e-11
    assert values['eq_dist_bound'] < 1e-12
    assert values['eq_iters_loss'] <= 20 and values['eq_iters_post'] <= 20


def test_equivalence_constant_is_DC_over_2_log_2pi_sigma2(values):
    assert values['eq_const_theory'] == pytest.approx(170 / 2 * math.log(2 * math.pi), rel=1e-15)
    assert abs(values['eq_const'] - values['eq_const_theory']) < 1e-9


def test_wrong_convention_gives_another_optimum(values):
    assert values['eq_wrong_diff'] > 0.1


def test_the_likelihood_as_a_product_underflows_and_its_log_does_not(values):
    # exp(log L) with log L below log of the smallest subnormal (4.9e-324) is 0 in float64
    assert values['eq_likelihood_product'] == 0.0
    assert values['eq_log_likelihood'] < math.log(4.9e-324) == pytest.approx(-744.44, abs=0.01)
    # the log-likelihood is -N times the data loss at the same W (independent path)
    assert values['eq_log_likelihood'] < -values['eq_N'] * 0.3


def test_every_optimum_of_the_report_is_in_the_gauge(values):
    assert values['gauge_max_row_sum'] < 1e-12


# report(): separable data ------------------------------------------------------------------

def test_digits_0_and_1_are_linearly_separable(values):
    X, y = digits_with_bias(classes=(0, 1), centre=True)
    assert values['sep_N'] == len(y) == 360 and values['sep_D'] == X.shape[1] == 65
    assert values['sep_accuracy'] == 1.0


def test_mle_norm_grows_and_loss_goes_to_zero(values):
    norms, losses = values['sep_mle_norms'], values['sep_mle_losses']
    assert all(a < b for a, b in zip(norms, norms[1:]))
    assert all(a > b for a, b in zip(losses, losses[1:]))
    assert values['sep_t'][-1] == values['sep_T'] and norms[-1] == values['sep_mle_norm_T']
    assert values['sep_mle_norm_100'] < values['sep_mle_norm_1000'] < values['sep_mle_norm_T']
    assert values['sep_mle_loss_T'] < values['sep_mle_loss_100'] / 10
    # scaling a separating W lowers the loss further: the infimum 0 is never reached
    assert 0 <= values['sep_scaled_loss_10'] <= values['sep_scaled_loss_2']
    assert values['sep_scaled_loss_2'] < values['sep_mle_loss_T']


def test_map_norm_settles(values):
    assert abs(values['sep_map_norm_T'] - values['sep_map_norm_1000']) < 0.01
    assert values['sep_map_norm_T'] < values['sep_mle_norm_T']
    assert values['sep_map_grad_T'] < 1e-6
    # the MAP does not drive the data loss to 0
    assert values['sep_map_loss_T'] > 10 * values['sep_mle_loss_T']


def test_newton_finds_no_finite_mle_on_separable_data():
    # 4x4 digits 0 and 1: still separable, and X has full column rank (17), so the only flat
    # directions of the loss at W = 0 are the gauge ones. (The 8x8 images have pixels that are 0
    # in every 0 and 1, and newton refuses the singular system there: converged False at once.)
    X, y = digits_with_bias(classes=(0, 1), pool=2, centre=True)
    assert np.linalg.matrix_rank(X) == X.shape[1]
    W, info = newton(lambda W: softmax_loss_vectorized(W, X, y, 0.0),
                     lambda W: softmax_hessian(W, X), np.zeros((X.shape[1], 2)), max_iter=30)
    assert np.mean(np.argmax(X.dot(W), axis=1) == y) == 1.0
    assert not info['converged'] and not mle_exists(W, X)[0]
    assert np.linalg.norm(W) > 20
    X8, y8 = digits_with_bias(classes=(0, 1), centre=True)
    W8, info8 = newton(lambda W: softmax_loss_vectorized(W, X8, y8, 0.0),
                       lambda W: softmax_hessian(W, X8), np.zeros((X8.shape[1], 2)))
    assert not info8['converged'] and np.all(W8 == 0)


# report(): MAP -> MLE -----------------------------------------------------------------------

def sweep_table(values):
    return [[float(c) for c in line.strip('| ').split(' | ')]
            for line in values['sweep_rows'].splitlines()]


def test_sweep_mle_exists_at_every_size(values):
    table = sweep_table(values)
    assert values['sweep_all_finite'] is True
    assert [int(r[0]) for r in table] == [100, 161, 261, 423, 686, 1110, 1797]
    assert all(r[1] > 1e-8 for r in table)


def test_sweep_distance_falls_with_N_for_a_fixed_prior(values):
    d = [r[3] for r in sweep_table(values)]
    assert all(a > b for a, b in zip(d, d[1:]))
    assert values['sweep_sizes'] == list(SWEEP_SIZES)
    assert [round(x, 3) for x in values['sweep_dists']] == d
    assert values['sweep_dist_last'] < values['sweep_dist_first'] / 4
    assert -1 < values['sweep_slope'] < -0.3


def test_sweep_distance_stays_for_a_fixed_reg(values):
    d = [r[4] for r in sweep_table(values)]
    assert max(d) / min(d) < 1.3
    assert [round(x, 3) for x in values['sweep_fixed_dists']] == d
    assert max(d[3:]) < 1.05 * min(d[3:])                # flat from N = 423 on
    assert values['sweep_fixed_reg'] == 1 / (2 * 100)
    assert values['sweep_fixed_first'] == values['sweep_dist_first']   # same reg at N = 100


def test_sweep_is_not_yet_asymptotic_with_sigma_1(values):
    assert values['sweep_n_lam_last'] < 10
    assert values['sweep_first_order_error_last'] > 0.2


def test_weak_prior_reaches_the_first_order_regime(values):
    assert values['weak_sigma'] == WEAK_SIGMA
    assert values['weak_n_lam_last'] > 100
    # the review's prediction once the gauge drift is gone: about 0.6%, not 36%
    assert values['weak_first_order_error_last'] < 0.01
    assert values['weak_first_order_error_first'] > 0.1
    assert values['weak_slope'] < -1
    assert values['weak_dists'] == sorted(values['weak_dists'], reverse=True)


def test_first_order_error_shrinks_like_one_over_n_lambda_sigma2(values):
    # the next term of the expansion is O((N lambda_min sigma^2)^-1) relative: error times
    # N lambda_min sigma^2 stays of order 1 where the formula applies
    scaled = values['first_order_scaled']
    assert len(scaled) == 3 and 0.5 < min(scaled) and max(scaled) < 5
    assert values['first_order_scaled_min'] == min(scaled)
    assert scaled[0] == pytest.approx(values['sweep_first_order_error_last'] * values['sweep_n_lam_last'])
    assert scaled[2] == pytest.approx(values['weak_first_order_error_last'] * values['weak_n_lam_last'])


# report(): one weight -----------------------------------------------------------------------

def test_one_weight_example_orders_mle_map_and_mean(values):
    example = one_weight_example()
    w, dw = example['w'], example['w'][1] - example['w'][0]
    # the grid maxima agree with the Newton maxima to the grid spacing
    assert abs(w[np.argmax(example['likelihood'])] - values['one_mle']) <= dw
    assert abs(w[np.argmax(example['posterior'])] - values['one_map']) <= dw
    # the prior pulls the MAP toward 0
    assert 0 < values['one_map'] < values['one_mle']
    # the posterior mean, by independent quadrature of prior x likelihood with scipy
    x, labels = example['x'], example['y']

    def unnormalized(v):
        p = 1 / (1 + np.exp(-v * x))
        return np.prod(np.where(labels == 1, p, 1 - p)) * stats.norm(0, SIGMA).pdf(v)

    from scipy.integrate import quad
    Z = quad(unnormalized, -10, 10)[0]
    mean = quad(lambda v: v * unnormalized(v), -10, 10)[0] / Z
    assert abs(mean - values['one_mean']) < 1e-6
    assert abs(values['one_mean'] - values['one_map']) > 0.01
    assert values['one_n'] == 20
    # the posterior's width by the same quadrature; narrower than the likelihood, which is
    # narrower than the prior N(0, 1) (its sd on the grid [-3, 6] is a little below 1)
    var = quad(lambda v: (v - mean) ** 2 * unnormalized(v), -10, 10)[0] / Z
    assert abs(math.sqrt(var) - values['one_posterior_sd']) < 1e-4
    assert values['one_prior_sd'] > values['one_likelihood_sd'] > values['one_posterior_sd']
    assert values['one_map'] < values['one_mean'] < values['one_mle']


# Bad input ---------------------------------------------------------------------------------

def raises(name, function, *args, **kwargs):
    with pytest.raises(ValueError, match=rf'\b{name}\b'):
        function(*args, **kwargs)


def test_functions_reject_bad_input():
    W, X, y = small_problem()
    raises('W', softmax_loss_vectorized, W[0], X, y, 0.1)
    raises('X', softmax_loss_vectorized, W, X[:, :-1], y, 0.1)
    raises('y', softmax_loss_vectorized, W, X, y[:-1], 0.1)
    raises('y', softmax_loss_vectorized, W, X, y + 10, 0.1)
    raises('y', softmax_loss_vectorized, W, X, y.astype(float), 0.1)
    raises('reg', softmax_loss_vectorized, W, X, y, -1.0)
    raises('reg', softmax_loss_vectorized, W, X, y, float('nan'))
    raises('W', softmax_loss_vectorized, W * np.nan, X, y, 0.1)
    raises('sigma', neg_log_posterior, W, X, y, 0.0)
    raises('sigma', gaussian_log_prior, W, -1.0)
    raises('sigma', reg_from_sigma, 0.0, 10)
    raises('N', reg_from_sigma, 1.0, 0)
    raises('N', reg_from_sigma, 1.0, 2.5)
    raises('pool', digits_with_bias, pool=3, centre=True)
    raises('classes', digits_with_bias, classes=(1,), centre=True)
    raises('classes', digits_with_bias, classes=(1, 1), centre=True)
    raises('W0', newton, lambda W: (0.0, W), lambda W: np.eye(W.size), np.zeros(3))
    raises("scores", label_sums, np.zeros((2, 3)))


# report(): keys, types, figures, pages ------------------------------------------------------

def test_report_values_are_json_numbers_or_strings(values):
    # lists of numbers too: the curves behind a figure, for the claim checks about it
    for key, value in values.items():
        if type(value) is list:
            assert value and all(type(v) in (int, float) for v in value), key
        else:
            assert type(value) in (int, float, str, bool), (key, value)
    assert json.loads(json.dumps(values)) == values


def test_every_page_placeholder_is_a_report_key(values):
    for lang in ('zh', 'en'):
        page = ROOT / 'docs' / lang / 'map-mle.md'
        if not page.exists():
            pytest.fail(f'{page} is missing')
        used = set(re.findall(r'\{\{\s*map_mle\.(\w+)', page.read_text(encoding='utf-8')))
        assert used <= set(values), used - set(values)


def test_report_writes_three_small_deterministic_figures(result):
    _, outdir = result
    for name in ('posterior.svg', 'separable.svg', 'sweep.svg'):
        svg = (outdir / name).read_text()
        assert svg.startswith('<?xml') and '</svg>' in svg
        assert len(svg.encode()) < 150_000
        assert '<dc:date>' not in svg


def test_softmax_loss_is_a_label_probability_and_the_hinge_loss_is_not(values):
    # sum_j exp(-L(s, j)) is 1 for the softmax at any s; for the hinge loss with margin 1 it is
    # 3 exp(-2) at s = 0 (each wrong class costs 1) and 1 + exp(-3) + exp(-8) at s = (2, 0, -2)
    assert abs(values['softmax_sum_zero'] - 1) < 1e-15
    assert abs(values['softmax_sum_spread'] - 1) < 1e-15
    assert values['hinge_sum_zero'] == pytest.approx(3 * math.exp(-2), rel=1e-15)
    assert values['hinge_sum_spread'] == pytest.approx(1 + math.exp(-3) + math.exp(-8), rel=1e-15)
