"""
Weight scale and the backpropagated signal
==========================================

The notes say that small weights give small gradients "because the gradient is proportional to the
weights". The page makes that precise for one layer, then shows how the factors multiply through a
deep net, with the functions of snippets.weight_init:

1. One layer: doubling a 500 x 500 W with the upstream gradient fixed doubles dx exactly, for
   0.01 * randn and 1.0 * randn alike; behind a tanh the upstream gradient changes with W and the
   ratio falls below 2.
2. The 10-layer experiment of CS231n's lecture on training, with the lecture's forward settings
   (1000 unit-Gaussian examples, 10 layers of 500 units without biases), to which the page adds a
   backward pass of a unit-Gaussian upstream gradient from the top, and five initializations
   (tanh with 0.01 * randn, 1.0 * randn and Xavier; ReLU with He and Xavier). Per layer: the
   standard deviations of the activations h_l, of the gradient on the layer's input dL/dh_{l-1}
   and of the weight gradient dL/dW_l (three tables, stds.svg), and histograms of the activations
   of layers 1, 4, 7 and 10 over all N x 500 values of each layer (histograms.svg; the sigma in
   each panel is the table's).
   Backwards, a tanh layer multiplies the gradient's standard deviation by about
   sigma_w * sqrt(n * E[tanh'(z)^2]): measured per layer against that formula.
3. Why He uses 2 / n: ReLU keeps half of the second moment, measured on a million samples.
4. Why not all zeros: a two-layer tanh net with all weights 0 gets no gradient at all, with all
   weights 0.01 identical hidden units.
5. randn has standard deviation 1: the factor in front sets the scale.
"""
from pathlib import Path

import numpy as np

from snippets.reporting import OKABE_ITO, pyplot, save_svg
from snippets.weight_init import (deep_net, init_weights, input_gradient_ratio,
                                  symmetric_init_gradients)

# Settings ----------------------------------------------------------------------------------

NUM_LAYERS, WIDTH, NUM_EXAMPLES = 10, 500, 1000     # the lecture: randn(1000, 500), [500] * 10

CONFIGS = [  # (key, nonlinearity, scheme, label, colour)
    ('tanh_001', 'tanh', '0.01', 'tanh, 0.01·randn', OKABE_ITO['vermillion']),
    ('tanh_1', 'tanh', '1.0', 'tanh, 1.0·randn', OKABE_ITO['orange']),
    ('tanh_xavier', 'tanh', 'xavier', 'tanh, randn/√n', OKABE_ITO['blue']),
    ('relu_he', 'relu', 'he', 'ReLU, randn·√(2/n)', OKABE_ITO['green']),
    ('relu_xavier', 'relu', 'xavier', 'ReLU, randn/√n', OKABE_ITO['purple']),
]

HISTOGRAM_LAYERS = (1, 4, 7, 10)
BINS = 40                               # histogram bins over [-1, 1] (tanh) or (0, 4] (ReLU)
SATURATED = 0.99                        # a tanh unit with |h| > 0.99 counts as saturated
SIGMA_W = {'0.01': 0.01, '1.0': 1.0, 'xavier': 1 / np.sqrt(WIDTH), 'he': np.sqrt(2 / WIDTH)}


# Experiments -------------------------------------------------------------------------------

def layer_statistics(nonlinearity, acts):
    """
    Statistics of every layer over all of its N x WIDTH activations (not a subset).

    Inputs:
    - nonlinearity: 'tanh' or 'relu'
    - acts: (num_layers, N * WIDTH), every activation of every layer

    Returns a dict of arrays, one entry per layer:
    - slope_sq: E[f'(z)^2], the mean squared slope of the nonlinearity (tanh' = 1 - h^2;
      ReLU: the fraction of positive outputs)
    - saturated: fraction of |h| > SATURATED (tanh)
    - zero: fraction of outputs exactly 0 (ReLU)
    - central, edge: fraction in the two middle bins (|h| < 2 / BINS) and in the two end bins
      (|h| > 1 - 2 / BINS) of the tanh histogram
    - counts: (num_layers, BINS), the histogram counts over the figure's range
    """
    width = 2.0 / BINS
    if nonlinearity == 'tanh':
        slope_sq = np.mean((1 - acts ** 2) ** 2, axis=1)
        counts = np.stack([np.histogram(a, bins=BINS, range=(-1, 1))[0] for a in acts])
    else:
        slope_sq = np.mean(acts > 0, axis=1)
        counts = np.stack([np.histogram(a[a > 0], bins=BINS, range=(0, 4))[0] for a in acts])
    return {'slope_sq': slope_sq, 'saturated': np.mean(np.abs(acts) > SATURATED, axis=1),
            'zero': np.mean(acts == 0, axis=1), 'central': np.mean(np.abs(acts) < width, axis=1),
            'edge': np.mean(np.abs(acts) > 1 - width, axis=1), 'counts': counts}


def deep_net_experiment():
    """
    deep_net for every configuration of CONFIGS, on the lecture's net, with the statistics of
    every layer over all its activations (layer_statistics; the activations themselves are
    dropped once counted).

    Returns:
    - results: dict key -> deep_net's dict (act_std, grad_in_std, grad_W_std) and
      layer_statistics' dict
    """
    results = {}
    for key, nonlinearity, scheme, _, _ in CONFIGS:
        r = deep_net(nonlinearity, scheme, NUM_LAYERS, WIDTH, NUM_EXAMPLES,
                     keep=NUM_EXAMPLES * WIDTH)
        r.update(layer_statistics(nonlinearity, r.pop('acts')))
        results[key] = r
    return results


def backward_factors(r, scheme):
    """
    Per layer l = 1 .. L - 1: the measured factor std(dL/dh_{l-1}) / std(dL/dh_l) by which
    layer l multiplies the backward gradient, and the formula sigma_w * sqrt(n * E[f'(z_l)^2]).

    Returns a tuple of arrays (measured, formula), each of length L - 1
    """
    grad_in = r['grad_in_std']
    measured = grad_in[:-1] / grad_in[1:]
    formula = SIGMA_W[scheme] * np.sqrt(WIDTH * r['slope_sq'][:-1])
    return measured, formula


def scaling_experiment(seed=1):
    """
    ||dx(2 W)|| / ||dx(W)|| for a 0.01 * randn and a 1.0 * randn W of WIDTH x WIDTH, without a
    nonlinearity and behind a tanh.

    Returns a dict of floats: linear_small, linear_big, tanh_small, tanh_big
    """
    rng = np.random.default_rng(seed)
    W_small = init_weights('0.01', WIDTH, WIDTH, rng)
    W_big = init_weights('1.0', WIDTH, WIDTH, rng)
    return {'linear_small': input_gradient_ratio(W_small, 2.0),
            'linear_big': input_gradient_ratio(W_big, 2.0),
            'tanh_small': input_gradient_ratio(W_small, 2.0, 'tanh'),
            'tanh_big': input_gradient_ratio(W_big, 2.0, 'tanh')}


def relu_second_moment_ratio(n=1_000_000, seed=0):
    """E[relu(z)^2] / E[z^2] for z ~ N(0, 1), from n samples (1/2 in theory)."""
    z = np.random.default_rng(seed).standard_normal(n)
    return float(np.mean(np.maximum(0, z) ** 2) / np.mean(z ** 2))


def randn_experiment(seed=2):
    """Mean and standard deviation of 10^6 randn draws, and the std of 0.01 times them."""
    randn = np.random.default_rng(seed).standard_normal((1000, 1000))
    return {'mean': float(randn.mean()), 'std': float(randn.std()),
            'std_001': float((0.01 * randn).std())}


# Figures -----------------------------------------------------------------------------------

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


def _tex_number(value):
    """Three significant digits as mathtext: 0.214, 2.95\\times 10^{-7}."""
    if 1e-2 <= abs(value) < 1e3:
        return f'{value:#.3g}'
    mantissa, exponent = f'{value:.2e}'.split('e')
    return rf'{mantissa}\times 10^{{{int(exponent)}}}'


def histogram_figure(results, layers=HISTOGRAM_LAYERS):
    """
    Histograms of the activations of a few layers (columns), one row per configuration, on a
    fixed range ([-1, 1] for tanh; (0, 4] for ReLU, whose exact zeros are left out), counted
    over all N x WIDTH activations of the layer, with the layer's standard deviation (the
    table's, over the same values).
    """
    plt = pyplot()
    shown = [c for c in CONFIGS if c[0] != 'relu_xavier']
    fig, axes = plt.subplots(len(shown), len(layers), figsize=(9.0, 1.25 * len(shown) + 0.4),
                             sharey='row')
    for r, (name, nonlinearity, _, label, colour) in enumerate(shown):
        counts = results[name]['counts']
        for c, layer in enumerate(layers):
            ax = axes[r, c]
            edges = np.linspace(0, 4, BINS + 1) if nonlinearity == 'relu' else np.linspace(-1, 1, BINS + 1)
            ax.stairs(counts[layer - 1], edges, color=colour, fill=True)
            ax.set_xticks([0, 2, 4] if nonlinearity == 'relu' else [-1, 0, 1])
            ax.set_xlim(edges[0], edges[-1])
            sigma = _tex_number(results[name]['act_std'][layer - 1])
            ax.text(0.5, 0.96, rf'$\sigma = {sigma}$', transform=ax.transAxes,
                    ha='center', va='top', fontsize=8)
            ax.set_yticks([])
            ax.tick_params(labelsize=8)
            if r == 0:
                ax.set_title(f'$l = {layer}$', fontsize=10)
        axes[r, 0].set_ylabel(label, fontsize=8.5, rotation=0, ha='right', va='center')
        top = max(ax.get_ylim()[1] for ax in axes[r])
        axes[r, 0].set_ylim(0, 1.3 * top)          # headroom for sigma (the row shares y)
    fig.subplots_adjust(left=0.17, right=0.99, bottom=0.05, top=0.93, wspace=0.14, hspace=0.45)
    return fig


# Report ------------------------------------------------------------------------------------

def _std_rows(results, key):
    """One markdown row per layer, '| l | std of config 1 | ... |', joined with an indent of 4:
    the page shows each table inside a content tab."""
    return '\n    '.join(
        f'| {l + 1} | ' + ' | '.join(f'{results[name][key][l]:.2e}' for name, *_ in CONFIGS)
        + ' |' for l in range(NUM_LAYERS))


def _geometric_mean_factor(std):
    """The geometric mean of std[l + 1] / std[l]."""
    factors = std[1:] / std[:-1]
    return float(np.exp(np.mean(np.log(factors))))


def report(outdir):
    """
    Run every experiment of the page (fixed seeds), write stds.svg and histograms.svg into
    outdir (created if missing) and return the page's numbers: a dict keyed by the page's
    placeholders.
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    results = deep_net_experiment()
    values = {'num_layers': NUM_LAYERS, 'width': WIDTH, 'num_examples': NUM_EXAMPLES,
              'act_rows': _std_rows(results, 'act_std'),
              'grad_in_rows': _std_rows(results, 'grad_in_std'),
              'grad_W_rows': _std_rows(results, 'grad_W_std')}
    hist = [layer - 1 for layer in HISTOGRAM_LAYERS]
    for name, _, scheme, _, _ in CONFIGS:
        r = results[name]
        values.update({f'{name}_act_first': float(r['act_std'][0]),
                       f'{name}_act_last': float(r['act_std'][-1]),
                       f'{name}_grad_in_first': float(r['grad_in_std'][0]),
                       f'{name}_grad_W_min': float(r['grad_W_std'].min()),
                       f'{name}_grad_W_max': float(r['grad_W_std'].max()),
                       # whole columns of the tables and figures, for the page's claim checks
                       f'{name}_act_std': r['act_std'].tolist(),
                       f'{name}_grad_in_std': r['grad_in_std'].tolist(),
                       f'{name}_grad_W_std': r['grad_W_std'].tolist(),
                       # the histograms' rows: fractions over all N x WIDTH values of a layer
                       f'{name}_hist_central': r['central'][hist].tolist(),
                       f'{name}_hist_edge': r['edge'][hist].tolist(),
                       f'{name}_hist_zero': r['zero'][hist].tolist()})
        measured, formula = backward_factors(r, scheme)
        values.update({f'{name}_back_factor': measured.tolist(),
                       f'{name}_back_formula': formula.tolist(),
                       f'{name}_slope_sq': r['slope_sq'].tolist()})

    small = results['tanh_001']['act_std']
    factors = small[1:] / small[:-1]
    values.update(tanh_001_factor_min=float(factors.min()), tanh_001_factor_max=float(factors.max()),
                  tanh_001_factor_theory=float(0.01 * np.sqrt(WIDTH)),
                  tanh_001_last_theory=float((0.01 * np.sqrt(WIDTH)) ** NUM_LAYERS),
                  # std(dL/dW_l) ~ sqrt(N) 0.2236^(l - 1) 0.2236^(L - l), the same for every layer
                  tanh_001_grad_W_theory=float(np.sqrt(NUM_EXAMPLES)
                                               * (0.01 * np.sqrt(WIDTH)) ** (NUM_LAYERS - 1)))
    saturated = results['tanh_1']['saturated']
    values.update(tanh_1_saturated_first=float(saturated[0]), tanh_1_saturated_last=float(saturated[-1]),
                  tanh_1_saturated_min=float(saturated.min()))
    measured, formula = backward_factors(results['tanh_1'], '1.0')
    values.update(tanh_1_back_factor_mean=float(np.exp(np.mean(np.log(measured)))),
                  tanh_1_back_formula_mean=float(np.exp(np.mean(np.log(formula)))),
                  tanh_1_slope_sq_mean=float(np.mean(results['tanh_1']['slope_sq'][:-1])),
                  sqrt_width=float(np.sqrt(WIDTH)))
    values.update(relu_xavier_factor_mean=_geometric_mean_factor(results['relu_xavier']['act_std']),
                  relu_second_moment=relu_second_moment_ratio())

    ratios = scaling_experiment()
    values.update(ratio_linear=ratios['linear_small'], ratio_linear_big=ratios['linear_big'],
                  ratio_tanh_small=ratios['tanh_small'], ratio_tanh_big=ratios['tanh_big'])

    zero_max, zero_spread = symmetric_init_gradients(0.0)
    const_max, const_spread = symmetric_init_gradients(0.01)
    values.update(zero_init_grad_max=zero_max, const_init_grad_max=const_max,
                  const_init_column_spread=const_spread)

    randn = randn_experiment()
    values.update(randn_mean=randn['mean'], randn_std=randn['std'], randn_001_std=randn['std_001'])

    save_svg(std_figure(results), outdir / 'stds.svg')
    save_svg(histogram_figure(results), outdir / 'histograms.svg')
    return values
