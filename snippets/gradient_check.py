"""
The multiclass SVM of cs231n's assignment 1 (spring 2018) and the gradient checks of the
gradient-check page, which show why a check at W ~ 0 can pass a wrong gradient.

- svm_loss_naive / svm_loss_vectorized: the SVM loss and its gradient dW, with loops and without;
- svm_loss_no_indicator, svm_loss_half_reg_gradient: two classic WRONG gradients, for comparison;
- all_active_gradient: the gradient when every hinge is active, as at W ~ 0 (it does not depend on W);
- active_fraction, hinges_near_kink: how many hinges are active, and how many sit near their kink;
- burn_in: a short run of SGD that moves W away from W ~ 0;
- check_both, check_regularization: the largest relative error of the analytic gradients against
  centred differences (snippets.numerical_gradient) at a few random entries of W.

Shapes as in the assignment: W (D, C), X (N, D), y (N,). Bad input raises ValueError naming the
argument. The experiments of the page are in snippets/experiments/gradient_check.py.
"""
import numpy as np

from snippets.checks import check_array, check_labels, checked
from snippets.layers import svm_loss
from snippets.numerical_gradient import grad_check_sparse, rel_error, sparse_numerical_gradient


# ---- Input checks: bad input raises ValueError naming the argument. The pages show the
# ---- functions below without them (snippets/checks.py, `checked`).

def _check_all_active_gradient(X, y, C):
    """Raise ValueError naming the argument unless X is (N, D) and y holds N labels in 0..C-1."""
    check_array('X', X, ndim=2, hint='; X is (N, D)')
    check_labels('y', y, X.shape[0], C, hint=' (one label per row of X)')


def _check_svm_loss(W, X, y, reg):
    """Raise ValueError naming the argument unless W (D, C), X (N, D), y (N,) and reg fit."""
    check_array('W', W, ndim=2, hint='; W is (D, C)')
    check_array('X', X, ndim=2, hint='; X is (N, D)')
    if X.shape[1] != W.shape[0]:
        raise ValueError(f'X must have D = {W.shape[0]} columns (the rows of W), got shape {X.shape}')
    _check_all_active_gradient(X, y, W.shape[1])
    if isinstance(reg, bool) or not isinstance(reg, (int, float, np.floating, np.integer)) \
            or not (np.isfinite(reg) and reg >= 0):
        raise ValueError(f'reg must be a finite number >= 0, got {reg!r}')


def _check_active_fraction(W, X, y):
    _check_svm_loss(W, X, y, 0.0)


def _check_hinges_near_kink(W, X, y, h=1e-5):
    _check_svm_loss(W, X, y, 0.0)


# ---- The lesson -------------------------------------------------------------------------

@checked(_check_svm_loss)
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


@checked(_check_svm_loss)
# --8<-- [start:svm_loss_vectorized]
def svm_loss_vectorized(W, X, y, reg):
    """
    Multiclass SVM loss, vectorized: the scores X W go through layers.svm_loss, which returns
    the loss and its gradient on the scores; the chain rule through scores = X W gives
    dW = X^T dscores.

    Inputs and returns: as svm_loss_naive.
    """
    scores = X.dot(W)                                  # (N, C)
    data_loss, dscores = svm_loss(scores, y)           # dscores: (N, C)
    loss = data_loss + reg * np.sum(W * W)
    dW = X.T.dot(dscores) + 2 * reg * W                # (D, N) x (N, C) -> (D, C)
    return loss, dW
# --8<-- [end:svm_loss_vectorized]


@checked(_check_svm_loss)
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


@checked(_check_svm_loss)
def svm_loss_half_reg_gradient(W, X, y, reg):
    """
    WRONG for comparison: the loss of svm_loss_vectorized (L2 term reg * sum(W * W), spring
    2018) with the regularization gradient of the older convention 0.5 * reg * sum(W * W),
    reg * W instead of 2 * reg * W. Inputs and returns: as svm_loss_naive.
    """
    loss, dW = svm_loss_vectorized(W, X, y, reg)
    return loss, dW - reg * W


@checked(_check_all_active_gradient)
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
    N = X.shape[0]
    class_sums = np.stack([X[y == j].sum(axis=0) for j in range(C)], axis=1)   # (D, C)
    return (X.sum(axis=0)[:, None] - C * class_sums) / N
# --8<-- [end:all_active_gradient]


def _margins(W, X, y):
    """The hinge margins s_j - s_y + 1 of every example and class, of shape (N, C)."""
    scores = X.dot(W)
    N = X.shape[0]
    return scores - scores[np.arange(N), y][:, None] + 1


@checked(_check_active_fraction)
def active_fraction(W, X, y):
    """
    The fraction of the N (C - 1) hinges max(0, s_j - s_y + 1), j != y, that are active.

    Inputs:
    - W: weights, of shape (D, C)
    - X: data, of shape (N, D)
    - y: labels, of shape (N,)

    Returns:
    - fraction: float in [0, 1]
    """
    margins = _margins(W, X, y)
    margins[np.arange(X.shape[0]), y] = 0
    return float((margins > 0).sum() / (X.shape[0] * (W.shape[1] - 1)))


@checked(_check_hinges_near_kink)
def hinges_near_kink(W, X, y, h=1e-5):
    """
    How many hinges max(0, m), m = s_j - s_y + 1, have |m| < h * max|x|: only those can cross
    their kink when one entry of W moves by +-h.

    Inputs:
    - W, X, y: as for active_fraction
    - h: the step of the centred differences

    Returns:
    - count: int
    """
    margins = _margins(W, X, y)
    margins[np.arange(X.shape[0]), y] = np.inf
    return int((np.abs(margins) < h * np.abs(X).max()).sum())


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


def check_regularization(W, X, y, reg, num_checks=40, h=1e-5, seed=0):
    """
    The largest rel_error over num_checks random entries between the numerical gradient of
    the SVM loss (with reg) and svm_loss_half_reg_gradient's analytic gradient.

    Returns:
    - error: float
    """
    f = lambda W: svm_loss_vectorized(W, X, y, reg)[0]
    analytic = svm_loss_half_reg_gradient(W, X, y, reg)[1]
    return float(grad_check_sparse(f, W.copy(), analytic, num_checks, h, seed).max())
