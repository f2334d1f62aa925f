"""
Weight scale and the backpropagated signal: why "the gradient is proportional to the weights".

For one layer z = x W, the gradient on the layer's input is dx = dz W^T, linear in W, and the
gradient on the weights is dW = x^T dz, proportional to the layer's input x, itself the output of
the earlier layers. Through a deep net these factors multiply. The experiment of CS231n's lecture
on training (a 10-layer net of 500 units on unit-Gaussian input) shows it for
W = 0.01 * randn, W = 1.0 * randn, Xavier (randn / sqrt(n)) with tanh, and He
(randn * sqrt(2 / n)) or Xavier with ReLU.

Bad input raises ValueError naming the argument. Running `python -m snippets.weight_init OUTDIR` does
every experiment of the page with fixed seeds, writes its figures into OUTDIR and prints the
numbers that the page shows.
"""
import sys
from pathlib import Path

import numpy as np

from snippets.layers import (affine_backward, affine_forward, check_array, relu_backward,
                             relu_forward, softmax_loss)
from snippets.reporting import OKABE_ITO, pyplot, save_svg


# --8<-- [start:tanh]
def tanh_forward(x):
    """
    Hyperbolic tangent, elementwise.

    Inputs:
    - x: input, of any shape

    Returns a tuple of:
    - out: tanh(x), of x's shape
    - cache: out (the derivative is 1 - out**2)
    """
    check_array('x', x)
    out = np.tanh(x)
    return out, out


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
    check_array('dout', dout, shape=out.shape, hint=" (the shape of tanh_forward's out)")
    return dout * (1 - out ** 2)
# --8<-- [end:tanh]


# --8<-- [start:init_weights]
SCHEMES = ('0.01', '1.0', 'xavier', 'he')


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
    for name, n in (('fan_in', fan_in), ('fan_out', fan_out)):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f'{name} must be an integer >= 1, got {n!r}')
    scale = {'0.01': 0.01, '1.0': 1.0, 'xavier': 1 / np.sqrt(fan_in),
             'he': np.sqrt(2 / fan_in)}.get(scheme)
    if scale is None:
        raise ValueError(f'scheme must be one of {SCHEMES}, got {scheme!r}')
    return scale * rng.standard_normal((fan_in, fan_out))
# --8<-- [end:init_weights]


NONLINEARITIES = {'tanh': (tanh_forward, tanh_backward), 'relu': (relu_forward, relu_backward)}


def _check_net(nonlinearity, **sizes):
    """Raise ValueError naming the argument unless nonlinearity is known (None allowed only
    when sizes is empty) and every size is an integer >= 1."""
    if nonlinearity not in NONLINEARITIES and (sizes or nonlinearity is not None):
        raise ValueError(f'nonlinearity must be one of {sorted(NONLINEARITIES)}, got {nonlinearity!r}')
    for name, n in sizes.items():
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f'{name} must be an integer >= 1, got {n!r}')


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
    _check_net(nonlinearity, num_layers=num_layers, width=width, num_examples=num_examples)
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


def _check_ratio(W, c, nonlinearity):
    check_array('W', W, ndim=2)
    if not np.isfinite(c) or c == 0:
        raise ValueError(f'c must be a finite number != 0, got {c!r}')
    _check_net(nonlinearity)


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
    _check_ratio(W, c, nonlinearity)
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


# --8<-- [start:symmetry]
def symmetric_init_gradients(value, N=16, D=8, H=6, C=3, seed=0):
    """
    A two-layer net x - affine - tanh - affine - softmax with every weight equal to value:
    all hidden units compute the same thing, so they get the same gradient.

    Returns a tuple of floats:
    - largest |dW1| and |dW2| entry (both 0 when value = 0: nothing moves)
    - largest difference between two columns of dW1 (0: the units stay identical)
    """
    if not np.isfinite(value):
        raise ValueError(f'value must be a finite number, got {value!r}')
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


def relu_second_moment_ratio(n=1_000_000, seed=0):
    """E[relu(z)^2] / E[z^2] for z ~ N(0, 1), from n samples (1/2 in theory)."""
    z = np.random.default_rng(seed).standard_normal(n)
    return float(np.mean(np.maximum(0, z) ** 2) / np.mean(z ** 2))


# Figures -----------------------------------------------------------------------------------

CONFIGS = [  # (key, nonlinearity, scheme, label, colour)
    ('tanh_001', 'tanh', '0.01', 'tanh, 0.01·randn', OKABE_ITO['vermillion']),
    ('tanh_1', 'tanh', '1.0', 'tanh, 1.0·randn', OKABE_ITO['orange']),
    ('tanh_xavier', 'tanh', 'xavier', 'tanh, randn/√n', OKABE_ITO['blue']),
    ('relu_he', 'relu', 'he', 'ReLU, randn·√(2/n)', OKABE_ITO['green']),
    ('relu_xavier', 'relu', 'xavier', 'ReLU, randn/√n', OKABE_ITO['purple']),
]


def std_figure(results):
    """Three panels against the layer: std of h_l, of dL/dh_{l-1} and of dL/dW_l, log scale."""
    plt = pyplot()
    fig, axes = plt.subplots(1, 3, figsize=(9.6, 3.3))
    panels = [('act_std', r'$\mathrm{std}(h_l)$'),
              ('grad_in_std', r'$\mathrm{std}(\partial L / \partial h_{l-1})$'),
              ('grad_W_std', r'$\mathrm{std}(\partial L / \partial W_l)$')]
    for ax, (key, title) in zip(axes, panels):
        for name, _, _, label, colour in CONFIGS:
            values = results[name][key]
            ax.semilogy(np.arange(1, len(values) + 1), values, 'o-', color=colour,
                        markersize=3.5, linewidth=1.5, label=label)
        ax.set_title(title, fontsize=11)
        ax.set_xlabel('$l$', fontsize=11)
        ax.set_xticks(range(1, 11))
        ax.grid(alpha=0.3, which='both', linewidth=0.5)
    axes[0].legend(fontsize=7.5, loc='lower left')
    fig.tight_layout()
    return fig


def histogram_figure(results, layers=(1, 4, 7, 10)):
    """
    Histograms of the activations of a few layers (columns), one row per configuration, on a
    fixed range ([-1, 1] for tanh; (0, 4] for ReLU, whose exact zeros are left out), with
    each panel's standard deviation.
    """
    plt = pyplot()
    shown = [c for c in CONFIGS if c[0] != 'relu_xavier']
    fig, axes = plt.subplots(len(shown), len(layers), figsize=(9.0, 1.25 * len(shown) + 0.4),
                             sharey='row')
    for r, (name, nonlinearity, _, label, colour) in enumerate(shown):
        acts = results[name]['acts']
        for c, layer in enumerate(layers):
            ax = axes[r, c]
            values = acts[layer - 1]
            if nonlinearity == 'relu':
                ax.hist(values[values > 0], bins=40, range=(0, 4), color=colour,
                        histtype='stepfilled')
                ax.set_xticks([0, 2, 4])
            else:
                ax.hist(values, bins=40, range=(-1, 1), color=colour, histtype='stepfilled')
                ax.set_xticks([-1, 0, 1])
            ax.text(0.5, 0.96, rf'$\sigma = {values.std():.2g}$', transform=ax.transAxes,
                    ha='center', va='top', fontsize=8)
            ax.set_yticks([])
            ax.tick_params(labelsize=8)
            if r == 0:
                ax.set_title(f'$l = {layer}$', fontsize=10)
        axes[r, 0].set_ylabel(label, fontsize=8.5, rotation=0, ha='right', va='center')
        top = max(ax.get_ylim()[1] for ax in axes[r])
        axes[r, 0].set_ylim(0, 1.3 * top)          # headroom for sigma (the row shares y)
    fig.subplots_adjust(left=0.17, right=0.99, bottom=0.05, top=0.93, wspace=0.06, hspace=0.45)
    return fig


# Report ------------------------------------------------------------------------------------

NUM_LAYERS, WIDTH, NUM_EXAMPLES = 10, 500, 500


def report(outdir):
    """
    Run every experiment of the page (fixed seeds), write stds.svg and histograms.svg into
    outdir (created if missing), and return the page's numbers.

    Inputs:
    - outdir: pathlib.Path

    Returns:
    - values: dict of JSON-serialisable numbers and strings, keyed by the page's placeholders
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    results = {name: deep_net(nonlinearity, scheme, NUM_LAYERS, WIDTH, NUM_EXAMPLES)
               for name, nonlinearity, scheme, _, _ in CONFIGS}
    values = {'num_layers': NUM_LAYERS, 'width': WIDTH, 'num_examples': NUM_EXAMPLES}

    for key, title in (('act_std', 'act'), ('grad_in_std', 'grad_in'), ('grad_W_std', 'grad_W')):
        # rows joined with an indent of 4: the page shows each table inside a content tab
        values[f'{title}_rows'] = '\n    '.join(
            f'| {l + 1} | ' + ' | '.join(f'{results[name][key][l]:.2e}' for name, *_ in CONFIGS)
            + ' |' for l in range(NUM_LAYERS))
    for name, *_ in CONFIGS:
        r = results[name]
        values.update({f'{name}_act_first': float(r['act_std'][0]),
                       f'{name}_act_last': float(r['act_std'][-1]),
                       f'{name}_grad_in_first': float(r['grad_in_std'][0]),
                       f'{name}_grad_W_min': float(r['grad_W_std'].min()),
                       f'{name}_grad_W_max': float(r['grad_W_std'].max())})
    small = results['tanh_001']['act_std']
    factors = small[1:] / small[:-1]
    values.update(tanh_001_factor_min=float(factors.min()), tanh_001_factor_max=float(factors.max()),
                  tanh_001_factor_theory=float(0.01 * np.sqrt(WIDTH)),
                  tanh_001_last_theory=float((0.01 * np.sqrt(WIDTH)) ** NUM_LAYERS))
    saturated = np.abs(results['tanh_1']['acts'])
    values.update(tanh_1_saturated_first=float(np.mean(saturated[0] > 0.99)),
                  tanh_1_saturated_last=float(np.mean(saturated[-1] > 0.99)))
    relu_factors = results['relu_xavier']['act_std'][1:] / results['relu_xavier']['act_std'][:-1]
    values.update(relu_xavier_factor_mean=float(np.exp(np.mean(np.log(relu_factors)))),
                  relu_second_moment=relu_second_moment_ratio())

    rng = np.random.default_rng(1)
    W_small = init_weights('0.01', WIDTH, WIDTH, rng)
    W_big = init_weights('1.0', WIDTH, WIDTH, rng)
    values.update(ratio_linear=input_gradient_ratio(W_small, 2.0),
                  ratio_linear_big=input_gradient_ratio(W_big, 2.0),
                  ratio_tanh_small=input_gradient_ratio(W_small, 2.0, 'tanh'),
                  ratio_tanh_big=input_gradient_ratio(W_big, 2.0, 'tanh'))

    zero_max, zero_spread = symmetric_init_gradients(0.0)
    const_max, const_spread = symmetric_init_gradients(0.01)
    values.update(zero_init_grad_max=zero_max, const_init_grad_max=const_max,
                  const_init_column_spread=const_spread)

    randn = np.random.default_rng(2).standard_normal((1000, 1000))
    values.update(randn_mean=float(randn.mean()), randn_std=float(randn.std()),
                  randn_001_std=float((0.01 * randn).std()))

    save_svg(std_figure(results), outdir / 'stds.svg')
    save_svg(histogram_figure(results), outdir / 'histograms.svg')
    return values


if __name__ == '__main__':
    outdir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path('build/weight_init')
    for key, value in report(outdir).items():
        print(f'{key}:\n{value}' if isinstance(value, str) and '\n' in value else f'{key}: {value}')
    print(f'figures: {outdir / "stds.svg"}, {outdir / "histograms.svg"}')
