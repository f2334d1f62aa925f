"""
The gradient on the input x: what it shows about a trained classifier, and how to use it.

Two models are trained on the 8x8 digits (one grey channel): a linear softmax classifier
s = xW + b and the two-layer ReLU net of snippets.layers. Backpropagation usually stops at the
weights; here it goes one step further, to x, and that one derivative gives

- saliency maps (Simonyan, Vedaldi & Zisserman 2013): |ds_y/dx| per pixel (max over channels;
  with one channel that is the absolute value);
- class visualization: gradient ascent on the image, maximizing s_c(x) - l2_reg * ||x||^2,
  optionally with blur and jitter (cs231n assignment 3, NetworkVisualization);
- adversarial examples by the fast gradient sign method (Goodfellow, Shlens & Szegedy 2015):
  x + eps * sign(dL/dx);
- a sanity check after Adebayo et al. (2018): the saliency of a net with random weights.

Bad input raises ValueError naming the argument. `python -m snippets.input_gradient OUTDIR`
runs everything with fixed seeds, writes the figures into OUTDIR and prints the page's numbers.
"""
import sys
from pathlib import Path

import numpy as np

from snippets.data import digits_split
from snippets.layers import (affine_backward, affine_forward, check_array, relu_backward,
                             relu_forward, sgd_train, softmax_loss, two_layer_net_init)
from snippets.reporting import OKABE_ITO, markdown_rows, pyplot, rank_correlation, save_svg

IMAGE_SHAPE = (1, 8, 8)          # the digits: one grey channel of 8x8 pixels
LINEAR_KEYS = ('W', 'b')
NET_KEYS = ('W1', 'b1', 'W2', 'b2')


def _check_params(params):
    """Raise ValueError unless params is a linear model {W, b} or a two-layer net {W1, b1, W2, b2}."""
    keys = set(params) if isinstance(params, dict) else None
    if keys not in (set(LINEAR_KEYS), set(NET_KEYS)):
        got = sorted(keys) if keys is not None else type(params).__name__
        raise ValueError(f'params must be a dict with keys W, b (linear) or W1, b1, W2, b2 '
                         f'(two-layer net), got {got}')
    for key in params:
        check_array(f'params[{key!r}]', params[key], ndim=2 if key.startswith('W') else 1)


def _check_x(params, X):
    check_array('X', X, ndim=2)
    D = params['W' if 'W' in params else 'W1'].shape[0]
    if X.shape[1] != D:
        raise ValueError(f'X must have shape (N, {D}) for these params, got {X.shape}')


def _check_labels(y, N, C, name='y'):
    check_array(name, y, ndim=1, shape=(N,))
    if not np.issubdtype(np.asarray(y).dtype, np.integer) or y.min() < 0 or y.max() >= C:
        raise ValueError(f'{name} must hold integer labels in 0..{C - 1}')


def _check_positive(name, value, allow_zero=False):
    ok = np.isfinite(value) and (value >= 0 if allow_zero else value > 0)
    if isinstance(value, bool) or not ok:
        raise ValueError(f'{name} must be {">=" if allow_zero else ">"} 0, got {value!r}')


def _check_int(name, value, smallest):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < smallest:
        raise ValueError(f'{name} must be an integer >= {smallest}, got {value!r}')


# --8<-- [start:forward_backward_x]
def model_forward(params, X):
    """
    Class scores of a linear model (keys W, b) or of the two-layer net affine - relu - affine
    (keys W1, b1, W2, b2).

    Inputs:
    - params: dict, W (D, C) and b (C,), or W1 (D, H), b1 (H,), W2 (H, C), b2 (C,)
    - X: images, of shape (N, D)

    Returns a tuple of:
    - scores: of shape (N, C), unnormalized (before softmax)
    - cache: what model_backward_x needs
    """
    _check_params(params)
    _check_x(params, X)
    if 'W' in params:
        scores, cache = affine_forward(X, params['W'], params['b'])
        return scores, ('linear', cache)
    hidden, cache1 = affine_forward(X, params['W1'], params['b1'])
    hidden, cache_relu = relu_forward(hidden)
    scores, cache2 = affine_forward(hidden, params['W2'], params['b2'])
    return scores, ('net', (cache1, cache_relu, cache2))


def model_backward_x(dscores, cache):
    """
    Backpropagate to the input only: the weights are fixed, x is the variable.

    Inputs:
    - dscores: upstream gradient dL/dscores, of shape (N, C)
    - cache: from model_forward

    Returns:
    - dX: dL/dX, of shape (N, D)
    """
    kind, caches = cache
    if kind == 'linear':
        dX, _, _ = affine_backward(dscores, caches)        # dX = dscores W^T
        return dX
    cache1, cache_relu, cache2 = caches
    dhidden, _, _ = affine_backward(dscores, cache2)
    dhidden = relu_backward(dhidden, cache_relu)
    dX, _, _ = affine_backward(dhidden, cache1)
    return dX
# --8<-- [end:forward_backward_x]


def model_accuracy(params, X, y):
    """Fraction of the images X (N, D) whose highest score is their label y (N,)."""
    scores, _ = model_forward(params, X)
    _check_labels(y, X.shape[0], scores.shape[1])
    return float(np.mean(scores.argmax(axis=1) == y))


# --8<-- [start:score_gradient]
def score_gradient(params, X, y):
    """
    Gradient of each image's class score s_y (unnormalized) with respect to the image.

    Inputs:
    - params: a linear model or a two-layer net (see model_forward)
    - X: images, of shape (N, D)
    - y: the class of each image whose score we differentiate, of shape (N,)

    Returns:
    - dX: of shape (N, D); row i is d s_{y_i}(x_i) / d x_i
    """
    scores, cache = model_forward(params, X)
    _check_labels(y, X.shape[0], scores.shape[1])
    dscores = np.zeros_like(scores)
    dscores[np.arange(len(y)), y] = 1.0                     # pick s_y: a one-hot upstream
    return model_backward_x(dscores, cache)
# --8<-- [end:score_gradient]


def probability_gradient(params, X, y):
    """
    Gradient of the softmax probability p_y with respect to each image, of shape (N, D):
    dp_y/ds_j = p_y (1[j = y] - p_j), then backpropagated to x like score_gradient.
    """
    scores, cache = model_forward(params, X)
    _check_labels(y, X.shape[0], scores.shape[1])
    p = np.exp(scores - scores.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p_y = p[np.arange(len(y)), y][:, None]
    dscores = -p_y * p
    dscores[np.arange(len(y)), y] += p_y[:, 0]
    return model_backward_x(dscores, cache)


# --8<-- [start:saliency]
def saliency_map(params, X, y, image_shape=IMAGE_SHAPE):
    """
    Saliency maps (Simonyan et al. 2013): |d s_y / d x|, then the max over the channels.
    For the digits (one grey channel) the max over channels is just the absolute value.

    Inputs:
    - params, X, y: as score_gradient; D = C_in * H * W
    - image_shape: (C_in, H, W) of one image, default (1, 8, 8)

    Returns:
    - saliency: of shape (N, H, W), >= 0
    """
    if len(image_shape) != 3 or int(np.prod(image_shape)) != np.shape(X)[-1]:
        raise ValueError(f'image_shape must be (C, H, W) with C*H*W = D, got {image_shape!r}')
    dX = score_gradient(params, X, y)
    return np.abs(dX.reshape(-1, *image_shape)).max(axis=1)
# --8<-- [end:saliency]


# --8<-- [start:class_visualization]
def _blur(x, image_shape):
    """A [1, 2, 1] / 4 blur along rows and columns of each channel, edges replicated."""
    img = x.reshape(image_shape)
    pad = np.pad(img, ((0, 0), (1, 1), (1, 1)), mode='edge')
    img = (pad[:, :-2, 1:-1] + 2 * pad[:, 1:-1, 1:-1] + pad[:, 2:, 1:-1]) / 4
    pad = np.pad(img, ((0, 0), (0, 0), (1, 1)), mode='edge')
    img = (pad[:, :, :-2] + 2 * pad[:, :, 1:-1] + pad[:, :, 2:]) / 4
    return img.ravel()


def class_visualization(params, target, l2_reg, learning_rate, steps, x0=None, clip=None,
                        blur_every=0, max_jitter=0, seed=0, image_shape=IMAGE_SHAPE):
    """
    Gradient ascent on one image to maximize s_target(x) - l2_reg * ||x||^2 (cs231n's
    create_class_visualization): the weights stay fixed, the image changes.

    Inputs:
    - params: a linear model or a two-layer net (see model_forward)
    - target: the class c, an integer 0 <= c < C
    - l2_reg: lambda >= 0
    - learning_rate: step size > 0
    - steps: number of ascent steps, an integer >= 1
    - x0: the starting image, of shape (D,); default zeros (the training mean, as X is centred)
    - clip: None, or (low, high), scalars or of shape (D,): keep x a valid image after each step
    - blur_every: if > 0, blur the image every blur_every steps
    - max_jitter: if > 0, shift the image by up to max_jitter pixels (np.roll) before each
      step and shift it back after
    - seed: for the jitter
    - image_shape: (C_in, H, W), for blur and jitter

    Returns:
    - x: the image after the last step, of shape (D,)
    """
    _check_params(params)
    D = params['W' if 'W' in params else 'W1'].shape[0]
    C = params['b' if 'W' in params else 'b2'].shape[0]
    _check_int('target', target, 0)
    if target >= C:
        raise ValueError(f'target must be a class in 0..{C - 1}, got {target!r}')
    _check_positive('l2_reg', l2_reg, allow_zero=True)
    _check_positive('learning_rate', learning_rate)
    _check_int('steps', steps, 1)
    _check_int('blur_every', blur_every, 0)
    _check_int('max_jitter', max_jitter, 0)
    x = np.zeros(D) if x0 is None else np.array(x0, dtype=np.float64)
    check_array('x0', x, shape=(D,))
    if clip is not None and len(clip) != 2:
        raise ValueError(f'clip must be None or a pair (low, high), got {clip!r}')
    rng = np.random.default_rng(seed)
    for t in range(1, steps + 1):
        shift = tuple(rng.integers(-max_jitter, max_jitter + 1, size=2)) if max_jitter else (0, 0)
        x = np.roll(x.reshape(image_shape), shift, axis=(1, 2)).ravel()
        ds = score_gradient(params, x[None], np.array([target]))[0]
        x = x + learning_rate * (ds - 2 * l2_reg * x)      # ascend s_c - l2_reg ||x||^2
        x = np.roll(x.reshape(image_shape), (-shift[0], -shift[1]), axis=(1, 2)).ravel()
        if blur_every and t % blur_every == 0:
            x = _blur(x, image_shape)
        if clip is not None:
            x = np.clip(x, *clip)
    return x
# --8<-- [end:class_visualization]


# --8<-- [start:fgsm]
def loss_gradient(params, X, y):
    """Softmax loss (averaged over N) and its gradient with respect to X, of shape (N, D)."""
    scores, cache = model_forward(params, X)
    loss, dscores = softmax_loss(scores, y)
    return loss, model_backward_x(dscores, cache)


def fgsm(params, X, y, eps):
    """
    Fast gradient sign method (Goodfellow et al. 2015): one step of size eps per pixel, in the
    direction that increases the loss of the true label to first order.

    Inputs:
    - params: a linear model or a two-layer net (see model_forward)
    - X: images, of shape (N, D)
    - y: their labels, of shape (N,)
    - eps: the max-norm of the change, >= 0

    Returns:
    - X_adv: X + eps * sign(dL/dX), of shape (N, D)
    """
    _check_positive('eps', eps, allow_zero=True)
    _, dX = loss_gradient(params, X, y)       # the 1/N of the mean loss does not change the sign
    return X + eps * np.sign(dX)


def random_sign_noise(X, eps, seed=0):
    """X + eps * (random +-1 per pixel): the same max-norm as fgsm, a random direction."""
    check_array('X', X, ndim=2)
    _check_positive('eps', eps, allow_zero=True)
    return X + eps * np.random.default_rng(seed).choice([-1.0, 1.0], size=X.shape)
# --8<-- [end:fgsm]


# --8<-- [start:linearity]
def linear_score_change(w, eps):
    """
    The largest change of a linear score w.x under a perturbation with max-norm eps, and the
    perturbation that reaches it: (w . eps*sign(w)) = eps * ||w||_1.

    Inputs:
    - w: weights of one class, of shape (D,)
    - eps: >= 0

    Returns a tuple of:
    - change: eps * ||w||_1
    - delta: eps * sign(w), of shape (D,)
    """
    check_array('w', w, ndim=1)
    _check_positive('eps', eps, allow_zero=True)
    delta = eps * np.sign(w)
    return float(w @ delta), delta


def synthetic_linearity(dims, eps, sigma, seed=0):
    """
    For random weights w ~ N(0, sigma^2) of each size D in dims: eps ||w||_1 (the FGSM change
    of the score, grows like D) and eps ||w||_2 (the standard deviation of the change under
    random +-eps noise, grows like sqrt(D)).

    Returns a list of (D, eps ||w||_1, eps ||w||_2), one per D.
    """
    _check_positive('eps', eps)
    _check_positive('sigma', sigma)
    rng = np.random.default_rng(seed)
    rows = []
    for D in dims:
        w = sigma * rng.standard_normal(int(D))
        rows.append((int(D), linear_score_change(w, eps)[0], eps * float(np.linalg.norm(w))))
    return rows
# --8<-- [end:linearity]


# Training (fixed seeds) -------------------------------------------------------------------

LINEAR = {'learning_rate': 0.5, 'reg': 1e-3, 'steps': 300}
NET = {'hidden_dim': 64, 'weight_scale': 0.1, 'learning_rate': 0.05, 'reg': 1e-3, 'epochs': 30,
       'batch_size': 100}


def train_linear(X, y, num_classes=10, learning_rate=LINEAR['learning_rate'], reg=LINEAR['reg'],
                 steps=LINEAR['steps']):
    """Linear softmax classifier by full-batch gradient descent from zero weights; {W (D, C), b (C,)}."""
    check_array('X', X, ndim=2)
    _check_labels(y, X.shape[0], num_classes)
    W, b = np.zeros((X.shape[1], num_classes)), np.zeros(num_classes)
    for _ in range(steps):
        scores, cache = affine_forward(X, W, b)
        _, dscores = softmax_loss(scores, y)
        _, dW, db = affine_backward(dscores, cache)
        W -= learning_rate * (dW + reg * W)
        b -= learning_rate * db
    return {'W': W, 'b': b}


def train_net(X, y, seed=0, num_classes=10, **overrides):
    """The two-layer net of snippets.layers, trained by sgd_train with NET's settings."""
    cfg = dict(NET, **overrides)
    init = two_layer_net_init(X.shape[1], cfg['hidden_dim'], num_classes, cfg['weight_scale'], seed)
    return sgd_train(init, X, y, cfg['learning_rate'], reg=cfg['reg'], epochs=cfg['epochs'],
                     batch_size=cfg['batch_size'], seed=seed)['params']


EPSILONS = (0.0, 0.05, 0.1, 0.2, 0.3)     # max-norm of the change; pixels are in [0, 1]
CLASSVIS = {'l2_reg': 1.0, 'learning_rate': 0.2, 'steps': 200}
BLUR_EVERY = 50
ASCENT_LINEAR = {'l2_reg': 0.5, 'learning_rate': 0.1, 'steps': 200}


def experiments():
    """Train both models and a second net (another seed), and the randomized net; return all."""
    data = digits_split()
    lin = train_linear(data['X_train'], data['y_train'])
    net = train_net(data['X_train'], data['y_train'], seed=0)
    net2 = train_net(data['X_train'], data['y_train'], seed=1)
    rand = two_layer_net_init(64, NET['hidden_dim'], 10, NET['weight_scale'], seed=2)
    return data, {'linear': lin, 'net': net, 'net_seed1': net2, 'net_random': rand}


def _mean_rank_corr(A, B):
    return float(np.mean([rank_correlation(a, b) for a, b in zip(A, B)]))


# Figures ------------------------------------------------------------------------------------

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
    eps = [r[0] for r in rows]
    fig, ax = plt.subplots(figsize=(5.2, 3.2))
    styles = [('lin FGSM', 1, OKABE_ITO['blue'], '-', 'o'), ('lin rand', 2, OKABE_ITO['blue'], '--', 's'),
              ('net FGSM', 3, OKABE_ITO['vermillion'], '-', 'o'),
              ('net rand', 4, OKABE_ITO['vermillion'], '--', 's')]
    for label, col, colour, ls, marker in styles:
        ax.plot(eps, [r[col] for r in rows], ls, color=colour, marker=marker, label=label)
    ax.set_xlabel(r'$\epsilon$')
    ax.set_ylabel('acc')
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(frameon=False, fontsize=9)
    fig.tight_layout()
    return fig


# --8<-- [start:report]
def report(outdir):
    """
    Run every experiment of the page (fixed seeds), write linear.svg, saliency.svg,
    classvis.svg and fgsm.svg into outdir (created if missing), return the page's numbers.
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    data, models = experiments()
    lin, net, net2, rand = (models[k] for k in ('linear', 'net', 'net_seed1', 'net_random'))
    Xte, yte = data['X_test'], data['y_test']
    values = {'n_train': len(data['y_train']), 'n_test': len(yte),
              'acc_linear': model_accuracy(lin, Xte, yte), 'acc_net': model_accuracy(net, Xte, yte),
              'acc_net_seed1': model_accuracy(net2, Xte, yte)}

    # 1. linear case: the input gradient is W_c, and ascent converges to W_c / (2 lambda)
    g = score_gradient(lin, np.zeros((10, 64)), np.arange(10))
    lam = ASCENT_LINEAR['l2_reg']
    x_star = np.stack([class_visualization(lin, c, **ASCENT_LINEAR) for c in range(10)])
    target = lin['W'].T / (2 * lam)
    values.update(
        linear_grad_vs_W=float(np.abs(g - lin['W'].T).max()),
        linear_ascent_lambda=lam,
        linear_ascent_steps=ASCENT_LINEAR['steps'], linear_ascent_lr=ASCENT_LINEAR['learning_rate'],
        linear_ascent_rel_error=float(np.linalg.norm(x_star - target) / np.linalg.norm(target)),
        linear_ascent_contraction=1 - 2 * lam * ASCENT_LINEAR['learning_rate'])
    save_svg(linear_figure(lin['W'], x_star), outdir / 'linear.svg')

    # 2. saliency maps of the first test digit of each of six classes
    show = [int(np.flatnonzero(yte == c)[0]) for c in (0, 1, 2, 3, 7, 8)]
    sal_net = saliency_map(net, Xte, yte)
    sal_lin = saliency_map(lin, Xte, yte)
    sal_rand = saliency_map(rand, Xte, yte)
    sal_net2 = saliency_map(net2, Xte, yte)
    images = Xte + data['mean']                                   # back to pixels in [0, 1]
    save_svg(saliency_figure(images[show], sal_net[show], sal_lin[show], sal_rand[show],
                             yte[show]), outdir / 'saliency.svg')
    background = images.reshape(-1, 8, 8) < 1e-12                 # pixels with no ink at all
    share = (sal_net * background).sum(axis=(1, 2)) / sal_net.sum(axis=(1, 2))
    same_class = yte == yte[show[0]]
    lin_same = sal_lin[same_class]
    values.update(
        background_pixel_share=float(background.mean()),
        saliency_background_share=float(share.mean()),
        linear_saliency_same_within_class=float(np.abs(lin_same - lin_same[0]).max()),
        rank_corr_net_vs_seed1=_mean_rank_corr(sal_net, sal_net2),
        rank_corr_net_vs_random=_mean_rank_corr(sal_net, sal_rand),
        rank_corr_net_vs_linear=_mean_rank_corr(sal_net, sal_lin),
    )

    # score vs probability: for confident images the probability gradient nearly vanishes
    ds = score_gradient(net, Xte, yte)
    dp = probability_gradient(net, Xte, yte)
    ratio = np.linalg.norm(dp, axis=1) / np.linalg.norm(ds, axis=1)
    values['prob_over_score_grad_median'] = float(np.median(ratio))

    # ascend along the saliency map (abs value) vs along the gradient, same step length
    step = 0.1
    along_grad = Xte + step * ds / np.linalg.norm(ds, axis=1, keepdims=True)
    sal_flat = sal_net.reshape(len(yte), -1)
    along_sal = Xte + step * sal_flat / np.linalg.norm(sal_flat, axis=1, keepdims=True)
    s0 = model_forward(net, Xte)[0][np.arange(len(yte)), yte]
    gain_grad = model_forward(net, along_grad)[0][np.arange(len(yte)), yte] - s0
    gain_sal = model_forward(net, along_sal)[0][np.arange(len(yte)), yte] - s0
    values.update(ascent_step=step, gain_along_gradient=float(gain_grad.mean()),
                  gain_along_saliency=float(gain_sal.mean()),
                  saliency_step_lowers_score=float(np.mean(gain_sal < 0)))

    # 3. class visualization of the net, L2 only and L2 + blur + jitter
    clip = (-data['mean'], 1 - data['mean'])                     # pixels stay in [0, 1]
    plain = np.stack([class_visualization(net, c, **CLASSVIS, clip=clip) for c in range(10)])
    smooth = np.stack([class_visualization(net, c, **CLASSVIS, clip=clip, blur_every=BLUR_EVERY,
                                           max_jitter=1, seed=c) for c in range(10)])
    hits = [float(np.mean(model_forward(net, x)[0].argmax(axis=1) == np.arange(10)))
            for x in (plain, smooth)]                              # share classified as c
    values.update(classvis_lambda=CLASSVIS['l2_reg'], classvis_steps=CLASSVIS['steps'],
                  classvis_blur_every=BLUR_EVERY, classvis_plain_argmax=hits[0],
                  classvis_smooth_argmax=hits[1])
    save_svg(classvis_figure(plain + data['mean'], smooth + data['mean']), outdir / 'classvis.svg')

    # 4. FGSM vs random sign noise of the same max-norm
    rows = []
    for eps in EPSILONS:
        rows.append((eps, model_accuracy(lin, fgsm(lin, Xte, yte, eps), yte),
                     model_accuracy(lin, random_sign_noise(Xte, eps, seed=0), yte),
                     model_accuracy(net, fgsm(net, Xte, yte, eps), yte),
                     model_accuracy(net, random_sign_noise(Xte, eps, seed=0), yte)))
    values['fgsm_rows'] = markdown_rows((f'{e:g}', *(f'{a:.1%}'.replace('%', ' %') for a in r))
                                        for e, *r in rows)
    by_eps = {r[0]: r for r in rows}
    values.update(fgsm_eps=0.1, lin_fgsm_acc=by_eps[0.1][1], lin_rand_acc=by_eps[0.1][2],
                  net_fgsm_acc=by_eps[0.1][3], net_rand_acc=by_eps[0.1][4])
    save_svg(fgsm_figure(rows), outdir / 'fgsm.svg')

    # 5. linearity: eps ||w||_1 on the trained weights and on synthetic ones of three sizes
    scores = model_forward(lin, Xte)[0]
    rival = np.where(np.arange(10) == yte[:, None], -np.inf, scores).argmax(axis=1)
    margin = scores[np.arange(len(yte)), yte] - scores[np.arange(len(yte)), rival]
    W_diff = lin['W'][:, yte] - lin['W'][:, rival]                 # (D, N): w_y - w_k per image
    reach = 0.1 * np.abs(W_diff).sum(axis=0)                       # eps ||w_y - w_k||_1
    values.update(lin_eps_l1_mean=float(0.1 * np.abs(lin['W']).sum(axis=0).mean()),
                  lin_eps_l2_mean=float(0.1 * np.linalg.norm(lin['W'], axis=0).mean()),
                  lin_l1_over_255=float(np.abs(lin['W']).sum(axis=0).mean() / 255),
                  lin_l1_over_l2_mean=float((np.abs(lin['W']).sum(axis=0)
                                             / np.linalg.norm(lin['W'], axis=0)).mean()),
                  lin_margin_median=float(np.median(margin)),
                  lin_reach_median=float(np.median(reach)),
                  lin_reach_exceeds_margin=float(np.mean(reach > margin)))
    synth_eps, synth_sigma = 1 / 255, 0.01
    synth = synthetic_linearity((64, 3072, 150528), synth_eps, synth_sigma)
    values.update(synth_sigma=synth_sigma,
                  synth_rows=markdown_rows((f'{D:,}'.replace(',', ' '), f'{a:.3g}', f'{b:.2g}',
                                            f'{D * synth_sigma * np.sqrt(2 / np.pi) * synth_eps:.3g}',
                                            f'{a / b:.0f}')
                                           for D, a, b in synth))
    for D, a, b in synth:
        values[f'synth_l1_{D}'] = a
        values[f'synth_l2_{D}'] = b
    return values
# --8<-- [end:report]


if __name__ == '__main__':
    outdir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path('build/input_gradient')
    for key, value in report(outdir).items():
        print(f'{key}:\n{value}' if isinstance(value, str) and '\n' in value else f'{key}: {value}')
