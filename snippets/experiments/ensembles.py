"""
Model ensembles on the digits (the page "ensembles").

Ten small two-layer nets (64 inputs -> 64 ReLU units -> 10 classes, snippets.layers) differ only
in the seed of their initialization and of their data order. Each is trained by SGD with momentum
on 1000 digits, with its own preprocessing (pixels / 16 minus the training mean); the other 797
digits are held out (nothing is tuned here, so there is no validation set). The page measures:

- the held-out accuracy of each net, and of the ensemble of the first K nets, K = 1..10, for the
  three ways of combining of ensemble_predict (probabilities, logits, vote), and the mean over
  random K-subsets (the expected accuracy of an ensemble of K, without the luck of one order);
- why the WEIGHTS of independent nets cannot be averaged: renumbering a net's hidden units keeps
  its function, but averaging it with its renumbered self does not; the weights of 2 and 10
  independent nets averaged, and the same after matching the hidden units;
- weight averages that work: along one run (EMA of the weights, the mean of the last epoch
  checkpoints) and across fine-tunes of one shared net (a "model soup");
- a member fed another member's preprocessing;
- a two-model counterexample: adding a model can lower the accuracy.

All seeds are fixed; report(outdir) writes ensemble.svg and returns the numbers the page shows.
"""
import itertools
from pathlib import Path

import numpy as np

from snippets.data import digits_split
from snippets.ensembles import (accuracy, align_hidden, average_weights, ensemble_predict,
                                make_model, mean_nll, permute_hidden, softmax, vote_ties)
from snippets.layers import two_layer_net_init, two_layer_net_loss
from snippets.optim import exponential_moving_average, sgd_train
from snippets.reporting import OKABE_ITO, pyplot, save_svg

# ---- Settings -------------------------------------------------------------------------------

SPLIT = {'seed': 0, 'n_val': 0, 'centre': False}   # raw pixels 0..16: each model preprocesses
TRAIN = {'learning_rate': 0.1, 'reg': 1e-3, 'epochs': 20, 'batch_size': 100, 'momentum': 0.9}
NET = {'hidden_dim': 64, 'weight_scale': 0.1}
K_MAX = 10
COMBINES = ('probabilities', 'logits', 'vote')


# ---- Preprocessing and training ---------------------------------------------------------------

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


def independent_nets(data, K=K_MAX):
    """K nets, init seeds 0..K-1 (also their data order), trained on centred pixels.
    Returns (list of params, the preprocessing function they share)."""
    pre = centre((data['X_train'] / 16.0).mean(axis=0))
    X = pre(data['X_train'])
    return [train_net(X, data['y_train'], seed)['params'] for seed in range(K)], pre


# ---- Experiments ----------------------------------------------------------------------------

def ensemble_curve(models, X, y, combine='probabilities'):
    """Accuracy of the ensemble of the first K models, K = 1..len(models)."""
    return [accuracy(models[:K], X, y, combine) for K in range(1, len(models) + 1)]


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


def accuracy_curves(params, pre, X, y):
    """
    Held-out accuracy against K for the nets `params` (all with preprocessing pre): a dict of
    lists, one entry per K = 1..len(params):
    - individual: net K alone
    - probabilities, logits, vote: the ensemble of the first K nets, combined that way
    - subsets: the mean over random K-subsets (probabilities)
    - weight_average: ONE net whose weights are the mean of the first K nets' weights
    """
    models = [make_model(p, pre) for p in params]
    curves = {'individual': [accuracy([m], X, y) for m in models]}
    curves.update({c: ensemble_curve(models, X, y, c) for c in COMBINES})
    curves['subsets'] = subset_mean_curve(models, X, y)
    curves['weight_average'] = [accuracy([make_model(average_weights(params[:K]), pre)], X, y)
                                for K in range(1, len(params) + 1)]
    return curves


def shared_errors(models, X, y):
    """How the nets' mistakes overlap: the number of examples that all of them get wrong,
    that at least one gets wrong, and the mean number per net."""
    wrong = np.array([ensemble_predict([m], X)[0] != y for m in models])     # (K, N)
    return {'errors_all': int(wrong.all(axis=0).sum()), 'errors_any': int(wrong.any(axis=0).sum()),
            'errors_mean': float(wrong.sum(axis=1).mean())}


def renumbered_nets(params, pre, X, y):
    """
    Net 0 against itself with its hidden units renumbered (a random permutation, seed 0): the
    largest difference of their scores on X, the accuracy of the average of their weights, and
    the accuracy of the average of nets 0 and 1 after matching net 1's hidden units to net 0's.
    """
    perm = np.random.default_rng(0).permutation(NET['hidden_dim'])
    permuted = permute_hidden(params[0], perm)
    Xp = pre(X)
    return {'perm_max_score_diff': float(np.max(np.abs(two_layer_net_loss(params[0], Xp)
                                                       - two_layer_net_loss(permuted, Xp)))),
            'perm_avg_acc': accuracy([make_model(average_weights([params[0], permuted]), pre)], X, y),
            'aligned_avg_2': accuracy([make_model(average_weights(
                [params[0], align_hidden(params[0], params[1])]), pre)], X, y)}


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
    their data order (seeds seed+1..seed+K). Returns a dict: tuned, the list of fine-tuned
    params, and soup, their mean."""
    X, y = pre(data['X_train']), data['y_train']
    base = train_net(X, y, seed, epochs=base_epochs)['params']
    tuned = [train_net(X, y, seed, params=base, epochs=fine_epochs, data_seed=seed + k)['params']
             for k in range(1, K + 1)]
    return {'tuned': tuned, 'soup': average_weights(tuned)}


def wrong_preprocessing(data, models, pre):
    """
    A net trained on standardized pixels (seed K_MAX) fed its own preprocessing or the other
    nets' (pre), alone and in an ensemble with the first two of `models`.
    """
    X_train, X, y = data['X_train'], data['X_test'], data['y_test']
    std_pre = standardize(X_train.mean(axis=0), X_train.std(axis=0) + 1.0)
    odd = train_net(std_pre(X_train), data['y_train'], seed=K_MAX)['params']
    return {'odd_own_acc': accuracy([make_model(odd, std_pre)], X, y),
            'odd_wrong_acc': accuracy([make_model(odd, pre)], X, y),
            'mixed_right': accuracy(models[:2] + [make_model(odd, std_pre)], X, y),
            'mixed_wrong': accuracy(models[:2] + [make_model(odd, pre)], X, y)}


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


# ---- Figure ---------------------------------------------------------------------------------

def ensemble_figure(curves):
    """Held-out accuracy against K (curves from accuracy_curves). Left: each net alone (grey
    dots at its index), the ensemble of the first K nets for three ways of combining, and the
    mean over random K-subsets. Right, on a scale from 0: the probability-averaging ensemble
    against the one net whose weights are the mean of the first K nets' weights."""
    plt = pyplot()
    K = np.arange(1, len(curves['individual']) + 1)
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(9.0, 3.6), gridspec_kw={'width_ratios': [1.25, 1]})
    ax.plot(K, curves['individual'], 'o', color='#888888', markersize=5, label='net$_K$')
    styles = {'probabilities': ('-', 'o', OKABE_ITO['blue']), 'logits': ('--', 's', OKABE_ITO['green']),
              'vote': (':', '^', OKABE_ITO['orange'])}
    for name in COMBINES:
        line, marker, colour = styles[name]
        ax.plot(K, curves[name], linestyle=line, marker=marker, color=colour, markersize=4,
                label=f"'{name}'")
    ax.plot(K, curves['subsets'], '-', color=OKABE_ITO['sky_blue'], linewidth=3, alpha=0.6,
            label='E[K-subset]')
    ax.set_ylabel('acc', fontsize=11)
    ax.legend(loc='lower center', bbox_to_anchor=(0.5, 1.0), fontsize=8, ncol=3, frameon=False)
    ax2.plot(K, curves['probabilities'], '-o', color=OKABE_ITO['blue'], markersize=4,
             label="ensemble_predict")
    ax2.plot(K, curves['weight_average'], '-D', color=OKABE_ITO['vermillion'], markersize=4,
             label='average_weights')
    ax2.set_ylim(0, 1.02)
    ax2.legend(loc='lower center', bbox_to_anchor=(0.5, 1.0), fontsize=8, ncol=2, frameon=False)
    for a in (ax, ax2):
        a.set_xlabel('$K$', fontsize=12)
        a.set_xticks(K)
        a.grid(alpha=0.3)
    fig.tight_layout()
    return fig


# ---- Report ---------------------------------------------------------------------------------

def report(outdir):
    """
    Run the page's experiments (fixed seeds), write ensemble.svg into outdir (created if
    missing) and return the page's numbers: a dict keyed by the page's placeholders.
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    data = digits_split(**SPLIT)
    X, y = data['X_test'], data['y_test']
    values = {'n_train': len(data['y_train']), 'n_test': len(y), 'K_max': K_MAX,
              'hidden_dim': NET['hidden_dim'], 'epochs': TRAIN['epochs']}

    # ten independent nets: each alone, ensembles of the first K, their weights averaged
    params, pre = independent_nets(data)
    models = [make_model(p, pre) for p in params]
    curves = accuracy_curves(params, pre, X, y)
    individual, prob, subsets = curves['individual'], curves['probabilities'], curves['subsets']
    values.update(
        single_mean=float(np.mean(individual)), single_min=min(individual),
        single_max=max(individual),
        ens_2=prob[1], ens_5=prob[4], ens_10=prob[-1],
        logits_10=curves['logits'][-1], vote_10=curves['vote'][-1], vote_2=curves['vote'][1],
        vote_ties_2=vote_ties(models[:2], X), vote_ties_10=vote_ties(models, X),
        subset_1=subsets[0], subset_2=subsets[1], subset_5=subsets[4], subset_10=subsets[-1],
        curve_drops=int(sum(b < a for a, b in zip(prob, prob[1:]))),
        nll_single_mean=float(np.mean([mean_nll([m], X, y) for m in models])),
        nll_ens_10=mean_nll(models, X, y),
        wavg_2=curves['weight_average'][1], wavg_10=curves['weight_average'][-1],
        test_errors_10=int(round((1 - prob[-1]) * len(y))),
        **shared_errors(models, X, y))
    columns = ('individual', 'probabilities', 'logits', 'vote', 'subsets', 'weight_average')
    values['curve_rows'] = '\n'.join(
        f'| {K} | ' + ' | '.join(f'{curves[c][K - 1]:.2%}' for c in columns) + ' |'
        for K in range(1, K_MAX + 1))
    save_svg(ensemble_figure(curves), outdir / 'ensemble.svg')

    # the same net with its hidden units renumbered, and averages with it and with net 1
    values.update(renumbered_nets(params, pre, X, y))

    # weight averages that work: along one run, and across fine-tunes of one net
    run = one_run_averages(data, pre)
    values.update({f'run_{name}': accuracy([make_model(p, pre)], X, y) for name, p in run.items()})
    fine_tunes = soup(data, pre)
    tuned_models = [make_model(p, pre) for p in fine_tunes['tuned']]
    values.update(
        soup_k=len(tuned_models),
        soup_single_mean=float(np.mean([accuracy([m], X, y) for m in tuned_models])),
        soup_acc=accuracy([make_model(fine_tunes['soup'], pre)], X, y),
        soup_ensemble=accuracy(tuned_models, X, y))

    # a member trained on other preprocessing, fed its own or the others'
    values.update(wrong_preprocessing(data, models, pre))

    single_right, pair_right = vote_counterexample()
    values.update(counter_single=single_right, counter_pair=pair_right)
    return values
