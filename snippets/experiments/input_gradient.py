"""
The gradient on the input x, measured on the 8x8 digits (the page "input-gradient").

Two models are trained on the digits (one grey channel, pixels scaled to [0, 1] minus the
training mean; 1000 training and 397 test images): a linear softmax classifier by full-batch
gradient descent, and the two-layer ReLU net of snippets.layers by SGD with momentum. Then,
with the weights frozen, backpropagation goes to the image, and the page measures:

1. the linear case: the input gradient of s_c is the template W_c for every image, and gradient
   ascent on s_c(x) - lambda ||x||^2 ends at W_c / (2 lambda);
2. saliency maps |ds_y/dx|: how much of them falls on blank pixels, how they compare with a net
   of another seed, the linear model and a net with random weights (Adebayo et al. 2018's
   sanity check, by rank correlation), why the score and not the probability is used, and why
   the absolute value is no direction to climb;
3. class visualization: ascent on the image, with L2 only and with blur and jitter;
4. FGSM against random +-eps noise of the same max-norm, for both models, every image clipped
   back to the valid pixel range [0, 1] (as class visualization is);
5. the linearity argument (Goodfellow et al. 2015): eps ||w||_1 against eps ||w||_2, on the
   trained linear model and on random weights of the digits', CIFAR-10's and ImageNet's sizes.

All seeds are fixed; report(outdir) writes linear.svg, saliency.svg, classvis.svg and fgsm.svg
and returns the numbers the page shows.
"""
from pathlib import Path

import numpy as np

from snippets.checks import check_positive
from snippets.data import digits_split
from snippets.input_gradient import (class_visualization, fgsm, linear_score_change,
                                     model_accuracy, model_forward, probability_gradient,
                                     random_sign_noise, saliency_map, score_gradient, train_linear)
from snippets.layers import two_layer_net_init
from snippets.optim import sgd_train
from snippets.reporting import OKABE_ITO, markdown_rows, pyplot, rank_correlation, save_svg

# ---- Settings -------------------------------------------------------------------------------

LINEAR = {'learning_rate': 0.5, 'reg': 1e-3, 'steps': 300}
NET = {'hidden_dim': 64, 'weight_scale': 0.1, 'learning_rate': 0.05, 'reg': 1e-3, 'epochs': 30,
       'batch_size': 100}
ASCENT_LINEAR = {'l2_reg': 0.5, 'learning_rate': 0.1, 'steps': 200}
SALIENCY_CLASSES = (0, 1, 2, 3, 7, 8)     # the figure: the first test digit of each
ASCENT_STEP = 0.1                          # step length along the gradient or the saliency map
CLASSVIS = {'l2_reg': 1.0, 'learning_rate': 0.2, 'steps': 200}
BLUR_EVERY = 50
EPSILONS = (0.0, 0.05, 0.1, 0.2, 0.3)     # max-norm of the change; pixels are in [0, 1]
FGSM_EPS = 0.1                             # the eps the page quotes
SYNTH = {'dims': (64, 3072, 150528), 'eps': 1 / 255, 'sigma': 0.01}   # digits, CIFAR-10, ImageNet


# ---- Data and models ------------------------------------------------------------------------

def train_net(X, y, seed=0, num_classes=10, **overrides):
    """The two-layer net of snippets.layers, trained by sgd_train with NET's settings."""
    cfg = dict(NET, **overrides)
    init = two_layer_net_init(X.shape[1], cfg['hidden_dim'], num_classes, cfg['weight_scale'], seed)
    return sgd_train(init, X, y, cfg['learning_rate'], reg=cfg['reg'], epochs=cfg['epochs'],
                     batch_size=cfg['batch_size'], seed=seed)['params']


def experiments():
    """
    The data and the four models of the page.

    Returns a tuple of:
    - data: digits_split() (centred pixels; X_test + data['mean'] is back in [0, 1])
    - models: dict linear, net (seed 0), net_seed1 (the same net, seed 1) and net_random
      (untrained weights, seed 2)
    """
    data = digits_split()
    lin = train_linear(data['X_train'], data['y_train'], **LINEAR)
    net = train_net(data['X_train'], data['y_train'], seed=0)
    net2 = train_net(data['X_train'], data['y_train'], seed=1)
    rand = two_layer_net_init(64, NET['hidden_dim'], 10, NET['weight_scale'], seed=2)
    return data, {'linear': lin, 'net': net, 'net_seed1': net2, 'net_random': rand}


# ---- Experiments ----------------------------------------------------------------------------

def linear_ascent(lin):
    """1. Ascent on s_c(x) - lambda ||x||^2 for the linear model, from x = 0: x* (10, 64), one per class."""
    return np.stack([class_visualization(lin, c, **ASCENT_LINEAR) for c in range(10)])


def linear_case(lin, x_star, X_train, y_train):
    """
    1. The linear model: its input gradient is W_c (a column of W, shape (D, C)) whatever the
    image, and the ascent's x* (from linear_ascent) is W_c / (2 lambda) up to the contraction
    (1 - 2 lambda lr)^steps. And the template looks like its class: the correlation of W_c with
    the mean (centred) training image of class c, the smallest over the classes.
    """
    g = score_gradient(lin, np.zeros((10, 64)), np.arange(10))
    lam = ASCENT_LINEAR['l2_reg']
    target = lin['W'].T / (2 * lam)
    class_means = np.stack([X_train[y_train == c].mean(axis=0) for c in range(10)])
    corr = [np.corrcoef(lin['W'][:, c], class_means[c])[0, 1] for c in range(10)]
    return {'linear_W_rows': lin['W'].shape[0], 'linear_W_cols': lin['W'].shape[1],
            'linear_grad_vs_W': float(np.abs(g - lin['W'].T).max()),
            'template_class_mean_corr_min': float(min(corr)),
            'linear_ascent_lambda': lam,
            'linear_ascent_steps': ASCENT_LINEAR['steps'],
            'linear_ascent_lr': ASCENT_LINEAR['learning_rate'],
            'linear_ascent_rel_error': float(np.linalg.norm(x_star - target) / np.linalg.norm(target)),
            'linear_ascent_contraction': 1 - 2 * lam * ASCENT_LINEAR['learning_rate']}


def _mean_rank_corr(A, B):
    return float(np.mean([rank_correlation(a, b) for a, b in zip(A, B)]))


def saliency_comparison(maps, images, y, show):
    """
    2. What the net's saliency maps show: their share on blank pixels, and their rank correlation
    with the maps of the other models.

    Inputs:
    - maps: dict model name -> saliency maps (N, 8, 8) of the test images
    - images: the test images as pixels in [0, 1], of shape (N, 64)
    - y: their labels, of shape (N,)
    - show: the indices of the images in the figure
    """
    sal_net = maps['net']
    background = images.reshape(-1, 8, 8) < 1e-12                 # pixels with no ink at all
    share = (sal_net * background).sum(axis=(1, 2)) / sal_net.sum(axis=(1, 2))
    # in the figure: the brightest blank pixel of each map, relative to its brightest pixel
    blank_peak = [(s * b).max() / s.max() for s, b in zip(sal_net[show], background[show])]
    lin_same = maps['linear'][y == SALIENCY_CLASSES[0]]         # all test images of one class
    return {'background_pixel_share': float(background.mean()),
            'saliency_background_share': float(share.mean()),
            'saliency_shown_blank_peak_min': float(min(blank_peak)),
            'linear_saliency_same_within_class': float(np.abs(lin_same - lin_same[0]).max()),
            'rank_corr_net_vs_seed1': _mean_rank_corr(sal_net, maps['net_seed1']),
            'rank_corr_net_vs_random': _mean_rank_corr(sal_net, maps['net_random']),
            'rank_corr_net_vs_linear': _mean_rank_corr(sal_net, maps['linear'])}


def _share_from_other_classes(net, X, y, direction):
    """
    First-order change of log p_y along `direction` (N, D), split as
    d log p_y = (1 - p_y) ds_y - sum_{j != y} p_j ds_j: the share of the second term, the part
    of the rise that comes from lowering the other classes' scores.
    """
    scores = model_forward(net, X)[0]
    p = np.exp(scores - scores.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    n = np.arange(len(y))
    ds = np.stack([np.sum(score_gradient(net, X, np.full(len(y), j)) * direction, axis=1)
                   for j in range(10)], axis=1)                   # (N, C): ds_j along direction
    own = (1 - p[n, y]) * ds[n, y]
    others = -(np.sum(p * ds, axis=1) - p[n, y] * ds[n, y])
    return others / (own + others)


def score_or_probability(net, X, y, sal_net):
    """
    2. Why the score: along the probability gradient, part of p_y's rise comes from lowering the
    other classes' scores (Simonyan et al.'s reason), and the probability gradient nearly
    vanishes for confident images. And why the signed gradient: a step along the saliency map
    |ds/dx| (same length) gains less, often lowers the score.
    """
    ds = score_gradient(net, X, y)
    dp = probability_gradient(net, X, y)
    ratio = np.linalg.norm(dp, axis=1) / np.linalg.norm(ds, axis=1)
    others_p = _share_from_other_classes(net, X, y, dp)
    others_s = _share_from_other_classes(net, X, y, ds)
    along_grad = X + ASCENT_STEP * ds / np.linalg.norm(ds, axis=1, keepdims=True)
    sal_flat = sal_net.reshape(len(y), -1)
    along_sal = X + ASCENT_STEP * sal_flat / np.linalg.norm(sal_flat, axis=1, keepdims=True)
    s0 = model_forward(net, X)[0][np.arange(len(y)), y]
    gain_grad = model_forward(net, along_grad)[0][np.arange(len(y)), y] - s0
    gain_sal = model_forward(net, along_sal)[0][np.arange(len(y)), y] - s0
    return {'prob_over_score_grad_median': float(np.median(ratio)),
            'prob_rise_from_others_median': float(np.median(others_p)),
            'score_rise_from_others_median': float(np.median(others_s)),
            'ascent_step': ASCENT_STEP, 'gain_along_gradient': float(gain_grad.mean()),
            'gain_along_saliency': float(gain_sal.mean()),
            'saliency_step_lowers_score': float(np.mean(gain_sal < 0))}


def class_visualizations(net, mean):
    """
    3. Ascent on the image for each class c, pixels kept in [0, 1]: L2 only ('plain') and
    L2 + blur + jitter ('smooth'); both (10, 64), centred like the data.
    """
    clip = (-mean, 1 - mean)
    plain = np.stack([class_visualization(net, c, **CLASSVIS, clip=clip) for c in range(10)])
    smooth = np.stack([class_visualization(net, c, **CLASSVIS, clip=clip, blur_every=BLUR_EVERY,
                                           max_jitter=1, seed=c) for c in range(10)])
    return {'plain': plain, 'smooth': smooth}


def fgsm_table(lin, net, X, y, clip):
    """
    4. Test accuracy of both models after FGSM and after random +-eps noise, each image clipped
    to clip = (low, high), the valid pixel range, for each eps in EPSILONS: a list of dicts
    eps, lin_fgsm, lin_rand, net_fgsm, net_rand.
    """
    return [{'eps': eps,
             'lin_fgsm': model_accuracy(lin, fgsm(lin, X, y, eps, clip=clip), y),
             'lin_rand': model_accuracy(lin, random_sign_noise(X, eps, seed=0, clip=clip), y),
             'net_fgsm': model_accuracy(net, fgsm(net, X, y, eps, clip=clip), y),
             'net_rand': model_accuracy(net, random_sign_noise(X, eps, seed=0, clip=clip), y)}
            for eps in EPSILONS]


def linearity_on_digits(lin, X, y, clip):
    """
    5. eps ||w||_1 on the trained linear model at eps = FGSM_EPS: the most a change of max-norm
    eps can take off each test image's margin s_y - s_k to the runner-up class k; what the sign
    step towards k takes off once the image is clipped to clip = (low, high); that margin; and
    how often the clipped step makes k win.
    """
    scores = model_forward(lin, X)[0]
    n = np.arange(len(y))
    rival = np.where(np.arange(10) == y[:, None], -np.inf, scores).argmax(axis=1)
    margin = scores[n, y] - scores[n, rival]
    W_diff = lin['W'][:, y] - lin['W'][:, rival]                   # (D, N): w_y - w_k per image
    bound = FGSM_EPS * np.abs(W_diff).sum(axis=0)                  # eps ||w_y - w_k||_1
    X_step = np.clip(X - FGSM_EPS * np.sign(W_diff.T), *clip)      # towards k, a valid image
    reach = np.sum(W_diff.T * (X - X_step), axis=1)                # what it takes off s_y - s_k
    step_scores = model_forward(lin, X_step)[0]
    l1, l2 = np.abs(lin['W']).sum(axis=0), np.linalg.norm(lin['W'], axis=0)
    return {'lin_eps_l1_mean': float(FGSM_EPS * l1.mean()),
            'lin_eps_l2_mean': float(FGSM_EPS * l2.mean()),
            'lin_l1_over_255': float(l1.mean() / 255),
            'lin_l1_over_l2_mean': float((l1 / l2).mean()),
            'lin_margin_median': float(np.median(margin)),
            'lin_reach_bound_median': float(np.median(bound)),
            'lin_reach_median': float(np.median(reach)),
            'lin_reach_exceeds_margin': float(np.mean(reach > margin)),
            'lin_step_to_rival_wrong': float(np.mean(step_scores.argmax(axis=1) != y))}


def synthetic_linearity(dims, eps, sigma, seed=0):
    """
    5. For random weights w ~ N(0, sigma^2) of each size D in dims: eps ||w||_1 (the FGSM change
    of the score, grows like D) and eps ||w||_2 (the standard deviation of the change under
    random +-eps noise, grows like sqrt(D)).

    Returns a list of (D, eps ||w||_1, eps ||w||_2), one per D.
    """
    check_positive('eps', eps)
    check_positive('sigma', sigma)
    rng = np.random.default_rng(seed)
    rows = []
    for D in dims:
        w = sigma * rng.standard_normal(int(D))
        rows.append((int(D), linear_score_change(w, eps)[0], eps * float(np.linalg.norm(w))))
    return rows


def roughness(images):
    """Mean |difference| between horizontally or vertically neighbouring pixels, of (N, 64) images."""
    img = np.asarray(images).reshape(-1, 8, 8)
    return float(np.concatenate([np.abs(np.diff(img, axis=1)).ravel(),
                                 np.abs(np.diff(img, axis=2)).ravel()]).mean())


def out_of_range(images, low=0.0, high=1.0, tol=1e-12):
    """The share of pixels of `images` (pixel values) outside [low, high], beyond the rounding
    tol that (1 - mean) + mean may leave."""
    images = np.asarray(images)
    return float(np.mean((images < low - tol) | (images > high + tol)))


# ---- Figures --------------------------------------------------------------------------------

def _grid(rows, row_labels, col_labels, cmaps, symmetric, vrange=None):
    plt = pyplot()
    n_rows, n_cols = len(rows), len(rows[0])
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(0.8 * n_cols + 0.6, 0.85 * n_rows + 0.2),
                             squeeze=False)
    for r, (images, cmap, sym) in enumerate(zip(rows, cmaps, symmetric)):
        for c, img in enumerate(images):
            ax = axes[r, c]
            lim = np.abs(img).max() or 1.0
            low, high = vrange if vrange else (-lim if sym else 0, lim)
            ax.imshow(img.reshape(8, 8), cmap=cmap, vmin=low, vmax=high, interpolation='nearest')
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0 and col_labels is not None:
                ax.set_title(col_labels[c], fontsize=10)
            if c == 0:
                ax.set_ylabel(row_labels[r], fontsize=10, rotation=0, ha='right', va='center')
    fig.subplots_adjust(left=0.1, right=0.99, top=0.9, bottom=0.02, wspace=0.08, hspace=0.12)
    return fig


def linear_figure(W, x_star):
    """Row 1: the templates W_c; row 2: gradient ascent on s_c - lambda ||x||^2 (signed, PuOr)."""
    return _grid([W.T, x_star], ['$W_c$', '$x^*$'], [str(c) for c in range(10)],
                 ['PuOr_r', 'PuOr_r'], [True, True])


def saliency_figure(images, sal_net, sal_lin, sal_rand, labels):
    """Rows: the digits, then the saliency maps of the net, the linear model and the random net."""
    return _grid([images, sal_net, sal_lin, sal_rand], ['$x$', 'net', 'lin', 'rand'],
                 [f'y={c}' for c in labels], ['gray_r', 'viridis', 'viridis', 'viridis'],
                 [False] * 4)


def classvis_figure(plain, regularized):
    """Class visualizations as pixel images in [0, 1] (ink dark)."""
    return _grid([plain, regularized], ['L2', 'L2+b+j'], [str(c) for c in range(10)],
                 ['gray_r', 'gray_r'], [False, False], vrange=(0, 1))


def fgsm_figure(rows):
    """Test accuracy against eps: FGSM (solid) and random +-eps (dashed), both models."""
    plt = pyplot()
    eps = [r['eps'] for r in rows]
    fig, ax = plt.subplots(figsize=(5.2, 3.2))
    styles = [('lin FGSM', 'lin_fgsm', OKABE_ITO['blue'], '-', 'o'),
              ('lin rand', 'lin_rand', OKABE_ITO['blue'], '--', 's'),
              ('net FGSM', 'net_fgsm', OKABE_ITO['vermillion'], '-', 'o'),
              ('net rand', 'net_rand', OKABE_ITO['vermillion'], '--', 's')]
    for label, key, colour, ls, marker in styles:
        ax.plot(eps, [r[key] for r in rows], ls, color=colour, marker=marker, label=label)
    ax.set_xlabel(r'$\epsilon$')
    ax.set_ylabel('acc')
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(frameon=False, fontsize=9)
    fig.tight_layout()
    return fig


# ---- Report ---------------------------------------------------------------------------------

def report(outdir):
    """
    Run every experiment of the page (fixed seeds), write linear.svg, saliency.svg, classvis.svg
    and fgsm.svg into outdir (created if missing) and return the page's numbers: a dict keyed by
    the page's placeholders.
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    data, models = experiments()
    lin, net = models['linear'], models['net']
    X, y = data['X_test'], data['y_test']
    images = X + data['mean']                                      # back to pixels in [0, 1]
    values = {'n_train': len(data['y_train']), 'n_test': len(y),
              'acc_linear': model_accuracy(lin, X, y), 'acc_net': model_accuracy(net, X, y),
              'acc_net_seed1': model_accuracy(models['net_seed1'], X, y)}

    # 1. the linear case
    x_star = linear_ascent(lin)
    values.update(linear_case(lin, x_star, data['X_train'], data['y_train']))
    save_svg(linear_figure(lin['W'], x_star), outdir / 'linear.svg')

    # 2. saliency maps, and the first test digit of each of six classes in the figure
    maps = {name: saliency_map(params, X, y) for name, params in models.items()}
    show = [int(np.flatnonzero(y == c)[0]) for c in SALIENCY_CLASSES]
    save_svg(saliency_figure(images[show], maps['net'][show], maps['linear'][show],
                             maps['net_random'][show], y[show]), outdir / 'saliency.svg')
    values.update(saliency_comparison(maps, images, y, show))
    values.update(score_or_probability(net, X, y, maps['net']))

    # 3. class visualization, and the share of the images the net classifies as their class
    vis = class_visualizations(net, data['mean'])
    values.update(classvis_lambda=CLASSVIS['l2_reg'], classvis_steps=CLASSVIS['steps'],
                  classvis_blur_every=BLUR_EVERY)
    for name in ('plain', 'smooth'):
        hits = model_forward(net, vis[name])[0].argmax(axis=1) == np.arange(10)
        values[f'classvis_{name}_argmax'] = float(np.mean(hits))
        values[f'classvis_{name}_roughness'] = roughness(vis[name])
    save_svg(classvis_figure(vis['plain'] + data['mean'], vis['smooth'] + data['mean']),
             outdir / 'classvis.svg')

    # 4. FGSM against random sign noise of the same max-norm, both clipped to valid pixels
    clip = (-data['mean'], 1 - data['mean'])
    rows = fgsm_table(lin, net, X, y, clip)
    columns = ('lin_fgsm', 'lin_rand', 'net_fgsm', 'net_rand')
    values['fgsm_rows'] = markdown_rows((f"{r['eps']:g}", *(f'{r[c]:.1%}'.replace('%', ' %')
                                                            for c in columns)) for r in rows)
    quoted = next(r for r in rows if r['eps'] == FGSM_EPS)
    values.update(fgsm_eps=FGSM_EPS, **{f'{c}_acc': quoted[c] for c in columns})
    values['fgsm_eps_list'] = [r['eps'] for r in rows]
    for c in columns:
        values[f'fgsm_curve_{c}'] = [r[c] for r in rows]
    values['fgsm_at_largest_eps_max'] = max(rows[-1]['lin_fgsm'], rows[-1]['net_fgsm'])
    values['fgsm_largest_eps'] = rows[-1]['eps']
    values['fgsm_rand_min'] = min(min(r['lin_rand'], r['net_rand']) for r in rows)
    values['fgsm_out_of_range'] = max(out_of_range(fgsm(m, X, y, eps, clip=clip) + data['mean'])
                                      for m in (lin, net) for eps in EPSILONS)
    values['fgsm_unclipped_out_of_range'] = out_of_range(fgsm(net, X, y, FGSM_EPS) + data['mean'])
    values['net_fgsm_acc_unclipped'] = model_accuracy(net, fgsm(net, X, y, FGSM_EPS), y)
    values['lin_fgsm_acc_unclipped'] = model_accuracy(lin, fgsm(lin, X, y, FGSM_EPS), y)
    save_svg(fgsm_figure(rows), outdir / 'fgsm.svg')

    # 5. the linearity argument: on the trained weights, and on random ones of three sizes
    values.update(linearity_on_digits(lin, X, y, clip))
    eps, sigma = SYNTH['eps'], SYNTH['sigma']
    synth = synthetic_linearity(SYNTH['dims'], eps, sigma)
    values.update(synth_sigma=sigma,
                  synth_rows=markdown_rows((f'{D:,}'.replace(',', ' '), f'{l1:.3g}', f'{l2:.2g}',
                                            f'{D * sigma * np.sqrt(2 / np.pi) * eps:.3g}',
                                            f'{l1 / l2:.0f}')
                                           for D, l1, l2 in synth))
    for D, l1, l2 in synth:
        values[f'synth_l1_{D}'] = l1
        values[f'synth_l2_{D}'] = l2
    return values
