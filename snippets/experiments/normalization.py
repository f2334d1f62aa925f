"""
Normalization: which entries share one mean?
============================================

The page answers seven questions about BN, LN, spatial BN and GN (cs231n assignment 2) by running
the layers of snippets.normalization on random data with fixed seeds:

1. What goes into batchnorm_forward? The forward pass of cs231n's FullyConnectedNet with
   batchnorm, on a batch of (50, 3, 32, 32) images, records every layer's input and output shape:
   BN sees the affine layer's (N, hidden) output, one mean per hidden unit, not one per pixel.
2. Why does gamma have length D3? The check of BatchNormalization.ipynb quoted in the notes
   (affine - relu - affine, seed 231): per-column means and stds before and after BN.
3. BN against LN: does an example's output depend on the rest of the batch? And BN of a single
   example is exactly beta.
4. Spatial BN with and without the transpose, on channels whose means differ (channel c has mean 3c).
5. GN against its special cases (G = 1 is LN, G = C is IN) and against the notes' reading
   "N x G groups as samples, then BN"; a truth table of which axes each layer averages over.
6. After a conv layer C is the number of filters, not 3.
7. The running averages start at 0 and reach mu only as 1 - momentum^t, which biases test mode
   early in training.
Last, the gradient checks. First the "Batchnorm backward" cell of BatchNormalization.ipynb exactly
as the notebook runs it (np.random.seed(231), N, D = 4, 5, x = 5 * randn + 12), then the same cell
over 200 seeds: the relative errors are rounding noise and spread over orders of magnitude, so one
draw says little; in extended precision they all shrink. Then every backward pass on this site's own
draws, in float64 and in extended precision. report() writes three figures: the four blocks of
Wu & He (2018), Fig. 2 (cube.svg), running_mean / mu against t (running_mean.svg) and the
distribution of the notebook cell's dx error over seeds (gradcheck_seeds.svg).
"""
from collections import namedtuple
from pathlib import Path

import numpy as np

from snippets.layers import affine_forward, conv_forward_naive, relu_forward
from snippets.normalization import (batchnorm_backward, batchnorm_forward, layernorm_backward,
                                    layernorm_forward, spatial_batchnorm_backward,
                                    spatial_batchnorm_forward,
                                    spatial_batchnorm_forward_wrong_reshape,
                                    spatial_groupnorm_backward, spatial_groupnorm_forward)
from snippets.numerical_gradient import backward_errors, eval_numerical_gradient_array, rel_error
from snippets.reporting import OKABE_ITO, markdown_rows, pyplot, save_svg, shape_str

# Settings ----------------------------------------------------------------------------------

FLOW_INPUT_SHAPE = (50, 3, 32, 32)      # the image batch fed to the fully connected net
FLOW_HIDDEN_DIMS = [100, 100]
FLOW_CLASSES = 10
BLOCK_SHAPE = (4, 6, 5, 5)              # (N, C, H, W) for the truth table and the GN checks
G = 2                                   # groups of group normalization
CONV_INPUT_SHAPE = (8, 3, 32, 32)       # images into a 3x3 conv layer of CONV_FILTERS filters
CONV_FILTERS = 16
MOMENTUM = 0.9                          # cs231n's default: weight of the old running average
TARGET = 0.99                           # the fraction of mu that running_mean has to reach
FIGURE_STEPS = 60                       # steps shown in running_mean.svg
NOTEBOOK_SEED = 231                     # np.random.seed(231) in the notebook's gradient-check cell
NOTEBOOK_SEEDS = range(200)             # the seeds of the distribution, fixed before looking


# Data --------------------------------------------------------------------------------------

def _ones_zeros(shape):
    """gamma = 1, beta = 0 of the given shape: the plain normalization."""
    return np.ones(shape), np.zeros(shape)


def random_block(shape=BLOCK_SHAPE, seed=0):
    """Unit-Gaussian x of shape (N, C, H, W)."""
    return np.random.default_rng(seed).standard_normal(shape)


def channel_offset_data(shape=(10, 4, 6, 6), seed=0):
    """Random x (N, C, H, W) whose channel c has mean 3c, so that mixing channels shows."""
    x = np.random.default_rng(seed).standard_normal(shape)
    return x + 3.0 * np.arange(shape[1]).reshape(1, -1, 1, 1)


# Experiments -------------------------------------------------------------------------------

Step = namedtuple('Step', 'name input_shape output_shape cache')


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
    - steps: list of Step(name, input_shape, output_shape, cache), in order
    """
    rng = np.random.default_rng(seed)
    out = rng.standard_normal(input_shape)
    steps = []

    def run(name, function, *args):
        nonlocal out
        x = out
        out, cache = function(x, *args)
        steps.append(Step(name, x.shape, out.shape, cache))

    dims = [int(np.prod(input_shape[1:]))] + list(hidden_dims)
    for D, M in zip(dims[:-1], dims[1:]):
        run('affine_forward', affine_forward, 1e-2 * rng.standard_normal((D, M)), np.zeros(M))
        run('batchnorm_forward', batchnorm_forward, np.ones(M), np.zeros(M), {'mode': 'train'})
        run('relu_forward', relu_forward)
    run('affine_forward', affine_forward, 1e-2 * rng.standard_normal((dims[-1], num_classes)),
        np.zeros(num_classes))
    return steps


def batchnorm_input_experiment():
    """
    What batchnorm_forward receives in the fully connected net, against batchnorm on the
    flattened images.

    Returns a dict of:
    - steps: fc_shape_flow's steps
    - images_shape, flat_shape: the images (N, C, H, W) and their flattening (N, C*H*W)
    - bn_input_shape: the shape of the first batchnorm_forward's input
    - bn_means: how many means that batchnorm computes
    - flat_means: how many it would compute on the flattened images
    """
    steps = fc_shape_flow(FLOW_INPUT_SHAPE, FLOW_HIDDEN_DIMS, FLOW_CLASSES)
    images, w, b = steps[0].cache                        # the first affine_forward's cache
    flat = images.reshape(images.shape[0], -1)
    first_bn = next(step for step in steps if step.name == 'batchnorm_forward')
    bn_mean = first_bn.cache[2]           # batchnorm's cache: (x_hat, gamma, mean, std, mode)
    _, flat_cache = batchnorm_forward(flat, *_ones_zeros(flat.shape[1]), {'mode': 'train'})
    flat_mean = flat_cache[2]
    return {'steps': steps, 'images_shape': images.shape, 'flat_shape': flat.shape,
            'bn_input_shape': first_bn.input_shape, 'bn_means': int(bn_mean.size),
            'flat_means': int(flat_mean.size)}


def notes_experiment():
    """
    The check of BatchNormalization.ipynb quoted in the notes: affine - relu - affine on
    random data, then batchnorm_forward with gamma = 1, beta = 0 and with other gamma, beta.
    RandomState(231) draws the same numbers as the notebook's np.random.seed(231).

    N, D1, D2, D3 = 200, 50, 60, 3 are layer sizes, not an image: X holds N examples of D1
    features, W1 maps them to D2 hidden units, W2 to D3 outputs.

    Returns a dict of arrays: a (N, D3) before normalization, a_norm with gamma = 1, beta = 0,
    a_affine with the gamma (D3,) and beta (D3,) that it also returns, and X, W1, W2.
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
    return {'a': a, 'a_norm': a_norm, 'a_affine': a_affine, 'gamma': gamma, 'beta': beta,
            'X': X, 'W1': W1, 'W2': W2}


TruthRow = namedtuple('TruthRow', 'method function axes means values_per_mean gamma_shape')


def truth_table(x, G):
    """
    Which entries share one mean, measured from the caches of each layer on x (N, C, H, W).
    BN and LN see the (N, C*H*W) flattening that affine_forward would make.

    Returns:
    - rows: list of TruthRow(method, function, averaged axes, number of means, values per mean,
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
    rows = []
    for method, function, axes, cache in methods:
        gamma, mean = cache[1], cache[2]             # every cache starts (x_hat, gamma, mean, ...)
        rows.append(TruthRow(method, function, axes, mean.size, x.size // mean.size, gamma.shape))
    return rows


def batch_dependence(seed=0):
    """
    max |f(x[:5]) - f(x)[:5]| for x (50, 20), for f = layernorm and train-mode batchnorm:
    does an example's output depend on the rest of the batch?

    Returns a dict of floats: layernorm, batchnorm
    """
    x = np.random.default_rng(seed).standard_normal((50, 20))
    gamma, beta = _ones_zeros(20)
    ln = lambda x: layernorm_forward(x, gamma, beta, {})[0]
    bn = lambda x: batchnorm_forward(x, gamma, beta, {'mode': 'train'})[0]
    return {name: float(np.max(np.abs(f(x[:5]) - f(x)[:5])))
            for name, f in (('layernorm', ln), ('batchnorm', bn))}


def batchnorm_single_example(seed=0):
    """Train-mode batchnorm_forward on one example (N = 1): max |out - beta|."""
    rng = np.random.default_rng(seed)
    x, gamma, beta = rng.standard_normal((1, 8)), rng.standard_normal(8), rng.standard_normal(8)
    out, _ = batchnorm_forward(x, gamma, beta, {'mode': 'train'})
    # the batch mean of one example is the example itself, so x - mean is exactly 0 and
    # out = gamma * 0 / sqrt(0 + eps) + beta = beta, whatever x is
    return float(np.max(np.abs(out - beta)))


def spatial_batchnorm_reshape_check(x):
    """
    Correct and wrong spatial batch normalization on x, gamma = 1, beta = 0.

    Returns a dict of floats:
    - right_channel_mean_max: max over channels of |channel mean of out|, the correct one
    - wrong_channel_mean_max: the same for the wrong reshape
    - max_diff: max |correct - wrong|
    """
    C = x.shape[1]
    right, _ = spatial_batchnorm_forward(x, *_ones_zeros(C), {'mode': 'train'})
    wrong, _ = spatial_batchnorm_forward_wrong_reshape(x, *_ones_zeros(C), {'mode': 'train'})
    worst_channel_mean = lambda out: float(np.max(np.abs(out.mean(axis=(0, 2, 3)))))
    return {'right_channel_mean_max': worst_channel_mean(right),
            'wrong_channel_mean_max': worst_channel_mean(wrong),
            'max_diff': float(np.max(np.abs(right - wrong)))}


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


def groupnorm_gradient_shapes(x, G, seed=0):
    """
    The shapes of GN's gamma and of the gradients spatial_groupnorm_backward returns for it,
    with gamma and beta of the assignment's shape (1, C, 1, 1).

    Returns a dict of shape tuples: gamma, dgamma, dbeta
    """
    C = x.shape[1]
    rng = np.random.default_rng(seed)
    gamma, beta = rng.standard_normal((1, C, 1, 1)), rng.standard_normal((1, C, 1, 1))
    out, cache = spatial_groupnorm_forward(x, gamma, beta, G, {})
    _, dgamma, dbeta = spatial_groupnorm_backward(rng.standard_normal(out.shape), cache)
    return {'gamma': gamma.shape, 'dgamma': dgamma.shape, 'dbeta': dbeta.shape}


def conv_batchnorm_experiment(seed=0):
    """
    Spatial batchnorm after a 3x3 conv layer (stride 1, pad 1) of CONV_FILTERS filters on
    random images of CONV_INPUT_SHAPE.

    Returns a dict of:
    - input_shape, output_shape: of the conv layer
    - filters: the number of filters
    - gamma_shape: the shape of the batchnorm's gamma
    - means: how many means the batchnorm computes
    """
    rng = np.random.default_rng(seed)
    images = rng.standard_normal(CONV_INPUT_SHAPE)
    filters = rng.standard_normal((CONV_FILTERS, CONV_INPUT_SHAPE[1], 3, 3))
    conv_out, _ = conv_forward_naive(images, filters, np.zeros(CONV_FILTERS),
                                     {'stride': 1, 'pad': 1})
    _, (bn_cache, _) = spatial_batchnorm_forward(conv_out, *_ones_zeros(CONV_FILTERS),
                                                 {'mode': 'train'})
    x_hat, gamma, mean, std, mode = bn_cache
    return {'input_shape': images.shape, 'filters': int(filters.shape[0]),
            'output_shape': conv_out.shape, 'gamma_shape': gamma.shape, 'means': int(mean.size)}


def running_average_experiment(mu=5.0, steps=100, momentum=0.9, test_after=(5, 100), seed=0):
    """
    Train-mode batchnorm_forward on batches (32, 4) whose feature means are exactly mu,
    starting from running_mean = 0; test mode on fresh data from the same distribution.

    Returns a dict of:
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
    return {'fractions': np.array(fractions), 'test_means': test_means}


def first_step_reaching(fractions, target):
    """The first step t (counted from 1) with fractions[t - 1] >= target."""
    reached = np.flatnonzero(np.asarray(fractions) >= target)
    if reached.size == 0:
        raise ValueError(f'fractions never reach target = {target}')
    return int(reached[0]) + 1


def naive_batchnorm_backward(dout, cache):
    """
    WRONG batchnorm backward, for comparison: dx = dout * gamma / std, as if the mean and the
    variance did not depend on x. Same inputs and outputs as batchnorm_backward.
    """
    x_hat, gamma, mean, std, mode = cache
    return dout * gamma / std, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


def notebook_batchnorm_gradcheck(seed=NOTEBOOK_SEED, backward=batchnorm_backward, h=1e-5,
                                 dtype=None):
    """
    The "Batchnorm backward" cell of BatchNormalization.ipynb (assignment 2): after
    np.random.seed(seed), N, D = 4, 5; x = 5 * randn(N, D) + 12; gamma = randn(D);
    beta = randn(D); dout = randn(N, D); then rel_error between the numerical gradients
    (centred differences, step h) and the analytic ones. RandomState(seed) draws the same numbers
    as np.random.seed(seed), without touching numpy's global state.

    Inputs:
    - seed: the notebook's np.random.seed
    - backward: the backward pass to check, as batchnorm_backward
    - h: step of the centred differences
    - dtype: dtype of the numerical side (np.longdouble: extended precision), default float64

    Returns:
    - errors: tuple of floats (dx error, dgamma error, dbeta error)
    """
    rs = np.random.RandomState(seed)
    N, D = 4, 5
    x = 5 * rs.randn(N, D) + 12
    gamma = rs.randn(D)
    beta = rs.randn(D)
    dout = rs.randn(N, D)
    bn_param = {'mode': 'train'}
    _, cache = batchnorm_forward(x, gamma, beta, bn_param)
    analytic = backward(dout, cache)
    x, gamma, beta = (np.array(a, dtype=dtype) for a in (x, gamma, beta))
    df = dout.astype(x.dtype)
    fx = lambda x: batchnorm_forward(x, gamma, beta, bn_param)[0]
    fg = lambda a: batchnorm_forward(x, a, beta, bn_param)[0]
    fb = lambda b: batchnorm_forward(x, gamma, b, bn_param)[0]
    numerical = (eval_numerical_gradient_array(fx, x, df, h=h),
                 eval_numerical_gradient_array(fg, gamma.copy(), df, h=h),
                 eval_numerical_gradient_array(fb, beta.copy(), df, h=h))
    return tuple(rel_error(n, a) for n, a in zip(numerical, analytic))


def notebook_gradcheck_over_seeds(seeds=NOTEBOOK_SEEDS):
    """
    The notebook's batchnorm dx check for each seed, with the numerical gradient in float64
    (h = 1e-5, as the notebook) and in extended precision (np.longdouble, h = 1e-6).

    Returns a dict of arrays of shape (len(seeds),): float64, extended
    """
    float64 = [notebook_batchnorm_gradcheck(seed)[0] for seed in seeds]
    extended = [notebook_batchnorm_gradcheck(seed, h=1e-6, dtype=np.longdouble)[0]
                for seed in seeds]
    return {'float64': np.array(float64), 'extended': np.array(extended)}


GradcheckRow = namedtuple('GradcheckRow', 'function gradient error_float64 error_extended')


def gradient_check_table(seed=231):
    """
    backward_errors for every backward pass here, twice: with the numerical gradient in float64
    and h = 1e-5, as in the assignment, and in extended precision (np.longdouble, h = 1e-6),
    whose rounding noise is ~1000 times smaller. The backward passes are float64 in both.
    These are this site's own draws (default_rng(seed)), not the notebook's np.random.seed(231):
    notebook_batchnorm_gradcheck runs the notebook's cell itself.
    The data's seed must differ from backward_errors' seed for dout: with the same stream,
    dout would be a linear function of x, and dx, nearly 0, would be all rounding noise.

    Returns:
    - rows: list of GradcheckRow(function, gradient, error with float64,
      error with extended precision)
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
        rows += [GradcheckRow(backward.__name__, name, float(e64), float(e_ext))
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


def gradcheck_seeds_figure(float64, extended, notebook_error, expected=1e-8):
    """Histograms of log10 of the notebook cell's dx error over seeds, with the numerical
    gradient in float64 and in extended precision; the notebook's expected bound and its own
    seed's error as vertical lines."""
    plt = pyplot()
    logs64, logs_ext = np.log10(float64), np.log10(extended)
    low = np.floor(min(logs64.min(), logs_ext.min()))
    high = np.ceil(max(logs64.max(), logs_ext.max()))
    bins = np.arange(low, high + 0.25, 0.25)
    fig, ax = plt.subplots(figsize=(7.0, 3.2))
    ax.hist(logs64, bins=bins, color=OKABE_ITO['blue'], alpha=0.8,
            label='float64, $h = 10^{-5}$')
    ax.hist(logs_ext, bins=bins, histtype='step', color=OKABE_ITO['orange'], linewidth=2,
            label='np.longdouble, $h = 10^{-6}$')
    ax.axvline(np.log10(expected), color=OKABE_ITO['black'], linestyle='--', linewidth=1.2)
    ax.text(np.log10(expected) + 0.08, ax.get_ylim()[1] * 0.92, f'$10^{{{np.log10(expected):.0f}}}$',
            fontsize=10)
    ax.axvline(np.log10(notebook_error), color=OKABE_ITO['vermillion'], linestyle=':',
               linewidth=1.6, label=f'np.random.seed({NOTEBOOK_SEED})')
    ax.set_xlabel('$\\log_{10}$ rel_error(dx_num, dx)', fontsize=11)
    ax.grid(alpha=0.3)
    ax.legend(loc='upper right', fontsize=9)
    fig.tight_layout()
    return fig


# Report ------------------------------------------------------------------------------------

def _numbers(values, spec='#.3g'):
    """[1.23, 4.56, ...]: an array as the page prints it."""
    return '[' + ', '.join(format(float(v), spec) for v in values) + ']'


def report(outdir):
    """
    Run every experiment of the page (fixed seeds), write cube.svg, running_mean.svg and
    gradcheck_seeds.svg into
    outdir (created if missing) and return the page's numbers: a dict keyed by the page's
    placeholders.
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    values = {}

    flow = batchnorm_input_experiment()
    values.update(
        flow_input_shape=shape_str(flow['images_shape']),
        flow_flat_shape=shape_str(flow['flat_shape']),
        flow_bn_input_shape=shape_str(flow['bn_input_shape']),
        flow_rows=markdown_rows((i, step.name, shape_str(step.input_shape),
                                 shape_str(step.output_shape))
                                for i, step in enumerate(flow['steps'], start=1)),
        bn_means_first_layer=flow['bn_means'], bn_means_if_flattened=flow['flat_means'])

    demo = notes_experiment()
    values.update(
        demo_a_shape=shape_str(demo['a'].shape), demo_gamma_shape=shape_str(demo['gamma'].shape),
        demo_before_mean=_numbers(demo['a'].mean(axis=0)),
        demo_before_std=_numbers(demo['a'].std(axis=0)),
        # rounding-level means (about 1e-17) change with the BLAS kernel: printed as the 0 they are
        demo_after_mean=_numbers(np.round(demo['a_norm'].mean(axis=0), 12) + 0.0, 'g'),
        demo_after_std=_numbers(demo['a_norm'].std(axis=0)),
        demo_affine_mean=_numbers(demo['a_affine'].mean(axis=0)),
        demo_affine_std=_numbers(demo['a_affine'].std(axis=0)),
        demo_x_shape=shape_str(demo['X'].shape), demo_w1_shape=shape_str(demo['W1'].shape),
        demo_w2_shape=shape_str(demo['W2'].shape),
        demo_after_mean_abs_max=float(np.max(np.abs(demo['a_norm'].mean(axis=0)))),
        demo_affine_mean_minus_beta_max=float(np.max(np.abs(demo['a_affine'].mean(axis=0)
                                                            - demo['beta']))),
        demo_affine_std_over_gamma_min=float(np.min(demo['a_affine'].std(axis=0) / demo['gamma'])),
        demo_affine_std_over_gamma_max=float(np.max(demo['a_affine'].std(axis=0) / demo['gamma'])))

    x = random_block()
    truth = truth_table(x, G)
    bn_row, ln_row = truth[0], truth[1]
    values.update(truth_shape=shape_str(x.shape), truth_G=G,
                  truth_rows=markdown_rows(row._replace(gamma_shape=shape_str(row.gamma_shape))
                                           for row in truth),
                  truth_N=int(x.shape[0]), truth_C=int(x.shape[1]),
                  truth_bn_means=int(bn_row.means),
                  truth_bn_values_per_mean=int(bn_row.values_per_mean),
                  truth_ln_means=int(ln_row.means),
                  truth_ln_values_per_mean=int(ln_row.values_per_mean))

    dependence = batch_dependence()
    values.update(ln_batch_dependence=dependence['layernorm'],
                  bn_batch_dependence=dependence['batchnorm'],
                  bn_n1_max_abs_out_minus_beta=batchnorm_single_example())

    sbn = spatial_batchnorm_reshape_check(channel_offset_data())
    values.update(sbn_right_channel_mean_max=sbn['right_channel_mean_max'],
                  sbn_wrong_channel_mean_max=sbn['wrong_channel_mean_max'],
                  sbn_wrong_max_diff=sbn['max_diff'])

    gn = groupnorm_checks(x, G)
    values.update(gn_g1_vs_ln_max_diff=gn['g1_vs_ln'], gn_gC_vs_in_max_diff=gn['gC_vs_in'],
                  gn_vs_ln_rows_max_diff=gn['vs_ln_rows'], gn_vs_bn_rows_max_diff=gn['vs_bn_rows'])
    gn_shapes = groupnorm_gradient_shapes(x, G)
    values.update(gn_gamma_shape=shape_str(gn_shapes['gamma']),
                  gn_dgamma_shape=shape_str(gn_shapes['dgamma']),
                  gn_dbeta_shape=shape_str(gn_shapes['dbeta']))

    conv = conv_batchnorm_experiment()
    values.update(conv_input_shape=shape_str(conv['input_shape']), conv_filters=conv['filters'],
                  conv_output_shape=shape_str(conv['output_shape']),
                  conv_bn_gamma_shape=shape_str(conv['gamma_shape']), conv_bn_means=conv['means'])

    running = running_average_experiment(momentum=MOMENTUM)
    fractions, test_means = running['fractions'], running['test_means']
    values.update(running_frac_t10=float(fractions[9]), running_frac_t50=float(fractions[49]),
                  steps_to_99pct=first_step_reaching(fractions, TARGET),
                  test_out_mean_after_5=test_means[5], test_out_mean_after_100=test_means[100],
                  momentum=MOMENTUM,
                  running_max_dev_from_theory=float(np.max(np.abs(
                      fractions - (1 - MOMENTUM ** np.arange(1, len(fractions) + 1))))))

    nb_dx, nb_dgamma, nb_dbeta = notebook_batchnorm_gradcheck(NOTEBOOK_SEED)
    nb_naive_dx = notebook_batchnorm_gradcheck(NOTEBOOK_SEED, backward=naive_batchnorm_backward)[0]
    seeds = notebook_gradcheck_over_seeds(NOTEBOOK_SEEDS)
    errors = seeds['float64']
    values.update(nb_seed=NOTEBOOK_SEED, nb_dx_error=nb_dx, nb_dgamma_error=nb_dgamma,
                  nb_dbeta_error=nb_dbeta, nb_naive_dx_error=nb_naive_dx,
                  nb_num_seeds=len(errors), nb_seed_first=int(NOTEBOOK_SEEDS[0]),
                  nb_seed_last=int(NOTEBOOK_SEEDS[-1]),
                  nb_dx_median=float(np.median(errors)),
                  nb_dx_q90=float(np.quantile(errors, 0.9)),
                  nb_dx_max=float(errors.max()),
                  nb_dx_frac_below_1e8=float(np.mean(errors < 1e-8)),
                  nb_dx_frac_below_1e7=float(np.mean(errors < 1e-7)),
                  nb_dx_extended_max=float(seeds['extended'].max()),
                  nb_dx_extended_median=float(np.median(seeds['extended'])))

    rows = gradient_check_table()
    worst = max(rows, key=lambda row: row.error_float64)
    values.update(gradcheck_rows=markdown_rows((row.function, row.gradient,
                                                f'{row.error_float64:.1e}',
                                                f'{row.error_extended:.1e}') for row in rows),
                  gradcheck_max=worst.error_float64,
                  gradcheck_max_extended=max(row.error_extended for row in rows),
                  gradcheck_worst=f'{worst.function} {worst.gradient}')

    save_svg(cube_figure(G=G), outdir / 'cube.svg')
    save_svg(running_mean_figure(fractions[:FIGURE_STEPS], MOMENTUM, TARGET),
             outdir / 'running_mean.svg')
    save_svg(gradcheck_seeds_figure(errors, seeds['extended'], nb_dx), outdir / 'gradcheck_seeds.svg')
    return values
