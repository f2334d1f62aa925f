"""
Batch, layer, spatial batch and group normalization (cs231n assignment 2, spring 2018): forward and
backward passes.

All four layers compute x_hat = (x - mean) / sqrt(var + eps) and out = gamma * x_hat + beta;
they differ only in WHICH entries share one mean and variance:
- batchnorm_forward, x (N, D): one mean per feature, over the N examples of the batch;
- layernorm_forward, x (N, D): one mean per example, over its D features;
- spatial_batchnorm_forward, x (N, C, H, W): one mean per channel, over N, H and W;
- spatial_groupnorm_forward, x (N, C, H, W): one mean per (example, group of C/G channels),
  over C/G, H and W; G = C is instance normalization, G = 1 is layer normalization.
Each *_backward(dout, cache) returns (dx, dgamma, dbeta); compact_backward is the gradient through
x_hat that they share. spatial_batchnorm_forward_wrong_reshape is a deliberate mistake, for the page.

Bad input raises ValueError naming the argument. The page's experiments are in
snippets/experiments/normalization.py (`python -m snippets normalization`).
"""
import numpy as np

from snippets.checks import check_array, check_int, check_positive, checked

# ---- Input checks: bad input raises ValueError naming the argument. The pages show the
# ---- functions below without them (snippets/checks.py, `checked`).


def _check_eps(param, name):
    """param must be a dict whose 'eps' (default 1e-5) is > 0."""
    if not isinstance(param, dict):
        raise ValueError(f'{name} must be a dict, got {type(param).__name__}')
    check_positive(f"{name}['eps']", param.get('eps', 1e-5))


def _check_bn_param(bn_param):
    _check_eps(bn_param, 'bn_param')
    mode = bn_param.get('mode')
    if mode not in ('train', 'test'):
        raise ValueError(f"bn_param['mode'] must be 'train' or 'test', got {mode!r}")
    momentum = bn_param.get('momentum', 0.9)
    if not 0 <= momentum <= 1:
        raise ValueError(f"bn_param['momentum'] must be in [0, 1], got {momentum!r}")


def _check_gamma_beta(gamma, beta, shape):
    check_array('gamma', gamma, shape=shape)
    check_array('beta', beta, shape=shape)


def _check_dout(dout, shape, forward):
    check_array('dout', dout, shape=shape, hint=f" (the shape of {forward}'s out)")


def _check_batchnorm_forward(x, gamma, beta, bn_param):
    _check_bn_param(bn_param)
    check_array('x', x, ndim=2, hint='; for x of shape (N, C, H, W) use spatial_batchnorm_forward')
    D = x.shape[1]
    _check_gamma_beta(gamma, beta, (D,))
    hint = ' (a bn_param is kept per layer: was this one used for another width?)'
    for key in ('running_mean', 'running_var'):
        if key in bn_param:
            check_array(f"bn_param['{key}']", bn_param[key], shape=(D,), hint=hint)


def _check_batchnorm_backward(dout, cache):
    _check_dout(dout, cache[0].shape, 'batchnorm_forward')


def _check_layernorm_forward(x, gamma, beta, ln_param):
    _check_eps(ln_param, 'ln_param')
    check_array('x', x, ndim=2)
    _check_gamma_beta(gamma, beta, (x.shape[1],))


def _check_layernorm_backward(dout, cache):
    _check_dout(dout, cache[0].shape, 'layernorm_forward')


def _check_spatial_batchnorm_forward(x, gamma, beta, bn_param):
    # the rest (bn_param, gamma, beta) is checked by batchnorm_forward on the (N*H*W, C) rows
    check_array('x', x, ndim=4)


def _check_spatial_batchnorm_backward(dout, cache):
    _check_dout(dout, cache[1], 'spatial_batchnorm_forward')


def _check_spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    _check_eps(gn_param, 'gn_param')
    check_array('x', x, ndim=4)
    C = x.shape[1]
    check_int('G', G)
    if C % G:
        raise ValueError(f'G = {G} does not divide the C = {C} channels of x')
    _check_gamma_beta(gamma, beta, (1, C, 1, 1))


def _check_spatial_groupnorm_backward(dout, cache):
    _check_dout(dout, cache[0].shape, 'spatial_groupnorm_forward')


# ---- The lesson -------------------------------------------------------------------------


@checked(_check_batchnorm_forward)
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
    mode = bn_param['mode']
    eps = bn_param.get('eps', 1e-5)
    momentum = bn_param.get('momentum', 0.9)
    N, D = x.shape
    running_mean = bn_param.get('running_mean', np.zeros(D, dtype=x.dtype))
    running_var = bn_param.get('running_var', np.zeros(D, dtype=x.dtype))

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


@checked(_check_batchnorm_backward)
# --8<-- [start:batchnorm_backward]
def batchnorm_backward(dout, cache):
    """
    Backward pass for batch normalization, by the compact formula (compact_backward, below).

    Inputs:
    - dout: upstream derivative, of shape (N, D)
    - cache: from batchnorm_forward

    Returns a tuple of:
    - dx: of shape (N, D)
    - dgamma: of shape (D,)
    - dbeta: of shape (D,)
    """
    x_hat, gamma, mean, std, mode = cache
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    if mode == 'test':
        dx = dx_hat / std                  # the running statistics do not depend on x
    else:
        dx = compact_backward(dx_hat, x_hat, std, axis=0)
    return dx, dgamma, dbeta


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
# --8<-- [end:batchnorm_backward]


@checked(_check_layernorm_forward)
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
    eps = ln_param.get('eps', 1e-5)
    mean = x.mean(axis=1, keepdims=True)   # (N, 1): one mean per example, over its D features
    var = x.var(axis=1, keepdims=True)
    std = np.sqrt(var + eps)
    x_hat = (x - mean) / std
    out = gamma * x_hat + beta
    cache = (x_hat, gamma, mean, std)
    return out, cache
# --8<-- [end:layernorm_forward]


@checked(_check_layernorm_backward)
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
    dx = compact_backward(dout * gamma, x_hat, std, axis=1)
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


@checked(_check_spatial_batchnorm_forward)
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
    N, C, H, W = x.shape
    x_rows = x.transpose(0, 2, 3, 1).reshape(-1, C)    # (N*H*W, C): channels last, then rows
    out_rows, bn_cache = batchnorm_forward(x_rows, gamma, beta, bn_param)
    out = out_rows.reshape(N, H, W, C).transpose(0, 3, 1, 2)
    cache = (bn_cache, x.shape)
    return out, cache
# --8<-- [end:spatial_batchnorm_forward]


@checked(_check_spatial_batchnorm_backward)
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


@checked(_check_spatial_groupnorm_forward)
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
    eps = gn_param.get('eps', 1e-5)
    N, C, H, W = x.shape
    x_groups = x.reshape(N, G, -1)                   # (N, G, C/G * H * W)
    mean = x_groups.mean(axis=2, keepdims=True)      # (N, G, 1): one mean per (example, group)
    var = x_groups.var(axis=2, keepdims=True)
    std = np.sqrt(var + eps)
    x_hat = ((x_groups - mean) / std).reshape(N, C, H, W)
    out = gamma * x_hat + beta
    cache = (x_hat, gamma, mean, std)
    return out, cache
# --8<-- [end:spatial_groupnorm_forward]


@checked(_check_spatial_groupnorm_backward)
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
    N, G = mean.shape[:2]
    dx_hat = (dout * gamma).reshape(N, G, -1)
    dx = compact_backward(dx_hat, x_hat.reshape(N, G, -1), std, axis=2).reshape(x_hat.shape)
    dgamma = (dout * x_hat).sum(axis=(0, 2, 3), keepdims=True)
    dbeta = dout.sum(axis=(0, 2, 3), keepdims=True)
    return dx, dgamma, dbeta
