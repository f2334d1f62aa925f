"""
Model ensembles on the digits (the page "ensembles").

Ten small two-layer nets (64 inputs -> 64 ReLU units -> 10 classes, snippets.layers) differ only
in the seed of their initialization and of their data order. Each is trained by SGD with momentum
on 1000 digits, with its own preprocessing (pixels / 16 minus the training mean); the other 797
digits are the test set (nothing is tuned here, so there is no validation set). The page measures:

- the test accuracy of each net, and of the ensemble of the first K nets, K = 1..10, for the
  three ways of combining of ensemble_predict (probabilities, logits, vote), and the exact mean
  over all K-subsets (the expected accuracy of an ensemble of K, without the luck of one order);
- the log loss as nets are added: Jensen bounds the ensemble by its members' mean, but the
  first-K curve and single pairs can rise and the ensemble need not beat its best member; the
  expectation over K-subsets does not increase (a theorem); the Brier score's ambiguity
  decomposition (Krogh & Vedelsby, 1995) and its exact 1/K law over K-subsets;
- a more diverse ensemble (DIVERSE: one width and L2 strength per net, fixed in advance): more
  disagreement and more gain over its members, with weaker members;
- why the WEIGHTS of independent nets cannot be averaged directly: renumbering a net's hidden
  units keeps its function, but averaging it with its renumbered self does not; the weights of 2
  and 10 independent nets averaged, and of 2 after matching the hidden units; weight distances;
- weight averages that work: along one run (the exponential moving average of the weights, the
  uniform Polyak average of the last steps, the uniform mean of the last epoch checkpoints as in
  SWA) and across copies spawned from one shared net (Frankle et al., 2020);
- a member fed another member's preprocessing;
- a two-model counterexample: adding a model can lower the accuracy.

All seeds are fixed; report(outdir) writes ensemble.svg and log_loss.svg and returns the numbers
the page shows.
"""
import itertools
from pathlib import Path

import numpy as np

from snippets.data import digits_split
from snippets.ensembles import (accuracy, align_hidden, ambiguity_decomposition, average_weights,
                                ensemble_predict, make_model, mean_nll, permute_hidden, softmax,
                                vote_ties)
from snippets.layers import two_layer_net_init, two_layer_net_loss
from snippets.optim import exponential_moving_average, sgd_train
from snippets.reporting import OKABE_ITO, pyplot, save_svg

# ---- Settings -------------------------------------------------------------------------------

SPLIT = {'seed': 0, 'n_val': 0, 'centre': False}   # raw pixels 0..16: each model preprocesses
TRAIN = {'learning_rate': 0.1, 'reg': 1e-3, 'epochs': 20, 'batch_size': 100, 'momentum': 0.9}
NET = {'hidden_dim': 64, 'weight_scale': 0.1}
K_MAX = 10
COMBINES = ('probabilities', 'logits', 'vote')
# the diverse ensemble: 10 nets with the init seeds 0..9 of the seed ensemble, but each with its
# own width and L2 strength (every pair of these), chosen before any of them was trained
DIVERSE = {'hidden_dims': (16, 32, 64, 128, 256), 'regs': (1e-4, 1e-2)}
AVERAGING = {'ema_decay': 0.95, 'last_epochs': 5}
# copies spawned from one shared net: trained base_epochs, then K copies trained fine_epochs more
SPAWN = {'K': 5, 'seed': 100, 'base_epochs': 10, 'fine_epochs': 10}


# ---- Preprocessing and training ---------------------------------------------------------------

def centre(mean):
    """Preprocessing: pixels / 16, minus the training mean (64,) of the scaled pixels."""
    return lambda X_raw: X_raw / 16.0 - mean


def standardize(mean, std):
    """Preprocessing: (pixels - mean) / std, per pixel, with the training set's mean and std."""
    return lambda X_raw: (X_raw - mean) / std


def train_net(X, y, seed, params=None, epochs=None, keep_steps=False, data_seed=None,
              hidden_dim=None, reg=None):
    """Train a two-layer net with TRAIN's settings (or this hidden_dim and reg), from
    two_layer_net_init(seed) or from params; data order from data_seed (default seed).
    Returns sgd_train's dict."""
    if params is None:
        params = two_layer_net_init(X.shape[1], hidden_dim or NET['hidden_dim'], 10,
                                    NET['weight_scale'], seed)
    return sgd_train(params, X, y, TRAIN['learning_rate'], TRAIN['reg'] if reg is None else reg,
                     epochs=epochs or TRAIN['epochs'], batch_size=TRAIN['batch_size'],
                     momentum=TRAIN['momentum'], seed=seed if data_seed is None else data_seed,
                     keep_steps=keep_steps)


def independent_nets(data, K=K_MAX):
    """K nets, init seeds 0..K-1 (also their data order), trained on centred pixels.
    Returns (list of params, the preprocessing function they share)."""
    pre = centre((data['X_train'] / 16.0).mean(axis=0))
    X = pre(data['X_train'])
    return [train_net(X, data['y_train'], seed)['params'] for seed in range(K)], pre


def diverse_nets(data, pre):
    """The diverse ensemble: one net per (width, L2 strength) of DIVERSE, init seeds 0..9 in
    that order, all on the centred pixels of pre. Returns a list of (width, reg, params)."""
    X = pre(data['X_train'])
    settings = list(itertools.product(DIVERSE['hidden_dims'], DIVERSE['regs']))
    return [(H, reg, train_net(X, data['y_train'], seed, hidden_dim=H, reg=reg)['params'])
            for seed, (H, reg) in enumerate(settings)]


# ---- Experiments ----------------------------------------------------------------------------

def ensemble_curve(models, X, y, combine='probabilities'):
    """Accuracy of the ensemble of the first K models, K = 1..len(models)."""
    return [accuracy(models[:K], X, y, combine) for K in range(1, len(models) + 1)]


def nll(probs, y):
    """Mean negative log-likelihood of the labels y under probabilities probs (N, C)."""
    return float(-np.mean(np.log(probs[np.arange(len(y)), y])))


def brier(probs, y):
    """Mean Brier score: the squared distance of probs (N, C) from the one-hot labels y."""
    return float(np.mean(np.sum((probs - np.eye(probs.shape[1])[y]) ** 2, axis=1)))


def subset_curves(probs, y):
    """
    The expected accuracy, log loss and Brier score of an ensemble of K models drawn at random
    from the list, computed exactly: the mean over ALL K-subsets (1023 of them for 10 models),
    for K = 1..len(probs). probs: each model's probabilities (N, C).
    Returns a dict of lists: acc, nll, brier.
    """
    n, curves = len(probs), {'acc': [], 'nll': [], 'brier': []}
    for K in range(1, n + 1):
        means = [np.mean([probs[i] for i in s], axis=0) for s in itertools.combinations(range(n), K)]
        curves['acc'].append(float(np.mean([np.mean(p.argmax(axis=1) == y) for p in means])))
        curves['nll'].append(float(np.mean([nll(p, y) for p in means])))
        curves['brier'].append(float(np.mean([brier(p, y) for p in means])))
    return curves


def log_loss_curves(probs, y):
    """
    What the log loss of an ensemble does as models are added (probs: each model's
    probabilities on X, labels y):
    - nll_single: each model's log loss
    - nll_first_k: the log loss of the ensemble of the first K models, K = 1..n
    - nll_member_mean_first_k: the mean log loss of those K members (Jensen's bound)
    - nll_subsets, brier_subsets: the exact means over all K-subsets (subset_curves)
    - pair_nll_rises: over ordered pairs (i, j), i != j, how often adding model j to model i
      raises the log loss above model i's own; pairs: their number
    """
    n = len(probs)
    single = [nll(p, y) for p in probs]
    rises = sum(nll((probs[i] + probs[j]) / 2, y) > single[i]
                for i in range(n) for j in range(n) if i != j)
    subsets = subset_curves(probs, y)
    return {'nll_single': single,
            'nll_first_k': [nll(np.mean(probs[:K], axis=0), y) for K in range(1, n + 1)],
            'nll_member_mean_first_k': [float(np.mean(single[:K])) for K in range(1, n + 1)],
            'nll_subsets': subsets['nll'], 'brier_subsets': subsets['brier'],
            'pair_nll_rises': int(rises), 'pairs': n * (n - 1)}


def accuracy_curves(params, pre, X, y):
    """
    Held-out accuracy against K for the nets `params` (all with preprocessing pre): a dict of
    lists, one entry per K = 1..len(params):
    - individual: net K alone
    - probabilities, logits, vote: the ensemble of the first K nets, combined that way
    - subsets: the exact mean over all K-subsets (probabilities)
    - weight_average: ONE net whose weights are the mean of the first K nets' weights
    """
    models = [make_model(p, pre) for p in params]
    curves = {'individual': [accuracy([m], X, y) for m in models]}
    curves.update({c: ensemble_curve(models, X, y, c) for c in COMBINES})
    curves['subsets'] = subset_curves([softmax(m(X)) for m in models], y)['acc']
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


def one_run_averages(data, pre, seed=0, ema_decay=AVERAGING['ema_decay'],
                     last=AVERAGING['last_epochs']):
    """
    One run, three averages of its weights. Returns a dict name -> params:
    - final: the weights after the last step
    - ema: the EXPONENTIAL moving average of the weights after every step (decay ema_decay;
      what CS231n's notes describe, "an exponentially decaying sum of previous weights")
    - checkpoints: the UNIFORM mean of the last `last` epoch-end checkpoints (what SWA averages)
    - polyak: the UNIFORM mean of the weights after every step of the last `last` epochs
      (Polyak-Ruppert averaging over a window)
    """
    X = pre(data['X_train'])
    initial = two_layer_net_init(X.shape[1], NET['hidden_dim'], 10, NET['weight_scale'], seed)
    run = train_net(X, data['y_train'], seed, params=initial, keep_steps=True)
    steps_per_epoch = len(run['steps']) // len(run['checkpoints'])
    return {'final': run['params'], 'ema': exponential_moving_average(initial, run['steps'], ema_decay),
            'checkpoints': average_weights(run['checkpoints'][-last:]),
            'polyak': average_weights(run['steps'][-last * steps_per_epoch:])}


def weight_distance(a, b):
    """Relative distance of two nets' weights: |a - b| / mean(|a|, |b|), all parameters as
    one vector (Euclidean norm)."""
    norm = lambda p: np.sqrt(sum(np.sum(v ** 2) for v in p.values()))
    return float(norm({k: a[k] - b[k] for k in a}) / ((norm(a) + norm(b)) / 2))


def loss_barrier(a, b, pre, X, y, steps=10):
    """
    The largest rise of the log loss on the straight line between two nets' weights, above the
    straight line between their own losses: max over t in (0, 1) of
        NLL((1 - t) a + t b) - ((1 - t) NLL(a) + t NLL(b)),
    t on a grid of `steps` intervals (Frankle et al., 2020, measure "instability" this way).
    """
    loss = lambda p: mean_nll([make_model(p, pre)], X, y)
    ends = loss(a), loss(b)
    rises = []
    for t in np.linspace(0, 1, steps + 1)[1:-1]:
        mixed = {k: (1 - t) * a[k] + t * b[k] for k in a}
        rises.append(loss(mixed) - ((1 - t) * ends[0] + t * ends[1]))
    return float(max(rises))


def spawned_copies(data, pre, K=SPAWN['K'], seed=SPAWN['seed'], base_epochs=SPAWN['base_epochs'],
         fine_epochs=SPAWN['fine_epochs']):
    """A shared net (init seed, base_epochs), then K copies of it trained on, with the same
    settings, that differ only in their data order (seeds seed+1..seed+K): Frankle et al.'s
    (2020) "spawning", not Wortsman et al.'s (2022) soups over fine-tuning hyperparameters.
    Returns a dict: tuned, the list of the copies' params, and soup, their mean."""
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


def log_loss_figure(loss, loss_diverse):
    """Test log loss against K (dicts from log_loss_curves). Left, the seed ensemble: each net
    alone (grey dots at its index), the best net (grey dotted line), the ensemble of the first K
    nets, the mean log loss of those K members (Jensen's bound), and the exact mean over all
    K-subsets. Right: the same for the diverse ensemble (its own vertical scale)."""
    plt = pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(9.0, 3.6))
    for ax, curves in zip(axes, (loss, loss_diverse)):
        K = np.arange(1, len(curves['nll_single']) + 1)
        ax.plot(K, curves['nll_single'], 'o', color='#888888', markersize=5, label='NLL(net$_K$)')
        ax.axhline(min(curves['nll_single']), color='#888888', linestyle=':', linewidth=1.2,
                   label='min$_k$ NLL(net$_k$)')
        ax.plot(K, curves['nll_member_mean_first_k'], '--s', color=OKABE_ITO['vermillion'],
                markersize=4, label='mean$_{k \\leq K}$ NLL(net$_k$)')
        ax.plot(K, curves['nll_first_k'], '-o', color=OKABE_ITO['blue'], markersize=4,
                label='NLL(first $K$)')
        ax.plot(K, curves['nll_subsets'], '-', color=OKABE_ITO['sky_blue'], linewidth=3,
                alpha=0.6, label='E[NLL($K$-subset)]')
        ax.set_xlabel('$K$', fontsize=12)
        ax.set_xticks(K)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel('NLL', fontsize=11)
    axes[0].set_title('seeds', fontsize=10)
    axes[1].set_title('$H$, reg', fontsize=10)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc='upper center', ncol=3, fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 0.84))
    return fig


# ---- Report ---------------------------------------------------------------------------------

def report(outdir):
    """
    Run the page's experiments (fixed seeds), write ensemble.svg and log_loss.svg into outdir (created if
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
        acc_individual=individual, acc_first_k=prob, acc_subsets=subsets,
        acc_logits=curves['logits'], acc_vote=curves['vote'],
        acc_weight_average=curves['weight_average'], acc_subsets_max=max(subsets),
        acc_subsets_best_K=int(np.argmax(subsets)) + 1,
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

    # the log loss as models are added: Jensen bounds it by the members' mean, nothing more
    probs = [softmax(m(X)) for m in models]
    loss = log_loss_curves(probs, y)
    values.update(loss, nll_best_single=min(loss['nll_single']), nll_first_4=loss['nll_first_k'][3],
                  nll_first_8=loss['nll_first_k'][7],
                  pair_nll_rise_frac=loss['pair_nll_rises'] / loss['pairs'],
                  **{f'brier_{k}': v for k, v in ambiguity_decomposition(probs, y).items()})

    # the diverse ensemble: the same seeds, each net its own width and L2 strength
    diverse = diverse_nets(data, pre)
    d_models = [make_model(p, pre) for _, _, p in diverse]
    d_probs = [softmax(m(X)) for m in d_models]
    d_single = [accuracy([m], X, y) for m in d_models]
    d_loss = log_loss_curves(d_probs, y)
    d_curve = ensemble_curve(d_models, X, y)
    values.update(
        diverse_single=d_single, diverse_single_mean=float(np.mean(d_single)),
        diverse_single_min=min(d_single), diverse_single_max=max(d_single),
        diverse_ens=d_curve[-1], diverse_curve=d_curve,
        diverse_nll_single_mean=float(np.mean(d_loss['nll_single'])),
        diverse_nll_best_single=min(d_loss['nll_single']), diverse_nll_ens=d_loss['nll_first_k'][-1],
        diverse_nll_first_k=d_loss['nll_first_k'], diverse_nll_subsets=d_loss['nll_subsets'],
        diverse_pair_nll_rises=d_loss['pair_nll_rises'],
        diverse_nll_member_mean_first_k=d_loss['nll_member_mean_first_k'],
        diverse_nll_single=d_loss['nll_single'], diverse_regs=[reg for _, reg, _ in diverse],
        **{f'diverse_brier_{k}': v for k, v in ambiguity_decomposition(d_probs, y).items()},
        **{f'diverse_{k}': v for k, v in shared_errors(d_models, X, y).items()})
    values['diverse_rows'] = '\n'.join(
        f'| {H} | {reg:g} | {acc:.2%} | {d_loss["nll_single"][k]:.3f} |'
        for k, ((H, reg, _), acc) in enumerate(zip(diverse, d_single)))
    save_svg(log_loss_figure(loss, d_loss), outdir / 'log_loss.svg')

    # the same net with its hidden units renumbered, and averages with it and with net 1
    values.update(renumbered_nets(params, pre, X, y))

    # weight averages that work: along one run, and across copies spawned from one net
    run = one_run_averages(data, pre)
    values.update({f'run_{name}': accuracy([make_model(p, pre)], X, y) for name, p in run.items()})
    values.update(ema_decay=AVERAGING['ema_decay'], last_epochs=AVERAGING['last_epochs'])
    fine_tunes = spawned_copies(data, pre)        # keys soup_*: the placeholders the page has used
    tuned_models = [make_model(p, pre) for p in fine_tunes['tuned']]
    values.update(
        dist_independent=weight_distance(params[0], params[1]),
        dist_aligned=weight_distance(params[0], align_hidden(params[0], params[1])),
        dist_spawned=weight_distance(fine_tunes['tuned'][0], fine_tunes['tuned'][1]),
        barrier_independent=loss_barrier(params[0], params[1], pre, X, y),
        barrier_aligned=loss_barrier(params[0], align_hidden(params[0], params[1]), pre, X, y),
        barrier_spawned=loss_barrier(fine_tunes['tuned'][0], fine_tunes['tuned'][1], pre, X, y),
        soup_k=len(tuned_models), soup_base_epochs=SPAWN['base_epochs'],
        soup_fine_epochs=SPAWN['fine_epochs'],
        soup_single_mean=float(np.mean([accuracy([m], X, y) for m in tuned_models])),
        soup_acc=accuracy([make_model(fine_tunes['soup'], pre)], X, y),
        soup_ensemble=accuracy(tuned_models, X, y))

    # a member trained on other preprocessing, fed its own or the others'
    values.update(wrong_preprocessing(data, models, pre))
    values['mixed_diff_images'] = int(round((values['mixed_right'] - values['mixed_wrong']) * len(y)))

    single_right, pair_right = vote_counterexample()
    values.update(counter_single=single_right, counter_pair=pair_right)
    return values
