"""
Batch, layer, spatial batch and group normalization (cs231n assignment 2, spring 2018).

All four layers compute x_hat = (x - mean) / sqrt(var + eps) and out = gamma * x_hat + beta;
they differ only in WHICH entries share one mean and variance:
- batchnorm_forward, x (N, D): one mean per feature, over the N examples of the batch;
- layernorm_forward, x (N, D): one mean per example, over its D features;
- spatial_batchnorm_forward, x (N, C, H, W): one mean per channel, over N, H and W;
- spatial_groupnorm_forward, x (N, C, H, W): one mean per (example, group of C/G channels),
  over C/G, H and W; G = C is instance normalization, G = 1 is layer normalization.

Bad input raises ValueError naming the argument. Running `python -m snippets.normalization OUTDIR`
does every experiment of the page with fixed seeds, writes its figures into OUTDIR and prints
the numbers that the page shows.
"""
import sys
from pathlib import Path

import numpy as np

from snippets.numerical_gradient import backward_errors
from snippets.layers import affine_forward, check_array, conv_forward_naive, relu_forward
from snippets.reporting import OKABE_ITO, markdown_rows, pyplot, save_svg, shape_str


def _eps(param, name):
    """param['eps'] (default 1e-5), checked to be > 0."""
    if not isinstance(param, dict):
        raise ValueError(f'{name} must be a dict, got {type(param).__name__}')
    eps = param.get('eps', 1e-5)
    if not eps > 0:
        raise ValueError(f"{name}['eps'] must be > 0, got {eps!r}")
    return eps


def _bn_settings(bn_param):
    """(mode, eps, momentum) from bn_param, checked."""
    eps = _eps(bn_param, 'bn_param')
    mode = bn_param.get('mode')
    if mode not in ('train', 'test'):
        raise ValueError(f"bn_param['mode'] must be 'train' or 'test', got {mode!r}")
    momentum = bn_param.get('momentum', 0.9)
    if not 0 <= momentum <= 1:
        raise ValueError(f"bn_param['momentum'] must be in [0, 1], got {momentum!r}")
    return mode, eps, momentum


def _check_gamma_beta(gamma, beta, shape):
    check_array('gamma', gamma, shape=shape)
    check_array('beta', beta, shape=shape)


def _check_running(running_mean, running_var, D):
    hint = ' (a bn_param is kept per layer: was this one used for another width?)'
    check_array("bn_param['running_mean']", running_mean, shape=(D,), hint=hint)
    check_array("bn_param['running_var']", running_var, shape=(D,), hint=hint)


def _check_dout(dout, shape, forward):
    check_array('dout', dout, shape=shape, hint=f" (the shape of {forward}'s out)")


# --8<-- [start:batchnorm_forward]
def batchnorm_forward(x, gamma, beta, bn_param):
    """
    Batch normalization: each feature is normalized by statistics over the batch.

    In train mode the mean and variance are those of the minibatch (over axis 0), and
    bn_param keeps exponential running averages of them:
        running_mean = momentum * running_mean + (1 - momentum) * sample_mean
    In test mode the running averages are used instead of the minibatch's.

    Inputs:
    - x: data, of shape (N, D)
    - gamma: scale, of shape (D,)
    - beta: shift, of shape (D,)
    - bn_param: dict with keys
      - mode: 'train' or 'test' (required)
      - eps: added to the variance, default 1e-5
      - momentum: weight of the old running average, default 0.9
      - running_mean, running_var: arrays of shape (D,), default zeros;
        written back into bn_param in train mode

    Returns a tuple of:
    - out: of shape (N, D)
    - cache: (x_hat, gamma, mean, std, mode); mean and std are of shape (D,)
    """
    mode, eps, momentum = _bn_settings(bn_param)
    check_array('x', x, ndim=2, hint='; for x of shape (N, C, H, W) use spatial_batchnorm_forward')
    N, D = x.shape
    _check_gamma_beta(gamma, beta, (D,))
    running_mean = bn_param.get('running_mean', np.zeros(D, dtype=x.dtype))
    running_var = bn_param.get('running_var', np.zeros(D, dtype=x.dtype))
    _check_running(running_mean, running_var, D)

    if mode == 'train':
        mean = x.mean(axis=0)              # (D,): one mean per feature, over the N examples
        var = x.var(axis=0)
        bn_param['running_mean'] = momentum * running_mean + (1 - momentum) * mean
        bn_param['running_var'] = momentum * running_var + (1 - momentum) * var
    else:
        mean, var = running_mean, running_var
    std = np.sqrt(var + eps)
    x_hat = (x - mean) / std
    out = gamma * x_hat + beta
    cache = (x_hat, gamma, mean, std, mode)
    return out, cache
# --8<-- [end:batchnorm_forward]


# --8<-- [start:batchnorm_backward]
def compact_backward(dx_hat, x_hat, std, axis):
    """
    The compact formula for the gradient through x_hat = (x - mean) / std, where mean and
    std = sqrt(var + eps) are taken over `axis` (all of mean's and var's terms, summed up):
        dx = (dx_hat - mean(dx_hat) - x_hat * mean(dx_hat * x_hat)) / std

    Inputs:
    - dx_hat: upstream derivative with respect to x_hat
    - x_hat: normalized data, of dx_hat's shape
    - std: of the shape of the statistics (broadcastable to x_hat)
    - axis: the axis (or axes) the statistics were taken over

    Returns:
    - dx: of x_hat's shape
    """
    mean_dx_hat = dx_hat.mean(axis=axis, keepdims=True)
    mean_dx_hat_x_hat = (dx_hat * x_hat).mean(axis=axis, keepdims=True)
    return (dx_hat - mean_dx_hat - x_hat * mean_dx_hat_x_hat) / std


def batchnorm_backward(dout, cache):
    """
    Backward pass for batch normalization, by the compact formula (compact_backward).

    Inputs:
    - dout: upstream derivative, of shape (N, D)
    - cache: from batchnorm_forward

    Returns a tuple of:
    - dx: of shape (N, D)
    - dgamma: of shape (D,)
    - dbeta: of shape (D,)
    """
    x_hat, gamma, mean, std, mode = cache
    _check_dout(dout, x_hat.shape, 'batchnorm_forward')
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    if mode == 'test':
        dx = dx_hat / std                  # the running statistics do not depend on x
    else:
        dx = compact_backward(dx_hat, x_hat, std, axis=0)
    return dx, dgamma, dbeta
# --8<-- [end:batchnorm_backward]


# --8<-- [start:layernorm_forward]
def layernorm_forward(x, gamma, beta, ln_param):
    """
    Layer normalization: each example is normalized by statistics over its own features,
    the same in training and at test time (no running averages).

    Inputs:
    - x: data, of shape (N, D)
    - gamma: scale, of shape (D,)
    - beta: shift, of shape (D,)
    - ln_param: dict with key eps (added to the variance), default 1e-5

    Returns a tuple of:
    - out: of shape (N, D)
    - cache: (x_hat, gamma, mean, std); mean and std are of shape (N, 1)
    """
    eps = _eps(ln_param, 'ln_param')
    check_array('x', x, ndim=2)
    N, D = x.shape
    _check_gamma_beta(gamma, beta, (D,))
    mean = x.mean(axis=1, keepdims=True)   # (N, 1): one mean per example, over its D features
    var = x.var(axis=1, keepdims=True)
    std = np.sqrt(var + eps)
    x_hat = (x - mean) / std
    out = gamma * x_hat + beta
    cache = (x_hat, gamma, mean, std)
    return out, cache
# --8<-- [end:layernorm_forward]


def layernorm_backward(dout, cache):
    """
    Backward pass for layer normalization: the compact formula along axis 1.

    Inputs:
    - dout: upstream derivative, of shape (N, D)
    - cache: from layernorm_forward

    Returns a tuple of:
    - dx: of shape (N, D)
    - dgamma: of shape (D,)
    - dbeta: of shape (D,)
    """
    x_hat, gamma, mean, std = cache
    _check_dout(dout, x_hat.shape, 'layernorm_forward')
    dx = compact_backward(dout * gamma, x_hat, std, axis=1)
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


# --8<-- [start:spatial_batchnorm_forward]
def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    """
    Spatial batch normalization: one mean per channel, over N, H and W. Every pixel of
    every image becomes a row of C features, and batchnorm_forward does the rest.

    Inputs:
    - x: data, of shape (N, C, H, W)
    - gamma: scale, of shape (C,)
    - beta: shift, of shape (C,)
    - bn_param: as for batchnorm_forward (running averages of shape (C,))

    Returns a tuple of:
    - out: of shape (N, C, H, W)
    - cache: (batchnorm cache, x's shape)
    """
    check_array('x', x, ndim=4)
    N, C, H, W = x.shape
    x_rows = x.transpose(0, 2, 3, 1).reshape(-1, C)    # (N*H*W, C): channels last, then rows
    out_rows, bn_cache = batchnorm_forward(x_rows, gamma, beta, bn_param)
    out = out_rows.reshape(N, H, W, C).transpose(0, 3, 1, 2)
    cache = (bn_cache, x.shape)
    return out, cache
# --8<-- [end:spatial_batchnorm_forward]


def spatial_batchnorm_backward(dout, cache):
    """
    Backward pass for spatial batch normalization: the same transpose and reshape,
    then batchnorm_backward.

    Inputs:
    - dout: upstream derivative, of shape (N, C, H, W)
    - cache: from spatial_batchnorm_forward

    Returns a tuple of:
    - dx: of shape (N, C, H, W)
    - dgamma: of shape (C,)
    - dbeta: of shape (C,)
    """
    bn_cache, (N, C, H, W) = cache
    _check_dout(dout, (N, C, H, W), 'spatial_batchnorm_forward')
    dout_rows = dout.transpose(0, 2, 3, 1).reshape(-1, C)
    dx_rows, dgamma, dbeta = batchnorm_backward(dout_rows, bn_cache)
    dx = dx_rows.reshape(N, H, W, C).transpose(0, 3, 1, 2)
    return dx, dgamma, dbeta


# --8<-- [start:wrong_reshape]
def spatial_batchnorm_forward_wrong_reshape(x, gamma, beta, bn_param):
    """
    WRONG spatial batch normalization, for comparison: x.reshape(-1, C) without the
    transpose cuts the memory of x (N, C, H, W) into rows of C neighbouring values along W,
    so a "feature" column mixes all channels. Same inputs and outputs as
    spatial_batchnorm_forward.
    """
    N, C, H, W = x.shape
    out_rows, bn_cache = batchnorm_forward(x.reshape(-1, C), gamma, beta, bn_param)
    return out_rows.reshape(N, C, H, W), (bn_cache, x.shape)
# --8<-- [end:wrong_reshape]


def _check_groups(G, C):
    if isinstance(G, bool) or not isinstance(G, (int, np.integer)) or G < 1:
        raise ValueError(f'G must be an integer >= 1, got {G!r}')
    if C % G:
        raise ValueError(f'G = {G} does not divide the C = {C} channels of x')


# --8<-- [start:spatial_groupnorm_forward]
def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    """
    Group normalization: the C channels are cut into G groups of C/G neighbouring channels,
    and each (example, group) is normalized by statistics over its C/G * H * W values.
    As in layer normalization, nothing depends on the other examples of the batch.

    Inputs:
    - x: data, of shape (N, C, H, W)
    - gamma: scale, one per channel, of shape (1, C, 1, 1)
    - beta: shift, one per channel, of shape (1, C, 1, 1)
    - G: number of groups, an integer >= 1 that divides C
    - gn_param: dict with key eps (added to the variance), default 1e-5

    Returns a tuple of:
    - out: of shape (N, C, H, W)
    - cache: (x_hat, gamma, mean, std); mean and std are of shape (N, G, 1)
    """
    eps = _eps(gn_param, 'gn_param')
    check_array('x', x, ndim=4)
    N, C, H, W = x.shape
    _check_groups(G, C)
    _check_gamma_beta(gamma, beta, (1, C, 1, 1))
    x_groups = x.reshape(N, G, -1)                   # (N, G, C/G * H * W)
    mean = x_groups.mean(axis=2, keepdims=True)      # (N, G, 1): one mean per (example, group)
    var = x_groups.var(axis=2, keepdims=True)
    std = np.sqrt(var + eps)
    x_hat = ((x_groups - mean) / std).reshape(N, C, H, W)
    out = gamma * x_hat + beta
    cache = (x_hat, gamma, mean, std)
    return out, cache
# --8<-- [end:spatial_groupnorm_forward]


def spatial_groupnorm_backward(dout, cache):
    """
    Backward pass for group normalization: the compact formula within each (example, group).

    Inputs:
    - dout: upstream derivative, of shape (N, C, H, W)
    - cache: from spatial_groupnorm_forward

    Returns a tuple of:
    - dx: of shape (N, C, H, W)
    - dgamma: of shape (1, C, 1, 1)
    - dbeta: of shape (1, C, 1, 1)
    """
    x_hat, gamma, mean, std = cache
    _check_dout(dout, x_hat.shape, 'spatial_groupnorm_forward')
    N, G = mean.shape[:2]
    dx_hat = (dout * gamma).reshape(N, G, -1)
    dx = compact_backward(dx_hat, x_hat.reshape(N, G, -1), std, axis=2).reshape(x_hat.shape)
    dgamma = (dout * x_hat).sum(axis=(0, 2, 3), keepdims=True)
    dbeta = dout.sum(axis=(0, 2, 3), keepdims=True)
    return dx, dgamma, dbeta


# Experiments of the page -------------------------------------------------------------------

def fc_shape_flow(input_shape, hidden_dims, num_classes, seed=0):
    """
    The forward pass of cs231n's FullyConnectedNet with normalization='batchnorm',
    {affine - batchnorm - relu} x (L - 1) - affine, on random data, recording shapes.

    Inputs:
    - input_shape: (N, d_1, ..., d_k)
    - hidden_dims: list of hidden layer sizes
    - num_classes: size of the last layer
    - seed: for the random data and weights

    Returns:
    - steps: list of (function name, input shape, output shape, cache), in order
    """
    rng = np.random.default_rng(seed)
    out = rng.standard_normal(input_shape)
    steps = []

    def run(name, function, *args):
        nonlocal out
        x = out
        out, cache = function(x, *args)
        steps.append((name, x.shape, out.shape, cache))

    dims = [int(np.prod(input_shape[1:]))] + list(hidden_dims)
    for D, M in zip(dims[:-1], dims[1:]):
        run('affine_forward', affine_forward, 1e-2 * rng.standard_normal((D, M)), np.zeros(M))
        run('batchnorm_forward', batchnorm_forward, np.ones(M), np.zeros(M), {'mode': 'train'})
        run('relu_forward', relu_forward)
    run('affine_forward', affine_forward, 1e-2 * rng.standard_normal((dims[-1], num_classes)),
        np.zeros(num_classes))
    return steps


# --8<-- [start:notes_experiment]
def notes_experiment():
    """
    The check of BatchNormalization.ipynb quoted in the notes: affine - relu - affine on
    random data, then batchnorm_forward with gamma = 1, beta = 0 and with other gamma, beta.
    RandomState(231) draws the same numbers as the notebook's np.random.seed(231).

    Returns a dict of arrays: a (N, D3) before normalization, a_norm with gamma = 1, beta = 0,
    a_affine with the gamma (D3,) and beta (D3,) that it also returns.
    """
    rng = np.random.RandomState(231)
    N, D1, D2, D3 = 200, 50, 60, 3
    X = rng.randn(N, D1)
    W1 = rng.randn(D1, D2)
    W2 = rng.randn(D2, D3)
    a = np.maximum(0, X.dot(W1)).dot(W2)   # affine - relu - affine: (N, D3)

    a_norm, _ = batchnorm_forward(a, np.ones(D3), np.zeros(D3), {'mode': 'train'})
    gamma = np.asarray([1.0, 2.0, 3.0])
    beta = np.asarray([11.0, 12.0, 13.0])
    a_affine, _ = batchnorm_forward(a, gamma, beta, {'mode': 'train'})
    return {'a': a, 'a_norm': a_norm, 'a_affine': a_affine, 'gamma': gamma, 'beta': beta}
# --8<-- [end:notes_experiment]


def _ones_zeros(shape):
    return np.ones(shape), np.zeros(shape)


def truth_table(x, G):
    """
    Which entries share one mean, measured from the caches of each layer on x (N, C, H, W).
    BN and LN see the (N, C*H*W) flattening that affine_forward would make.

    Returns:
    - rows: list of (method, function, averaged axes, number of means, values per mean,
      gamma's shape)
    """
    N, C, H, W = x.shape
    flat = x.reshape(N, -1)
    _, bn = batchnorm_forward(flat, *_ones_zeros(flat.shape[1]), {'mode': 'train'})
    _, ln = layernorm_forward(flat, *_ones_zeros(flat.shape[1]), {})
    _, (sbn, _) = spatial_batchnorm_forward(x, *_ones_zeros(C), {'mode': 'train'})
    _, inn = spatial_groupnorm_forward(x, *_ones_zeros((1, C, 1, 1)), C, {})
    _, gn = spatial_groupnorm_forward(x, *_ones_zeros((1, C, 1, 1)), G, {})
    methods = [('BN', 'batchnorm_forward', 'N', bn),
               ('LN', 'layernorm_forward', 'D', ln),
               ('spatial BN', 'spatial_batchnorm_forward', 'N, H, W', sbn),
               ('IN', 'spatial_groupnorm_forward (G=C)', 'H, W', inn),
               (f'GN (G={G})', 'spatial_groupnorm_forward', 'C/G, H, W', gn)]
    # every cache starts (x_hat, gamma, mean, ...): count the means, and the values behind each
    return [(method, function, axes, cache[2].size, x.size // cache[2].size, cache[1].shape)
            for method, function, axes, cache in methods]


def batch_dependence(seed=0):
    """
    max |f(x[:5]) - f(x)[:5]| for x (50, 20), for f = layernorm and train-mode batchnorm:
    does an example's output depend on the rest of the batch?

    Returns a tuple of floats: (layernorm's, batchnorm's)
    """
    x = np.random.default_rng(seed).standard_normal((50, 20))
    gamma, beta = _ones_zeros(20)
    ln = lambda x: layernorm_forward(x, gamma, beta, {})[0]
    bn = lambda x: batchnorm_forward(x, gamma, beta, {'mode': 'train'})[0]
    return tuple(float(np.max(np.abs(f(x[:5]) - f(x)[:5]))) for f in (ln, bn))


def batchnorm_single_example(seed=0):
    """Train-mode batchnorm_forward on one example (N = 1): max |out - beta|."""
    rng = np.random.default_rng(seed)
    x, gamma, beta = rng.standard_normal((1, 8)), rng.standard_normal(8), rng.standard_normal(8)
    out, _ = batchnorm_forward(x, gamma, beta, {'mode': 'train'})
    # the batch mean of one example is the example itself, so x - mean is exactly 0 and
    # out = gamma * 0 / sqrt(0 + eps) + beta = beta, whatever x is
    return float(np.max(np.abs(out - beta)))


def channel_offset_data(shape=(10, 4, 6, 6), seed=0):
    """Random x (N, C, H, W) whose channel c has mean 3c, so that mixing channels shows."""
    x = np.random.default_rng(seed).standard_normal(shape)
    return x + 3.0 * np.arange(shape[1]).reshape(1, -1, 1, 1)


def spatial_batchnorm_reshape_check(x):
    """
    Correct and wrong spatial batch normalization on x, gamma = 1, beta = 0.

    Returns a tuple of floats: (max over channels of |channel mean of out| for the correct one,
    the same for the wrong reshape, max |correct - wrong|)
    """
    C = x.shape[1]
    right, _ = spatial_batchnorm_forward(x, *_ones_zeros(C), {'mode': 'train'})
    wrong, _ = spatial_batchnorm_forward_wrong_reshape(x, *_ones_zeros(C), {'mode': 'train'})
    worst_channel_mean = lambda out: float(np.max(np.abs(out.mean(axis=(0, 2, 3)))))
    return (worst_channel_mean(right), worst_channel_mean(wrong),
            float(np.max(np.abs(right - wrong))))


def groupnorm_checks(x, G, eps=1e-5):
    """
    Group normalization (gamma = 1, beta = 0) against its special cases and the notes' reading.

    Returns a dict of max absolute differences:
    - g1_vs_ln: G = 1 against layernorm_forward on x.reshape(N, -1)
    - gC_vs_in: G = C against a per-(example, channel) normalization over H, W
    - vs_ln_rows: G groups against layernorm_forward on the N*G rows of x.reshape(N*G, -1)
    - vs_bn_rows: the same against train-mode batchnorm_forward on those rows
    """
    N, C, H, W = x.shape
    gn = lambda G: spatial_groupnorm_forward(x, *_ones_zeros((1, C, 1, 1)), G, {'eps': eps})[0]
    ln = lambda rows: layernorm_forward(rows, *_ones_zeros(rows.shape[1]), {'eps': eps})[0]
    bn = lambda rows: batchnorm_forward(rows, *_ones_zeros(rows.shape[1]),
                                        {'mode': 'train', 'eps': eps})[0]
    instance = (x - x.mean(axis=(2, 3), keepdims=True)) / np.sqrt(
        x.var(axis=(2, 3), keepdims=True) + eps)
    rows = x.reshape(N * G, -1)
    diff = lambda a, b: float(np.max(np.abs(a - b.reshape(a.shape))))
    return {'g1_vs_ln': diff(gn(1), ln(x.reshape(N, -1))),
            'gC_vs_in': diff(gn(C), instance),
            'vs_ln_rows': diff(gn(G), ln(rows)),
            'vs_bn_rows': diff(gn(G), bn(rows))}


def running_average_experiment(mu=5.0, steps=100, momentum=0.9, test_after=(5, 100), seed=0):
    """
    Train-mode batchnorm_forward on batches (32, 4) whose feature means are exactly mu,
    starting from running_mean = 0; test mode on fresh data from the same distribution.

    Returns a tuple of:
    - fractions: array of shape (steps,), running_mean / mu after step t = 1..steps
    - test_means: dict t -> mean of the test-mode output after t training steps
    """
    rng = np.random.default_rng(seed)
    gamma, beta = _ones_zeros(4)
    bn_param = {'mode': 'train', 'momentum': momentum}
    fractions, test_means = [], {}
    for t in range(1, steps + 1):
        z = rng.standard_normal((32, 4))
        batchnorm_forward(mu + z - z.mean(axis=0), gamma, beta, bn_param)
        fractions.append(bn_param['running_mean'].mean() / mu)
        if t in test_after:
            fresh = mu + rng.standard_normal((1000, 4))
            out, _ = batchnorm_forward(fresh, gamma, beta, dict(bn_param, mode='test'))
            test_means[t] = float(out.mean())
    return np.array(fractions), test_means


def first_step_reaching(fractions, target):
    """The first step t (counted from 1) with fractions[t - 1] >= target."""
    reached = np.flatnonzero(np.asarray(fractions) >= target)
    if reached.size == 0:
        raise ValueError(f'fractions never reach target = {target}')
    return int(reached[0]) + 1


def gradient_check_table(seed=231):
    """
    backward_errors for every backward pass here, twice: with the numerical gradient in float64
    and h = 1e-5, as in the assignment, and in extended precision (np.longdouble, h = 1e-6),
    whose rounding noise is ~1000 times smaller. The backward passes are float64 in both.
    The data's seed must differ from backward_errors' seed for dout: with the same stream,
    dout would be a linear function of x, and dx, nearly 0, would be all rounding noise.

    Returns:
    - rows: list of (function, gradient, error with float64, error with extended precision)
    """
    rng = np.random.default_rng(seed)
    data = lambda *shape: 5 * rng.standard_normal(shape) + 12     # as in the assignment
    scale_shift = lambda *shape: (rng.standard_normal(shape), rng.standard_normal(shape))
    cases = [  # the assignment's shapes
        (batchnorm_forward, batchnorm_backward, data(4, 5), scale_shift(5), {'mode': 'train'}),
        (layernorm_forward, layernorm_backward, data(4, 5), scale_shift(5), {}),
        (spatial_batchnorm_forward, spatial_batchnorm_backward, data(2, 3, 4, 5),
         scale_shift(3), {'mode': 'train'}),
        (spatial_groupnorm_forward, spatial_groupnorm_backward, data(2, 6, 4, 5),
         scale_shift(1, 6, 1, 1), 2, {}),
    ]
    rows = []
    for forward, backward, x, (gamma, beta), *args in cases:
        errors = backward_errors(forward, backward, [x, gamma, beta], *args)
        extended = backward_errors(forward, backward, [x, gamma, beta], *args,
                                   h=1e-6, dtype=np.longdouble)
        rows += [(backward.__name__, name, float(e64), float(e_ext))
                 for name, e64, e_ext in zip(('dx', 'dgamma', 'dbeta'), errors, extended)]
    return rows


# Figures -----------------------------------------------------------------------------------

def _draw_block(ax, shaded, title):
    """
    An oblique drawing of a block of shape (N, C, HW): the front face is C (across) by HW (up)
    at n = 0, N goes into the depth. shaded[n, c, h] marks the entries that share one mean.
    """
    from matplotlib.patches import Polygon
    N, C, HW = shaded.shape
    dn = np.array([0.5, 0.4])                      # one step along N, up and to the right
    P = lambda n, c, h: np.array([c, h]) + n * dn
    # each visible face: the cells on it, the corners of a cell, and whether it faces us
    front = ([(0, c, h) for c in range(C) for h in range(HW)],
             [(0, 0, 0), (0, 1, 0), (0, 1, 1), (0, 0, 1)], True)
    top = ([(n, c, HW - 1) for n in range(N) for c in range(C)],
           [(0, 0, 1), (0, 1, 1), (1, 1, 1), (1, 0, 1)], False)
    side = ([(n, C - 1, h) for n in range(N) for h in range(HW)],
            [(0, 1, 0), (1, 1, 0), (1, 1, 1), (0, 1, 1)], False)
    for cells, corners, facing in (front, top, side):
        for n, c, h in cells:
            on = shaded[n, c, h]
            if on:
                colour = OKABE_ITO['blue'] if facing else OKABE_ITO['sky_blue']
            else:
                colour = 'white' if facing else '#e8e8e8'
            ax.add_patch(Polygon([P(n + a, c + b, h + d) for a, b, d in corners],
                                 facecolor=colour, edgecolor='#555555', linewidth=0.6))
    ax.text(C / 2, -0.5, 'C', ha='center', va='top', fontsize=12, style='italic')
    ax.text(-0.35, HW / 2, 'H, W', ha='right', va='center', fontsize=12, style='italic',
            rotation=90)
    ax.text(*(P(N / 2, C, 0) + [0.35, -0.25]), 'N', ha='left', va='center', fontsize=12,
            style='italic')
    ax.set_title(title, fontsize=13)
    ax.set_xlim(-1.3, C + N * dn[0] + 0.8)
    ax.set_ylim(-1.1, HW + N * dn[1] + 0.1)
    ax.set_aspect('equal')
    ax.axis('off')


def cube_figure(N=4, C=6, HW=5, G=2):
    """Four blocks (N, C, H*W) in the manner of Wu & He (2018), Fig. 2: BN, LN, IN, GN."""
    plt = pyplot()
    index = np.indices((N, C, HW))
    n, c = index[0], index[1]
    panels = [('BN', c == 1),                        # spatial BN: one channel, all N, H, W
              ('LN', n == 0),                        # one example, all C, H, W
              ('IN', (n == 0) & (c == 1)),           # one example, one channel
              (f'GN (G={G})', (n == 0) & (c < C // G))]  # one example, one group of channels
    fig, axes = plt.subplots(1, 4, figsize=(7.2, 2.1))
    for ax, (title, shaded) in zip(axes, panels):
        _draw_block(ax, shaded, title)
    fig.subplots_adjust(left=0.01, right=1.0, bottom=0.0, top=0.88, wspace=0.04)
    return fig


def running_mean_figure(fractions, momentum, target=0.99):
    """Measured running_mean / mu after each step against 1 - momentum**t, and the first step
    at which the measured fraction reaches target."""
    plt = pyplot()
    t = np.arange(1, len(fractions) + 1)
    smooth = np.linspace(0, len(fractions), 400)
    fig, ax = plt.subplots(figsize=(7.0, 3.4))
    ax.plot(smooth, 1 - momentum ** smooth, color=OKABE_ITO['orange'], linewidth=2,
            label=f'$1 - {momentum:g}^{{t}}$')
    ax.plot(t, fractions, 'o', color=OKABE_ITO['blue'], markersize=4,
            label="bn_param['running_mean'] / $\\mu$")
    ax.axhline(target, color=OKABE_ITO['black'], linestyle='--', linewidth=1)
    ax.text(1, target + 0.015, f'{target:g}', va='bottom', fontsize=10)
    reached = first_step_reaching(fractions, target)
    ax.axvline(reached, color=OKABE_ITO['vermillion'], linestyle=':', linewidth=1.2)
    ax.text(reached + 0.6, 0.5, f'$t = {reached}$', color=OKABE_ITO['vermillion'], fontsize=10)
    ax.set_xlabel('$t$', fontsize=12)
    ax.set_ylabel('running_mean / $\\mu$', fontsize=11)
    ax.set_xlim(0, len(fractions) + 0.5)
    ax.set_ylim(0, 1.08)
    ax.grid(alpha=0.3)
    ax.legend(loc='lower right', fontsize=10)
    fig.tight_layout()
    return fig


# Report ------------------------------------------------------------------------------------

def _numbers(values, spec='#.3g'):
    return '[' + ', '.join(format(float(v), spec) for v in values) + ']'


def report(outdir):
    """
    Run every experiment of the page (fixed seeds), write cube.svg and running_mean.svg into
    outdir (created if missing), and return the page's numbers.

    Inputs:
    - outdir: pathlib.Path

    Returns:
    - values: dict of JSON-serialisable numbers and strings, keyed by the page's placeholders
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    values = {}

    steps = fc_shape_flow((50, 3, 32, 32), [100, 100], 10)
    images, _, _ = steps[0][3]                               # the first affine's cache: x, w, b
    flat = images.reshape(images.shape[0], -1)
    _, bn_input_shape, _, (_, _, bn_mean, _, _) = next(
        step for step in steps if step[0] == 'batchnorm_forward')
    _, (_, _, flat_mean, _, _) = batchnorm_forward(flat, *_ones_zeros(flat.shape[1]),
                                                   {'mode': 'train'})
    values.update(
        flow_input_shape=shape_str(images.shape), flow_flat_shape=shape_str(flat.shape),
        flow_bn_input_shape=shape_str(bn_input_shape),
        flow_rows=markdown_rows((i, name, shape_str(a), shape_str(b))
                                 for i, (name, a, b, _) in enumerate(steps, start=1)),
        bn_means_first_layer=int(bn_mean.size), bn_means_if_flattened=int(flat_mean.size))

    demo = notes_experiment()
    values.update(
        demo_a_shape=shape_str(demo['a'].shape), demo_gamma_shape=shape_str(demo['gamma'].shape),
        demo_before_mean=_numbers(demo['a'].mean(axis=0)),
        demo_before_std=_numbers(demo['a'].std(axis=0)),
        demo_after_mean=_numbers(demo['a_norm'].mean(axis=0), '.1e'),
        demo_after_std=_numbers(demo['a_norm'].std(axis=0)),
        demo_affine_mean=_numbers(demo['a_affine'].mean(axis=0)),
        demo_affine_std=_numbers(demo['a_affine'].std(axis=0)))

    x = np.random.default_rng(0).standard_normal((4, 6, 5, 5))
    G = 2
    values.update(truth_shape=shape_str(x.shape), truth_G=G,
                  truth_rows=markdown_rows(row[:5] + (shape_str(row[5]),)
                                            for row in truth_table(x, G)))

    ln_dependence, bn_dependence = batch_dependence()
    values.update(ln_batch_dependence=ln_dependence, bn_batch_dependence=bn_dependence,
                  bn_n1_max_abs_out_minus_beta=batchnorm_single_example())

    right, wrong, diff = spatial_batchnorm_reshape_check(channel_offset_data())
    values.update(sbn_right_channel_mean_max=right, sbn_wrong_channel_mean_max=wrong,
                  sbn_wrong_max_diff=diff)

    gn = groupnorm_checks(x, G)
    values.update(gn_g1_vs_ln_max_diff=gn['g1_vs_ln'], gn_gC_vs_in_max_diff=gn['gC_vs_in'],
                  gn_vs_ln_rows_max_diff=gn['vs_ln_rows'], gn_vs_bn_rows_max_diff=gn['vs_bn_rows'])

    rng = np.random.default_rng(0)
    images, filters = rng.standard_normal((8, 3, 32, 32)), rng.standard_normal((16, 3, 3, 3))
    conv_out, _ = conv_forward_naive(images, filters, np.zeros(16), {'stride': 1, 'pad': 1})
    _, ((_, conv_gamma, conv_mean, _, _), _) = spatial_batchnorm_forward(
        conv_out, *_ones_zeros(16), {'mode': 'train'})
    values.update(conv_input_shape=shape_str(images.shape), conv_filters=int(filters.shape[0]),
                  conv_output_shape=shape_str(conv_out.shape),
                  conv_bn_gamma_shape=shape_str(conv_gamma.shape), conv_bn_means=int(conv_mean.size))

    momentum = 0.9
    fractions, test_means = running_average_experiment(momentum=momentum)
    values.update(running_frac_t10=float(fractions[9]), running_frac_t50=float(fractions[49]),
                  steps_to_99pct=first_step_reaching(fractions, 0.99),
                  test_out_mean_after_5=test_means[5], test_out_mean_after_100=test_means[100],
                  momentum=momentum)

    rows = gradient_check_table()
    values.update(gradcheck_rows=markdown_rows((f, g, f'{e:.1e}', f'{x:.1e}') for f, g, e, x in rows),
                  gradcheck_max=max(e for _, _, e, _ in rows),
                  gradcheck_max_extended=max(x for _, _, _, x in rows),
                  gradcheck_worst=' '.join(max(rows, key=lambda r: r[2])[:2]))

    save_svg(cube_figure(G=G), outdir / 'cube.svg')
    save_svg(running_mean_figure(fractions[:60], momentum), outdir / 'running_mean.svg')
    return values


if __name__ == '__main__':
    outdir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path('build/normalization')
    for key, value in report(outdir).items():
        print(f'{key}:\n{value}' if isinstance(value, str) and '\n' in value else f'{key}: {value}')
    print(f'figures: {outdir / "cube.svg"}, {outdir / "running_mean.svg"}')
