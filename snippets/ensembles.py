"""
Model ensembles at test time (CS231n, Neural Networks Part 3, "Model Ensembles").

An ensemble averages PREDICTIONS, never the parameters of independently trained nets:
every model runs on the same input with its own parameters and its own preprocessing, the
class probabilities are averaged, and the argmax is the prediction (ensemble_predict).

Experiments on the digits with K small two-layer nets (snippets.layers):
- the accuracy of each net and of the ensemble of the first K nets, K = 1..10, averaging
  probabilities, averaging logits, or a majority vote of the labels;
- averaging the WEIGHTS of independently initialized nets, which fails because their hidden
  units are permuted, next to weight averages that work: along one run (Polyak / EMA,
  checkpoints) and across fine-tunes of one shared net ("model soup");
- feeding a member the wrong preprocessing.

Bad input raises ValueError naming the argument. `python -m snippets.ensembles OUTDIR` runs
everything with fixed seeds, writes the figure into OUTDIR and prints the page's numbers.
"""
import itertools
import sys
from pathlib import Path

import numpy as np

from snippets.data import digits_split
from snippets.reporting import OKABE_ITO, pyplot, save_svg
from snippets.checks import check_array
from snippets.layers import two_layer_net_init, two_layer_net_loss
from snippets.optim import exponential_moving_average, sgd_train


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
    if not isinstance(models, (list, tuple)) or len(models) == 0:
        raise ValueError('models must be a non-empty list of functions X -> scores')
    if combine not in ('probabilities', 'logits', 'vote'):
        raise ValueError(f"combine must be 'probabilities', 'logits' or 'vote', got {combine!r}")
    outputs = [model(X) for model in models]          # each model: its own params, preprocessing
    for k, scores in enumerate(outputs):
        check_array(f'models[{k}](X)', scores, ndim=2)
        if scores.shape != outputs[0].shape:
            raise ValueError(f'models[{k}] returns scores of shape {scores.shape}, but models[0] '
                             f'returns {outputs[0].shape}: the models must share the classes')
    if combine == 'probabilities':
        combined = np.mean([softmax(scores) for scores in outputs], axis=0)
    elif combine == 'logits':
        combined = np.mean(outputs, axis=0)
    else:
        N, C = outputs[0].shape
        combined = np.zeros((N, C))
        for scores in outputs:
            combined[np.arange(N), scores.argmax(axis=1)] += 1
    return combined.argmax(axis=1), combined
# --8<-- [end:ensemble_predict]


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


# --8<-- [start:average_weights]
def average_weights(param_list):
    """
    The entrywise mean of several nets' parameters: ONE net whose W1 is the mean of the W1s,
    and so on. Meaningful only when the nets' hidden units correspond (one run, or fine-tunes
    of one shared net); for independently initialized nets it is the wrong thing to do.

    Inputs:
    - param_list: non-empty list of dicts W1, b1, W2, b2, all of the same shapes

    Returns:
    - params: dict W1, b1, W2, b2
    """
    if not isinstance(param_list, (list, tuple)) or len(param_list) == 0:
        raise ValueError('param_list must be a non-empty list of parameter dicts')
    for k, params in enumerate(param_list):
        if set(params) != set(param_list[0]) or any(
                params[key].shape != param_list[0][key].shape for key in params):
            raise ValueError(f'param_list[{k}] does not have the shapes of param_list[0]')
    return {key: np.mean([params[key] for params in param_list], axis=0)
            for key in param_list[0]}
# --8<-- [end:average_weights]


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
    H = params['b1'].shape[0]
    perm = np.asarray(perm)
    if perm.shape != (H,) or not np.array_equal(np.sort(perm), np.arange(H)):
        raise ValueError(f'perm must be a permutation of 0..{H - 1}')
    return {'W1': params['W1'][:, perm], 'b1': params['b1'][perm],
            'W2': params['W2'][perm, :], 'b2': params['b2']}
# --8<-- [end:permute_hidden]


def align_hidden(reference, params):
    """
    Renumber the hidden units of params to match reference's as well as possible: the
    permutation maximizing the summed correlation of the units' incoming weights (W1 columns,
    with b1), found by linear_sum_assignment (as in Ainsworth et al., 2023, "weight matching").

    Returns:
    - params: params with its hidden units permuted (the same function)
    """
    from scipy.optimize import linear_sum_assignment
    a = np.vstack([reference['W1'], reference['b1']])      # (D + 1, H), one column per unit
    b = np.vstack([params['W1'], params['b1']])
    a = (a - a.mean(axis=0)) / a.std(axis=0)
    b = (b - b.mean(axis=0)) / b.std(axis=0)
    _, perm = linear_sum_assignment(-(a.T @ b))             # unit j of reference <- perm[j]
    return permute_hidden(params, perm)


def vote_counterexample():
    """
    Two models on one example whose label is 0: A gives probabilities (0.6, 0.4), B gives
    (0.1, 0.9). A alone is right; the average (0.35, 0.65) is wrong: adding a model can lower
    accuracy, so "more models, monotonically better" is not a theorem.

    Returns a tuple of:
    - accuracy of A alone, accuracy of the average of A and B (each 0.0 or 1.0)
    """
    scores_a, scores_b = np.log([[0.6, 0.4]]), np.log([[0.1, 0.9]])
    y = np.array([0])
    A, B = (lambda X: scores_a), (lambda X: scores_b)
    return accuracy([A], None, y), accuracy([A, B], None, y)


# Experiments ---------------------------------------------------------------------------------

TRAIN = {'learning_rate': 0.1, 'reg': 1e-3, 'epochs': 20, 'batch_size': 100, 'momentum': 0.9}
NET = {'hidden_dim': 64, 'weight_scale': 0.1}
K_MAX = 10


def centre(mean):
    """Preprocessing: pixels / 16, minus the training mean (64,) of the scaled pixels."""
    return lambda X_raw: X_raw / 16.0 - mean


def standardize(mean, std):
    """Preprocessing: (pixels - mean) / std, per pixel, with the training set's mean and std."""
    return lambda X_raw: (X_raw - mean) / std


def train_net(X, y, seed, params=None, epochs=None, keep_steps=False, data_seed=None):
    """Train a two-layer net with TRAIN's settings, from two_layer_net_init(seed) or from
    params; data order from data_seed (default seed). Returns sgd_train's dict."""
    if params is None:
        params = two_layer_net_init(X.shape[1], NET['hidden_dim'], 10, NET['weight_scale'], seed)
    return sgd_train(params, X, y, TRAIN['learning_rate'], TRAIN['reg'],
                     epochs=epochs or TRAIN['epochs'], batch_size=TRAIN['batch_size'],
                     momentum=TRAIN['momentum'], seed=seed if data_seed is None else data_seed,
                     keep_steps=keep_steps)


def raw_split(seed=0):
    """
    digits_split with raw pixels 0..16 (each model preprocesses for itself). Nothing is tuned
    here, so its validation and test sets are joined into one held-out set.

    Returns a dict with X_train (1000, 64), y_train, X_test (797, 64), y_test
    """
    data = digits_split(seed=seed, centre=False)
    return {'X_train': data['X_train'], 'y_train': data['y_train'],
            'X_test': np.vstack([data['X_val'], data['X_test']]),
            'y_test': np.concatenate([data['y_val'], data['y_test']])}


def independent_nets(data, K=K_MAX):
    """K nets, init seeds 0..K-1 (also their data order), trained on centred pixels.
    Returns (list of params, the preprocessing function they share)."""
    pre = centre((data['X_train'] / 16.0).mean(axis=0))
    X = pre(data['X_train'])
    return [train_net(X, data['y_train'], seed)['params'] for seed in range(K)], pre


def ensemble_curve(models, X, y, combine='probabilities'):
    """Accuracy of the ensemble of the first K models, K = 1..len(models)."""
    return [accuracy(models[:K], X, y, combine) for K in range(1, len(models) + 1)]


def shared_errors(models, X, y):
    """How the nets' mistakes overlap: the number of examples that all of them get wrong,
    that at least one gets wrong, and the mean number per net."""
    wrong = np.array([ensemble_predict([m], X)[0] != y for m in models])     # (K, N)
    return {'errors_all': int(wrong.all(axis=0).sum()), 'errors_any': int(wrong.any(axis=0).sum()),
            'errors_mean': float(wrong.sum(axis=1).mean())}


def subset_mean_curve(models, X, y, samples=30, seed=0):
    """For each K, the mean accuracy over `samples` random K-subsets of the models (all
    subsets when there are fewer): the expected accuracy of an ensemble of K."""
    rng = np.random.default_rng(seed)
    n, curve = len(models), []
    probs = [softmax(model(X)) for model in models]
    for K in range(1, n + 1):
        subsets = list(itertools.combinations(range(n), K))
        if len(subsets) > samples:
            subsets = [subsets[i] for i in rng.choice(len(subsets), samples, replace=False)]
        curve.append(float(np.mean([np.mean(np.mean([probs[i] for i in s], axis=0).argmax(axis=1)
                                            == y) for s in subsets])))
    return curve


def one_run_averages(data, pre, seed=0, ema_decay=0.95, last=5):
    """One run: the final weights, the EMA of the weights, and the mean of the last `last`
    epoch checkpoints. Returns a dict name -> params."""
    X = pre(data['X_train'])
    initial = two_layer_net_init(X.shape[1], NET['hidden_dim'], 10, NET['weight_scale'], seed)
    run = train_net(X, data['y_train'], seed, params=initial, keep_steps=True)
    return {'final': run['params'], 'ema': exponential_moving_average(initial, run['steps'], ema_decay),
            'checkpoints': average_weights(run['checkpoints'][-last:])}


def soup(data, pre, K=5, seed=100, base_epochs=10, fine_epochs=10):
    """A shared net (init seed, base_epochs), then K fine-tunes of it that differ only in
    their data order (seeds seed+1..seed+K). Returns (list of fine-tuned params, their mean)."""
    X, y = pre(data['X_train']), data['y_train']
    base = train_net(X, y, seed, epochs=base_epochs)['params']
    tuned = [train_net(X, y, seed, params=base, epochs=fine_epochs, data_seed=seed + k)['params']
             for k in range(1, K + 1)]
    return tuned, average_weights(tuned)


# Figure --------------------------------------------------------------------------------------

def ensemble_figure(individual, curves, subset_curve, weight_avg):
    """Held-out accuracy against K. Left: each net alone (grey dots at its index), the ensemble
    of the first K nets for three ways of combining, and the mean over random K-subsets.
    Right, on a scale from 0: the probability-averaging ensemble against the one net whose
    weights are the mean of the first K nets' weights."""
    plt = pyplot()
    K = np.arange(1, len(individual) + 1)
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(9.0, 3.6), gridspec_kw={'width_ratios': [1.25, 1]})
    ax.plot(K, individual, 'o', color='#888888', markersize=5, label='net$_K$')
    styles = {'probabilities': ('-', 'o', OKABE_ITO['blue']), 'logits': ('--', 's', OKABE_ITO['green']),
              'vote': (':', '^', OKABE_ITO['orange'])}
    for name, curve in curves.items():
        line, marker, colour = styles[name]
        ax.plot(K, curve, linestyle=line, marker=marker, color=colour, markersize=4,
                label=f"'{name}'")
    ax.plot(K, subset_curve, '-', color=OKABE_ITO['sky_blue'], linewidth=3, alpha=0.6,
            label='E[K-subset]')
    ax.set_ylabel('acc', fontsize=11)
    ax.legend(loc='lower center', bbox_to_anchor=(0.5, 1.0), fontsize=8, ncol=3, frameon=False)
    ax2.plot(K, curves['probabilities'], '-o', color=OKABE_ITO['blue'], markersize=4,
             label="ensemble_predict")
    ax2.plot(K, weight_avg, '-D', color=OKABE_ITO['vermillion'], markersize=4,
             label='average_weights')
    ax2.set_ylim(0, 1.02)
    ax2.legend(loc='lower center', bbox_to_anchor=(0.5, 1.0), fontsize=8, ncol=2, frameon=False)
    for a in (ax, ax2):
        a.set_xlabel('$K$', fontsize=12)
        a.set_xticks(K)
        a.grid(alpha=0.3)
    fig.tight_layout()
    return fig


# Report --------------------------------------------------------------------------------------

def report(outdir):
    """
    Run the page's experiments (fixed seeds), write ensemble.svg into outdir (created if
    missing), and return the page's numbers.

    Inputs:
    - outdir: pathlib.Path

    Returns:
    - values: dict of JSON-serialisable numbers and strings, keyed by the page's placeholders
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    data = raw_split()
    X_test, y_test = data['X_test'], data['y_test']
    values = {'n_train': len(data['y_train']), 'n_test': len(y_test), 'K_max': K_MAX,
              'hidden_dim': NET['hidden_dim'], 'epochs': TRAIN['epochs']}

    params, pre = independent_nets(data)
    models = [make_model(p, pre) for p in params]
    individual = [accuracy([m], X_test, y_test) for m in models]
    curves = {c: ensemble_curve(models, X_test, y_test, c) for c in ('probabilities', 'logits', 'vote')}
    subset_curve = subset_mean_curve(models, X_test, y_test)
    weight_avg = [accuracy([make_model(average_weights(params[:K]), pre)], X_test, y_test)
                  for K in range(1, K_MAX + 1)]
    prob = curves['probabilities']
    values.update(
        single_mean=float(np.mean(individual)), single_min=min(individual),
        single_max=max(individual),
        ens_2=prob[1], ens_5=prob[4], ens_10=prob[-1],
        logits_10=curves['logits'][-1], vote_10=curves['vote'][-1],
        vote_2=curves['vote'][1],
        vote_ties_2=vote_ties(models[:2], X_test), vote_ties_10=vote_ties(models, X_test),
        subset_1=subset_curve[0], subset_2=subset_curve[1], subset_5=subset_curve[4],
        subset_10=subset_curve[-1],
        curve_drops=int(sum(b < a for a, b in zip(prob, prob[1:]))),
        nll_single_mean=float(np.mean([mean_nll([m], X_test, y_test) for m in models])),
        nll_ens_10=mean_nll(models, X_test, y_test),
        wavg_2=weight_avg[1], wavg_10=weight_avg[-1],
        test_errors_10=int(round((1 - prob[-1]) * len(y_test))),
        **shared_errors(models, X_test, y_test))

    values['curve_rows'] = '\n'.join(
        f'| {K} | {individual[K - 1]:.2%} | {prob[K - 1]:.2%} | {curves["logits"][K - 1]:.2%} | '
        f'{curves["vote"][K - 1]:.2%} | {subset_curve[K - 1]:.2%} | {weight_avg[K - 1]:.2%} |'
        for K in range(1, K_MAX + 1))

    # the same net with permuted hidden units, and the average of the two
    perm = np.random.default_rng(0).permutation(NET['hidden_dim'])
    permuted = permute_hidden(params[0], perm)
    Xp = pre(X_test)
    values.update(
        perm_max_score_diff=float(np.max(np.abs(two_layer_net_loss(params[0], Xp)
                                                - two_layer_net_loss(permuted, Xp)))),
        perm_avg_acc=accuracy([make_model(average_weights([params[0], permuted]), pre)],
                              X_test, y_test),
        aligned_avg_2=accuracy([make_model(average_weights(
            [params[0], align_hidden(params[0], params[1])]), pre)], X_test, y_test))

    # weight averages that work
    run = one_run_averages(data, pre)
    values.update({f'run_{name}': accuracy([make_model(p, pre)], X_test, y_test)
                   for name, p in run.items()})
    tuned, soup_params = soup(data, pre)
    tuned_models = [make_model(p, pre) for p in tuned]
    values.update(
        soup_k=len(tuned),
        soup_single_mean=float(np.mean([accuracy([m], X_test, y_test) for m in tuned_models])),
        soup_acc=accuracy([make_model(soup_params, pre)], X_test, y_test),
        soup_ensemble=accuracy(tuned_models, X_test, y_test))

    # a member trained on other preprocessing, fed its own or the others'
    X_train = data['X_train']
    std_pre = standardize(X_train.mean(axis=0), X_train.std(axis=0) + 1.0)
    odd = train_net(std_pre(X_train), data['y_train'], seed=K_MAX)['params']
    values.update(
        odd_own_acc=accuracy([make_model(odd, std_pre)], X_test, y_test),
        odd_wrong_acc=accuracy([make_model(odd, pre)], X_test, y_test),
        mixed_right=accuracy(models[:2] + [make_model(odd, std_pre)], X_test, y_test),
        mixed_wrong=accuracy(models[:2] + [make_model(odd, pre)], X_test, y_test))

    single_right, pair_right = vote_counterexample()
    values.update(counter_single=single_right, counter_pair=pair_right)

    save_svg(ensemble_figure(individual, curves, subset_curve, weight_avg), outdir / 'ensemble.svg')
    return values


if __name__ == '__main__':
    outdir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path('build/ensembles')
    for key, value in report(outdir).items():
        print(f'{key}: {value}')
    print('figure:', outdir / 'ensemble.svg')
