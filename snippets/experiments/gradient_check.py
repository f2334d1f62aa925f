"""
Gradient-checking an SVM at W ~ 0
=================================

The experiments of the gradient-check page, on scikit-learn's 1797 digits (pixels in [0, 1] and a
column of ones, the bias trick: W is (65, 10)), and on the same digits brought to the scale of
CIFAR-10 in the assignment (no CIFAR-10 offline): each 8x8 image enlarged to 32x32 (every pixel
repeated 4 x 4) in 3 identical channels, pixels 0..255, the mean image subtracted as the assignment
does, and a column of ones: W is (3073, 10), as in the assignment.

cs231n's assignment 1 checks the SVM gradient at the initial weights W = 0.0001 * randn. There every
margin s_j - s_y + 1 is positive, every hinge is active, and the gradient is a fixed pattern that
does not depend on W (`all_active_gradient`). A wrong gradient that forgets the indicator
[margin > 0] (`svm_loss_no_indicator`) computes exactly that pattern, so at W ~ 0 it passes the
check to the last bit. We measure:

1. at W0: the initial losses (C - 1 for the SVM, ln C for softmax), naive against vectorized, and
   how close -dW is to the class means (the figure's "templates");
2. the check of the correct and the wrong gradient at growing scales of W, on both inputs: what
   decides whether every hinge is active is the scale of the scores, ||x|| sigma_W, not sigma_W;
   at CIFAR scale the assignment's W = 0.0001 * randn already closes some hinges and the wrong
   gradient fails the check (and a few hinges sit within h of their kink);
3. the same check after a short SGD burn-in, and how many hinges lie near a kink;
4. with regularization: the older convention's gradient reg * W (for 0.5 * reg * sum(W * W))
   passes at reg = 0 and fails at reg > 0.

`report(outdir)` runs all of it with fixed seeds, writes templates.svg and returns the page's
numbers; `python -m snippets gradient_check` prints them.
"""
import math
from pathlib import Path

import numpy as np

from snippets.data import digits_with_bias, load_digits
from snippets.gradient_check import (active_fraction, all_active_gradient, burn_in, check_both,
                                     check_regularization, hinges_near_kink, svm_loss_naive,
                                     svm_loss_vectorized)
from snippets.layers import softmax_loss, svm_loss
from snippets.numerical_gradient import rel_error, sparse_numerical_gradient
from snippets.reporting import pyplot, save_svg

# Settings -----------------------------------------------------------------------------------

INIT_SCALE = 1e-4          # the assignment: W = np.random.randn(3073, 10) * 0.0001
SCALES = (1e-4, 1e-2, 1e-1, 1.0)
CIFAR_SCALES = (1e-5, 1e-4, 1e-3)
SMALL_H = 1e-6             # a smaller step for the centred differences, to step over fewer kinks
NUM_CHECKS = 40            # entries of W compared by each check
BURN_IN = {'steps': 200, 'learning_rate': 0.5, 'batch_size': 200, 'seed': 0}
REG = 0.1


# Data ---------------------------------------------------------------------------------------

def cifar_scale_digits():
    """
    The digits at the scale of CIFAR-10 in assignment 1: each 8x8 image (0..16) enlarged to 32x32
    by repeating every pixel 4 x 4, in 3 identical channels, pixels scaled to 0..255, the mean
    image subtracted (X_train -= mean_image, as the assignment does) and a column of ones appended.

    Returns a tuple of:
    - X: (1797, 3073)
    - y: (1797,), labels 0..9
    """
    X, y = load_digits()
    images = (X / 16 * 255).reshape(-1, 8, 8)
    images = np.repeat(np.repeat(images, 4, axis=1), 4, axis=2)                # (N, 32, 32)
    X = np.repeat(images[:, None], 3, axis=1).reshape(len(y), -1)              # (N, 3072)
    X = X - X.mean(axis=0)
    return np.hstack([X, np.ones((len(y), 1))]), y


def predicted_active_fraction(X, scale):
    """
    The expected fraction of active hinges at W = scale * randn: the margin of class j for
    example i is 1 + x_i (W_j - W_{y_i}), and x_i (W_j - W_{y_i}) ~ N(0, 2 ||x_i||^2 scale^2), so
    P(active) = Phi(1 / (sqrt(2) ||x_i|| scale)), averaged over the examples. It depends on the
    data only through the norms ||x_i|| times scale: the scale of the scores.
    """
    z = 1 / (np.sqrt(2) * np.linalg.norm(X, axis=1) * scale)
    return float(np.mean(0.5 * (1 + np.vectorize(math.erf)(z / np.sqrt(2)))))


def rms_norm(X):
    """sqrt(mean_i ||x_i||^2): with W = sigma_W * randn, each score s_ij has standard deviation
    ||x_i|| sigma_W, so rms_norm(X) * sigma_W is the scale of the scores."""
    return float(np.sqrt(np.mean(np.sum(X ** 2, axis=1))))


def initial_weights(D, C, scale=INIT_SCALE, seed=0):
    """scale * randn of shape (D, C), as the assignment initializes W."""
    return scale * np.random.default_rng(seed).standard_normal((D, C))


# Experiments --------------------------------------------------------------------------------

def at_initialization(X, y, W0):
    """
    Losses and gradient at W0: the SVM and softmax losses, the naive SVM against the vectorized
    one, and the gradient against the all-active pattern and the class means.

    Returns a dict:
    - values: the page's numbers
    - dW0 (D, C): the gradient at W0; class_means (D, C): the mean of each class, for the figure
    """
    N = X.shape[0]
    C = W0.shape[1]
    loss0, dW0 = svm_loss_vectorized(W0, X, y, 0.0)
    naive_loss0, naive_dW0 = svm_loss_naive(W0, X, y, 0.0)
    pattern = all_active_gradient(X, y, C)
    class_means = np.stack([X[y == j].mean(axis=0) for j in range(C)], axis=1)   # (D, C)
    contrast = class_means - X.mean(axis=0)[:, None]
    corr = [np.corrcoef(-dW0[:64, j], contrast[:64, j])[0, 1] for j in range(C)]
    counts = np.bincount(y)
    values = {
        'loss_init': float(loss0), 'softmax_loss_init': float(softmax_loss(X.dot(W0), y)[0]),
        'active_init': active_fraction(W0, X, y),
        'naive_vs_vectorized_loss': abs(float(naive_loss0 - loss0)),
        'naive_vs_vectorized_grad': rel_error(naive_dW0, dW0),
        'init_vs_pattern': float(np.abs(dW0 - pattern).max()),
        'template_corr_min': float(min(corr)),
        'class_share_min': float(counts.min() / N), 'class_share_max': float(counts.max() / N),
        'bias_row_max': float(np.abs(dW0[-1]).max())}
    return {'values': values, 'dW0': dW0, 'class_means': class_means}


def checks_by_scale(X, y, W0, scales=SCALES):
    """
    The check of the correct and the wrong gradient (reg = 0) at W0 and at scale * randn for
    the other scales.

    Returns a list of dicts, one per scale: scale, D, score_scale (rms_norm(X) * scale),
    active (fraction of active hinges) and predicted_active (its expectation over W), near_kink (hinges within h max|x| of their kink),
    correct and wrong (largest rel_error of each gradient)
    """
    D, C = W0.shape
    norm = rms_norm(X)
    rows = []
    for scale in scales:
        W = W0 if scale == INIT_SCALE else initial_weights(D, C, scale, seed=1)
        correct, wrong = check_both(W, X, y, 0.0, num_checks=NUM_CHECKS)
        rows.append({'scale': scale, 'D': D, 'score_scale': norm * scale,
                     'active': active_fraction(W, X, y),
                     'predicted_active': predicted_active_fraction(X, scale),
                     'near_kink': hinges_near_kink(W, X, y),
                     'correct': correct, 'wrong': wrong})
    return rows


def kink_check(W, X, y, h, num_checks=NUM_CHECKS, seed=0):
    """
    Entry by entry, the check of the correct gradient (the entries check_both picks) and whether
    the step W[ix] +- h switches at least one hinge (a margin changes sign): the centred
    difference then straddles a kink.

    Returns a tuple of arrays of shape (num_checks,): (rel_error of each entry, number of
    hinges the step switches)
    """
    f = lambda W: svm_loss_vectorized(W, X, y, 0.0)[0]
    picks, numerical = sparse_numerical_gradient(f, W.copy(), num_checks, h, seed)
    analytic = svm_loss_vectorized(W, X, y, 0.0)[1][picks]
    errors = np.array([rel_error(n, a) for n, a in zip(numerical, analytic)])
    own = (np.arange(X.shape[0]), y)

    def active(W):
        scores = X.dot(W)
        margins = scores - scores[own][:, None] + 1
        margins[own] = -1                          # the correct class is no hinge
        return margins > 0

    switched = []
    for ix in zip(*picks):
        up, down = W.copy(), W.copy()
        up[ix] += h
        down[ix] -= h
        switched.append(int((active(up) != active(down)).sum()))
    return errors, np.array(switched)


def input_gradient_ratio(X, y, W, c=2.0):
    """
    ||dX(c W)|| / ||dX(W)|| for the SVM data loss, dX = dscores W^T: exactly c while the
    upstream dscores stays fixed (every hinge active), not once hinges switch.
    """
    def dX(W):
        return svm_loss(X.dot(W), y)[1].dot(W.T)
    return float(np.linalg.norm(dX(c * W)) / np.linalg.norm(dX(W)))


def after_burn_in(X, y, W0):
    """
    The check after BURN_IN steps of SGD from W0 (reg = 0), with the accuracy and loss reached
    and the number of hinges near a kink (there and at W0).

    Returns a dict:
    - values: the page's numbers
    - W (D, C): the weights after the burn-in
    """
    W = burn_in(W0, X, y, 0.0, **BURN_IN)
    correct, wrong = check_both(W, X, y, 0.0, num_checks=NUM_CHECKS)
    values = {'burn_in_active': active_fraction(W, X, y),
              'burn_in_accuracy': float(np.mean(X.dot(W).argmax(axis=1) == y)),
              'burn_in_loss': float(svm_loss_vectorized(W, X, y, 0.0)[0]),
              'burn_in_correct': correct, 'burn_in_buggy': wrong,
              'burn_in_near_kink': hinges_near_kink(W, X, y),
              'init_near_kink': hinges_near_kink(W0, X, y)}
    return {'values': values, 'W': W}


def regularization_check(X, y, W0, reg=REG):
    """
    After a burn-in with reg, the older convention's regularization gradient checked against
    the loss without and with reg, and the correct gradient with reg.

    Returns a dict:
    - values: the page's numbers
    """
    W = burn_in(W0, X, y, reg, **BURN_IN)
    values = {'half_reg_err_reg0': check_regularization(W, X, y, 0.0, num_checks=NUM_CHECKS),
              'half_reg_err_reg': check_regularization(W, X, y, reg, num_checks=NUM_CHECKS),
              'correct_err_reg': check_both(W, X, y, reg, num_checks=NUM_CHECKS)[0]}
    return {'values': values}


# Figures ------------------------------------------------------------------------------------

def templates_figure(class_means, neg_dW_zero, neg_dW_trained):
    """
    Three rows of ten 8x8 images: the class means, -dW at W ~ 0 and -dW after the burn-in
    (pixel rows of dW only, the bias row left out). The two gradient rows share one symmetric
    colour scale, so their magnitudes compare; a colour bar for the means and one for the
    gradients.
    """
    plt = pyplot()
    limit = max(np.abs(neg_dW_zero).max(), np.abs(neg_dW_trained).max())
    rows = [(class_means, 'Greys', 0.0, np.abs(class_means).max(), r'$\mu_j$'),
            (neg_dW_zero, 'PuOr_r', -limit, limit,
             r'$-\partial L / \partial W_{:,j}$' '\n' r'$W \approx 0$'),
            (neg_dW_trained, 'PuOr_r', -limit, limit,
             r'$-\partial L / \partial W_{:,j}$' '\n' r'$W_{\mathrm{SGD}}$')]
    C = class_means.shape[1]
    fig, axes = plt.subplots(3, C, figsize=(9.0, 2.75))
    images = []
    for r, (values, cmap, vmin, vmax, label) in enumerate(rows):
        for j in range(C):
            ax = axes[r, j]
            image = ax.imshow(values[:, j].reshape(8, 8), cmap=cmap, vmin=vmin, vmax=vmax,
                              interpolation='nearest')
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0:
                ax.set_title(f'$j = {j}$', fontsize=10)
        images.append(image)
        axes[r, 0].set_ylabel(label, fontsize=9, rotation=0, ha='right', va='center',
                              labelpad=4)
    fig.subplots_adjust(left=0.15, right=0.89, bottom=0.02, top=0.9, wspace=0.08, hspace=0.1)
    for image, row_axes in ((images[0], axes[0]), (images[1], axes[1:].ravel())):
        bar = fig.colorbar(image, ax=list(np.atleast_1d(row_axes)), fraction=0.02, pad=0.015)
        bar.ax.tick_params(labelsize=7)
    return fig


# Report -------------------------------------------------------------------------------------

def error_cell(error):
    """A relative error for the table: below 1e-5 it is float64 rounding noise (the digits' worst:
    ~3e-6), whose digits depend on the BLAS kernel's summation order, so only the bound is printed."""
    return '$< 10^{-5}$' if error < 1e-5 else f'{error:.1e}'


def report(outdir):
    """
    Run the experiments of the gradient-check page on the digits (fixed seeds), write
    templates.svg into outdir (created if missing) and return the page's numbers: a dict keyed
    by the page's placeholders.
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    X, y = digits_with_bias()
    N, D = X.shape
    C = int(y.max()) + 1
    W0 = initial_weights(D, C)
    values = {'N': N, 'D': D, 'C': C, 'init_scale': INIT_SCALE, 'num_checks': NUM_CHECKS,
              'burn_in_steps': BURN_IN['steps'], 'burn_in_lr': BURN_IN['learning_rate'],
              'burn_in_batch': BURN_IN['batch_size'], 'reg': REG}

    # 1. at W0: every hinge active, the gradient is the pattern
    initial = at_initialization(X, y, W0)
    values.update(initial['values'])

    # 2. the check at growing scales of W, on the digits and at CIFAR scale, by score scale
    rows = checks_by_scale(X, y, W0)
    values.update(check_init_correct=rows[0]['correct'], check_init_buggy=rows[0]['wrong'],
                  first_scale_detected=float(min(r['scale'] for r in rows if r['wrong'] > 1e-2)),
                  digits_rms_norm=rms_norm(X), digits_init_score_scale=rms_norm(X) * INIT_SCALE)
    Xc, yc = cifar_scale_digits()
    Wc0 = initial_weights(Xc.shape[1], C)
    cifar_rows = checks_by_scale(Xc, yc, Wc0, CIFAR_SCALES)
    cifar_init = next(r for r in cifar_rows if r['scale'] == INIT_SCALE)
    values.update(cifar_D=Xc.shape[1], cifar_rms_norm=rms_norm(Xc),
                  cifar_norm_ratio=rms_norm(Xc) / rms_norm(X),
                  cifar_pixel_std=float(Xc[:, :-1].std()),
                  cifar_init_score_scale=cifar_init['score_scale'],
                  cifar_init_active=cifar_init['active'], cifar_init_near_kink=cifar_init['near_kink'],
                  cifar_init_correct=cifar_init['correct'], cifar_init_buggy=cifar_init['wrong'],
                  small_h=SMALL_H,
                  # P(closed) and P(active) of one hinge at ||x_i|| sigma_W = 0.1 and 0.4
                  closed_prob_at_01=0.5 * math.erfc(1 / (np.sqrt(2) * 0.1) / np.sqrt(2)),
                  active_prob_at_04=0.5 * (1 + math.erf(1 / (np.sqrt(2) * 0.4) / np.sqrt(2))))
    # which checked entries go wrong for the correct gradient: those whose step switches a hinge
    for suffix, h in (('', 1e-5), ('_small_h', SMALL_H)):
        errors, switched = kink_check(Wc0, Xc, yc, h)
        bad = errors > 1e-5        # far above float64 noise (the digits' worst: ~3e-6)
        values.update({f'cifar_init_bad{suffix}': int(bad.sum()),
                       f'cifar_init_bad_switched{suffix}': int((bad & (switched > 0)).sum()),
                       f'cifar_init_unswitched_max{suffix}': float(errors[switched == 0].max())})
    table = sorted(rows + cifar_rows, key=lambda r: r['score_scale'])
    values['check_rows'] = '\n'.join(
        f"| {r['score_scale']:.1e} | $D = {r['D']}$ | $10^{{{int(np.log10(r['scale']))}}}$ "
        f"| {r['active']:.3f} | {r['near_kink']} | {error_cell(r['correct'])} | {error_cell(r['wrong'])} |"
        for r in table)
    # the table's columns, in its order, for the page's claim checks
    for key in ('score_scale', 'D', 'scale', 'active', 'predicted_active', 'near_kink', 'correct',
                'wrong'):
        values[f'rows_{key}'] = [r[key] for r in table]
    values['check_worst_correct'] = max(r['correct'] for r in table if r['near_kink'] == 0)

    # scaling W by c scales dL/dX by c only while the upstream gradient dscores is fixed
    values.update(dx_ratio_init=input_gradient_ratio(X, y, W0),
                  dx_ratio_big=input_gradient_ratio(X, y, initial_weights(D, C, 1.0, seed=1)))

    # 3. the check after a short burn-in
    trained = after_burn_in(X, y, W0)
    values.update(trained['values'])
    values['burn_in_correct_cell'] = error_cell(values['burn_in_correct'])

    # 4. the regularization gradient of the older convention
    values.update(regularization_check(X, y, W0)['values'])

    # the figure: class means, -dW at W0 and after the burn-in
    _, dW_trained = svm_loss_vectorized(trained['W'], X, y, 0.0)
    contrast = initial['class_means'][:64] - X[:, :64].mean(axis=0)[:, None]
    corr = [np.corrcoef(-dW_trained[:64, j], contrast[:, j])[0, 1] for j in range(C)]
    values.update(template_trained_ratio=float(np.abs(dW_trained[:64]).max()
                                               / np.abs(initial['dW0'][:64]).max()),
                  template_trained_corr_max=float(max(corr)),
                  template_trained_corr_min=float(min(corr)))
    save_svg(templates_figure(initial['class_means'][:64], -initial['dW0'][:64], -dW_trained[:64]),
             outdir / 'templates.svg')
    return values
