"""
Grid search and random search for hyperparameters (Bergstra & Bengio, 2012), at the same budget.

A search calls train_and_score(config) -> validation score (higher is better) for each config, a
dict name -> value, and keeps the best:
- tune_like_assignment1(train_and_score, learning_rates, regularization_strengths): the two
  nested loops of cs231n assignment 1 (svm.ipynb, softmax.ipynb), where students first write a
  grid search; returns (results, best_val, best_config) as the notebooks keep them.
The general searches return (best, trials) with best = (score, config):
- grid_search(train_and_score, grid): a list of values per hyperparameter, every combination
  (itertools.product);
- random_search(train_and_score, distributions, budget): `budget` independent draws, each
  hyperparameter from its own sampler; log_uniform(low, high) draws 10 ** uniform(low, high),
  for scale parameters such as the learning rate;
- refine_ranges(best_config, ranges): coarse to fine, new exponent ranges around the best.

And what the page searches:
- synthetic_score(points, optimum): Bergstra & Bengio's Fig. 1, f(x, y) = g(x) + h(y) on the
  unit square, where only x matters much;
- digits_train_and_score(data) / digits_searches(data): a two-layer net on the digits, learning
  rate x regularization, scored by validation accuracy.

The experiments of the page are in snippets/experiments/hyperparameter_search.py
(`python -m snippets hyperparameter_search`).
"""
import itertools
import math

import numpy as np

from snippets.checks import check_int, checked
from snippets.layers import two_layer_net_accuracy, two_layer_net_init
from snippets.optim import sgd_train

# The digits run: the searched ranges (exponents of 10) and the net every trial trains
COARSE_RANGES = {'learning_rate': (-4, 0), 'reg': (-6, 0)}
NET = {'hidden_dim': 64, 'weight_scale': 0.1, 'epochs': 10, 'batch_size': 100}


# ---- Input checks: bad input raises ValueError naming the argument. The pages show the
# ---- functions below without them (snippets/checks.py, `checked`).

def _check_tune_like_assignment1(train_and_score, learning_rates, regularization_strengths):
    for name, values in (('learning_rates', learning_rates),
                         ('regularization_strengths', regularization_strengths)):
        if len(values) == 0:
            raise ValueError(f'{name} must be a non-empty list of values')


def _check_grid_search(train_and_score, grid):
    if not isinstance(grid, dict) or not grid:
        raise ValueError(f'grid must be a non-empty dict name -> list of values, got {grid!r}')
    for name, values in grid.items():
        if len(values) == 0:
            raise ValueError(f'grid[{name!r}] is an empty list of values')


def _check_log_uniform(low_exponent, high_exponent):
    if not low_exponent < high_exponent:
        raise ValueError(f'low_exponent must be < high_exponent, got {low_exponent!r}, '
                         f'{high_exponent!r}')


def _check_random_search(train_and_score, distributions, budget, seed=0):
    if not isinstance(distributions, dict) or not distributions:
        raise ValueError('distributions must be a non-empty dict name -> sampler')
    check_int('budget', budget)


def _check_synthetic_score(points, optimum, important='x'):
    if important not in ('x', 'both'):
        raise ValueError(f"important must be 'x' or 'both', got {important!r}")


def _check_refine_ranges(best_config, ranges, shrink=4.0):
    if not shrink > 1:
        raise ValueError(f'shrink must be > 1, got {shrink!r}')
    for name in ranges:
        if not best_config.get(name, 0) > 0:
            raise ValueError(f'best_config[{name!r}] must be a value > 0')


# ---- The lesson -------------------------------------------------------------------------

@checked(_check_tune_like_assignment1)
# --8<-- [start:assignment1_loops]
def tune_like_assignment1(train_and_score, learning_rates, regularization_strengths):
    """
    The search in assignment 1's svm.ipynb and softmax.ipynb: two nested loops, one training run
    per (learning rate, regularization strength) pair, the best kept by validation accuracy.

    Inputs:
    - train_and_score: function (config dict) -> validation accuracy
    - learning_rates: list of values, e.g. [1e-7, 5e-5]
    - regularization_strengths: list of values, e.g. [2.5e4, 5e4]

    Returns a tuple of:
    - results: dict (lr, reg) -> validation accuracy (the notebooks also keep training accuracy)
    - best_val: the highest validation accuracy
    - best_config: the (lr, reg) that reached it
    """
    results = {}
    best_val, best_config = -1, None
    for lr in learning_rates:
        for reg in regularization_strengths:
            val_acc = train_and_score({'learning_rate': lr, 'reg': reg})
            results[(lr, reg)] = val_acc
            if val_acc > best_val:
                best_val, best_config = val_acc, (lr, reg)
    return results, best_val, best_config
# --8<-- [end:assignment1_loops]


@checked(_check_grid_search)
# --8<-- [start:grid_search]
def grid_search(train_and_score, grid):
    """
    Grid search: try every combination of the listed values, keep the best.

    Inputs:
    - train_and_score: function (config dict) -> validation score, higher is better
    - grid: dict name -> non-empty list of values, e.g.
        {'learning_rate': [1e-4, 1e-3, 1e-2, 1e-1], 'reg': [1e-6, 1e-4, 1e-2, 1]}

    Returns a tuple of:
    - best: (score, config) with the highest score
    - trials: list of (score, config), in the order tried; len = product of the list lengths
    """
    names = list(grid)
    trials = []
    for values in itertools.product(*(grid[name] for name in names)):
        config = dict(zip(names, values))
        trials.append((train_and_score(config), config))
    return max(trials, key=lambda trial: trial[0]), trials
# --8<-- [end:grid_search]


@checked(_check_log_uniform)
# --8<-- [start:random_search]
def log_uniform(low_exponent, high_exponent):
    """A sampler rng -> 10 ** uniform(low_exponent, high_exponent): uniform in the exponent."""
    return lambda rng: 10.0 ** rng.uniform(low_exponent, high_exponent)


def random_search(train_and_score, distributions, budget, seed=0):
    """
    Random search: `budget` configurations, each hyperparameter drawn independently.

    Inputs:
    - train_and_score: function (config dict) -> validation score, higher is better
    - distributions: dict name -> sampler, a function rng -> value, e.g.
        {'learning_rate': log_uniform(-4, 0), 'reg': log_uniform(-6, 0)}
    - budget: number of trials, an integer >= 1
    - seed: for numpy's default_rng

    Returns a tuple of:
    - best: (score, config) with the highest score
    - trials: list of (score, config), in the order tried
    """
    rng = np.random.default_rng(seed)
    trials = []
    for _ in range(budget):
        config = {name: sample(rng) for name, sample in distributions.items()}
        trials.append((train_and_score(config), config))
    return max(trials, key=lambda trial: trial[0]), trials
# --8<-- [end:random_search]


# The section above shows two functions; the check of the second is attached here.
random_search = checked(_check_random_search)(random_search)


@checked(_check_synthetic_score)
# --8<-- [start:synthetic_score]
def synthetic_score(points, optimum, important='x'):
    """
    f(x, y) = g(x) + h(y), after Bergstra & Bengio (2012), Fig. 1:
    - g(x) = exp(-(x - x*)**2 / (2 * 0.1**2)): x matters;
    - h(y) = 0.1 * exp(-(y - y*)**2 / (2 * 0.3**2)): y barely matters (important='x'),
      or h = g in y (important='both': both matter equally).

    Inputs:
    - points: array of shape (..., 2), the (x, y) tried
    - optimum: array of shape (..., 2), (x*, y*), broadcastable to points

    Returns:
    - f: array of shape points.shape[:-1]
    """
    d = points - optimum
    g = np.exp(-d[..., 0] ** 2 / (2 * 0.1 ** 2))
    if important == 'x':
        return g + 0.1 * np.exp(-d[..., 1] ** 2 / (2 * 0.3 ** 2))
    return g + np.exp(-d[..., 1] ** 2 / (2 * 0.1 ** 2))
# --8<-- [end:synthetic_score]


# --8<-- [start:digits_search]
def digits_train_and_score(data, seed=0):
    """A function config -> validation accuracy of a two-layer net on the digits, trained with
    config['learning_rate'] and config['reg'] (same initialization and data order each time)."""
    def train_and_score(config):
        params = two_layer_net_init(64, NET['hidden_dim'], 10, NET['weight_scale'], seed)
        result = sgd_train(params, data['X_train'], data['y_train'], config['learning_rate'],
                           config['reg'], epochs=NET['epochs'], batch_size=NET['batch_size'],
                           seed=seed)
        return two_layer_net_accuracy(result['params'], data['X_val'], data['y_val'])
    return train_and_score


def digits_searches(data, k=4, seed=0):
    """Grid (k values per hyperparameter, log-spaced, ends included) and random search
    (k * k log-uniform draws) over the same ranges: learning rate 1e-4..1, reg 1e-6..1."""
    train_and_score = digits_train_and_score(data)
    grid = {name: np.logspace(low, high, k) for name, (low, high) in COARSE_RANGES.items()}
    distributions = {name: log_uniform(low, high) for name, (low, high) in COARSE_RANGES.items()}
    return (grid_search(train_and_score, grid),
            random_search(train_and_score, distributions, budget=k * k, seed=seed))
# --8<-- [end:digits_search]


@checked(_check_refine_ranges)
# --8<-- [start:refine]
def refine_ranges(best_config, ranges, shrink=4.0):
    """
    Coarse to fine: new exponent ranges, each `shrink` times narrower than the old one and
    centred on the best value's exponent. A best value on the border of its old range thus
    gets a new range that reaches past that border (CS231n: widen the range there).

    Inputs:
    - best_config: dict name -> best value found (> 0)
    - ranges: dict name -> (low exponent, high exponent) searched so far
    - shrink: > 1

    Returns:
    - new_ranges: dict name -> (low exponent, high exponent)
    """
    new_ranges = {}
    for name, (low, high) in ranges.items():
        centre, half = math.log10(best_config[name]), (high - low) / (2 * shrink)
        new_ranges[name] = (centre - half, centre + half)
    return new_ranges
# --8<-- [end:refine]
