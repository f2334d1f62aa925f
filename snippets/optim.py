"""
Training the two-layer net of snippets.layers by minibatch SGD with momentum, as cs231n's
optim.py (the update rule) and solver.py (the loop over epochs and minibatches) do.

- sgd_momentum(w, dw, config): one update of one parameter array, the assignment's signature.
- sgd_train(params, X, y, ...): the loop; the parameters after every epoch (checkpoints) and,
  with keep_steps, after every step, for averaging weights along one run (the ensembles page).
- exponential_moving_average(initial, steps, decay): an exponential average of those steps.
"""
import numpy as np

from snippets.checks import check_array, check_int, check_labels, check_positive, checked
from snippets.layers import check_two_layer_params, two_layer_net_loss


def sgd_momentum(w, dw, config):
    """
    One step of SGD with momentum (cs231n's optim.sgd_momentum):
        v = momentum * v - learning_rate * dw;  next_w = w + v

    Inputs:
    - w: parameters, an array of any shape
    - dw: gradient of the loss with respect to w, of w's shape
    - config: dict with learning_rate, momentum and velocity (of w's shape; written back)

    Returns a tuple of:
    - next_w: the updated parameters, of w's shape
    - config: the same dict, with the new velocity
    """
    v = config['momentum'] * config['velocity'] - config['learning_rate'] * dw
    config['velocity'] = v
    return w + v, config


def _check_sgd_train(params, X, y, learning_rate, reg=0.0, epochs=10, batch_size=100,
                     momentum=0.9, seed=0, keep_steps=False):
    check_two_layer_params(params)
    check_array('X', X, ndim=2)
    check_labels('y', y, X.shape[0], params['b2'].shape[0])
    check_int('epochs', epochs)
    check_int('batch_size', batch_size)
    check_positive('learning_rate', learning_rate)
    if not 0 <= momentum < 1:
        raise ValueError(f'momentum must be in [0, 1), got {momentum!r}')
    check_positive('reg', reg, allow_zero=True)


@checked(_check_sgd_train)
def sgd_train(params, X, y, learning_rate, reg=0.0, epochs=10, batch_size=100, momentum=0.9,
              seed=0, keep_steps=False):
    """
    Train a two-layer net by minibatch SGD with momentum. Each epoch visits the N examples
    once, in an order drawn from seed. A learning rate far too large makes the scores overflow
    or the weights inf: training then stops and keeps the last finite parameters (diverged).

    Inputs:
    - params: dict W1, b1, W2, b2 (not changed; training works on a copy)
    - X: data, of shape (N, D)
    - y: labels, of shape (N,)
    - learning_rate: > 0
    - reg: L2 regularization strength, >= 0
    - epochs: passes over the data, an integer >= 1
    - batch_size: examples per step, an integer >= 1
    - momentum: in [0, 1)
    - seed: for the order of the examples
    - keep_steps: if True, also return the parameters after every step

    Returns a dict with:
    - params: the trained parameters
    - checkpoints: a copy of the parameters after each epoch, a list of `epochs` dicts
    - steps: the parameters after each step (a list of dicts), only with keep_steps
    - loss_history: the minibatch loss of every step
    - diverged: True if training stopped early because a step overflowed
    """
    w = {k: v.copy() for k, v in params.items()}
    configs = {k: {'learning_rate': learning_rate, 'momentum': momentum,
                   'velocity': np.zeros_like(v)} for k, v in w.items()}
    rng = np.random.default_rng(seed)
    checkpoints, steps, loss_history, diverged = [], [], [], False
    N = X.shape[0]
    for _ in range(epochs):
        order = rng.permutation(N)
        for start in range(0, N, batch_size):
            batch = order[start:start + batch_size]
            loss, step = _sgd_step(w, configs, X[batch], y[batch], reg)
            if step is None:
                diverged = True
                break
            w = step
            loss_history.append(float(loss))
            if keep_steps:
                steps.append(w)
        if diverged:
            break
        checkpoints.append({k: v.copy() for k, v in w.items()})
    return {'params': w, 'checkpoints': checkpoints, 'steps': steps if keep_steps else None,
            'loss_history': loss_history, 'diverged': diverged}


def _sgd_step(w, configs, X, y, reg):
    """(minibatch loss, new parameters) of one step, or (None, None) where it overflows: the
    scores become inf (two_layer_net_loss refuses them) or the new parameters are not finite."""
    with np.errstate(over='ignore', invalid='ignore'):
        try:
            loss, grads = two_layer_net_loss(w, X, y, reg)
        except ValueError:               # inf scores: X and y were checked before training
            return None, None
        step = {k: sgd_momentum(w[k], grads[k], configs[k])[0] for k in w}
    if not all(np.all(np.isfinite(v)) for v in step.values()):
        return None, None
    return loss, step


def exponential_moving_average(initial, steps, decay):
    """
    Exponential moving average of the parameters along one run (recent steps weigh more; Polyak
    averaging would weigh every step the same):
        ema = initial;  for each step's w:  ema = decay * ema + (1 - decay) * w

    Inputs:
    - initial: dict of arrays, the parameters before the first step
    - steps: list of dicts with the same keys, the parameters after each step (sgd_train's steps)
    - decay: in [0, 1)

    Returns:
    - ema: dict with the keys of initial
    """
    if not 0 <= decay < 1:
        raise ValueError(f'decay must be in [0, 1), got {decay!r}')
    ema = {k: v.copy() for k, v in initial.items()}
    for w in steps:
        ema = {k: decay * ema[k] + (1 - decay) * w[k] for k in w}
    return ema
