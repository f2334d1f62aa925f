"""
MAP vs MLE on the digits: the experiments of the map-mle page.

cs231n's softmax loss plus reg * sum(W * W) is, up to a factor N and a constant, the negative log
posterior of a Gaussian prior N(0, sigma^2) on every weight, when reg = 1 / (2 N sigma^2). This
module measures that claim and what follows from it, on scikit-learn's 8x8 digits (pixels / 16,
mean image subtracted, a column of ones for the bias, from snippets.data.digits_with_bias):

1. One weight (threes against eights, one feature): the prior, the likelihood and the posterior
   drawn on a grid, with the MLE, the MAP and the posterior mean (posterior.svg).
2. Equivalence: the cs231n loss and the negative log posterior, minimized separately by Newton's
   method on all 1797 digits at 4x4, have the same optimum to rounding; the two differ by the
   constant (D C / 2) log(2 pi sigma^2). With the `0.5 * reg` convention the reg must double.
3. Separable data (digits 0 and 1): no MLE exists; gradient descent without reg grows ||W||
   forever while the MAP settles (separable.svg).
4. MAP -> MLE: with a fixed prior, the MAP approaches the MLE as N grows (about like 1/N once
   N lambda_min sigma^2 >> 1); with a fixed reg it does not (sweep.svg).
5. Only a loss that is a negative log probability is a likelihood: sum_j exp(-L_j) is 1 for the
   softmax, not for the hinge loss.

Every optimum is checked by its own convergence numbers, and the gradients by numerical ones.
The lesson code (the objectives and the solver) is in snippets/map_mle.py.
"""
from pathlib import Path

import numpy as np

from snippets.checks import check_array
from snippets.data import digits_with_bias
from snippets.layers import softmax_loss, svm_loss
from snippets.map_mle import (gradient_descent, log_likelihood, minimize_loss, minimize_posterior,
                              mle_exists, neg_log_posterior, reg_from_sigma, softmax_hessian,
                              softmax_loss_vectorized, zero_row_sum_basis)
from snippets.numerical_gradient import eval_numerical_gradient, rel_error
from snippets.reporting import OKABE_ITO, markdown_rows, pyplot, save_svg

# Settings -----------------------------------------------------------------------------------

SIGMA = 1.0          # the prior N(0, SIGMA^2) on every weight, in every experiment
WEAK_SIGMA = 10.0    # a weaker prior, to see the asymptotic rate of MAP -> MLE
SEPARABLE_ITERATIONS = 4000
SWEEP_SIZES = (100, 161, 261, 423, 686, 1110, 1797)


# Experiments --------------------------------------------------------------------------------

def gradient_checks(seed=0):
    """rel_error of softmax_loss_vectorized's dW, neg_log_posterior's gradient and
    softmax_hessian against centred differences (float64, h = 1e-5), on 30 digits at 4x4."""
    X, y = digits_with_bias(pool=2, centre=True)
    X, y = X[:30], y[:30]
    W = 0.1 * np.random.default_rng(seed).standard_normal((X.shape[1], 10))
    _, dW = softmax_loss_vectorized(W, X, y, 0.05)
    numerical = eval_numerical_gradient(lambda V: softmax_loss_vectorized(V, X, y, 0.05)[0],
                                        W.copy(), verbose=False)
    _, grad = neg_log_posterior(W, X, y, 0.7)
    numerical_post = eval_numerical_gradient(lambda V: neg_log_posterior(V, X, y, 0.7)[0],
                                             W.copy(), verbose=False)
    # Hessian: each column is the derivative of the gradient; a few columns suffice
    H = softmax_hessian(W, X)
    columns = [0, 17, 55, 101, 169]
    numerical_h = []
    for j in columns:
        V = W.copy().ravel()
        V[j] += 1e-5
        plus = softmax_loss_vectorized(V.reshape(W.shape), X, y, 0.0)[1].ravel()
        V[j] -= 2e-5
        minus = softmax_loss_vectorized(V.reshape(W.shape), X, y, 0.0)[1].ravel()
        numerical_h.append((plus - minus) / 2e-5)
    return {'softmax_loss_vectorized': rel_error(numerical, dW),
            'neg_log_posterior': rel_error(numerical_post, grad),
            'softmax_hessian': rel_error(np.array(numerical_h).T, H[:, columns])}


def equivalence(sigma=SIGMA):
    """
    Minimize cs231n's loss with reg = reg_from_sigma(sigma, N) and, separately, the negative log
    posterior, on all 1797 digits at 4x4 (16 features + bias, 10 classes, 170 weights).

    Returns a dict: both minimizers and newton's info, the data, reg, and the minimizer of the
    0.5 * reg convention used with the reg of the other convention (a factor 2 off).
    """
    X, y = digits_with_bias(pool=2, centre=True)
    reg = reg_from_sigma(sigma, len(y))
    W_loss, info_loss = minimize_loss(X, y, reg)
    W_post, info_post = minimize_posterior(X, y, sigma)
    # loss += 0.5 * reg * sum(W * W) with the reg above is reg / 2 in our convention
    W_wrong, info_wrong = minimize_loss(X, y, 0.5 * reg)
    return {'X': X, 'y': y, 'reg': reg, 'sigma': sigma, 'W_loss': W_loss, 'info_loss': info_loss,
            'W_post': W_post, 'info_post': info_post, 'W_wrong': W_wrong, 'info_wrong': info_wrong}


def separable_experiment(iterations=SEPARABLE_ITERATIONS, sigma=SIGMA):
    """Digits 0 and 1 (all 64 pixels + bias, N = 360), which a linear classifier separates:
    gradient descent on the MLE objective (reg = 0) and on the MAP objective. The histories
    'mle' and 'map' are lists of (iteration, data loss, ||W||_F)."""
    X, y = digits_with_bias(classes=(0, 1), centre=True)
    record = set(np.unique(np.geomspace(1, iterations, 60).astype(int)).tolist()) | {10, 100, 1000}
    W_mle, mle = gradient_descent(X, y, 0.0, iterations, record)
    W_map, map_ = gradient_descent(X, y, reg_from_sigma(sigma, len(y)), iterations, record)
    return {'X': X, 'y': y, 'W_mle': W_mle, 'mle': mle, 'W_map': W_map, 'map': map_,
            'iterations': iterations}


def sweep_experiment(sizes=SWEEP_SIZES, sigma=SIGMA, seed=0, fixed_reg=True):
    """
    MAP vs MLE on the first n digits of a fixed permutation, for each n in sizes: 2x2 images
    (4 standardized features + bias, 10 classes), on which the MLE is finite. MAP with the fixed
    prior N(0, sigma^2) (reg = 1 / (2 n sigma^2)) and, if fixed_reg, with the fixed reg of sizes[0].

    Returns a list of dicts, one per n.
    """
    X, y = digits_with_bias(pool=4, centre=True, standardize=True)
    order = np.random.default_rng(seed).permutation(len(y))
    rows = []
    for n in sizes:
        Xn, yn = X[order[:n]], y[order[:n]]
        W_mle, info_mle = minimize_loss(Xn, yn, 0.0)
        exists, lam = mle_exists(W_mle, Xn)
        W_map, info_map = minimize_loss(Xn, yn, reg_from_sigma(sigma, n))
        norm = np.linalg.norm(W_mle)
        # first order: grad L(W_map) + 2 reg W_map = 0 and grad L(W_map) ~ H (W_map - W_mle), so
        # W_map - W_mle ~ -H^+ W_mle / (n sigma^2). H^+ on the rows-sum-to-zero subspace (where
        # W_mle lies) is Q (Q^T H Q)^-1 Q^T: a nonsingular solve, no cut-off to decide the gauge
        Q = zero_row_sum_basis(*W_mle.shape)
        first_order = Q @ np.linalg.solve(Q.T @ softmax_hessian(W_mle, Xn) @ Q, Q.T @ W_mle.ravel())
        row = {'n': n, 'exists': exists and info_mle['converged'], 'lam': lam,
               'W_mle': W_mle, 'W_map': W_map, 'norm_mle': norm,
               'dist_prior': np.linalg.norm(W_map - W_mle) / norm,
               'dist_first_order': np.linalg.norm(first_order) / (n * sigma ** 2) / norm,
               'converged': info_mle['converged'] and info_map['converged']}
        if fixed_reg:
            W_fix, info_fix = minimize_loss(Xn, yn, reg_from_sigma(sigma, sizes[0]))
            row.update(W_fix=W_fix, dist_fixed_reg=np.linalg.norm(W_fix - W_mle) / norm,
                       converged=row['converged'] and info_fix['converged'])
        rows.append(row)
    return rows


def one_weight_example(n=20, sigma=SIGMA, seed=0):
    """
    The smallest model with a prior, a likelihood and a posterior one can draw: p(y = 1 | x, w) =
    1 / (1 + exp(-w x)) with one weight w, x the standardized mean ink of a digit (3 -> 0, 8 -> 1),
    n digits drawn with a fixed seed, prior w ~ N(0, sigma^2). Densities on a grid of w.

    Returns a dict with w (grid), prior, likelihood, posterior (each normalized on the grid), and
    the MLE, the MAP and the posterior mean.
    """
    X, y = digits_with_bias(classes=(3, 8), pool=8, centre=True, standardize=True)
    pick = np.random.default_rng(seed).permutation(len(y))[:n]
    x, labels = X[pick, 0], y[pick]
    w = np.linspace(-3, 6, 3601)
    signs = 2 * labels - 1                                       # +1 for an 8, -1 for a 3
    log_lik = -np.logaddexp(0, -np.outer(w, signs * x)).sum(axis=1)
    log_prior = -w ** 2 / (2 * sigma ** 2) - 0.5 * np.log(2 * np.pi * sigma ** 2)
    dw = w[1] - w[0]

    def normalized(log_f):
        f = np.exp(log_f - log_f.max())
        return f / (f.sum() * dw)

    posterior = normalized(log_lik + log_prior)
    # the maxima to machine precision: Newton on the concave 1-D log densities
    mle, map_ = _argmax_1d(x * signs, 0.0), _argmax_1d(x * signs, 1 / sigma ** 2)
    return {'x': x, 'y': labels, 'w': w, 'prior': normalized(log_prior),
            'likelihood': normalized(log_lik), 'posterior': posterior,
            'mle': mle, 'map': map_, 'posterior_mean': float(np.sum(w * posterior) * dw)}


def _grid_sd(w, density):
    """The standard deviation of a density normalized on the grid w (as in one_weight_example)."""
    dw = w[1] - w[0]
    mean = np.sum(w * density) * dw
    return float(np.sqrt(np.sum((w - mean) ** 2 * density) * dw))


def _argmax_1d(z, precision):
    """argmax over w of sum_i log sigmoid(w z_i) - precision w^2 / 2, by Newton's method."""
    w = 0.0
    for _ in range(100):
        p = 1 / (1 + np.exp(-w * z))
        grad = np.sum((1 - p) * z) - precision * w
        hess = -np.sum(p * (1 - p) * z ** 2) - precision
        w -= grad / hess
        if abs(grad) < 1e-14:
            break
    return float(w)


def label_sums(scores):
    """
    sum over labels j of exp(-L(scores, j)) for the softmax and the SVM (hinge) loss of one score
    vector: 1 for every score vector means exp(-L) is a probability of the label, p(y | x, W).

    Inputs:
    - scores: class scores of one example, of shape (C,)

    Returns a tuple (softmax sum, hinge sum).
    """
    check_array('scores', scores, ndim=1)
    C = scores.shape[0]
    every_label = np.tile(scores, (C, 1))                # one row per candidate label
    labels = np.arange(C)
    softmax = sum(np.exp(-softmax_loss(every_label[j:j + 1], labels[j:j + 1])[0]) for j in labels)
    hinge = sum(np.exp(-svm_loss(every_label[j:j + 1], labels[j:j + 1])[0]) for j in labels)
    return float(softmax), float(hinge)


# Figures ------------------------------------------------------------------------------------

def posterior_figure(example):
    """The one-weight example: prior, likelihood and posterior densities, MLE, MAP and mean."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7.4, 3.4))
    w = example['w']
    ax.plot(w, example['prior'], color=OKABE_ITO['sky_blue'], linestyle='--', linewidth=2,
            label='$p(w)$')
    ax.plot(w, example['likelihood'], color=OKABE_ITO['orange'], linewidth=2,
            label='$p(y \\mid x, w)$')
    ax.plot(w, example['posterior'], color=OKABE_ITO['blue'], linewidth=2.5,
            label='$p(w \\mid x, y)$')
    top = max(example['posterior'].max(), example['likelihood'].max()) * 1.08
    for key, colour, style, text in (('mle', OKABE_ITO['vermillion'], ':', 'MLE'),
                                     ('map', OKABE_ITO['blue'], '-', 'MAP'),
                                     ('posterior_mean', OKABE_ITO['green'], '-.',
                                      '$E[w \\mid x, y]$')):
        ax.axvline(example[key], color=colour, linestyle=style, linewidth=1.3,
                   label=f'{text} = {example[key]:.3f}')
    ax.set_xlim(-2.5, 4)
    ax.set_ylim(0, top)
    ax.set_xlabel('$w$')
    ax.legend(loc='upper left', bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.spines[['top', 'right']].set_visible(False)
    fig.tight_layout()
    return fig


def separable_figure(result, sigma=SIGMA):
    """||W||_F (left) and the data loss (right) along gradient descent, MLE against MAP."""
    plt = pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.6, 3.2))
    map_label = f'reg = 1/(2N$\\sigma^2$), $\\sigma$ = {sigma:g}  (MAP)'
    for key, colour, label in (('mle', OKABE_ITO['vermillion'], 'reg = 0  (MLE)'),
                               ('map', OKABE_ITO['blue'], map_label)):
        t, loss, norm = np.array(result[key]).T
        left.plot(t, norm, color=colour, linewidth=2, label=label)
        right.plot(t, loss, color=colour, linewidth=2, label=label)
    left.set_xscale('log')
    left.set_xlabel('$t$')
    left.set_ylabel('$\\|W\\|_F$')
    right.set_xscale('log')
    right.set_yscale('log')
    right.set_xlabel('$t$')
    right.set_ylabel('$L_{data}(W)$')
    left.legend(frameon=False, loc='upper left', fontsize=8.5)
    for ax in (left, right):
        ax.spines[['top', 'right']].set_visible(False)
    fig.tight_layout()
    return fig


def sweep_figure(rows, sigma=SIGMA):
    """Relative distance MAP - MLE against N, for a fixed prior and for a fixed reg."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6.0, 3.4))
    n = np.array([r['n'] for r in rows], dtype=float)
    ax.plot(n, [r['dist_prior'] for r in rows], 'o-', color=OKABE_ITO['blue'], linewidth=2,
            label=f'reg = 1/(2N$\\sigma^2$), $\\sigma$ = {sigma:g}')
    ax.plot(n, [r['dist_fixed_reg'] for r in rows], 's--', color=OKABE_ITO['orange'], linewidth=2,
            label=f'reg = {reg_from_sigma(sigma, rows[0]["n"]):g}')
    ref = rows[-1]['dist_prior'] * n[-1] / n
    ax.plot(n, ref, ':', color=OKABE_ITO['black'], linewidth=1.2, label='$\\propto 1/N$')
    ax.set_xscale('log')
    ax.set_yscale('log')
    ax.set_ylim(0.1, 1.0)
    ax.set_yticks([0.1, 0.2, 0.3, 0.5, 1.0], ['0.1', '0.2', '0.3', '0.5', '1'])
    ax.set_yticks([], minor=True)
    ax.set_xticks([100, 200, 500, 1000, 1797], ['100', '200', '500', '1000', '1797'])
    ax.set_xticks([], minor=True)
    ax.set_xlabel('$N$')
    ax.set_ylabel('$\\|W_{MAP} - W_{MLE}\\|_F \\,/\\, \\|W_{MLE}\\|_F$')
    ax.legend(frameon=False, loc='lower left')
    ax.spines[['top', 'right']].set_visible(False)
    fig.tight_layout()
    return fig


# The page's numbers, one experiment at a time ----------------------------------------------

def _correct_class_probabilities(W, X, y):
    """p(y_i | x_i, W) for every example, of shape (N,)."""
    scores = X.dot(W)
    P = np.exp(scores - scores.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    return P[np.arange(len(y)), y]


def equivalence_values(eq):
    """eq_*: the two optima of equivalence(), their convergence, and the constant between them."""
    X, y, reg = eq['X'], eq['y'], eq['reg']
    W_loss, W_post = eq['W_loss'], eq['W_post']
    info_loss, info_post = eq['info_loss'], eq['info_post']
    N, D = X.shape
    C = W_loss.shape[1]
    post_value = neg_log_posterior(W_post, X, y, SIGMA)[0]
    loss_value = softmax_loss_vectorized(W_post, X, y, reg)[0]
    grad_at_W_loss = softmax_loss_vectorized(W_loss, X, y, reg)[1]
    return dict(
        eq_N=N, eq_D=D, eq_C=C, eq_params=D * C, eq_reg=reg,
        eq_reg_half=reg_from_sigma(SIGMA, N, half=True),
        eq_max_diff=float(np.abs(W_loss - W_post).max()),
        eq_max_weight=float(np.abs(W_post).max()),
        eq_iters_loss=info_loss['iterations'], eq_iters_post=info_post['iterations'],
        eq_grad_loss=info_loss['grad_norm'], eq_grad_post=info_post['grad_norm'],
        eq_gap_loss=info_loss['gap'], eq_gap_post=info_post['gap'],
        # strong convexity: loss - 2 reg ||W||^2 / 2 is convex, so ||W - W*|| <= ||g|| / (2 reg)
        eq_dist_bound=float(np.linalg.norm(grad_at_W_loss) / (2 * reg)),
        eq_const=float(post_value - N * loss_value),
        eq_const_theory=float(D * C / 2 * np.log(2 * np.pi * SIGMA ** 2)),
        eq_wrong_diff=float(np.abs(eq['W_wrong'] - W_post).max()),
        # the likelihood as a product of N probabilities underflows; its log does not
        eq_likelihood_product=float(np.prod(_correct_class_probabilities(W_post, X, y))),
        eq_log_likelihood=float(log_likelihood(W_post, X, y)[0]))


def separable_values(sep):
    """sep_*: ||W||_F and the data loss of separable_experiment() at t = 100, 1000 and T."""
    X, y, T = sep['X'], sep['y'], sep['iterations']
    mle_loss = {t: loss for t, loss, _ in sep['mle']}
    mle_norm = {t: norm for t, _, norm in sep['mle']}
    map_loss = {t: loss for t, loss, _ in sep['map']}
    map_norm = {t: norm for t, _, norm in sep['map']}
    scaled = {s: softmax_loss_vectorized(s * sep['W_mle'], X, y, 0.0)[0] for s in (2, 10)}
    map_grad = softmax_loss_vectorized(sep['W_map'], X, y, reg_from_sigma(SIGMA, len(y)))[1]
    return dict(
        sep_N=len(y), sep_D=X.shape[1], sep_T=T,
        sep_accuracy=float(np.mean(np.argmax(X.dot(sep['W_mle']), axis=1) == y)),
        sep_mle_norm_100=mle_norm[100], sep_mle_norm_1000=mle_norm[1000],
        sep_mle_norm_T=mle_norm[T], sep_mle_loss_100=mle_loss[100], sep_mle_loss_T=mle_loss[T],
        sep_map_norm_100=map_norm[100], sep_map_norm_1000=map_norm[1000],
        sep_map_norm_T=map_norm[T],
        sep_map_loss_T=map_loss[T],
        sep_map_grad_T=float(np.abs(map_grad).max()),
        sep_scaled_loss_2=scaled[2], sep_scaled_loss_10=scaled[10],
        # the whole curves of separable.svg, for the claims about them
        sep_t=[int(t) for t, _, _ in sep['mle']],
        sep_mle_norms=[float(n) for _, _, n in sep['mle']],
        sep_mle_losses=[float(loss) for _, loss, _ in sep['mle']],
        sep_map_norms=[float(n) for _, _, n in sep['map']],
        sep_map_losses=[float(loss) for _, loss, _ in sep['map']])


def _slope(rows):
    """The fitted log-log slope of the relative distance MAP - MLE against n."""
    return float(np.polyfit(np.log([r['n'] for r in rows]),
                            np.log([r['dist_prior'] for r in rows]), 1)[0])


def _first_order_error(row):
    """How far the first-order formula for the distance MAP - MLE is off, relatively."""
    return abs(row['dist_first_order'] / row['dist_prior'] - 1)


def sweep_values(rows, weak):
    """sweep_* and weak_*: sweep_experiment() with the prior SIGMA (rows) and WEAK_SIGMA (weak)."""
    first, last = rows[0], rows[-1]
    return dict(
        sweep_rows=markdown_rows(
            (r['n'], f"{r['lam']:.1e}", f"{r['norm_mle']:.2f}", f"{r['dist_prior']:.3f}",
             f"{r['dist_fixed_reg']:.3f}") for r in rows),
        sweep_n_first=first['n'], sweep_n_last=last['n'],
        sweep_dist_first=first['dist_prior'], sweep_dist_last=last['dist_prior'],
        sweep_fixed_first=first['dist_fixed_reg'], sweep_fixed_last=last['dist_fixed_reg'],
        sweep_fixed_reg=reg_from_sigma(SIGMA, first['n']),
        sweep_slope=_slope(rows),
        sweep_all_finite=all(r['exists'] for r in rows),
        sweep_lam_last=last['lam'],
        sweep_n_lam_last=last['n'] * last['lam'] * SIGMA ** 2,
        weak_sigma=WEAK_SIGMA, weak_slope=_slope(weak),
        weak_n_lam_first=weak[0]['n'] * weak[0]['lam'] * WEAK_SIGMA ** 2,
        weak_dist_last=weak[-1]['dist_prior'],
        weak_n_lam_last=weak[-1]['n'] * weak[-1]['lam'] * WEAK_SIGMA ** 2,
        weak_first_order_error_first=_first_order_error(weak[0]),
        weak_first_order_error_last=_first_order_error(weak[-1]),
        sweep_first_order_error_first=_first_order_error(first),
        sweep_first_order_error_last=_first_order_error(last),
        # the first-order error times N lambda_min sigma^2 where the formula is meant to hold
        # (sigma = 1 at the largest N, the weak prior at the smallest and the largest): of order 1
        # if the error shrinks like 1 / (N lambda_min sigma^2)
        first_order_scaled=[float(_first_order_error(r) * r['n'] * r['lam'] * s ** 2)
                            for r, s in ((last, SIGMA), (weak[0], WEAK_SIGMA), (weak[-1], WEAK_SIGMA))],
        sweep_sizes=[int(r['n']) for r in rows],
        sweep_dists=[float(r['dist_prior']) for r in rows],
        sweep_fixed_dists=[float(r['dist_fixed_reg']) for r in rows],
        weak_dists=[float(r['dist_prior']) for r in weak])


# report -------------------------------------------------------------------------------------

def report(outdir):
    """
    Run every experiment of the page (fixed seeds), write posterior.svg, separable.svg and
    sweep.svg into outdir (created if missing), and return the page's numbers: a dict of JSON
    numbers, booleans and strings keyed by the placeholders {{ map_mle.<key> }}.
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    values = {'sigma': SIGMA}

    checks = gradient_checks()
    values.update(gradcheck_loss=checks['softmax_loss_vectorized'],
                  gradcheck_posterior=checks['neg_log_posterior'],
                  gradcheck_hessian=checks['softmax_hessian'])

    eq = equivalence()
    values.update(equivalence_values(eq))

    separable = separable_experiment()
    values.update(separable_values(separable))

    sweep = sweep_experiment()
    weak = sweep_experiment(sigma=WEAK_SIGMA, fixed_reg=False)
    values.update(sweep_values(sweep, weak=weak))
    values['first_order_scaled_min'] = min(values['first_order_scaled'])
    values['first_order_scaled_max'] = max(values['first_order_scaled'])
    # the gauge: every optimum newton found has rows summing to zero, relative to its largest weight
    optima = [eq['W_loss'], eq['W_post'], eq['W_wrong']] + [
        r[k] for r in sweep + weak for k in ('W_mle', 'W_map', 'W_fix') if k in r]
    values['gauge_max_row_sum'] = max(float(np.abs(W.sum(axis=1)).max() / np.abs(W).max())
                                      for W in optima)

    softmax_zero, hinge_zero = label_sums(np.zeros(3))
    softmax_spread, hinge_spread = label_sums(np.array([2.0, 0.0, -2.0]))
    values.update(softmax_sum_zero=softmax_zero, softmax_sum_spread=softmax_spread,
                  hinge_sum_zero=hinge_zero, hinge_sum_spread=hinge_spread)

    one = one_weight_example()
    values.update(one_n=len(one['y']), one_mle=one['mle'], one_map=one['map'],
                  one_mean=one['posterior_mean'],
                  **{f'one_{name}_sd': _grid_sd(one['w'], one[name])
                     for name in ('prior', 'likelihood', 'posterior')})

    save_svg(posterior_figure(one), outdir / 'posterior.svg')
    save_svg(separable_figure(separable), outdir / 'separable.svg')
    save_svg(sweep_figure(sweep), outdir / 'sweep.svg')
    return {k: (v.item() if isinstance(v, np.generic) else v) for k, v in values.items()}
