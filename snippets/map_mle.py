"""
MAP vs MLE for the softmax classifier: why cs231n's L2 term is a Gaussian prior.

The softmax classifier models labels given inputs, p(y | x, W) = softmax(x W)[y]. Its data loss,
the mean of -log p(y_i | x_i, W), is a negative log-likelihood: minimizing it alone is maximum
likelihood (MLE). Adding reg * sum(W * W) (cs231n assignment 1, spring 2018) is the same as adding
-log p(W) for a Gaussian prior W ~ N(0, sigma^2 I) with reg = 1 / (2 N sigma^2): minimizing the sum
is maximum a posteriori (MAP) estimation.

The functions, written as in the assignment (W is (D, C), X is (N, D) with a last column of ones,
y is (N,)):
- softmax_loss_vectorized(W, X, y, reg) -> (loss, dW): the cs231n objective, with softmax_loss of
  snippets/layers.py;
- log_likelihood, gaussian_log_prior, neg_log_posterior -> (value, grad): the MAP objective from
  Bayes' rule, written independently of reg; reg_from_sigma(sigma, N): the reg that makes the two
  the same;
- softmax_hessian(W, X) and newton(objective, hessian, W0) -> (W, info): Newton's method with its
  own convergence check, on the matrices whose rows sum to zero (zero_row_sum_basis: the gauge of
  the softmax, pinned explicitly so that no solver's cut-off decides it); minimize_loss /
  minimize_posterior solve the two problems with it;
- gradient_descent(X, y, reg, iterations, record): plain gradient descent, which shows that on
  separable data the MLE does not exist; mle_exists(W, X) tells whether a finite MLE was found.

The experiments of the page are in snippets/experiments/map_mle.py (`python -m snippets map_mle`).
"""
import numpy as np

from snippets.checks import check_array, check_int, check_labels, check_positive, checked
from snippets.layers import softmax_loss


# ---- Input checks: bad input raises ValueError naming the argument. The pages show the
# ---- functions below without them (snippets/checks.py, `checked`).

def _check_problem(W, X, y):
    """W (D, C), X (N, D), y (N,) integer labels in 0..C-1."""
    check_array('W', W, ndim=2)
    check_array('X', X, ndim=2)
    D, C = W.shape
    check_array('X', X, shape=(X.shape[0], D), hint=f' (W has D = {D} rows)')
    check_labels('y', y, X.shape[0], C)


def _check_softmax_loss_vectorized(W, X, y, reg):
    _check_problem(W, X, y)
    check_positive('reg', reg, allow_zero=True)


def _check_gaussian_log_prior(W, sigma):
    check_array('W', W)
    check_positive('sigma', sigma)


def _check_reg_from_sigma(sigma, N, half=False):
    check_positive('sigma', sigma)
    check_int('N', N)


def _check_softmax_hessian(W, X):
    check_array('W', W, ndim=2)
    check_array('X', X, ndim=2, shape=(X.shape[0], W.shape[0]) if X.ndim == 2 else None)


def _check_zero_row_sum_basis(D, C):
    check_int('D', D)
    check_int('C', C, smallest=2)


def _check_newton(objective, hessian, W0, tol=1e-20, max_iter=100):
    check_array('W0', W0, ndim=2)
    if W0.shape[1] < 2:
        raise ValueError(f'W0 must have at least 2 columns (classes), got shape {W0.shape}')


# ---- The lesson -------------------------------------------------------------------------

@checked(_check_softmax_loss_vectorized)
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
    scores = X.dot(W)                              # (N, C)
    loss, dscores = softmax_loss(scores, y)        # mean over the N examples
    loss += reg * np.sum(W * W)
    dW = X.T.dot(dscores) + 2 * reg * W
    return loss, dW
# --8<-- [end:softmax_loss_vectorized]


@checked(_check_problem)
# --8<-- [start:neg_log_posterior]
def log_likelihood(W, X, y):
    """
    log p(y | X, W) = sum_i log softmax(X[i] W)[y[i]]: a sum, not a mean.

    Returns a tuple of:
    - value: scalar
    - grad: its gradient with respect to W, of shape (D, C)
    """
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
    return (1.0 if half else 0.5) / (N * sigma ** 2)
# --8<-- [end:neg_log_posterior]


# The section above shows four functions; the checks of the last two are attached here
# (neg_log_posterior is checked by log_likelihood and gaussian_log_prior, which it calls).
gaussian_log_prior = checked(_check_gaussian_log_prior)(gaussian_log_prior)
reg_from_sigma = checked(_check_reg_from_sigma)(reg_from_sigma)


@checked(_check_softmax_hessian)
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


@checked(_check_zero_row_sum_basis)
# --8<-- [start:newton]
def zero_row_sum_basis(D, C):
    """
    An orthonormal basis of the (D, C) matrices whose rows sum to zero. Adding one vector v to
    every column of W (W + v 1^T) changes no softmax probability, so the data loss is flat along
    those D directions; the rows-sum-to-zero matrices are the other D (C - 1) directions.

    Returns:
    - Q: array of shape (D * C, D * (C - 1)), orthonormal columns; W (flattened in C order) has
      rows summing to zero exactly when W.ravel() = Q Q^T W.ravel()
    """
    B = np.zeros((C, C - 1))             # Helmert basis of the vectors of length C summing to 0:
    for k in range(1, C):                # column k - 1 is (1, ..., 1, -k, 0, ..., 0) / norm
        B[:k, k - 1] = 1.0
        B[k, k - 1] = -k
    B /= np.linalg.norm(B, axis=0)
    return np.kron(np.eye(D), B)         # the same basis for each of the D rows of W


def newton(objective, hessian, W0, tol=1e-20, max_iter=100):
    """
    Minimize a convex objective of softmax weights by Newton's method with a backtracking line
    search, over the weights W whose rows sum to zero: W.ravel() = Q v with Q = zero_row_sum_basis.

    The gauge is pinned explicitly. Without a prior the Hessian H is singular along the D
    directions W + v 1^T, and a solver left to decide (np.linalg.lstsq with its default cut-off)
    may treat a rounding-level singular value as real on one CPU and not on another, and let W
    drift along them. In v, Newton's equation (Q^T H Q) dv = -Q^T g is nonsingular whenever a
    finite minimizer exists (if it is singular, newton stops with converged False). The MAP's rows sum to zero anyway, and the MLE found here is the
    limit of the MAP as sigma -> infinity. Stops when half the squared Newton decrement,
    lambda^2 / 2 = -g . step / 2, which estimates the gap to the optimum, is below tol.

    Inputs:
    - objective: W -> (value, grad), grad of W's shape
    - hessian: W -> array of shape (W.size, W.size)
    - W0: starting point, of shape (D, C); its row means are removed
    - tol: stop when lambda^2 / 2 < tol
    - max_iter: at most this many steps

    Returns a tuple of:
    - W: the minimizer found, of W0's shape, rows summing to zero
    - info: dict with 'iterations', 'value', 'grad_norm' (max |g|), 'gap' (lambda^2 / 2) and
      'converged' (bool)
    """
    Q = zero_row_sum_basis(*W0.shape)                       # (D C, D (C - 1))
    W = (Q @ (Q.T @ W0.ravel().astype(np.float64))).reshape(W0.shape)
    value, grad = objective(W)
    for iteration in range(max_iter + 1):
        try:
            dv = np.linalg.solve(Q.T @ hessian(W) @ Q, -Q.T @ grad.ravel())
        except np.linalg.LinAlgError:    # singular on the subspace too: no finite minimizer here
            gap = np.inf
            break
        step = (Q @ dv).reshape(W.shape)
        gap = -np.sum(grad * step) / 2                       # lambda^2 / 2
        if gap < tol:
            break
        t = 1.0
        new_value, new_grad = objective(W + step)
        # backtrack until the decrease is a quarter of the predicted t lambda^2 (up to rounding)
        while new_value > value - 0.25 * t * 2 * gap + 4e-16 * abs(value) and t > 1e-10:
            t /= 2
            new_value, new_grad = objective(W + t * step)
        if new_value > value + 4e-16 * abs(value):   # no step decreases it: stop, not converged
            break
        W, value, grad = W + t * step, new_value, new_grad
    info = {'iterations': iteration, 'value': float(value), 'grad_norm': float(np.abs(grad).max()),
            'gap': float(max(gap, 0.0)), 'converged': bool(gap < tol)}
    return W, info
# --8<-- [end:newton]


# The section above shows two functions; the check of the second is attached here.
newton = checked(_check_newton)(newton)


def minimize_loss(X, y, reg, W0=None):
    """
    MAP (reg > 0) or MLE (reg = 0): newton on softmax_loss_vectorized.

    Inputs:
    - X: data, of shape (N, D)
    - y: labels, of shape (N,), integers 0..C-1 with C = y.max() + 1
    - reg: regularization strength, >= 0
    - W0: starting point, of shape (D, C); None for zeros

    Returns a tuple (W of shape (D, C), newton's info).
    """
    W0 = np.zeros((X.shape[1], int(y.max()) + 1)) if W0 is None else W0
    return newton(lambda W: softmax_loss_vectorized(W, X, y, reg),
                  lambda W: softmax_hessian(W, X) + 2 * reg * np.eye(W.size), W0)


def minimize_posterior(X, y, sigma, W0=None):
    """
    MAP: newton on neg_log_posterior; the arguments as for minimize_loss, sigma > 0 for reg.

    Returns a tuple (W of shape (D, C), newton's info).
    """
    W0 = np.zeros((X.shape[1], int(y.max()) + 1)) if W0 is None else W0
    return newton(lambda W: neg_log_posterior(W, X, y, sigma),
                  lambda W: X.shape[0] * softmax_hessian(W, X) + np.eye(W.size) / sigma ** 2, W0)


def mle_exists(W, X):
    """
    Whether the unregularized softmax loss has a finite minimizer: newton converged to W and the
    Hessian there is positive definite on the subspace where the rows of W sum to zero, Q^T H Q
    with Q = zero_row_sum_basis (on the other D directions H is 0: adding one vector to every
    column changes nothing).

    Inputs:
    - W: where newton stopped on the MLE objective, of shape (D, C)
    - X: data, of shape (N, D)

    Returns a tuple of:
    - exists: bool, the smallest eigenvalue on that subspace is above 1e-8
    - lam: that eigenvalue
    """
    Q = zero_row_sum_basis(*W.shape)
    lam = np.linalg.eigvalsh(Q.T @ softmax_hessian(W, X) @ Q)[0]
    return bool(lam > 1e-8), float(lam)


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
