"""
Gradient-checking an SVM at W ~ 0
=================================

The experiments of the gradient-check page, on scikit-learn's 1797 digits (pixels in [0, 1] and a
column of ones, the bias trick: W is (65, 10)).

cs231n's assignment 1 checks the SVM gradient at the initial weights W = 0.0001 * randn. There every
margin s_j - s_y + 1 is positive, every hinge is active, and the gradient is a fixed pattern that
does not depend on W (`all_active_gradient`). A wrong gradient that forgets the indicator
[margin > 0] (`svm_loss_no_indicator`) computes exactly that pattern, so at W ~ 0 it passes the
check to the last bit. We measure:

1. at W0: the initial losses (C - 1 for the SVM, ln C for softmax), naive against vectorized, and
   how close -dW is to the class means (the figure's "templates");
2. the check of the correct and the wrong gradient at growing scales of W: the wrong one is caught
   only once some hinges are off;
3. the same check after a short SGD burn-in, and how many hinges lie near a kink;
4. with regularization: the older convention's gradient reg * W (for 0.5 * reg * sum(W * W))
   passes at reg = 0 and fails at reg > 0.

`report(outdir)` runs all of it with fixed seeds, writes templates.svg and returns the page's
numbers; `python -m snippets gradient_check` prints them.
"""
from pathlib import Path

import numpy as np

from snippets.data import digits_with_bias
from snippets.gradient_check import (active_fraction, all_active_gradient, burn_in, check_both,
                                     check_regularization, hinges_near_kink, svm_loss_naive,
                                     svm_loss_vectorized)
from snippets.layers import softmax_loss
from snippets.numerical_gradient import rel_error
from snippets.reporting import pyplot, save_svg

# Settings -----------------------------------------------------------------------------------

INIT_SCALE = 1e-4          # the assignment: W = np.random.randn(3073, 10) * 0.0001
SCALES = (1e-4, 1e-2, 1e-1, 1.0)
NUM_CHECKS = 40            # entries of W compared by each check
BURN_IN = {'steps': 200, 'learning_rate': 0.5, 'batch_size': 200, 'seed': 0}
REG = 0.1


# Data ---------------------------------------------------------------------------------------

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

    Returns a list of dicts, one per scale: scale, active (fraction of active hinges),
    correct and wrong (largest rel_error of each gradient)
    """
    D, C = W0.shape
    rows = []
    for scale in scales:
        W = W0 if scale == INIT_SCALE else initial_weights(D, C, scale, seed=1)
        correct, wrong = check_both(W, X, y, 0.0, num_checks=NUM_CHECKS)
        rows.append({'scale': scale, 'active': active_fraction(W, X, y),
                     'correct': correct, 'wrong': wrong})
    return rows


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
    (pixel rows of dW only, the bias row left out). Each gradient image on a symmetric scale.
    """
    plt = pyplot()
    rows = [(class_means, 'Greys', r'$\mu_j$'),
            (neg_dW_zero, 'PuOr_r', r'$-\partial L / \partial W_{:,j}$' '\n' r'$W \approx 0$'),
            (neg_dW_trained, 'PuOr_r', r'$-\partial L / \partial W_{:,j}$' '\n' r'$W_{\mathrm{SGD}}$')]
    C = class_means.shape[1]
    fig, axes = plt.subplots(3, C, figsize=(8.4, 2.75))
    for r, (images, cmap, label) in enumerate(rows):
        limit = np.abs(images).max()
        vmin = 0 if cmap == 'Greys' else -limit
        for j in range(C):
            ax = axes[r, j]
            ax.imshow(images[:, j].reshape(8, 8), cmap=cmap, vmin=vmin, vmax=limit,
                      interpolation='nearest')
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0:
                ax.set_title(f'$j = {j}$', fontsize=10)
        axes[r, 0].set_ylabel(label, fontsize=9, rotation=0, ha='right', va='center',
                              labelpad=4)
    fig.subplots_adjust(left=0.16, right=0.995, bottom=0.02, top=0.9, wspace=0.08, hspace=0.1)
    return fig


# Report -------------------------------------------------------------------------------------

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

    # 2. the check at growing scales of W
    rows = checks_by_scale(X, y, W0)
    values['check_rows'] = '\n'.join(
        f"| $10^{{{int(np.log10(r['scale']))}}}$ | {r['active']:.3f} | {r['correct']:.1e} "
        f"| {r['wrong']:.1e} |" for r in rows)
    values.update(check_init_correct=rows[0]['correct'], check_init_buggy=rows[0]['wrong'],
                  check_worst_correct=max(r['correct'] for r in rows),
                  first_scale_detected=float(min(r['scale'] for r in rows if r['wrong'] > 1e-2)))

    # 3. the check after a short burn-in
    trained = after_burn_in(X, y, W0)
    values.update(trained['values'])

    # 4. the regularization gradient of the older convention
    values.update(regularization_check(X, y, W0)['values'])

    # the figure: class means, -dW at W0 and after the burn-in
    _, dW_trained = svm_loss_vectorized(trained['W'], X, y, 0.0)
    save_svg(templates_figure(initial['class_means'][:64], -initial['dW0'][:64], -dW_trained[:64]),
             outdir / 'templates.svg')
    return values
