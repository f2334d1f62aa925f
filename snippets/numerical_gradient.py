"""
Gradient checking as in cs231n's gradient_check.py: numerical gradients by centred differences and
the relative error that compares them with analytic ones. Every page's backward passes are checked
with these; the gradient-check page shows grad_check_sparse.
"""
import numpy as np

from snippets.checks import checked


def _check_point(x, h):
    """Raise ValueError unless x is a float numpy array (it is nudged in place) and h > 0."""
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        got = getattr(x, 'dtype', type(x).__name__)
        raise ValueError(f'x must be a float numpy array (it is changed in place), got {got}')
    if not (np.isfinite(h) and h > 0):
        raise ValueError(f'h must be a finite step > 0, got {h!r}')


def eval_numerical_gradient(f, x, verbose=True, h=1e-5):
    """
    Numerical gradient of a scalar function f at x, by centred differences:
        df/dx[i] ~ (f(x + h e_i) - f(x - h e_i)) / (2 h).

    Inputs:
    - f: function of one argument, an array of x's shape, returning a float
    - x: float array of any shape; each entry is nudged in place and restored
    - verbose: if True, print each index and its gradient
    - h: step, > 0

    Returns:
    - grad: array of x's shape
    """
    _check_point(x, h)
    grad = np.zeros_like(x)
    for ix in np.ndindex(x.shape):
        grad[ix] = centred_difference(f, x, ix, h)
        if verbose:
            print(ix, grad[ix])
    return grad


def centred_difference(f, x, ix, h):
    """
    The derivative of f along entry ix of x, (f(x + h e_ix) - f(x - h e_ix)) / (2 h).

    Inputs:
    - f: function of one argument, an array of x's shape, returning a float
    - x: float array; x[ix] is nudged in place and restored
    - ix: index of one entry of x (a tuple)
    - h: step, > 0

    Returns:
    - the derivative, a float
    """
    old_value = x[ix]
    x[ix] = old_value + h
    fxph = f(x)                     # f(x + h)
    x[ix] = old_value - h
    fxmh = f(x)                     # f(x - h)
    x[ix] = old_value               # restore
    return (fxph - fxmh) / (2 * h)


def eval_numerical_gradient_array(f, x, df, h=1e-5):
    """
    Numerical gradient of sum(f(x) * df) at x: the chain rule for a function f
    with array output, given the upstream gradient df. As cs231n's, it subtracts the two outputs
    before weighting them by df, sum((f(x + h) - f(x - h)) * df) / 2h: rounding then cancels less
    than in sum(f(x + h) * df) - sum(f(x - h) * df).

    Inputs:
    - f: function of one argument, an array of x's shape, returning an array of df's shape
    - x: float array of any shape; each entry is nudged in place and restored
    - df: upstream gradient, of the shape of f(x)
    - h: step, > 0

    Returns:
    - grad: array of x's shape
    """
    _check_point(x, h)
    if not isinstance(df, np.ndarray):
        raise ValueError(f'df must be a numpy array, got {type(df).__name__}')

    grad = np.zeros_like(x)
    for ix in np.ndindex(x.shape):
        old_value = x[ix]
        x[ix] = old_value + h
        pos = np.array(f(x), copy=True)       # f(x + h)
        x[ix] = old_value - h
        neg = np.array(f(x), copy=True)       # f(x - h)
        x[ix] = old_value                     # restore
        if pos.shape != df.shape:
            raise ValueError(f'df has shape {df.shape}, but f(x) has shape {pos.shape}')
        grad[ix] = np.sum((pos - neg) * df) / (2 * h)   # as cs231n: the difference first
    return grad


def rel_error(x, y):
    """
    Largest elementwise relative error max |x - y| / max(1e-8, |x| + |y|).

    Inputs:
    - x, y: arrays (or numbers) of the same shape

    Returns:
    - error: float
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.shape != y.shape:
        raise ValueError(f'y has shape {y.shape}, but x has shape {x.shape}')
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))


def backward_errors(forward, backward, inputs, *args, h=1e-5, seed=0, dtype=None):
    """
    Check a forward/backward pair: rel_error between each gradient that backward returns and
    eval_numerical_gradient_array's, for a random upstream dout (seeded).

    Inputs:
    - forward: function (*inputs, *args) -> (out, cache), e.g. affine_forward
    - backward: function (dout, cache) -> the gradients of inputs, in order (one array or a tuple)
    - inputs: list of float arrays, the arguments to differentiate
    - args: the rest of forward's arguments (not differentiated)
    - h: step of the centred differences
    - seed: for dout
    - dtype: dtype of the numerical side, default the inputs' own; np.longdouble (80-bit on
      x86-64) makes its rounding noise about 1000 times smaller than float64's

    Returns:
    - errors: list of floats, one per input
    """
    out, cache = forward(*inputs, *args)
    dout = np.random.default_rng(seed).standard_normal(out.shape)
    analytic = backward(dout, cache)
    analytic = analytic if isinstance(analytic, tuple) else (analytic,)
    copies = [np.array(a, dtype=dtype) for a in inputs]
    f = lambda _: forward(*copies, *args)[0]          # each copy is nudged in place
    return [rel_error(eval_numerical_gradient_array(f, a, dout.astype(a.dtype), h=h), grad)
            for a, grad in zip(copies, analytic)]



def sparse_numerical_gradient(f, x, num_checks=10, h=1e-5, seed=0):
    """
    Centred differences at num_checks distinct random entries of x only (a full numerical
    gradient costs 2 evaluations of f per entry of x).

    Inputs:
    - f: function of one argument, an array of x's shape, returning a float
    - x: float array; the chosen entries are nudged in place and restored
    - num_checks: how many entries, an integer in 1..x.size
    - h: step, > 0
    - seed: chooses the entries

    Returns a tuple of:
    - picks: tuple of index arrays (as np.unravel_index gives), one entry per check
    - grad: array of shape (num_checks,), the numerical derivative at each picked entry
    """
    _check_point(x, h)
    if isinstance(num_checks, bool) or not isinstance(num_checks, (int, np.integer)) \
            or not 1 <= num_checks <= x.size:
        raise ValueError(f'num_checks must be an integer in 1..{x.size}, got {num_checks!r}')
    picks = np.unravel_index(np.random.default_rng(seed).choice(x.size, num_checks,
                                                                 replace=False), x.shape)
    grad = np.zeros(num_checks)
    for k, ix in enumerate(zip(*picks)):
        grad[k] = centred_difference(f, x, ix, h)
    return picks, grad


def _check_grad_check_sparse(f, x, analytic_grad, num_checks=10, h=1e-5, seed=0):
    if not isinstance(analytic_grad, np.ndarray) or analytic_grad.shape != np.shape(x):
        raise ValueError(f'analytic_grad must be an array of shape {np.shape(x)}, '
                         f'got {getattr(analytic_grad, "shape", type(analytic_grad).__name__)}')


@checked(_check_grad_check_sparse)
# --8<-- [start:grad_check_sparse]
def grad_check_sparse(f, x, analytic_grad, num_checks=10, h=1e-5, seed=0):
    """
    As the assignment's grad_check_sparse: compare an analytic gradient with centred
    differences at a few random entries of x.

    Inputs:
    - f, x, num_checks, h, seed: as for sparse_numerical_gradient
    - analytic_grad: the gradient to check, of x's shape

    Returns:
    - errors: array of shape (num_checks,), rel_error at each checked entry
    """
    picks, numerical = sparse_numerical_gradient(f, x, num_checks, h, seed)
    return np.array([rel_error(n, a) for n, a in zip(numerical, analytic_grad[picks])])
# --8<-- [end:grad_check_sparse]
