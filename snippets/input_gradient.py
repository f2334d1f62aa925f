"""
The gradient on the input x: backpropagation goes one step further than usual, past the weights
to the image, for a linear softmax classifier s = xW + b and the two-layer ReLU net of
snippets.layers.

- model_forward / model_backward_x: the class scores, and the gradient of a loss with respect
  to the input X (the weights fixed);
- score_gradient, probability_gradient, loss_gradient: d s_y / dx, d p_y / dx and dL / dx;
- saliency_map: |d s_y / dx|, max over the channels (Simonyan, Vedaldi & Zisserman 2014);
- class_visualization: gradient ascent on the image, maximizing s_c(x) - l2_reg * ||x||^2,
  optionally with blur and jitter (cs231n assignment 3, NetworkVisualization);
- fgsm: x + eps * sign(dL/dx), the fast gradient sign method (Goodfellow, Shlens & Szegedy
  2015), clipped to the valid pixel range, and random_sign_noise, the same size in a random
  direction;
- linear_score_change: eps * ||w||_1, the most a change of max-norm eps moves a linear score;
- train_linear, model_accuracy: the linear classifier by gradient descent, and the accuracy.

Bad input raises ValueError naming the argument. The experiments of the page are in
snippets/experiments/input_gradient.py.
"""
import numpy as np

from snippets.checks import check_array, check_int, check_labels, check_positive, checked
from snippets.layers import (affine_backward, affine_forward, relu_backward,
                             relu_forward, softmax_loss)

IMAGE_SHAPE = (1, 8, 8)          # the digits: one grey channel of 8x8 pixels
LINEAR_KEYS = ('W', 'b')
NET_KEYS = ('W1', 'b1', 'W2', 'b2')


# ---- Input checks: bad input raises ValueError naming the argument. The pages show the
# ---- functions below without them (snippets/checks.py, `checked`).

def _check_params(params):
    """Raise ValueError unless params is a linear model {W, b} or a two-layer net {W1, b1, W2, b2}."""
    keys = set(params) if isinstance(params, dict) else None
    if keys not in (set(LINEAR_KEYS), set(NET_KEYS)):
        got = sorted(keys) if keys is not None else type(params).__name__
        raise ValueError(f'params must be a dict with keys W, b (linear) or W1, b1, W2, b2 '
                         f'(two-layer net), got {got}')
    for key in params:
        check_array(f'params[{key!r}]', params[key], ndim=2 if key.startswith('W') else 1)


def _check_model_forward(params, X):
    _check_params(params)
    check_array('X', X, ndim=2)
    D = params['W' if 'W' in params else 'W1'].shape[0]
    if X.shape[1] != D:
        raise ValueError(f'X must have shape (N, {D}) for these params, got {X.shape}')


def _check_labels(params, X, y):
    """As model_forward, and y must hold one label 0..C-1 per image."""
    _check_model_forward(params, X)
    C = params['W' if 'W' in params else 'W2'].shape[1]
    check_labels('y', y, X.shape[0], C)


def _check_saliency_map(params, X, y, image_shape=IMAGE_SHAPE):
    if len(image_shape) != 3 or int(np.prod(image_shape)) != np.shape(X)[-1]:
        raise ValueError(f'image_shape must be (C, H, W) with C*H*W = D, got {image_shape!r}')


def _check_clip(clip):
    if clip is not None and len(clip) != 2:
        raise ValueError(f'clip must be None or a pair (low, high), got {clip!r}')


def _check_class_visualization(params, target, l2_reg, learning_rate, steps, x0=None, clip=None,
                               blur_every=0, max_jitter=0, seed=0, image_shape=IMAGE_SHAPE):
    _check_params(params)
    D = params['W' if 'W' in params else 'W1'].shape[0]
    C = params['b' if 'W' in params else 'b2'].shape[0]
    check_int('target', target, 0)
    if target >= C:
        raise ValueError(f'target must be a class in 0..{C - 1}, got {target!r}')
    check_positive('l2_reg', l2_reg, allow_zero=True)
    check_positive('learning_rate', learning_rate)
    check_int('steps', steps, 1)
    check_int('blur_every', blur_every, 0)
    check_int('max_jitter', max_jitter, 0)
    check_array('x0', np.zeros(D) if x0 is None else np.array(x0, dtype=np.float64), shape=(D,))
    _check_clip(clip)


def _check_fgsm(params, X, y, eps, clip=None):
    check_positive('eps', eps, allow_zero=True)
    _check_clip(clip)


def _check_random_sign_noise(X, eps, seed=0, clip=None):
    check_array('X', X, ndim=2)
    check_positive('eps', eps, allow_zero=True)
    _check_clip(clip)


def _check_linear_score_change(w, eps):
    check_array('w', w, ndim=1)
    check_positive('eps', eps, allow_zero=True)


def _check_train_linear(X, y, learning_rate, reg, steps, num_classes=10):
    check_array('X', X, ndim=2)
    check_labels('y', y, X.shape[0], num_classes)


# ---- The lesson -------------------------------------------------------------------------

@checked(_check_model_forward)
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


@checked(_check_labels)
def model_accuracy(params, X, y):
    """Fraction of the images X (N, D) whose highest score is their label y (N,)."""
    scores, _ = model_forward(params, X)
    return float(np.mean(scores.argmax(axis=1) == y))


@checked(_check_labels)
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
    dscores = np.zeros_like(scores)
    dscores[np.arange(len(y)), y] = 1.0                     # pick s_y: a one-hot upstream
    return model_backward_x(dscores, cache)
# --8<-- [end:score_gradient]


@checked(_check_labels)
def probability_gradient(params, X, y):
    """
    Gradient of the softmax probability p_y with respect to each image, of shape (N, D):
    dp_y/ds_j = p_y (1[j = y] - p_j), then backpropagated to x like score_gradient.
    """
    scores, cache = model_forward(params, X)
    p = np.exp(scores - scores.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p_y = p[np.arange(len(y)), y][:, None]
    dscores = -p_y * p
    dscores[np.arange(len(y)), y] += p_y[:, 0]
    return model_backward_x(dscores, cache)


@checked(_check_saliency_map)
# --8<-- [start:saliency]
def saliency_map(params, X, y, image_shape=IMAGE_SHAPE):
    """
    Saliency maps (Simonyan et al. 2014): |d s_y / d x|, then the max over the channels.
    For the digits (one grey channel) the max over channels is just the absolute value.

    Inputs:
    - params, X, y: as score_gradient; D = C_in * H * W
    - image_shape: (C_in, H, W) of one image, default (1, 8, 8)

    Returns:
    - saliency: of shape (N, H, W), >= 0
    """
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
    D = params['W' if 'W' in params else 'W1'].shape[0]
    x = np.zeros(D) if x0 is None else np.array(x0, dtype=np.float64)
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
class_visualization = checked(_check_class_visualization)(class_visualization)


# --8<-- [start:fgsm]
def loss_gradient(params, X, y):
    """Softmax loss (averaged over N) and its gradient with respect to X, of shape (N, D)."""
    scores, cache = model_forward(params, X)
    loss, dscores = softmax_loss(scores, y)
    return loss, model_backward_x(dscores, cache)


def fgsm(params, X, y, eps, clip=None):
    """
    Fast gradient sign method (Goodfellow et al. 2015): one step of size eps per pixel, in the
    direction that increases the loss of the true label to first order.

    Inputs:
    - params: a linear model or a two-layer net (see model_forward)
    - X: images, of shape (N, D)
    - y: their labels, of shape (N,)
    - eps: the max-norm of the change, >= 0
    - clip: None, or (low, high), scalars or of shape (D,): keep X_adv a valid image

    Returns:
    - X_adv: X + eps * sign(dL/dX), clipped to [low, high], of shape (N, D)
    """
    _, dX = loss_gradient(params, X, y)       # the 1/N of the mean loss does not change the sign
    X_adv = X + eps * np.sign(dX)
    return X_adv if clip is None else np.clip(X_adv, *clip)


def random_sign_noise(X, eps, seed=0, clip=None):
    """X + eps * (random +-1 per pixel), clipped like fgsm: the same size, a random direction."""
    X_noisy = X + eps * np.random.default_rng(seed).choice([-1.0, 1.0], size=X.shape)
    return X_noisy if clip is None else np.clip(X_noisy, *clip)
# --8<-- [end:fgsm]
fgsm = checked(_check_fgsm)(fgsm)
random_sign_noise = checked(_check_random_sign_noise)(random_sign_noise)


@checked(_check_linear_score_change)
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
    delta = eps * np.sign(w)
    return float(w @ delta), delta


@checked(_check_train_linear)
def train_linear(X, y, learning_rate, reg, steps, num_classes=10):
    """
    Linear softmax classifier by full-batch gradient descent from zero weights.

    Inputs:
    - X: images, of shape (N, D)
    - y: labels 0..num_classes-1, of shape (N,)
    - learning_rate: step size
    - reg: L2 regularization strength (the gradient of the penalty is reg * W)
    - steps: number of gradient steps

    Returns:
    - params: dict W (D, C), b (C,)
    """
    W, b = np.zeros((X.shape[1], num_classes)), np.zeros(num_classes)
    for _ in range(steps):
        scores, cache = affine_forward(X, W, b)
        _, dscores = softmax_loss(scores, y)
        _, dW, db = affine_backward(dscores, cache)
        W -= learning_rate * (dW + reg * W)
        b -= learning_rate * db
    return {'W': W, 'b': b}
