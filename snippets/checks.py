"""
Input checks for the public functions of `snippets`: bad input raises ValueError naming the argument.

The pages show the lesson code without its checks. A function is checked by a decorator written
above its section marker, so the included lines hold the math and nothing else:

    @checked(_check_batchnorm_forward)
    # --8<-- [start:batchnorm_forward]
    def batchnorm_forward(x, gamma, beta, bn_param):
        ...

The check takes the function's arguments and raises ValueError; the function runs only after it.
"""
import functools

import numpy as np


def checked(check):
    """Decorator: call check(*args, **kwargs) before the decorated function, with the same arguments."""
    def decorate(function):
        @functools.wraps(function)
        def checked_function(*args, **kwargs):
            check(*args, **kwargs)
            return function(*args, **kwargs)
        return checked_function
    return decorate


def check_array(name, a, ndim=None, shape=None, hint=''):
    """
    Raise ValueError naming the argument unless a is a finite numpy array
    with the given number of dimensions and shape.

    Inputs:
    - name: the argument's name, for the message
    - a: the value to check
    - ndim: required number of dimensions, or None
    - shape: required shape (a tuple), or None
    - hint: text appended to a dimension or shape message
    """
    if not isinstance(a, np.ndarray):
        raise ValueError(f'{name} must be a numpy array, got {type(a).__name__}')
    if ndim is not None and a.ndim != ndim:
        raise ValueError(f'{name} must be {ndim}-D, got shape {a.shape}{hint}')
    if shape is not None and a.shape != tuple(shape):
        raise ValueError(f'{name} must have shape {tuple(shape)}, got {a.shape}{hint}')
    if not np.all(np.isfinite(a)):
        raise ValueError(f'{name} contains NaN or inf')


def check_labels(name, y, N, C, hint=''):
    """
    Raise ValueError naming the argument unless y holds N integer class labels in 0..C-1.

    Inputs:
    - name: the argument's name, for the message
    - y: the value to check, an integer array of shape (N,)
    - N: the number of examples
    - C: the number of classes
    - hint: text appended to a shape message
    """
    check_array(name, y, ndim=1, shape=(N,), hint=hint)
    if not np.issubdtype(y.dtype, np.integer) or y.min() < 0 or y.max() >= C:
        raise ValueError(f'{name} must hold integer labels in 0..{C - 1}')


def check_int(name, value, smallest=1):
    """Raise ValueError naming the argument unless value is an integer >= smallest (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < smallest:
        raise ValueError(f'{name} must be an integer >= {smallest}, got {value!r}')


def check_positive(name, value, allow_zero=False):
    """Raise ValueError naming the argument unless value is a finite real number > 0 (>= 0 with
    allow_zero); a bool is not a number here."""
    bound = '>= 0' if allow_zero else '> 0'
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not np.isfinite(value) or not (value >= 0 if allow_zero else value > 0):
        raise ValueError(f'{name} must be a finite number {bound}, got {value!r}')
