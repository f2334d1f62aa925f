"""
Grid search and random search for hyperparameters (Bergstra & Bengio, 2012), at the same budget.

- grid_search: a list of values per hyperparameter, every combination (itertools.product);
- random_search: `budget` independent draws, each hyperparameter from its own distribution
  (log-uniform for scale parameters such as the learning rate: 10 ** uniform(-4, 0)).

Two experiments:
1. A synthetic score f(x, y) = g(x) + h(y) on the unit square where only x matters much
   (Bergstra & Bengio's Fig. 1): how often does each search land in the top 5% band of x?
   Monte Carlo over many repeats, with the optimum placed at random in each repeat, next to
   the theory 1 - 0.95**n for random search.
2. A real tuning run: a two-layer net on the digits, learning rate x regularization, grid and
   random search with 16 trials each, scored by validation accuracy.

Bad input raises ValueError naming the argument. `python -m snippets.hyperparameter_search OUTDIR`
runs everything with fixed seeds, writes the figures into OUTDIR and prints the page's numbers.
"""
import itertools
import math
import sys
from pathlib import Path

import numpy as np

from snippets.data import digits_split
from snippets.layers import two_layer_net_accuracy, two_layer_net_init
from snippets.optim import sgd_train
from snippets.reporting import OKABE_ITO, pyplot, save_svg


def _check_budget(budget):
    if isinstance(budget, bool) or not isinstance(budget, (int, np.integer)) or budget < 1:
        raise ValueError(f'budget must be an integer >= 1, got {budget!r}')


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
    if not isinstance(grid, dict) or not grid:
        raise ValueError(f'grid must be a non-empty dict name -> list of values, got {grid!r}')
    for name, values in grid.items():
        if len(values) == 0:
            raise ValueError(f'grid[{name!r}] is an empty list of values')
    names = list(grid)
    trials = []
    for values in itertools.product(*(grid[name] for name in names)):
        config = dict(zip(names, values))
        trials.append((train_and_score(config), config))
    return max(trials, key=lambda trial: trial[0]), trials
# --8<-- [end:grid_search]


# --8<-- [start:random_search]
def log_uniform(low_exponent, high_exponent):
    """A sampler rng -> 10 ** uniform(low_exponent, high_exponent): uniform in the exponent."""
    if not low_exponent < high_exponent:
        raise ValueError(f'low_exponent must be < high_exponent, got {low_exponent!r}, '
                         f'{high_exponent!r}')
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
    if not isinstance(distributions, dict) or not distributions:
        raise ValueError('distributions must be a non-empty dict name -> sampler')
    _check_budget(budget)
    rng = np.random.default_rng(seed)
    trials = []
    for _ in range(budget):
        config = {name: sample(rng) for name, sample in distributions.items()}
        trials.append((train_and_score(config), config))
    return max(trials, key=lambda trial: trial[0]), trials
# --8<-- [end:random_search]


# Experiment 1: Bergstra & Bengio's Fig. 1, by Monte Carlo ------------------------------------

BAND = 0.05          # the top 5% band of the important parameter x: |x - x*| <= BAND / 2


def grid_values(k, placement):
    """
    k values per axis on [0, 1].

    Inputs:
    - k: values per axis, an integer >= 1
    - placement: 'centres' (the centres of k equal cells, (i + 1/2) / k) or
      'endpoints' (np.linspace(0, 1, k), both ends included; k >= 2)

    Returns:
    - values: array of shape (k,)
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f'k must be an integer >= 1, got {k!r}')
    if placement == 'centres':
        return (np.arange(k) + 0.5) / k
    if placement == 'endpoints':
        if k < 2:
            raise ValueError('k must be >= 2 for placement endpoints')
        return np.linspace(0.0, 1.0, k)
    raise ValueError(f"placement must be 'centres' or 'endpoints', got {placement!r}")


def trial_points(method, budget, rng):
    """
    The (x, y) points a search tries on the unit square.

    Inputs:
    - method: 'random', or 'grid-centres' / 'grid-endpoints' (budget must be a square k * k)
    - budget: number of trials, an integer >= 1
    - rng: numpy Generator (used by 'random' only)

    Returns:
    - points: array of shape (budget, 2)
    """
    _check_budget(budget)
    if method == 'random':
        return rng.uniform(0.0, 1.0, size=(budget, 2))
    if method in ('grid-centres', 'grid-endpoints'):
        k = math.isqrt(budget)
        if k * k != budget:
            raise ValueError(f'budget must be a square k * k for a grid, got {budget}')
        values = grid_values(k, method.split('-')[1])
        return np.array(list(itertools.product(values, values)))
    raise ValueError(f"method must be 'random', 'grid-centres' or 'grid-endpoints', got {method!r}")


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
    if important == 'both':
        return g + np.exp(-d[..., 1] ** 2 / (2 * 0.1 ** 2))
    raise ValueError(f"important must be 'x' or 'both', got {important!r}")
# --8<-- [end:synthetic_score]


def top_region_hit(points, optimum, important='x'):
    """
    Whether each repeat tried at least one point in the top 5% region:
    - important='x': the band |x - x*| <= 0.025 (5% of the x axis, any y);
    - important='both': the disc of area 0.05 around (x*, y*), where f is highest.

    Inputs:
    - points: array of shape (R, n, 2)
    - optimum: array of shape (R, 1, 2)

    Returns:
    - hit: bool array of shape (R,)
    """
    d = points - optimum
    if important == 'x':
        inside = np.abs(d[..., 0]) <= BAND / 2
    else:
        inside = np.hypot(d[..., 0], d[..., 1]) <= math.sqrt(BAND / math.pi)
    return inside.any(axis=1)


def random_optimum(repeats, rng, important='x'):
    """Optima (R, 1, 2) uniform over the positions where the whole top region fits in the square."""
    margin = BAND / 2 if important == 'x' else math.sqrt(BAND / math.pi)
    return rng.uniform(margin, 1 - margin, size=(repeats, 1, 2))


def monte_carlo(method, budget, repeats, seed, important='x'):
    """
    Run one search `repeats` times on the synthetic score, a new random optimum each time.

    Inputs:
    - method: as for trial_points
    - budget: trials per search
    - repeats: R, an integer >= 1
    - seed: for the optima and the random points
    - important: 'x' or 'both', as for synthetic_score

    Returns a dict with:
    - hit_rate: fraction of repeats with a trial in the top 5% region (see top_region_hit)
    - mean_best: mean over repeats of the best f found
    - distinct_x: number of distinct x values tried (in the first repeat)
    """
    _check_budget(repeats)
    rng = np.random.default_rng(seed)
    optimum = random_optimum(repeats, rng, important)
    if method == 'random':
        points = rng.uniform(0.0, 1.0, size=(repeats, budget, 2))
    else:
        points = np.broadcast_to(trial_points(method, budget, rng), (repeats, budget, 2))
    f = synthetic_score(points, optimum, important)
    return {'hit_rate': float(top_region_hit(points, optimum, important).mean()),
            'mean_best': float(f.max(axis=1).mean()),
            'distinct_x': int(np.unique(points[0, :, 0]).size)}


def random_hit_theory(budget, band=BAND):
    """P(at least one of `budget` uniform draws lands in a region of measure band) = 1 - (1 - band)**budget."""
    return 1.0 - (1.0 - band) ** budget


def grid_hit_theory(values, band=BAND):
    """
    Exact P(one of the grid's x values lies within band / 2 of x*), for x* uniform on
    [band / 2, 1 - band / 2]: the measure of the union of the intervals [v - band/2, v + band/2]
    inside that range, divided by its length.
    """
    low, high = band / 2, 1 - band / 2
    intervals = sorted((max(v - band / 2, low), min(v + band / 2, high)) for v in values)
    covered, reach = 0.0, low
    for a, b in intervals:
        a = max(a, reach)
        if b > a:
            covered += b - a
            reach = b
    return covered / (high - low)


def trials_for_probability(p, band=BAND):
    """The smallest n with 1 - (1 - band)**n >= p."""
    return math.ceil(math.log(1 - p) / math.log(1 - band))


# Experiment 2: a real tuning run on the digits ------------------------------------------------

COARSE_RANGES = {'learning_rate': (-4, 0), 'reg': (-6, 0)}     # exponents of 10
NET = {'hidden_dim': 64, 'weight_scale': 0.1, 'epochs': 10, 'batch_size': 100}


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
    if not shrink > 1:
        raise ValueError(f'shrink must be > 1, got {shrink!r}')
    new_ranges = {}
    for name, (low, high) in ranges.items():
        if not best_config.get(name, 0) > 0:
            raise ValueError(f'best_config[{name!r}] must be a value > 0')
        centre, half = math.log10(best_config[name]), (high - low) / (2 * shrink)
        new_ranges[name] = (centre - half, centre + half)
    return new_ranges
# --8<-- [end:refine]



# Figures -------------------------------------------------------------------------------------

def fig1_figure(optimum=(0.62, 0.4), seed=0):
    """Bergstra & Bengio's Fig. 1, redrawn: 9 trials as a 3 x 3 grid (ends included, cell
    centres) and as 9 random draws, with g(x) above each square and h(y) at its left; the
    shaded band is the top 5% of x."""
    plt = pyplot()
    from matplotlib.gridspec import GridSpec
    optimum = np.asarray(optimum, dtype=float)
    s = np.linspace(0, 1, 300)
    g = np.exp(-(s - optimum[0]) ** 2 / (2 * 0.1 ** 2))
    h = 0.1 * np.exp(-(s - optimum[1]) ** 2 / (2 * 0.3 ** 2))
    panels = [('grid-endpoints', 'grid-endpoints: 0, ½, 1'),
              ('grid-centres', 'grid-centres: ⅙, ½, ⅚'), ('random', 'random')]
    fig = plt.figure(figsize=(9.0, 3.6))
    outer = GridSpec(1, 3, figure=fig, wspace=0.18, left=0.02, right=0.99, bottom=0.04, top=0.9)
    rng = np.random.default_rng(seed)
    for cell, (method, title) in zip(outer, panels):
        inner = cell.subgridspec(2, 2, width_ratios=[1, 4], height_ratios=[1.3, 4],
                                 wspace=0.04, hspace=0.04)
        ax = fig.add_subplot(inner[1, 1])
        top = fig.add_subplot(inner[0, 1], sharex=ax)
        left = fig.add_subplot(inner[1, 0], sharey=ax)
        points = trial_points(method, 9, rng)
        lo, hi = optimum[0] - BAND / 2, optimum[0] + BAND / 2
        for a in (ax, top):
            a.axvspan(lo, hi, color=OKABE_ITO['orange'], alpha=0.35, linewidth=0)
        ax.plot(points[:, 0], points[:, 1], 'o', color=OKABE_ITO['blue'], markersize=6)
        ax.plot(*optimum, '*', color=OKABE_ITO['vermillion'], markersize=10)
        top.plot(s, g, color=OKABE_ITO['black'], linewidth=1.2)
        gx = np.exp(-(points[:, 0] - optimum[0]) ** 2 / (2 * 0.1 ** 2))
        top.vlines(points[:, 0], 0, gx, color=OKABE_ITO['blue'], linewidth=1.2)
        top.set_title(title, fontsize=10)
        left.plot(h, s, color=OKABE_ITO['black'], linewidth=1.2)
        left.set_xlim(1.0, 0.0)
        for a in (ax, top, left):
            a.set_xticks([]); a.set_yticks([])
        ax.set_xlim(-0.04, 1.04); ax.set_ylim(-0.04, 1.04)
        top.set_ylim(0, 1.1)
        ax.set_xlabel('$x$', fontsize=11, labelpad=1)
        left.set_ylabel('$y$', fontsize=11, labelpad=1)
        top.text(0.01, 0.95, '$g(x)$', transform=top.transAxes, va='top', fontsize=9)
        left.text(0.05, 0.99, '$h(y)$', transform=left.transAxes, va='top', fontsize=9,
                  rotation=90)
    return fig


def hit_rate_figure(curve):
    """P(a trial in the top 5% band of x) against the budget n: random search (Monte Carlo
    points and 1 - 0.95**n) and k x k grids (Monte Carlo points and exact values)."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7.0, 3.6))
    n = np.arange(1, 101)
    ax.plot(n, 1 - 0.95 ** n, color=OKABE_ITO['blue'], linewidth=1.8, label='$1 - 0.95^{n}$')
    styles = {'random': ('o', OKABE_ITO['blue'], 'random'),
              'grid-centres': ('s', OKABE_ITO['orange'], 'grid-centres'),
              'grid-endpoints': ('^', OKABE_ITO['vermillion'], 'grid-endpoints')}
    for method, (marker, colour, label) in styles.items():
        budgets = [b for b, _ in curve[method]]
        ax.plot(budgets, [r for _, r in curve[method]], marker, color=colour, markersize=6,
                label=label, linestyle='none')
        if method != 'random':
            theory = [grid_hit_theory(grid_values(math.isqrt(b), method.split('-')[1]))
                      for b in budgets]
            ax.plot(budgets, theory, '-', color=colour, linewidth=0.8, alpha=0.8)
    n60 = 60
    ax.axvline(n60, color=OKABE_ITO['black'], linestyle=':', linewidth=1)
    ax.axhline(0.95, color=OKABE_ITO['black'], linestyle='--', linewidth=0.8)
    ax.text(n60 + 1.5, 0.05, '$n = 60$', fontsize=10)
    ax.text(2, 0.96, '0.95', fontsize=9, va='bottom')
    ax.set_xlabel('$n$', fontsize=12)
    ax.set_ylabel('$P$', fontsize=12)
    ax.set_xlim(0, 101)
    ax.set_ylim(0, 1.05)
    ax.grid(alpha=0.3)
    ax.legend(loc='lower right', fontsize=9)
    fig.tight_layout()
    return fig


def digits_search_figure(stages):
    """Validation accuracy of each trial at (log10 learning rate, log10 reg), one panel per
    search (title = its name), colour = accuracy, the best of each ringed; the dashed box is
    the coarse range."""
    plt = pyplot()
    from matplotlib.patches import Rectangle
    fig, axes = plt.subplots(1, len(stages), figsize=(9.6, 3.4), sharex=True, sharey=True)
    (lr_lo, lr_hi), (reg_lo, reg_hi) = COARSE_RANGES['learning_rate'], COARSE_RANGES['reg']
    for ax, (title, trials, marker) in zip(axes, stages):
        lr = np.log10([c['learning_rate'] for _, c in trials])
        reg = np.log10([c['reg'] for _, c in trials])
        acc = np.array([s for s, _ in trials])
        ax.add_patch(Rectangle((lr_lo, reg_lo), lr_hi - lr_lo, reg_hi - reg_lo, fill=False,
                               linestyle='--', edgecolor='#777777', linewidth=0.8))
        sc = ax.scatter(lr, reg, c=acc, cmap='cividis', vmin=0, vmax=1, marker=marker, s=60,
                        edgecolors='#333333', linewidths=0.5, zorder=3)
        best = int(np.argmax(acc))
        ax.scatter(lr[best], reg[best], s=240, facecolors='none', zorder=4,
                   edgecolors=OKABE_ITO['vermillion'], linewidths=2)
        ax.set_xlabel('log$_{10}$ learning_rate', fontsize=10)
        ax.set_title(title, fontsize=10)
        ax.grid(alpha=0.3)
    axes[0].set_xlim(lr_lo - 0.4, lr_hi + 0.9)
    axes[0].set_ylim(reg_lo - 1.0, reg_hi + 0.4)
    axes[0].set_ylabel('log$_{10}$ reg', fontsize=10)
    fig.subplots_adjust(left=0.07, right=0.9, bottom=0.16, top=0.9, wspace=0.08)
    cax = fig.add_axes([0.92, 0.16, 0.015, 0.74])
    fig.colorbar(sc, cax=cax, label='val_acc')
    return fig


# Report --------------------------------------------------------------------------------------

REPEATS = 20000          # Monte Carlo repeats per setting; binomial s.e. <= 0.5 / sqrt(R) = 0.0035
CURVE_BUDGETS = (4, 9, 16, 25, 36, 49, 64, 81, 100)


def monte_carlo_table(budget=9, repeats=REPEATS, seed=1):
    """monte_carlo for the three methods, with x important (rows) and with both important."""
    methods = ('grid-endpoints', 'grid-centres', 'random')
    return {(method, important): monte_carlo(method, budget, repeats, seed + i, important)
            for i, (method, important) in enumerate(itertools.product(methods, ('x', 'both')))}


def hit_rate_curve(repeats=REPEATS, seed=100):
    """Monte Carlo hit rates (important='x') for each method at the budgets CURVE_BUDGETS."""
    return {method: [(b, monte_carlo(method, b, repeats, seed + j, 'x')['hit_rate'])
                     for j, b in enumerate(CURVE_BUDGETS)]
            for method in ('random', 'grid-centres', 'grid-endpoints')}


def _best(best):
    score, config = best
    return float(score), float(config['learning_rate']), float(config['reg'])


def report(outdir):
    """
    Run the page's experiments (fixed seeds), write fig1.svg, hit_rate.svg and digits_search.svg
    into outdir (created if missing), and return the page's numbers.

    Inputs:
    - outdir: pathlib.Path

    Returns:
    - values: dict of JSON-serialisable numbers and strings, keyed by the page's placeholders
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    values = {'repeats': REPEATS, 'band': BAND}

    table = monte_carlo_table()
    short = {'grid-endpoints': 'grid_ends', 'grid-centres': 'grid_centres', 'random': 'random'}
    for (method, important), result in table.items():
        name = f"{short[method]}_{'x' if important == 'x' else 'both'}"
        values[f'{name}_hit'] = result['hit_rate']
        values[f'{name}_best'] = result['mean_best']
        values[f'{short[method]}_distinct_x'] = result['distinct_x']
    values.update(
        theory_random_9=random_hit_theory(9),
        theory_grid_centres_9=grid_hit_theory(grid_values(3, 'centres')),
        theory_grid_ends_9=grid_hit_theory(grid_values(3, 'endpoints')),
        trials_for_95=trials_for_probability(0.95),
        theory_random_60=random_hit_theory(60))
    curve = hit_rate_curve()
    values['curve_random_64'] = dict(curve['random'])[64]
    values['curve_grid_centres_64'] = dict(curve['grid-centres'])[64]
    values['theory_grid_centres_64'] = grid_hit_theory(grid_values(8, 'centres'))

    data = digits_split()
    values.update(n_train=len(data['y_train']), n_val=len(data['y_val']))
    (grid_best, grid_trials), (random_best, random_trials) = digits_searches(data)
    coarse_best = max(grid_best, random_best, key=lambda trial: trial[0])
    fine_ranges = refine_ranges(coarse_best[1], COARSE_RANGES)
    train_and_score = digits_train_and_score(data)
    fine_best, fine_trials = random_search(
        train_and_score, {name: log_uniform(*r) for name, r in fine_ranges.items()},
        budget=len(random_trials), seed=1)
    g_acc, g_lr, g_reg = _best(grid_best)
    r_acc, r_lr, r_reg = _best(random_best)
    f_acc, f_lr, f_reg = _best(fine_best)
    grid_lrs = sorted({c['learning_rate'] for _, c in grid_trials})
    test_data = dict(data, X_val=data['X_test'], y_val=data['y_test'])
    values.update(
        digits_trials=len(grid_trials), grid_best_acc=g_acc, grid_best_lr=g_lr,
        grid_best_reg=g_reg, random_best_acc=r_acc, random_best_lr=r_lr, random_best_reg=r_reg,
        grid_distinct_lr=len(grid_lrs),
        random_distinct_lr=len({c['learning_rate'] for _, c in random_trials}),
        grid_lr_values=', '.join(f'{v:.2g}' for v in grid_lrs),
        val_acc_se=math.sqrt(g_acc * (1 - g_acc) / len(data['y_val'])),
        fine_lr_low=10 ** fine_ranges['learning_rate'][0],
        fine_lr_high=10 ** fine_ranges['learning_rate'][1],
        fine_reg_low=10 ** fine_ranges['reg'][0], fine_reg_high=10 ** fine_ranges['reg'][1],
        fine_best_acc=f_acc, fine_best_lr=f_lr, fine_best_reg=f_reg,
        fine_best_test_acc=digits_train_and_score(test_data)(fine_best[1]),
        n_test=len(data['y_test']))
    stages = [('grid_search', grid_trials, 's'), ('random_search', random_trials, 'o'),
              ('refine_ranges + random_search', fine_trials, 'D')]
    save_svg(digits_search_figure(stages), outdir / 'digits_search.svg')

    save_svg(fig1_figure(), outdir / 'fig1.svg')
    save_svg(hit_rate_figure(curve), outdir / 'hit_rate.svg')
    return values


if __name__ == '__main__':
    outdir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path('build/hyperparameter_search')
    for key, value in report(outdir).items():
        print(f'{key}: {value}')
    print('figures:', ', '.join(str(outdir / n) for n in ('fig1.svg', 'hit_rate.svg',
                                                           'digits_search.svg')))
