"""Numerical gradients by centred differences, and the relative error used to compare gradients."""
import numpy as np


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
        old_value = x[ix]
        x[ix] = old_value + h
        fxph = f(x)                     # f(x + h)
        x[ix] = old_value - h
        fxmh = f(x)                     # f(x - h)
        x[ix] = old_value               # restore
        grad[ix] = (fxph - fxmh) / (2 * h)
        if verbose:
            print(ix, grad[ix])
    return grad


def eval_numerical_gradient_array(f, x, df, h=1e-5):
    """
    Numerical gradient of sum(f(x) * df) at x: the chain rule for a function f
    with array output, given the upstream gradient df.

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

    def weighted_sum(x):
        out = f(x)
        if np.shape(out) != df.shape:
            raise ValueError(f'df has shape {df.shape}, but f(x) has shape {np.shape(out)}')
        return np.sum(out * df)

    return eval_numerical_gradient(weighted_sum, x, verbose=False, h=h)


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
