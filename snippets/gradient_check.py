"""The gradient-check page: the SVM loss of cs231n's assignment 1 (spring 2018) and why a check at
W ~ 0 can pass a wrong gradient."""
import numpy as np

from snippets.numerical_gradient import grad_check_sparse, rel_error, sparse_numerical_gradient
from snippets.reporting import pyplot, save_svg


# The SVM of cs231n's assignment 1 (spring 2018), and why a check at W ~ 0 can lie ----------
#
# Running `python -m snippets.gradient_check OUTDIR` does the experiments of the gradient-check
# page on scikit-learn's digits (fixed seeds), writes its figures into OUTDIR and prints the
# numbers that the page shows.

def _check_data(X, y, C):
    """Raise ValueError naming the argument unless X is (N, D) and y holds N labels in 0..C-1."""
    from snippets.layers import check_array
    check_array('X', X, ndim=2, hint='; X is (N, D)')
    check_array('y', y, shape=(X.shape[0],), hint=' (one label per row of X)')
    if not np.issubdtype(y.dtype, np.integer) or y.min() < 0 or y.max() >= C:
        raise ValueError(f'y must hold integer labels in 0..{C - 1}')


def _check_svm_inputs(W, X, y, reg):
    """Raise ValueError naming the argument unless W (D, C), X (N, D), y (N,) and reg fit."""
    from snippets.layers import check_array
    check_array('W', W, ndim=2, hint='; W is (D, C)')
    check_array('X', X, ndim=2, hint='; X is (N, D)')
    if X.shape[1] != W.shape[0]:
        raise ValueError(f'X must have D = {W.shape[0]} columns (the rows of W), got shape {X.shape}')
    _check_data(X, y, W.shape[1])
    if isinstance(reg, bool) or not isinstance(reg, (int, float, np.floating, np.integer)) \
            or not (np.isfinite(reg) and reg >= 0):
        raise ValueError(f'reg must be a finite number >= 0, got {reg!r}')


# --8<-- [start:svm_loss_naive]
def svm_loss_naive(W, X, y, reg):
    """
    Multiclass SVM loss with margin 1, naive version with loops (cs231n assignment 1,
    spring 2018: L2 term reg * sum(W * W), so its gradient is 2 * reg * W).

    Inputs:
    - W: weights, of shape (D, C)
    - X: data, of shape (N, D), one example per row
    - y: labels, of shape (N,), integers 0 <= y[i] < C
    - reg: regularization strength, >= 0

    Returns a tuple of:
    - loss: float
    - dW: gradient of the loss with respect to W, of shape (D, C)
    """
    _check_svm_inputs(W, X, y, reg)
    dW = np.zeros(W.shape)
    num_classes = W.shape[1]
    num_train = X.shape[0]
    loss = 0.0
    for i in range(num_train):
        scores = X[i].dot(W)
        correct_class_score = scores[y[i]]
        for j in range(num_classes):
            if j == y[i]:
                continue
            margin = scores[j] - correct_class_score + 1   # delta = 1
            if margin > 0:                                 # only active hinges have a slope
                loss += margin
                dW[:, j] += X[i]
                dW[:, y[i]] -= X[i]
    loss /= num_train
    dW /= num_train
    loss += reg * np.sum(W * W)
    dW += 2 * reg * W
    return loss, dW
# --8<-- [end:svm_loss_naive]


# --8<-- [start:svm_loss_vectorized]
def svm_loss_vectorized(W, X, y, reg):
    """
    Multiclass SVM loss, vectorized: the scores X W go through layers.svm_loss, which returns
    the loss and its gradient on the scores; the chain rule through scores = X W gives
    dW = X^T dscores.

    Inputs and returns: as svm_loss_naive.
    """
    from snippets.layers import svm_loss
    _check_svm_inputs(W, X, y, reg)
    scores = X.dot(W)                                  # (N, C)
    data_loss, dscores = svm_loss(scores, y)           # dscores: (N, C)
    loss = data_loss + reg * np.sum(W * W)
    dW = X.T.dot(dscores) + 2 * reg * W                # (D, N) x (N, C) -> (D, C)
    return loss, dW
# --8<-- [end:svm_loss_vectorized]


# --8<-- [start:svm_loss_no_indicator]
def svm_loss_no_indicator(W, X, y, reg):
    """
    The classic WRONG gradient, for comparison: the loss is right, but the gradient forgets
    the indicator [margin > 0] and treats every hinge as active. Inputs and returns: as
    svm_loss_naive.
    """
    loss, _ = svm_loss_vectorized(W, X, y, reg)
    N, C = X.shape[0], W.shape[1]
    dscores = np.ones((N, C))                          # BUG: should be (margins > 0)
    dscores[np.arange(N), y] = -(C - 1)                # minus the number of "active" hinges
    dW = X.T.dot(dscores) / N + 2 * reg * W
    return loss, dW
# --8<-- [end:svm_loss_no_indicator]


# --8<-- [start:all_active_gradient]
def all_active_gradient(X, y, C):
    """
    The gradient of the SVM data loss when every hinge is active (as at W ~ 0): each example
    adds x_i to the C - 1 wrong columns and -(C - 1) x_i to its own, so column j is
        dW[:, j] = (sum_i x_i - C * sum_{i: y_i = j} x_i) / N,
    which no longer depends on W.

    Inputs:
    - X: data, of shape (N, D)
    - y: labels, of shape (N,), integers 0 <= y[i] < C
    - C: number of classes

    Returns:
    - dW: of shape (D, C)
    """
    _check_data(X, y, C)
    N = X.shape[0]
    class_sums = np.stack([X[y == j].sum(axis=0) for j in range(C)], axis=1)   # (D, C)
    return (X.sum(axis=0)[:, None] - C * class_sums) / N
# --8<-- [end:all_active_gradient]


def active_fraction(W, X, y):
    """The fraction of the N (C - 1) hinges max(0, s_j - s_y + 1), j != y, that are active."""
    _check_svm_inputs(W, X, y, 0.0)
    scores = X.dot(W)
    N = X.shape[0]
    margins = scores - scores[np.arange(N), y][:, None] + 1
    margins[np.arange(N), y] = 0
    return float((margins > 0).sum() / (N * (W.shape[1] - 1)))


def digits_svm_data():
    """
    The digits for a linear SVM, as the assignment prepares CIFAR-10: pixels scaled to [0, 1]
    and a column of ones appended (the bias trick), so W is (65, 10) and its last row is b.

    Returns a tuple of:
    - X: of shape (1797, 65)
    - y: of shape (1797,), labels 0..9
    """
    from snippets.data import load_digits
    X, y = load_digits()
    return np.hstack([X / 16.0, np.ones((X.shape[0], 1))]), y


# --8<-- [start:burn_in]
def burn_in(W, X, y, reg, steps=200, learning_rate=0.5, batch_size=200, seed=0):
    """
    A short run of minibatch SGD with the correct gradient (svm_loss_vectorized), to move W
    away from the special point W ~ 0.

    Inputs:
    - W: starting weights, of shape (D, C); not changed
    - X, y, reg: as for svm_loss_vectorized
    - steps, learning_rate, batch_size, seed: of the SGD run

    Returns:
    - W: the weights after the run, of shape (D, C)
    """
    rng = np.random.default_rng(seed)
    W = W.copy()
    for _ in range(steps):
        batch = rng.choice(X.shape[0], batch_size, replace=False)
        _, dW = svm_loss_vectorized(W, X[batch], y[batch], reg)
        W -= learning_rate * dW
    return W
# --8<-- [end:burn_in]




# --8<-- [start:check_both]
def check_both(W, X, y, reg, num_checks=40, h=1e-5, seed=0):
    """
    The largest rel_error over the same num_checks random entries between the numerical
    gradient of the SVM loss at W and the analytic gradients of svm_loss_vectorized (correct)
    and svm_loss_no_indicator (wrong).

    Returns a tuple of floats: (correct's error, wrong's error)
    """
    f = lambda W: svm_loss_vectorized(W, X, y, reg)[0]
    picks, numerical = sparse_numerical_gradient(f, W.copy(), num_checks, h, seed)
    return tuple(max(rel_error(n, a) for n, a in zip(numerical, loss(W, X, y, reg)[1][picks]))
                 for loss in (svm_loss_vectorized, svm_loss_no_indicator))
# --8<-- [end:check_both]


def svm_loss_half_reg_gradient(W, X, y, reg):
    """
    WRONG for comparison: the loss of svm_loss_vectorized (L2 term reg * sum(W * W), spring
    2018) with the regularization gradient of the older convention 0.5 * reg * sum(W * W),
    reg * W instead of 2 * reg * W. Inputs and returns: as svm_loss_naive.
    """
    loss, dW = svm_loss_vectorized(W, X, y, reg)
    return loss, dW - reg * W


def check_regularization(W, X, y, reg, num_checks=40, h=1e-5, seed=0):
    """
    The largest rel_error over num_checks random entries between the numerical gradient of
    the SVM loss (with reg) and svm_loss_half_reg_gradient's analytic gradient.
    """
    f = lambda W: svm_loss_vectorized(W, X, y, reg)[0]
    analytic = svm_loss_half_reg_gradient(W, X, y, reg)[1]
    return float(grad_check_sparse(f, W.copy(), analytic, num_checks, h, seed).max())


def hinges_near_kink(W, X, y, h=1e-5):
    """
    How many hinges max(0, m), m = s_j - s_y + 1, have |m| < h * max|x|: only those can cross
    their kink when one entry of W moves by +-h.
    """
    _check_svm_inputs(W, X, y, 0.0)
    scores = X.dot(W)
    N = X.shape[0]
    margins = scores - scores[np.arange(N), y][:, None] + 1
    margins[np.arange(N), y] = np.inf
    return int((np.abs(margins) < h * np.abs(X).max()).sum())


# Figures -----------------------------------------------------------------------------------

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


# Report ------------------------------------------------------------------------------------

INIT_SCALE = 1e-4          # the assignment: W = np.random.randn(3073, 10) * 0.0001
SCALES = (1e-4, 1e-2, 1e-1, 1.0)
BURN_IN = {'steps': 200, 'learning_rate': 0.5, 'batch_size': 200, 'seed': 0}
REG = 0.1


def report(outdir):
    """
    Run the experiments of the gradient-check page on the digits (fixed seeds), write
    templates.svg into outdir (created if missing), and return the page's numbers.

    Inputs:
    - outdir: pathlib.Path

    Returns:
    - values: dict of JSON-serialisable numbers and strings, keyed by the page's placeholders
    """
    from pathlib import Path
    from snippets.layers import softmax_loss
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    X, y = digits_svm_data()
    N, D = X.shape
    C = int(y.max()) + 1
    rng = np.random.default_rng(0)
    W0 = INIT_SCALE * rng.standard_normal((D, C))
    values = {'N': N, 'D': D, 'C': C, 'init_scale': INIT_SCALE, 'num_checks': 40,
              'burn_in_steps': BURN_IN['steps'], 'burn_in_lr': BURN_IN['learning_rate'],
              'burn_in_batch': BURN_IN['batch_size'], 'reg': REG}

    loss0, dW0 = svm_loss_vectorized(W0, X, y, 0.0)
    naive_loss0, naive_dW0 = svm_loss_naive(W0, X, y, 0.0)
    pattern = all_active_gradient(X, y, C)
    class_means = np.stack([X[y == j].mean(axis=0) for j in range(C)], axis=1)   # (D, C)
    contrast = class_means - X.mean(axis=0)[:, None]
    corr = [np.corrcoef(-dW0[:64, j], contrast[:64, j])[0, 1] for j in range(C)]
    values.update(
        loss_init=float(loss0), softmax_loss_init=float(softmax_loss(X.dot(W0), y)[0]),
        active_init=active_fraction(W0, X, y),
        naive_vs_vectorized_loss=abs(float(naive_loss0 - loss0)),
        naive_vs_vectorized_grad=rel_error(naive_dW0, dW0),
        init_vs_pattern=float(np.abs(dW0 - pattern).max()),
        template_corr_min=float(min(corr)),
        class_share_min=float(np.bincount(y).min() / N), class_share_max=float(np.bincount(y).max() / N),
        bias_row_max=float(np.abs(dW0[-1]).max()))

    rows = []
    for scale in SCALES:
        W = W0 if scale == INIT_SCALE else scale * np.random.default_rng(1).standard_normal((D, C))
        right, wrong = check_both(W, X, y, 0.0)
        rows.append((scale, active_fraction(W, X, y), right, wrong))
    values['check_rows'] = '\n'.join(
        f'| $10^{{{int(np.log10(s))}}}$ | {a:.3f} | {r:.1e} | {w:.1e} |' for s, a, r, w in rows)
    values.update(check_init_correct=rows[0][2], check_init_buggy=rows[0][3],
                  check_worst_correct=max(r[2] for r in rows),
                  first_scale_detected=float(min(s for s, _, _, w in rows if w > 1e-2)))

    W_trained = burn_in(W0, X, y, 0.0, **BURN_IN)
    right, wrong = check_both(W_trained, X, y, 0.0)
    values.update(
        burn_in_active=active_fraction(W_trained, X, y),
        burn_in_accuracy=float(np.mean(X.dot(W_trained).argmax(axis=1) == y)),
        burn_in_loss=float(svm_loss_vectorized(W_trained, X, y, 0.0)[0]),
        burn_in_correct=right, burn_in_buggy=wrong,
        burn_in_near_kink=hinges_near_kink(W_trained, X, y),
        init_near_kink=hinges_near_kink(W0, X, y))

    W_reg = burn_in(W0, X, y, REG, **BURN_IN)
    values.update(half_reg_err_reg0=check_regularization(W_reg, X, y, 0.0),
                  half_reg_err_reg=check_regularization(W_reg, X, y, REG),
                  correct_err_reg=check_both(W_reg, X, y, REG)[0])

    _, dW_trained = svm_loss_vectorized(W_trained, X, y, 0.0)
    save_svg(templates_figure(class_means[:64], -dW0[:64], -dW_trained[:64]),
              outdir / 'templates.svg')
    return values


if __name__ == '__main__':
    import sys
    from pathlib import Path
    outdir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path('build/gradient_check')
    for key, value in report(outdir).items():
        print(f'{key}:\n{value}' if isinstance(value, str) and '\n' in value else f'{key}: {value}')
    print(f'figure: {outdir / "templates.svg"}')
