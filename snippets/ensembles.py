"""
Model ensembles at test time (CS231n, Neural Networks Part 3, "Model Ensembles").

An ensemble averages PREDICTIONS, never the parameters of independently trained nets:
every model runs on the same input with its own parameters and its own preprocessing, the
class probabilities are averaged, and the argmax is the prediction.

- make_model(params, preprocess): one member, a two-layer net of snippets.layers with its own
  preprocessing;
- softmax, ensemble_predict(models, X, combine): run every member, combine their outputs
  (combine_outputs) by averaging the probabilities, averaging the logits, or a majority vote;
- accuracy, mean_nll, vote_ties: how good an ensemble is, and how often its vote ties;
- ambiguity_decomposition(probs, y): Krogh & Vedelsby's identity, the ensemble's squared error
  = the members' mean squared error - their mean spread around the ensemble (the "ambiguity");
- average_weights(param_list): the entrywise mean of several nets' parameters, ONE net
  (meaningful only when their hidden units correspond);
- permute_hidden, align_hidden: renumber a net's hidden units (the same function), and match
  them to another net's before averaging.

Bad input raises ValueError naming the argument. The experiments of the page are in
snippets/experiments/ensembles.py.
"""
import numpy as np

from snippets.checks import check_array, check_labels, checked
from snippets.layers import two_layer_net_loss


# ---- Input checks: bad input raises ValueError naming the argument. The pages show the
# ---- functions below without them (snippets/checks.py, `checked`).

def _check_ensemble_predict(models, X, combine='probabilities'):
    if not isinstance(models, (list, tuple)) or len(models) == 0:
        raise ValueError('models must be a non-empty list of functions X -> scores')
    if combine not in ('probabilities', 'logits', 'vote'):
        raise ValueError(f"combine must be 'probabilities', 'logits' or 'vote', got {combine!r}")


def _check_combine_outputs(outputs, combine):
    """The models' scores must be (N, C), the same for all."""
    for k, scores in enumerate(outputs):
        check_array(f'models[{k}](X)', scores, ndim=2)
        if scores.shape != outputs[0].shape:
            raise ValueError(f'models[{k}] returns scores of shape {scores.shape}, but models[0] '
                             f'returns {outputs[0].shape}: the models must share the classes')


def _check_average_weights(param_list):
    if not isinstance(param_list, (list, tuple)) or len(param_list) == 0:
        raise ValueError('param_list must be a non-empty list of parameter dicts')
    for k, params in enumerate(param_list):
        if set(params) != set(param_list[0]) or any(
                params[key].shape != param_list[0][key].shape for key in params):
            raise ValueError(f'param_list[{k}] does not have the shapes of param_list[0]')


def _check_ambiguity_decomposition(probs, y):
    if not isinstance(probs, (list, tuple)) or len(probs) == 0:
        raise ValueError('probs must be a non-empty list of (N, C) probability arrays')
    for k, p in enumerate(probs):
        check_array(f'probs[{k}]', p, ndim=2, shape=probs[0].shape)
    check_labels('y', y, probs[0].shape[0], probs[0].shape[1])


def _check_permute_hidden(params, perm):
    H = params['b1'].shape[0]
    perm = np.asarray(perm)
    if perm.shape != (H,) or not np.array_equal(np.sort(perm), np.arange(H)):
        raise ValueError(f'perm must be a permutation of 0..{H - 1}')


# ---- The lesson -------------------------------------------------------------------------

# --8<-- [start:model]
def make_model(params, preprocess):
    """
    One member of an ensemble: its own parameters AND its own preprocessing.

    Inputs:
    - params: dict W1, b1, W2, b2 of a two-layer net
    - preprocess: function raw X (N, 64) -> the input the net was trained on (N, D)

    Returns:
    - model: function raw X (N, 64) -> class scores (N, C)
    """
    return lambda X_raw: two_layer_net_loss(params, preprocess(X_raw))


def softmax(scores):
    """Row-wise softmax of scores (N, C): probabilities (N, C), each row summing to 1."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)
# --8<-- [end:model]


@checked(_check_ensemble_predict)
# --8<-- [start:ensemble_predict]
def ensemble_predict(models, X, combine='probabilities'):
    """
    Run every model on the same input X, combine their outputs, predict the argmax.

    Inputs:
    - models: non-empty list of functions X -> scores (N, C), as made by make_model
    - X: raw input, of shape (N, 64)
    - combine: 'probabilities' (mean of the softmax outputs, the usual ensemble),
      'logits' (mean of the scores), or 'vote' (the label most models predict; a tie goes to
      the smallest label)

    Returns a tuple of:
    - predictions: int array of shape (N,)
    - combined: the averaged probabilities or scores, of shape (N, C); for 'vote', the vote
      counts (N, C)
    """
    outputs = [model(X) for model in models]          # each model: its own params, preprocessing
    combined = combine_outputs(outputs, combine)
    return combined.argmax(axis=1), combined


def combine_outputs(outputs, combine):
    """
    Combine the models' scores: 'probabilities', 'logits' or 'vote' (see ensemble_predict).

    Inputs:
    - outputs: list of K score arrays, each of shape (N, C)
    - combine: 'probabilities', 'logits' or 'vote'

    Returns:
    - combined: of shape (N, C)
    """
    if combine == 'probabilities':
        combined = np.mean([softmax(scores) for scores in outputs], axis=0)
    elif combine == 'logits':
        combined = np.mean(outputs, axis=0)
    else:
        N, C = outputs[0].shape
        combined = np.zeros((N, C))
        for scores in outputs:
            combined[np.arange(N), scores.argmax(axis=1)] += 1
    return combined
# --8<-- [end:ensemble_predict]


combine_outputs = checked(_check_combine_outputs)(combine_outputs)


def accuracy(models, X, y, combine='probabilities'):
    """Fraction of the examples of X whose ensemble prediction is their label y."""
    return float(np.mean(ensemble_predict(models, X, combine)[0] == y))


def vote_ties(models, X):
    """Number of examples of X on which the most-voted label is shared by two or more labels."""
    _, votes = ensemble_predict(models, X, 'vote')
    top = votes.max(axis=1, keepdims=True)
    return int(np.sum((votes == top).sum(axis=1) > 1))


def mean_nll(models, X, y):
    """Mean negative log-likelihood of the labels under the ensemble's averaged probabilities."""
    _, probs = ensemble_predict(models, X, 'probabilities')
    return float(-np.mean(np.log(probs[np.arange(len(y)), y])))


@checked(_check_ambiguity_decomposition)
# --8<-- [start:ambiguity]
def ambiguity_decomposition(probs, y):
    """
    Krogh & Vedelsby (1995): for the mean f = (1/K) sum_k f_k of K predictions and a target t,
        |f - t|^2 = (1/K) sum_k |f_k - t|^2 - (1/K) sum_k |f_k - f|^2,
    an identity (no approximation): the ensemble's error is the members' mean error minus their
    mean spread around the ensemble (the "ambiguity"). Here f_k are probability vectors and t is
    the one-hot label, so each |f - t|^2 is a Brier score; all three are averaged over examples.

    Inputs:
    - probs: list of K arrays of shape (N, C), each model's class probabilities
    - y: labels, of shape (N,)

    Returns a dict with:
    - ensemble: mean Brier score of the averaged probabilities
    - members: mean over the K models of their mean Brier scores
    - ambiguity: mean over the K models and the N examples of |f_k - f|^2
    """
    target = np.eye(probs[0].shape[1])[y]                         # (N, C) one-hot
    f = np.mean(probs, axis=0)
    brier = lambda p: float(np.mean(np.sum((p - target) ** 2, axis=1)))
    return {'ensemble': brier(f), 'members': float(np.mean([brier(p) for p in probs])),
            'ambiguity': float(np.mean([np.mean(np.sum((p - f) ** 2, axis=1)) for p in probs]))}
# --8<-- [end:ambiguity]


@checked(_check_average_weights)
# --8<-- [start:average_weights]
def average_weights(param_list):
    """
    The entrywise mean of several nets' parameters: ONE net whose W1 is the mean of the W1s,
    and so on. Meaningful only when the nets' hidden units correspond (one run, copies of one
    shared net trained on, or nets matched by align_hidden); for independently initialized nets
    as they stand it is the wrong thing to do.

    Inputs:
    - param_list: non-empty list of dicts W1, b1, W2, b2, all of the same shapes

    Returns:
    - params: dict W1, b1, W2, b2
    """
    return {key: np.mean([params[key] for params in param_list], axis=0)
            for key in param_list[0]}
# --8<-- [end:average_weights]


@checked(_check_permute_hidden)
# --8<-- [start:permute_hidden]
def permute_hidden(params, perm):
    """
    The same net with its hidden units renumbered: unit perm[j] becomes unit j. Columns of W1,
    entries of b1 and rows of W2 move together, so the net computes exactly the same function.

    Inputs:
    - params: dict W1 (D, H), b1 (H,), W2 (H, C), b2 (C,)
    - perm: a permutation of 0..H-1, of shape (H,)

    Returns:
    - params: dict of the same shapes
    """
    perm = np.asarray(perm)
    return {'W1': params['W1'][:, perm], 'b1': params['b1'][perm],
            'W2': params['W2'][perm, :], 'b2': params['b2']}
# --8<-- [end:permute_hidden]


def align_hidden(reference, params):
    """
    Renumber the hidden units of params to match reference's as well as possible: the
    permutation maximizing the summed correlation of the units' INCOMING weights (W1 columns,
    with b1), found by linear_sum_assignment (below). A simpler cousin of Ainsworth et al.'s (2023)
    weight matching, which compares all the weights a unit touches (incoming and outgoing, by
    their plain inner products) and, in a deeper net, alternates over the layers.

    Returns:
    - params: params with its hidden units permuted (the same function)
    """
    a = np.vstack([reference['W1'], reference['b1']])      # (D + 1, H), one column per unit
    b = np.vstack([params['W1'], params['b1']])
    a = (a - a.mean(axis=0)) / a.std(axis=0)
    b = (b - b.mean(axis=0)) / b.std(axis=0)
    _, perm = linear_sum_assignment(-(a.T @ b))             # unit j of reference <- perm[j]
    return permute_hidden(params, perm)


def linear_sum_assignment(cost):
    """
    The assignment of rows to columns with the smallest total cost, as
    scipy.optimize.linear_sum_assignment (which the tests compare it with): the Hungarian
    method with potentials (Kuhn 1955; the O(n^2 m) shortest-augmenting-path form), each step
    vectorized over the columns. Here so that the package needs numpy only.

    Inputs:
    - cost: finite array of shape (n, m)

    Returns a tuple of:
    - rows: array of shape (min(n, m),), sorted row indices
    - cols: array of the same shape, cols[k] the column assigned to rows[k]
    """
    cost = np.asarray(cost, dtype=np.float64)
    if cost.ndim != 2 or not np.all(np.isfinite(cost)):
        raise ValueError(f'cost must be a finite 2-D array, got shape {cost.shape}')
    transposed = cost.shape[0] > cost.shape[1]
    if transposed:
        cost = cost.T
    n, m = cost.shape
    u, v = np.zeros(n + 1), np.zeros(m + 1)            # potentials of rows and columns (1-based)
    owner = np.zeros(m + 1, dtype=np.int64)            # owner[j]: row (1-based) holding column j, 0 if free
    way = np.zeros(m + 1, dtype=np.int64)              # previous column on the shortest path
    for i in range(1, n + 1):                          # add row i, then augment along a shortest path
        owner[0], j0 = i, 0
        minv = np.full(m + 1, np.inf)
        used = np.zeros(m + 1, dtype=bool)
        while owner[j0] != 0:
            used[j0] = True
            i0 = owner[j0]
            reduced = cost[i0 - 1] - u[i0] - v[1:]
            better = ~used[1:] & (reduced < minv[1:])
            minv[1:][better] = reduced[better]
            way[1:][better] = j0
            j1 = int(np.argmin(np.where(used[1:], np.inf, minv[1:]))) + 1
            delta = minv[j1]
            u[owner[used]] += delta
            v[used] -= delta
            minv[~used] -= delta
            j0 = j1
        while j0:                                      # flip the path
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    cols = np.flatnonzero(owner[1:])
    rows = owner[1:][cols] - 1
    if transposed:
        rows, cols = cols, rows
    order = np.argsort(rows)
    return rows[order], cols[order]
