"""
Weight scale and the backpropagated signal: why "the gradient is proportional to the weights".

For one layer z = x W, the gradient on the layer's input is dx = dz W^T, linear in W, and the
gradient on the weights is dW = x^T dz, proportional to the layer's input x, itself the output of
the earlier layers. Through a deep net these factors multiply. The functions here:
- tanh_forward / tanh_backward: the tanh layer (ReLU is snippets.layers.relu_forward/backward);
- init_weights(scheme, fan_in, fan_out, rng): W = 0.01 * randn, 1.0 * randn, Xavier
  (randn / sqrt(n)) or He (randn * sqrt(2 / n));
- deep_net: the 10-layer experiment of CS231n's lecture on training, forward and backward,
  recording per-layer standard deviations;
- input_gradient_ratio: how dx changes when W becomes c W, with or without a nonlinearity;
- symmetric_init_gradients: a two-layer net with every weight equal, whose hidden units stay alike.

Bad input raises ValueError naming the argument. The page's experiments are in
snippets/experiments/weight_init.py (`python -m snippets weight_init`).
"""
import numpy as np

from snippets.checks import check_array, check_int, checked
from snippets.layers import (affine_backward, affine_forward, relu_backward, relu_forward,
                             softmax_loss)

SCHEMES = ('0.01', '1.0', 'xavier', 'he')

# ---- Input checks: bad input raises ValueError naming the argument. The pages show the
# ---- functions below without them (snippets/checks.py, `checked`).


def _check_tanh_forward(x):
    check_array('x', x)


def _check_tanh_backward(dout, cache):
    check_array('dout', dout, shape=cache.shape, hint=" (the shape of tanh_forward's out)")


def _check_scheme(scheme):
    if scheme not in SCHEMES:
        raise ValueError(f'scheme must be one of {SCHEMES}, got {scheme!r}')


def _check_nonlinearity(nonlinearity, allow_none=False):
    if nonlinearity not in NONLINEARITIES and not (allow_none and nonlinearity is None):
        raise ValueError(f'nonlinearity must be one of {sorted(NONLINEARITIES)}, got {nonlinearity!r}')


def _check_init_weights(scheme, fan_in, fan_out, rng):
    check_int('fan_in', fan_in)
    check_int('fan_out', fan_out)
    _check_scheme(scheme)


def _check_deep_net(nonlinearity, scheme, num_layers=10, width=500, num_examples=1000, seed=0,
                    keep=20000):
    _check_nonlinearity(nonlinearity)
    check_int('num_layers', num_layers)
    check_int('width', width)
    check_int('num_examples', num_examples)
    _check_scheme(scheme)


def _check_input_gradient_ratio(W, c, nonlinearity=None, seed=0):
    check_array('W', W, ndim=2)
    if not np.isfinite(c) or c == 0:
        raise ValueError(f'c must be a finite number != 0, got {c!r}')
    _check_nonlinearity(nonlinearity, allow_none=True)


def _check_symmetric_init_gradients(value, N=16, D=8, H=6, C=3, seed=0):
    if not np.isfinite(value):
        raise ValueError(f'value must be a finite number, got {value!r}')


# ---- The lesson -------------------------------------------------------------------------


@checked(_check_tanh_forward)
def tanh_forward(x):
    """
    Hyperbolic tangent, elementwise.

    Inputs:
    - x: input, of any shape

    Returns a tuple of:
    - out: tanh(x), of x's shape
    - cache: out (the derivative is 1 - out**2)
    """
    out = np.tanh(x)
    return out, out


@checked(_check_tanh_backward)
def tanh_backward(dout, cache):
    """
    Backward pass for tanh.

    Inputs:
    - dout: upstream derivative, of out's shape
    - cache: out from tanh_forward

    Returns:
    - dx: of out's shape
    """
    out = cache
    return dout * (1 - out ** 2)


NONLINEARITIES = {'tanh': (tanh_forward, tanh_backward), 'relu': (relu_forward, relu_backward)}


@checked(_check_init_weights)
# --8<-- [start:init_weights]
def init_weights(scheme, fan_in, fan_out, rng):
    """
    A weight matrix drawn from a zero-mean Gaussian; randn has standard deviation 1.

    Inputs:
    - scheme: '0.01' (0.01 * randn), '1.0' (randn), 'xavier' (randn / sqrt(fan_in),
      variance 1 / fan_in) or 'he' (randn * sqrt(2 / fan_in), variance 2 / fan_in)
    - fan_in, fan_out: the shape, integers >= 1
    - rng: a numpy Generator

    Returns:
    - W: of shape (fan_in, fan_out)
    """
    scale = {'0.01': 0.01, '1.0': 1.0, 'xavier': 1 / np.sqrt(fan_in),
             'he': np.sqrt(2 / fan_in)}[scheme]
    return scale * rng.standard_normal((fan_in, fan_out))
# --8<-- [end:init_weights]


@checked(_check_deep_net)
# --8<-- [start:deep_net]
def deep_net(nonlinearity, scheme, num_layers=10, width=500, num_examples=1000, seed=0,
             keep=20000):
    """
    Forward a unit-Gaussian batch through num_layers layers h = f(h W) (no biases, as in the
    lecture), then backward a unit-Gaussian upstream gradient from the top, and record
    per-layer standard deviations.

    Inputs:
    - nonlinearity: 'tanh' or 'relu'
    - scheme: as for init_weights
    - num_layers, width, num_examples: the net and the batch, integers >= 1
    - seed: for the input, the weights and the upstream gradient
    - keep: how many activations of each layer to return for histograms

    Returns a dict of:
    - act_std: (num_layers,), std of each layer's output h_l
    - grad_in_std: (num_layers,), std of dL/dh_{l-1}, the gradient on layer l's input
    - grad_W_std: (num_layers,), std of dL/dW_l
    - acts: (num_layers, keep), the first keep outputs of each layer
    """
    forward, backward = NONLINEARITIES[nonlinearity]
    rng = np.random.default_rng(seed)
    h = rng.standard_normal((num_examples, width))
    caches, act_std, acts = [], [], []
    for _ in range(num_layers):
        W = init_weights(scheme, width, width, rng)
        z, affine_cache = affine_forward(h, W, np.zeros(width))
        h, f_cache = forward(z)
        caches.append((affine_cache, f_cache))
        act_std.append(h.std())
        acts.append(h.ravel()[:keep])
    dh = rng.standard_normal(h.shape)              # dL/dh at the top: unit Gaussian
    grad_in_std, grad_W_std = [], []
    for affine_cache, f_cache in reversed(caches):
        dz = backward(dh, f_cache)
        dh, dW, _ = affine_backward(dz, affine_cache)   # dh = dz W^T, dW = h_prev^T dz
        grad_in_std.append(dh.std())
        grad_W_std.append(dW.std())
    return {'act_std': np.array(act_std), 'grad_in_std': np.array(grad_in_std[::-1]),
            'grad_W_std': np.array(grad_W_std[::-1]), 'acts': np.array(acts)}
# --8<-- [end:deep_net]


@checked(_check_input_gradient_ratio)
# --8<-- [start:scaling]
def input_gradient_ratio(W, c, nonlinearity=None, seed=0):
    """
    How dx, the gradient on a layer's input, changes when W becomes c W.
    Without a nonlinearity the upstream dz is fixed and dx = dz W^T scales by exactly c;
    with z = f(x W) behind the fixed upstream gradient dh, dz = dh * f'(x W) changes with W.

    Inputs:
    - W: weights, of shape (D, M)
    - c: the factor, a number != 0
    - nonlinearity: None, 'tanh' or 'relu'
    - seed: for the unit-Gaussian x (64, D) and upstream gradient (64, M)

    Returns:
    - ratio: ||dx(c W)|| / ||dx(W)||
    """
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((64, W.shape[0]))
    upstream = rng.standard_normal((64, W.shape[1]))

    def dx(W):
        z, affine_cache = affine_forward(x, W, np.zeros(W.shape[1]))
        dz = upstream
        if nonlinearity is not None:
            forward, backward = NONLINEARITIES[nonlinearity]
            dz = backward(upstream, forward(z)[1])
        return affine_backward(dz, affine_cache)[0]

    return float(np.linalg.norm(dx(c * W)) / np.linalg.norm(dx(W)))
# --8<-- [end:scaling]


@checked(_check_symmetric_init_gradients)
# --8<-- [start:symmetry]
def symmetric_init_gradients(value, N=16, D=8, H=6, C=3, seed=0):
    """
    A two-layer net x - affine - tanh - affine - softmax with every weight equal to value:
    all hidden units compute the same thing, so they get the same gradient.

    Inputs:
    - value: the value of every weight, a finite number
    - N, D, H, C: examples, input size, hidden units, classes
    - seed: for the unit-Gaussian x (N, D) and the labels y (N,)

    Returns a tuple of floats:
    - largest |dW1| and |dW2| entry (both 0 when value = 0: nothing moves)
    - largest difference between two columns of dW1 (0: the units stay identical)
    """
    rng = np.random.default_rng(seed)
    x, y = rng.standard_normal((N, D)), rng.integers(0, C, N)
    W1, W2 = np.full((D, H), float(value)), np.full((H, C), float(value))
    z1, cache1 = affine_forward(x, W1, np.zeros(H))
    h, tanh_cache = tanh_forward(z1)
    scores, cache2 = affine_forward(h, W2, np.zeros(C))
    _, dscores = softmax_loss(scores, y)
    dh, dW2, _ = affine_backward(dscores, cache2)
    _, dW1, _ = affine_backward(tanh_backward(dh, tanh_cache), cache1)
    spread = float(np.abs(dW1 - dW1[:, :1]).max())
    return float(max(np.abs(dW1).max(), np.abs(dW2).max())), spread
# --8<-- [end:symmetry]
