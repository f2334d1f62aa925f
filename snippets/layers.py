"""Layers shared by the pages, as in cs231n's layers.py: affine, ReLU, a naive convolution and the
softmax and SVM losses on class scores."""
import numpy as np

from snippets.checks import check_array, check_labels


def affine_forward(x, w, b):
    """
    Affine (fully connected) layer: each example is flattened to a row, then out = x w + b.

    Inputs:
    - x: input, of shape (N, d_1, ..., d_k); an example has D = d_1 * ... * d_k values
    - w: weights, of shape (D, M)
    - b: biases, of shape (M,)

    Returns a tuple of:
    - out: output, of shape (N, M)
    - cache: (x, w, b)
    """
    check_array('x', x)
    if x.ndim < 2:
        raise ValueError(f'x must be of shape (N, d_1, ..., d_k), got shape {x.shape}')
    N, D = x.shape[0], int(np.prod(x.shape[1:]))
    check_array('w', w, ndim=2)
    check_array('w', w, shape=(D, w.shape[1]), hint=f' (x has D = {D} values per example)')
    check_array('b', b, shape=(w.shape[1],))
    out = x.reshape(N, D).dot(w) + b
    cache = (x, w, b)
    return out, cache


def affine_backward(dout, cache):
    """
    Backward pass for an affine layer.

    Inputs:
    - dout: upstream derivative, of shape (N, M)
    - cache: (x, w, b) from affine_forward

    Returns a tuple of:
    - dx: gradient with respect to x, of shape (N, d_1, ..., d_k)
    - dw: gradient with respect to w, of shape (D, M)
    - db: gradient with respect to b, of shape (M,)
    """
    x, w, b = cache
    N = x.shape[0]
    check_array('dout', dout, shape=(N, w.shape[1]), hint=' (the shape of affine_forward\'s out)')
    dx = dout.dot(w.T).reshape(x.shape)
    dw = x.reshape(N, -1).T.dot(dout)
    db = dout.sum(axis=0)
    return dx, dw, db


def relu_forward(x):
    """
    Rectified linear unit: out = max(0, x), elementwise.

    Inputs:
    - x: input, of any shape

    Returns a tuple of:
    - out: output, of x's shape
    - cache: x
    """
    check_array('x', x)
    return np.maximum(0, x), x


def relu_backward(dout, cache):
    """
    Backward pass for a ReLU: the gradient passes where x > 0.

    Inputs:
    - dout: upstream derivative, of x's shape
    - cache: x from relu_forward

    Returns:
    - dx: gradient with respect to x, of x's shape
    """
    x = cache
    check_array('dout', dout, shape=x.shape, hint=' (the shape of relu_forward\'s out)')
    return dout * (x > 0)


def _conv_setting(conv_param, key, smallest):
    """conv_param[key] as an int >= smallest, or ValueError naming it."""
    value = conv_param.get(key) if isinstance(conv_param, dict) else None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < smallest:
        raise ValueError(f"conv_param['{key}'] must be an integer >= {smallest}, got {value!r}")
    return int(value)


def conv_forward_naive(x, w, b, conv_param):
    """
    Convolutional layer (forward only): each of F filters slides over the padded input.

    Inputs:
    - x: input, of shape (N, C, H, W)
    - w: filters, of shape (F, C, HH, WW)
    - b: biases, of shape (F,)
    - conv_param: dict with keys
      - stride: step between neighbouring windows, an integer >= 1
      - pad: zeros added on each side of H and W, an integer >= 0

    Returns a tuple of:
    - out: output, of shape (N, F, H', W') with
        H' = 1 + (H + 2 * pad - HH) / stride,  W' = 1 + (W + 2 * pad - WW) / stride
    - cache: (x, w, b, conv_param)
    """
    check_array('x', x, ndim=4)
    check_array('w', w, ndim=4)
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    check_array('w', w, shape=(F, C, HH, WW), hint=f' (x has C = {C} channels)')
    check_array('b', b, shape=(F,))
    stride, pad = _conv_setting(conv_param, 'stride', 1), _conv_setting(conv_param, 'pad', 0)
    if HH > H + 2 * pad or WW > W + 2 * pad:
        raise ValueError(f'w has filters of {HH}x{WW}, larger than the padded input')
    if (H + 2 * pad - HH) % stride or (W + 2 * pad - WW) % stride:
        raise ValueError(f"conv_param['stride'] = {stride} does not tile the padded input exactly")
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride

    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.zeros((N, F, H_out, W_out), dtype=np.result_type(x, w))
    for i in range(H_out):
        for j in range(W_out):
            window = x_pad[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
            # (N, C, HH, WW) against (F, C, HH, WW), summed over C, HH, WW -> (N, F)
            out[:, :, i, j] = np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3])) + b
    cache = (x, w, b, conv_param)
    return out, cache


def _check_scores(x, y):
    check_array('x', x, ndim=2, hint='; scores are (N, C)')
    check_labels('y', y, *x.shape)


def softmax_loss(x, y):
    """
    Softmax (cross-entropy) loss on class scores, averaged over the examples.

    Inputs:
    - x: scores, of shape (N, C); x[i, j] is the score of class j for example i
    - y: labels, of shape (N,), integers 0 <= y[i] < C

    Returns a tuple of:
    - loss: scalar
    - dx: gradient of the loss with respect to x, of shape (N, C)
    """
    _check_scores(x, y)
    shifted = x - x.max(axis=1, keepdims=True)          # same probabilities, no overflow
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    N = x.shape[0]
    loss = -log_probs[np.arange(N), y].mean()
    dx = np.exp(log_probs)
    dx[np.arange(N), y] -= 1
    return loss, dx / N


def svm_loss(x, y):
    """
    Multiclass SVM (hinge) loss on class scores with margin 1, averaged over the examples.

    Inputs:
    - x: scores, of shape (N, C)
    - y: labels, of shape (N,), integers 0 <= y[i] < C

    Returns a tuple of:
    - loss: scalar
    - dx: gradient of the loss with respect to x, of shape (N, C)
    """
    _check_scores(x, y)
    N = x.shape[0]
    margins = np.maximum(0, x - x[np.arange(N), y][:, None] + 1.0)
    margins[np.arange(N), y] = 0
    loss = margins.sum() / N
    active = (margins > 0).astype(x.dtype)
    active[np.arange(N), y] = -active.sum(axis=1)
    return loss, active / N


# Two-layer net (cs231n assignment 2's TwoLayerNet, spring 2018), as plain functions ------------

_NET_KEYS = ('W1', 'b1', 'W2', 'b2')


def two_layer_net_init(input_dim, hidden_dim, num_classes, weight_scale, seed):
    """
    Parameters of a two-layer net affine - relu - affine, as cs231n's TwoLayerNet: weights
    from a Gaussian with standard deviation weight_scale, biases zero.

    Inputs:
    - input_dim: D, values per example
    - hidden_dim: H, hidden units
    - num_classes: C
    - weight_scale: standard deviation of the initial weights, > 0
    - seed: for numpy's default_rng

    Returns:
    - params: dict with W1 (D, H), b1 (H,), W2 (H, C), b2 (C,)
    """
    for name, value in (('input_dim', input_dim), ('hidden_dim', hidden_dim),
                        ('num_classes', num_classes)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f'{name} must be an integer >= 1, got {value!r}')
    if not (np.isfinite(weight_scale) and weight_scale > 0):
        raise ValueError(f'weight_scale must be > 0, got {weight_scale!r}')
    rng = np.random.default_rng(seed)
    return {'W1': weight_scale * rng.standard_normal((input_dim, hidden_dim)),
            'b1': np.zeros(hidden_dim),
            'W2': weight_scale * rng.standard_normal((hidden_dim, num_classes)),
            'b2': np.zeros(num_classes)}


def check_two_layer_params(params):
    """Raise ValueError naming the entry unless params holds W1 (D, H), b1 (H,), W2 (H, C), b2 (C,)."""
    if not isinstance(params, dict) or set(params) != set(_NET_KEYS):
        got = sorted(params) if isinstance(params, dict) else type(params).__name__
        raise ValueError(f'params must be a dict with keys W1, b1, W2, b2, got {got}')
    check_array("params['W1']", params['W1'], ndim=2)
    D, H = params['W1'].shape
    check_array("params['b1']", params['b1'], shape=(H,))
    check_array("params['W2']", params['W2'], ndim=2)
    check_array("params['W2']", params['W2'], shape=(H, params['W2'].shape[1]),
                hint=f" (W1 has H = {H} hidden units)")
    check_array("params['b2']", params['b2'], shape=(params['W2'].shape[1],))


def two_layer_net_loss(params, X, y=None, reg=0.0):
    """
    Scores, or softmax loss and gradients, of the two-layer net affine - relu - affine
    (cs231n's TwoLayerNet.loss). The loss adds 0.5 * reg * (sum W1**2 + sum W2**2), as in the
    spring 2018 assignment.

    Inputs:
    - params: dict with W1 (D, H), b1 (H,), W2 (H, C), b2 (C,)
    - X: data, of shape (N, D)
    - y: labels, of shape (N,), integers 0 <= y[i] < C, or None
    - reg: L2 regularization strength, >= 0

    Returns:
    - if y is None: scores, of shape (N, C)
    - else a tuple of:
      - loss: scalar
      - grads: dict with the keys of params, each of its entry's shape
    """
    check_two_layer_params(params)
    if not (np.isfinite(reg) and reg >= 0):
        raise ValueError(f'reg must be >= 0, got {reg!r}')
    W1, b1, W2, b2 = (params[k] for k in _NET_KEYS)
    hidden, cache1 = affine_forward(X, W1, b1)
    hidden, cache_relu = relu_forward(hidden)
    scores, cache2 = affine_forward(hidden, W2, b2)
    if y is None:
        return scores

    loss, dscores = softmax_loss(scores, y)
    loss += 0.5 * reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dhidden, dW2, db2 = affine_backward(dscores, cache2)
    dhidden = relu_backward(dhidden, cache_relu)
    _, dW1, db1 = affine_backward(dhidden, cache1)
    grads = {'W1': dW1 + reg * W1, 'b1': db1, 'W2': dW2 + reg * W2, 'b2': db2}
    return loss, grads


def two_layer_net_accuracy(params, X, y):
    """Fraction of the examples of X (N, D) whose highest score is their label y (N,)."""
    return float(np.mean(np.argmax(two_layer_net_loss(params, X), axis=1) == y))
