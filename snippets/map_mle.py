"""
MAP vs MLE for the softmax classifier: why cs231n's L2 term is a Gaussian prior.

The softmax classifier models labels given inputs, p(y | x, W) = softmax(x W)[y]. Its data loss,
the mean of -log p(y_i | x_i, W), is a negative log-likelihood: minimizing it alone is maximum
likelihood (MLE). Adding reg * sum(W * W) (cs231n assignment 1, spring 2018) is the same as adding
-log p(W) for a Gaussian prior W ~ N(0, sigma^2 I) with reg = 1 / (2 N sigma^2): minimizing the sum
is maximum a posteriori (MAP) estimation.

This module writes both objectives independently (the cs231n loss with softmax_loss from
snippets/layers.py; the negative log posterior with the Gaussian log density), minimizes them with
Newton's method whose convergence it checks, and runs the page's experiments on scikit-learn's
digits. Bad input raises ValueError naming the argument. `python -m snippets.map_mle OUTDIR` writes
the figures into OUTDIR and prints the numbers the page shows.
"""
import sys
from pathlib import Path

import numpy as np

from snippets.data import load_digits
from snippets.numerical_gradient import eval_numerical_gradient, rel_error
from snippets.layers import check_array, softmax_loss, svm_loss
from snippets.reporting import OKABE_ITO, markdown_rows, pyplot, save_svg


def _check_problem(W, X, y):
    """W (D, C), X (N, D), y (N,) integer labels in 0..C-1."""
    check_array('W', W, ndim=2)
    check_array('X', X, ndim=2)
    D, C = W.shape
    check_array('X', X, shape=(X.shape[0], D), hint=f' (W has D = {D} rows)')
    check_array('y', y, shape=(X.shape[0],))
    if not np.issubdtype(y.dtype, np.integer) or y.min() < 0 or y.max() >= C:
        raise ValueError(f'y must hold integer labels in 0..{C - 1}')


def _check_positive(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)) \
            or not np.isfinite(value) or value <= 0:
        raise ValueError(f'{name} must be a finite number > 0, got {value!r}')


# --8<-- [start:softmax_loss_vectorized]
def softmax_loss_vectorized(W, X, y, reg):
    """
    Softmax loss with L2 regularization, as in cs231n assignment 1 (spring 2018):
        loss = mean_i -log softmax(X[i] W)[y[i]] + reg * sum(W * W)

    Inputs:
    - W: weights, of shape (D, C)
    - X: data, of shape (N, D); with the bias trick its last column is ones
    - y: labels, of shape (N,), integers 0 <= y[i] < C
    - reg: regularization strength, >= 0

    Returns a tuple of:
    - loss: scalar
    - dW: gradient of the loss with respect to W, of shape (D, C)
    """
    _check_problem(W, X, y)
    if isinstance(reg, bool) or not isinstance(reg, (int, float, np.floating, np.integer)) \
            or not np.isfinite(reg) or reg < 0:
        raise ValueError(f'reg must be a finite number >= 0, got {reg!r}')
    scores = X.dot(W)                              # (N, C)
    loss, dscores = softmax_loss(scores, y)        # mean over the N examples
    loss += reg * np.sum(W * W)
    dW = X.T.dot(dscores) + 2 * reg * W
    return loss, dW
# --8<-- [end:softmax_loss_vectorized]


# --8<-- [start:neg_log_posterior]
def log_likelihood(W, X, y):
    """
    log p(y | X, W) = sum_i log softmax(X[i] W)[y[i]]: a sum, not a mean.

    Returns a tuple of:
    - value: scalar
    - grad: its gradient with respect to W, of shape (D, C)
    """
    _check_problem(W, X, y)
    scores = X.dot(W)
    log_probs = scores - scores.max(axis=1, keepdims=True)
    log_probs -= np.log(np.exp(log_probs).sum(axis=1, keepdims=True))
    one_hot = np.eye(W.shape[1])[y]                # (N, C)
    return np.sum(log_probs * one_hot), X.T.dot(one_hot - np.exp(log_probs))


def gaussian_log_prior(W, sigma):
    """
    log p(W) for independent W[d, c] ~ N(0, sigma^2), the sum of Gaussian log densities
        log N(w; 0, sigma^2) = -w^2 / (2 sigma^2) - log(2 pi sigma^2) / 2

    Returns a tuple of:
    - value: scalar
    - grad: its gradient -W / sigma^2, of shape (D, C)
    """
    check_array('W', W)
    _check_positive('sigma', sigma)
    log_density = -W ** 2 / (2 * sigma ** 2) - 0.5 * np.log(2 * np.pi * sigma ** 2)
    return np.sum(log_density), -W / sigma ** 2


def neg_log_posterior(W, X, y, sigma):
    """
    -log p(W | X, y) up to the constant log p(y | X) (Bayes' rule):
        -log p(y | X, W) - log p(W)

    Inputs:
    - W: weights, of shape (D, C)
    - X: data, of shape (N, D)
    - y: labels, of shape (N,)
    - sigma: standard deviation of the Gaussian prior on each weight, > 0

    Returns a tuple of:
    - value: scalar
    - grad: gradient with respect to W, of shape (D, C)
    """
    ll, dll = log_likelihood(W, X, y)
    lp, dlp = gaussian_log_prior(W, sigma)
    return -(ll + lp), -(dll + dlp)


def reg_from_sigma(sigma, N, half=False):
    """
    The reg for which softmax_loss_vectorized has the MAP estimate of the prior N(0, sigma^2 I)
    as its minimum. N * loss = -log p(y | X, W) + N * reg * sum(W * W) must equal
    -log p(W | X, y) = -log p(y | X, W) + sum(W * W) / (2 sigma^2) + const, so
        reg = 1 / (2 N sigma^2)                 for  loss += reg * np.sum(W * W)
        reg = 1 / (N sigma^2)       (half=True) for  loss += 0.5 * reg * np.sum(W * W)
    """
    _check_positive('sigma', sigma)
    if isinstance(N, bool) or not isinstance(N, (int, np.integer)) or N < 1:
        raise ValueError(f'N must be an integer >= 1, got {N!r}')
    return (1.0 if half else 0.5) / (N * sigma ** 2)
# --8<-- [end:neg_log_posterior]


def softmax_hessian(W, X):
    """
    Hessian of the mean data loss mean_i -log softmax(X[i] W)[y[i]] with respect to W (it does
    not depend on y). W is flattened in C order, entry (d, c) at index d * C + c.

        H[(d, c), (e, k)] = mean_i X[i, d] X[i, e] (p_ic [c == k] - p_ic p_ik)

    Inputs:
    - W: weights, of shape (D, C)
    - X: data, of shape (N, D)

    Returns:
    - H: array of shape (D * C, D * C), symmetric positive semi-definite
    """
    check_array('W', W, ndim=2)
    check_array('X', X, ndim=2, shape=(X.shape[0], W.shape[0]) if X.ndim == 2 else None)
    N, D = X.shape
    C = W.shape[1]
    scores = X.dot(W)
    P = np.exp(scores - scores.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    XP = (X[:, :, None] * P[:, None, :]).reshape(N, D * C)       # x_id p_ic
    H = -XP.T.dot(XP)
    H4 = H.reshape(D, C, D, C)                                     # a view of H
    for c in range(C):
        H4[:, c, :, c] += (X * P[:, c:c + 1]).T.dot(X)             # sum_i x_id p_ic x_ie
    return H / N


# --8<-- [start:newton]
def newton(objective, hessian, W0, tol=1e-20, max_iter=100):
    """
    Minimize a convex objective by Newton's method with a backtracking line search.

    The step solves H step = -g in the least-squares sense with the smallest norm, so a singular
    Hessian (the unregularized softmax: adding one vector to every column of W changes nothing)
    keeps W in the subspace where it started. Stops when half the Newton decrement,
    lambda^2 / 2 = -g . step / 2, which estimates the gap to the optimum, is below tol.

    Inputs:
    - objective: W -> (value, grad), grad of W's shape
    - hessian: W -> array of shape (W.size, W.size)
    - W0: starting point, of shape (D, C)
    - tol: stop when lambda^2 / 2 < tol
    - max_iter: at most this many steps

    Returns a tuple of:
    - W: the minimizer found, of W0's shape
    - info: dict with 'iterations', 'value', 'grad_norm' (max |g|), 'gap' (lambda^2 / 2) and
      'converged' (bool)
    """
    check_array('W0', W0, ndim=2)
    W = W0.astype(np.float64)
    value, grad = objective(W)
    for iteration in range(max_iter + 1):
        step = np.linalg.lstsq(hessian(W), -grad.ravel(), rcond=None)[0].reshape(W.shape)
        gap = -np.sum(grad * step) / 2
        if gap < tol:
            break
        t = 1.0
        while True:                      # backtrack until the decrease is a quarter of predicted
            new_value, new_grad = objective(W + t * step)
            if new_value <= value - 0.25 * t * 2 * gap or t < 1e-10:
                break
            t /= 2
        W, value, grad = W + t * step, new_value, new_grad
    info = {'iterations': iteration, 'value': float(value), 'grad_norm': float(np.abs(grad).max()),
            'gap': float(max(gap, 0.0)), 'converged': bool(gap < tol)}
    return W, info
# --8<-- [end:newton]


def minimize_loss(X, y, reg, W0=None):
    """MAP (reg > 0) or MLE (reg = 0) by newton on softmax_loss_vectorized; returns (W, info)."""
    W0 = np.zeros((X.shape[1], int(y.max()) + 1)) if W0 is None else W0
    return newton(lambda W: softmax_loss_vectorized(W, X, y, reg),
                  lambda W: softmax_hessian(W, X) + 2 * reg * np.eye(W.size), W0)


def minimize_posterior(X, y, sigma, W0=None):
    """MAP by newton on neg_log_posterior; returns (W, info)."""
    W0 = np.zeros((X.shape[1], int(y.max()) + 1)) if W0 is None else W0
    return newton(lambda W: neg_log_posterior(W, X, y, sigma),
                  lambda W: X.shape[0] * softmax_hessian(W, X) + np.eye(W.size) / sigma ** 2, W0)


# Data ---------------------------------------------------------------------------------------

def digits(classes=None, pool=1, standardize=False):
    """
    scikit-learn's digits as (X, y) for the softmax classifier: pixels scaled to [0, 1], optionally
    averaged over pool x pool blocks, the mean image subtracted (as in assignment 1), optionally
    divided by each feature's standard deviation, and a last column of ones (the bias trick).

    Inputs:
    - classes: the digits to keep (relabelled 0..len-1 in this order), or None for all ten
    - pool: block size, 1, 2, 4 or 8
    - standardize: if True, every feature (not the bias) gets standard deviation 1

    Returns a tuple of:
    - X: array of shape (N, (8 / pool)^2 + 1)
    - y: array of shape (N,)
    """
    if pool not in (1, 2, 4, 8):
        raise ValueError(f'pool must be 1, 2, 4 or 8, got {pool!r}')
    X, y = load_digits()
    if classes is not None:
        classes = list(classes)
        if len(classes) < 2 or len(set(classes)) != len(classes) or \
                not all(isinstance(c, (int, np.integer)) and 0 <= c <= 9 for c in classes):
            raise ValueError(f'classes must be two or more distinct digits 0..9, got {classes!r}')
        keep = np.isin(y, classes)
        X, y = X[keep], np.array([classes.index(label) for label in y[keep]])
    X = X.reshape(-1, 8 // pool, pool, 8 // pool, pool).mean(axis=(2, 4)).reshape(len(X), -1) / 16
    X = X - X.mean(axis=0)
    if standardize:
        std = X.std(axis=0)
        if np.any(std == 0):
            raise ValueError(f'standardize: {np.sum(std == 0)} features are constant '
                             f'at pool={pool}')
        X = X / std
    return np.hstack([X, np.ones((len(X), 1))]), y


# Experiments --------------------------------------------------------------------------------

SIGMA = 1.0          # the prior N(0, SIGMA^2) on every weight, in every experiment
WEAK_SIGMA = 10.0    # a weaker prior, to see the asymptotic rate of MAP -> MLE


def equivalence(sigma=SIGMA):
    """
    Minimize cs231n's loss with reg = reg_from_sigma(sigma, N) and, separately, the negative log
    posterior, on all 1797 digits at 4x4 (16 features + bias, 10 classes, 170 weights).

    Returns a dict: both minimizers and newton's info, the data, reg, and the minimizer of the
    0.5 * reg convention used with the reg of the other convention (a factor 2 off).
    """
    X, y = digits(pool=2)
    reg = reg_from_sigma(sigma, len(y))
    W_loss, info_loss = minimize_loss(X, y, reg)
    W_post, info_post = minimize_posterior(X, y, sigma)
    # loss += 0.5 * reg * sum(W * W) with the reg above is reg / 2 in our convention
    W_wrong, info_wrong = minimize_loss(X, y, 0.5 * reg)
    return {'X': X, 'y': y, 'reg': reg, 'sigma': sigma, 'W_loss': W_loss, 'info_loss': info_loss,
            'W_post': W_post, 'info_post': info_post, 'W_wrong': W_wrong, 'info_wrong': info_wrong}


# --8<-- [start:separable]
def gradient_descent(X, y, reg, iterations, record):
    """
    Plain gradient descent on softmax_loss_vectorized from W = 0, step 1 / L with L the largest
    eigenvalue of X^T X / N (an upper bound on the data loss's curvature).

    Returns a tuple of:
    - W: the last iterate, of shape (D, C)
    - history: list of (iteration, data loss, ||W||_F) at the iterations in record
    """
    N, D = X.shape
    step = 1 / np.linalg.eigvalsh(X.T.dot(X) / N).max()
    W = np.zeros((D, int(y.max()) + 1))
    history = []
    for t in range(1, iterations + 1):
        loss, dW = softmax_loss_vectorized(W, X, y, reg)
        W -= step * dW
        if t in record:
            data_loss = softmax_loss_vectorized(W, X, y, 0.0)[0]
            history.append((t, data_loss, np.linalg.norm(W)))
    return W, history
# --8<-- [end:separable]


def separable_experiment(iterations=4000, sigma=SIGMA):
    """Digits 0 and 1 (all 64 pixels + bias, N = 360), which a linear classifier separates:
    gradient descent on the MLE objective (reg = 0) and on the MAP objective."""
    X, y = digits(classes=(0, 1))
    record = set(np.unique(np.geomspace(1, iterations, 60).astype(int)).tolist()) | {10, 100, 1000}
    W_mle, mle = gradient_descent(X, y, 0.0, iterations, record)
    W_map, map_ = gradient_descent(X, y, reg_from_sigma(sigma, len(y)), iterations, record)
    return {'X': X, 'y': y, 'W_mle': W_mle, 'mle': mle, 'W_map': W_map, 'map': map_,
            'iterations': iterations}


def mle_exists(W, X):
    """
    (exists, lam): the unregularized softmax loss has a finite minimizer if newton converged to W
    and the Hessian there is positive definite on the subspace where the columns of W sum to zero
    (its D other eigenvalues are 0: adding one vector to every column changes nothing). lam is the
    smallest eigenvalue on that subspace.
    """
    D = X.shape[1]
    lam = np.linalg.eigvalsh(softmax_hessian(W, X))[D]
    return bool(lam > 1e-8), float(lam)


def sweep_experiment(sizes=(100, 161, 261, 423, 686, 1110, 1797), sigma=SIGMA, seed=0,
                     fixed_reg=True):
    """
    MAP vs MLE on the first n digits of a fixed permutation, for each n in sizes: 2x2 images
    (4 standardized features + bias, 10 classes), on which the MLE is finite. MAP with the fixed
    prior N(0, sigma^2) (reg = 1 / (2 n sigma^2)) and, if fixed_reg, with the fixed reg of sizes[0].

    Returns a list of dicts, one per n.
    """
    X, y = digits(pool=4, standardize=True)
    order = np.random.default_rng(seed).permutation(len(y))
    rows = []
    for n in sizes:
        Xn, yn = X[order[:n]], y[order[:n]]
        W_mle, info_mle = minimize_loss(Xn, yn, 0.0)
        exists, lam = mle_exists(W_mle, Xn)
        W_map, info_map = minimize_loss(Xn, yn, reg_from_sigma(sigma, n))
        norm = np.linalg.norm(W_mle)
        # first order: grad L(W_map) + 2 reg W_map = 0 and grad L(W_map) ~ H (W_map - W_mle)
        first_order = np.linalg.lstsq(softmax_hessian(W_mle, Xn), W_mle.ravel(), rcond=None)[0]
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
    X, y = digits(classes=(3, 8), pool=8, standardize=True)
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


def gradient_checks(seed=0):
    """rel_error of softmax_loss_vectorized's dW, neg_log_posterior's gradient and
    softmax_hessian against centred differences (float64, h = 1e-5), on 30 digits at 4x4."""
    X, y = digits(pool=2)
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


# Figures ------------------------------------------------------------------------------------

def posterior_figure(example):
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


# report -------------------------------------------------------------------------------------

def report(outdir):
    """
    Run every experiment of the page (fixed seeds), write posterior.svg, separable.svg and
    sweep.svg into outdir (created if missing), and return the page's numbers.

    Inputs:
    - outdir: pathlib.Path

    Returns:
    - values: dict of JSON-serialisable numbers and strings, keyed by the page's placeholders
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    values = {'sigma': SIGMA}

    checks = gradient_checks()
    values.update(gradcheck_loss=checks['softmax_loss_vectorized'],
                  gradcheck_posterior=checks['neg_log_posterior'],
                  gradcheck_hessian=checks['softmax_hessian'])

    eq = equivalence()
    X, W_loss, W_post = eq['X'], eq['W_loss'], eq['W_post']
    N, D = X.shape
    C = W_loss.shape[1]
    post_value = neg_log_posterior(W_post, X, eq['y'], SIGMA)[0]
    loss_value = softmax_loss_vectorized(W_post, X, eq['y'], eq['reg'])[0]
    values.update(
        eq_N=N, eq_D=D, eq_C=C, eq_params=D * C, eq_reg=eq['reg'],
        eq_reg_half=reg_from_sigma(SIGMA, N, half=True),
        eq_max_diff=float(np.abs(W_loss - W_post).max()),
        eq_max_weight=float(np.abs(W_post).max()),
        eq_iters_loss=eq['info_loss']['iterations'], eq_iters_post=eq['info_post']['iterations'],
        eq_grad_loss=eq['info_loss']['grad_norm'], eq_grad_post=eq['info_post']['grad_norm'],
        eq_gap_loss=eq['info_loss']['gap'], eq_gap_post=eq['info_post']['gap'],
        # strong convexity: loss - 2 reg ||W||^2 / 2 is convex, so ||W - W*|| <= ||g|| / (2 reg)
        eq_dist_bound=float(np.linalg.norm(
            softmax_loss_vectorized(W_loss, X, eq['y'], eq['reg'])[1]) / (2 * eq['reg'])),
        eq_const=float(post_value - N * loss_value),
        eq_const_theory=float(D * C / 2 * np.log(2 * np.pi * SIGMA ** 2)),
        eq_wrong_diff=float(np.abs(eq['W_wrong'] - W_post).max()))

    sep = separable_experiment()
    X, y = sep['X'], sep['y']
    mle = {t: (loss, norm) for t, loss, norm in sep['mle']}
    map_ = {t: (loss, norm) for t, loss, norm in sep['map']}
    T = sep['iterations']
    scaled = [softmax_loss_vectorized(s * sep['W_mle'], X, y, 0.0)[0] for s in (1, 2, 10)]
    values.update(
        sep_N=len(y), sep_D=X.shape[1], sep_T=T,
        sep_accuracy=float(np.mean(np.argmax(X.dot(sep['W_mle']), axis=1) == y)),
        sep_mle_norm_100=mle[100][1], sep_mle_norm_1000=mle[1000][1], sep_mle_norm_T=mle[T][1],
        sep_mle_loss_100=mle[100][0], sep_mle_loss_T=mle[T][0],
        sep_map_norm_100=map_[100][1], sep_map_norm_1000=map_[1000][1], sep_map_norm_T=map_[T][1],
        sep_map_loss_T=map_[T][0],
        sep_map_grad_T=float(np.abs(softmax_loss_vectorized(
            sep['W_map'], X, y, reg_from_sigma(SIGMA, len(y)))[1]).max()),
        sep_scaled_loss_2=scaled[1], sep_scaled_loss_10=scaled[2])

    rows = sweep_experiment()
    values.update(
        sweep_rows=markdown_rows(
            (r['n'], f"{r['lam']:.1e}", f"{r['norm_mle']:.2f}", f"{r['dist_prior']:.3f}",
             f"{r['dist_fixed_reg']:.3f}") for r in rows),
        sweep_n_first=rows[0]['n'], sweep_n_last=rows[-1]['n'],
        sweep_dist_first=rows[0]['dist_prior'], sweep_dist_last=rows[-1]['dist_prior'],
        sweep_fixed_first=rows[0]['dist_fixed_reg'], sweep_fixed_last=rows[-1]['dist_fixed_reg'],
        sweep_fixed_reg=reg_from_sigma(SIGMA, rows[0]['n']),
        sweep_slope=float(np.polyfit(np.log([r['n'] for r in rows]),
                                     np.log([r['dist_prior'] for r in rows]), 1)[0]),
        sweep_all_finite=all(r['exists'] for r in rows),
        sweep_lam_last=rows[-1]['lam'],
        sweep_n_lam_last=rows[-1]['n'] * rows[-1]['lam'] * SIGMA ** 2)
    weak = sweep_experiment(sigma=WEAK_SIGMA, fixed_reg=False)
    values.update(weak_sigma=WEAK_SIGMA, weak_slope=float(np.polyfit(
        np.log([r['n'] for r in weak]), np.log([r['dist_prior'] for r in weak]), 1)[0]),
        weak_n_lam_first=weak[0]['n'] * weak[0]['lam'] * WEAK_SIGMA ** 2,
        weak_dist_last=weak[-1]['dist_prior'],
        weak_n_lam_last=weak[-1]['n'] * weak[-1]['lam'] * WEAK_SIGMA ** 2,
        weak_first_order_error_first=abs(weak[0]['dist_first_order'] / weak[0]['dist_prior'] - 1),
        weak_first_order_error_last=abs(weak[-1]['dist_first_order'] / weak[-1]['dist_prior'] - 1),
        sweep_first_order_error_first=abs(rows[0]['dist_first_order'] / rows[0]['dist_prior'] - 1),
        sweep_first_order_error_last=abs(rows[-1]['dist_first_order'] / rows[-1]['dist_prior'] - 1))

    zero, spread = np.zeros(3), np.array([2.0, 0.0, -2.0])
    values.update(softmax_sum_zero=label_sums(zero)[0], softmax_sum_spread=label_sums(spread)[0],
                  hinge_sum_zero=label_sums(zero)[1], hinge_sum_spread=label_sums(spread)[1])

    one = one_weight_example()
    values.update(one_n=len(one['y']), one_mle=one['mle'], one_map=one['map'],
                  one_mean=one['posterior_mean'])

    save_svg(posterior_figure(one), outdir / 'posterior.svg')
    save_svg(separable_figure(sep), outdir / 'separable.svg')
    save_svg(sweep_figure(rows), outdir / 'sweep.svg')
    return {k: (v.item() if isinstance(v, np.generic) else v) for k, v in values.items()}


if __name__ == '__main__':
    outdir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path('build/map_mle')
    for key, value in report(outdir).items():
        print(f'{key}:\n{value}' if isinstance(value, str) and '\n' in value else f'{key}: {value}')
    print(f'figures: {outdir}/posterior.svg, separable.svg, sweep.svg')
