"""
Grid search against random search at the same budget: the experiments of the
hyperparameter-search page.

Bergstra & Bengio (2012) argue that random search beats grid search because usually only a few
hyperparameters matter: a k x k grid spends k^2 trials on only k distinct values of each, while
n random trials try n distinct values along every axis. Two experiments measure this:

1. Their Fig. 1, by Monte Carlo. A synthetic score f(x, y) = g(x) + h(y) on the unit square where
   only x matters much (snippets.hyperparameter_search.synthetic_score). Each search gets 9
   trials (grids at the cell centres or with the ends included, and random points); how often
   does one land in the top 5% band of x, |x - x*| <= 0.025? The optimum is placed at random in
   each of REPEATS repeats (with a fixed optimum a fixed grid would hit always or never), and
   the rates are set against the exact probabilities: 1 - 0.95**n for random search, the
   covered share of x* positions for a grid. The same with both parameters important (the top
   5% is then a disc around (x*, y*), and the exact grid probabilities are the covered share of
   optimum positions in the plane), and the hit rate against the budget n (fig1.svg,
   hit_rate.svg).
2. A real tuning run: a two-layer net on the digits (1000 training, 400 validation images,
   snippets.data.digits_split), learning rate x regularization, grid and random search with 16
   trials each (the grid also as assignment 1's nested loops), then a second, finer random
   search around the best (coarse to fine), and the final choice scored once on the test images
   (digits_search.svg).
"""
import itertools
import math
from pathlib import Path

import numpy as np

from snippets.checks import check_int
from snippets.data import digits_split
from snippets.hyperparameter_search import (COARSE_RANGES, digits_searches,
                                            digits_train_and_score, log_uniform, random_search,
                                            refine_ranges, synthetic_score, tune_like_assignment1)
from snippets.reporting import OKABE_ITO, pyplot, save_svg

# Settings -----------------------------------------------------------------------------------

BAND = 0.05              # the top 5% band of the important parameter x: |x - x*| <= BAND / 2
REPEATS = 20000          # Monte Carlo repeats per setting; binomial s.e. <= 0.5 / sqrt(R) = 0.0035
CURVE_BUDGETS = (4, 9, 16, 25, 36, 49, 64, 81, 100)
METHODS = ('grid-endpoints', 'grid-centres', 'random')
DISC_RADIUS = math.sqrt(BAND / math.pi)   # both parameters matter: the top 5% is a disc of area BAND
FIG1_OPTIMUM = (0.62, 0.4)                # where the optimum sits in the redrawn Fig. 1


# Experiment 1: Bergstra & Bengio's Fig. 1, by Monte Carlo -----------------------------------

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
    check_int('k', k)
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
    check_int('budget', budget)
    if method == 'random':
        return rng.uniform(0.0, 1.0, size=(budget, 2))
    if method in ('grid-centres', 'grid-endpoints'):
        k = math.isqrt(budget)
        if k * k != budget:
            raise ValueError(f'budget must be a square k * k for a grid, got {budget}')
        values = grid_values(k, method.split('-')[1])
        return np.array(list(itertools.product(values, values)))
    raise ValueError(f"method must be 'random', 'grid-centres' or 'grid-endpoints', got {method!r}")


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
        inside = np.hypot(d[..., 0], d[..., 1]) <= DISC_RADIUS
    return inside.any(axis=1)


def random_optimum(repeats, rng, important='x'):
    """Optima (R, 1, 2) uniform over the positions where the whole top region fits in the square."""
    margin = BAND / 2 if important == 'x' else DISC_RADIUS
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
    check_int('repeats', repeats)
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


def disc_hit_theory(points, radius=DISC_RADIUS, nodes=20000):
    """
    Exact P(one of the points lies within radius of the optimum), for an optimum uniform on the
    square [radius, 1 - radius]^2 (where the whole disc fits in the unit square): the area of the
    union of the discs around the points inside that square, divided by its area. The discs must
    not overlap (points at least 2 * radius apart), so the union is the sum of the pieces.

    Each piece is integrated column by column after x = p_x + radius * sin(t), which makes the
    integrand smooth at the disc's ends; the midpoint rule with `nodes` nodes has an error far
    below the printed digits.

    Inputs:
    - points: array of shape (n, 2)
    - radius: > 0
    - nodes: quadrature nodes per disc

    Returns:
    - probability: float in [0, 1]
    """
    points = np.asarray(points, dtype=float)
    gaps = np.hypot(*(points[:, None] - points[None]).transpose(2, 0, 1))
    if np.any(gaps[~np.eye(len(points), dtype=bool)] < 2 * radius):
        raise ValueError('points must be at least 2 * radius apart (non-overlapping discs)')
    low, high = radius, 1 - radius
    t = -math.pi / 2 + (np.arange(nodes) + 0.5) * math.pi / nodes
    area = 0.0
    for px, py in points:
        x = px + radius * np.sin(t)
        half = radius * np.cos(t)                                  # half the chord at x
        length = np.clip(py + half, low, high) - np.clip(py - half, low, high)
        inside = (x >= low) & (x <= high)
        area += float(np.sum(length * inside * radius * np.cos(t)) * math.pi / nodes)
    return area / (high - low) ** 2


def binomial_se(p, repeats):
    """Standard error of a hit rate with probability p over `repeats` independent repeats."""
    return math.sqrt(p * (1 - p) / repeats)


def trials_for_probability(p, band=BAND):
    """The smallest n with 1 - (1 - band)**n >= p."""
    return math.ceil(math.log(1 - p) / math.log(1 - band))


def monte_carlo_table(budget=9, repeats=REPEATS, seed=1):
    """monte_carlo for the three methods, with x important and with both important.
    Returns a dict (method, important) -> monte_carlo's dict."""
    return {(method, important): monte_carlo(method, budget, repeats, seed + i, important)
            for i, (method, important) in enumerate(itertools.product(METHODS, ('x', 'both')))}


def hit_rate_curve(repeats=REPEATS, seed=100):
    """Monte Carlo hit rates (important='x') for each method at the budgets CURVE_BUDGETS.
    Returns a dict method -> list of (budget, hit rate)."""
    return {method: [(b, monte_carlo(method, b, repeats, seed + j, 'x')['hit_rate'])
                     for j, b in enumerate(CURVE_BUDGETS)]
            for method in ('random', 'grid-centres', 'grid-endpoints')}


# Experiment 2: a real tuning run on the digits -----------------------------------------------

def digits_experiment(data):
    """
    Coarse to fine on the digits: grid and random search over COARSE_RANGES (16 trials each),
    then a second random search (16 trials, seed 1) in the ranges refine_ranges centres on the
    better of the two bests, and that search's best config scored once on the test set.

    Returns a dict: 'grid', 'random' and 'fine', each {'best': (score, config), 'trials': list
    of (score, config)}; 'assignment1_loops', what tune_like_assignment1 returns for the grid's
    values; 'fine_ranges' (name -> exponent range) and 'fine_test_acc'.
    """
    (grid_best, grid_trials), (random_best, random_trials) = digits_searches(data)
    coarse_best = max(grid_best, random_best, key=lambda trial: trial[0])
    fine_ranges = refine_ranges(coarse_best[1], COARSE_RANGES)
    fine_best, fine_trials = random_search(
        digits_train_and_score(data), {name: log_uniform(*r) for name, r in fine_ranges.items()},
        budget=len(random_trials), seed=1)
    test_data = dict(data, X_val=data['X_test'], y_val=data['y_test'])
    grid_lists = {name: np.logspace(low, high, 4) for name, (low, high) in COARSE_RANGES.items()}
    loops = tune_like_assignment1(digits_train_and_score(data), grid_lists['learning_rate'],
                                  grid_lists['reg'])
    return {'grid': {'best': grid_best, 'trials': grid_trials},
            'assignment1_loops': loops,
            'random': {'best': random_best, 'trials': random_trials},
            'fine': {'best': fine_best, 'trials': fine_trials},
            'fine_ranges': fine_ranges,
            'fine_test_acc': digits_train_and_score(test_data)(fine_best[1])}


# Figures ------------------------------------------------------------------------------------

def fig1_points(seed=0):
    """The 9 trials of each panel of fig1_figure: dict method -> points (9, 2)."""
    rng = np.random.default_rng(seed)
    return {method: trial_points(method, 9, rng) for method in METHODS}


def fig1_figure(optimum=FIG1_OPTIMUM, seed=0):
    """Bergstra & Bengio's Fig. 1, redrawn: 9 trials as a 3 x 3 grid (ends included, cell
    centres) and as 9 random draws (fig1_points), with g(x) above each square and h(y) at its
    left; the shaded band is the top 5% of x."""
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
    all_points = fig1_points(seed)
    for cell, (method, title) in zip(outer, panels):
        inner = cell.subgridspec(2, 2, width_ratios=[1, 4], height_ratios=[1.3, 4],
                                 wspace=0.04, hspace=0.04)
        ax = fig.add_subplot(inner[1, 1])
        top = fig.add_subplot(inner[0, 1], sharex=ax)
        left = fig.add_subplot(inner[1, 0], sharey=ax)
        points = all_points[method]
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
    the coarse range. stages: a list of (title, trials, marker)."""
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


# The page's numbers, one experiment at a time ----------------------------------------------

def monte_carlo_values(table, curve):
    """<method>_<x|both>_hit / _best, <method>_distinct_x, the exact probabilities, curve_*."""
    short = {'grid-endpoints': 'grid_ends', 'grid-centres': 'grid_centres', 'random': 'random'}
    values = {}
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
        theory_random_60=random_hit_theory(60),
        curve_random_64=dict(curve['random'])[64],
        curve_grid_centres_64=dict(curve['grid-centres'])[64],
        theory_grid_centres_64=grid_hit_theory(grid_values(8, 'centres')),
        theory_random_both_9=random_hit_theory(9),
        theory_grid_centres_both_9=disc_hit_theory(trial_points('grid-centres', 9, None)),
        theory_grid_ends_both_9=disc_hit_theory(trial_points('grid-endpoints', 9, None)),
        curve_budgets=list(CURVE_BUDGETS),
        curve_random=[r for _, r in curve['random']],
        curve_grid_centres=[r for _, r in curve['grid-centres']],
        curve_grid_ends=[r for _, r in curve['grid-endpoints']],
        curve_theory_random=[random_hit_theory(b) for b in CURVE_BUDGETS],
        # |measured - exact| in binomial standard errors, one per budget (the page allows 4)
        curve_random_z=[abs(r - random_hit_theory(b)) / binomial_se(random_hit_theory(b), REPEATS)
                        for b, r in curve['random']],
        curve_largest=CURVE_BUDGETS[-1],
        curve_grid_centres_largest=dict(curve['grid-centres'])[CURVE_BUDGETS[-1]],
        curve_grid_ends_largest=dict(curve['grid-endpoints'])[CURVE_BUDGETS[-1]])
    # the redrawn Fig. 1: how many of each panel's 9 points fall in the top 5% band of x
    for method, points in fig1_points().items():
        in_band = np.abs(points[:, 0] - FIG1_OPTIMUM[0]) <= BAND / 2
        values[f"fig1_{short[method]}_in_band"] = int(in_band.sum())
    return values


def digits_values(data, run):
    """The sizes of the digits split and the bests of digits_experiment(), as the page's table."""
    values = {'n_train': len(data['y_train']), 'n_val': len(data['y_val'])}
    for name in ('grid', 'random', 'fine'):
        score, config = run[name]['best']
        values.update({f'{name}_best_acc': float(score),
                       f'{name}_best_lr': float(config['learning_rate']),
                       f'{name}_best_reg': float(config['reg'])})
    grid_lrs = sorted({c['learning_rate'] for _, c in run['grid']['trials']})
    grid_acc = values['grid_best_acc']
    fine_ranges = run['fine_ranges']
    values.update(
        digits_trials=len(run['grid']['trials']),
        grid_distinct_lr=len(grid_lrs),
        random_distinct_lr=len({c['learning_rate'] for _, c in run['random']['trials']}),
        grid_lr_values=', '.join(f'{v:.2g}' for v in grid_lrs),
        val_acc_se=math.sqrt(grid_acc * (1 - grid_acc) / len(data['y_val'])),
        fine_lr_low=10 ** fine_ranges['learning_rate'][0],
        fine_lr_high=10 ** fine_ranges['learning_rate'][1],
        fine_reg_low=10 ** fine_ranges['reg'][0], fine_reg_high=10 ** fine_ranges['reg'][1],
        fine_best_test_acc=run['fine_test_acc'],
        n_test=len(data['y_test']))
    # assignment 1's nested loops over the same values: the same runs, the same best
    results, best_val, (best_lr, best_reg) = run['assignment1_loops']
    same_runs = sorted(results.items()) == sorted(((c['learning_rate'], c['reg']), acc)
                                                   for acc, c in run['grid']['trials'])
    values.update(assignment1_runs=len(results), assignment1_best_val=float(best_val),
                  assignment1_same_as_grid=bool(same_runs and best_lr == values['grid_best_lr']
                                                and best_reg == values['grid_best_reg']))
    # both hyperparameters matter: along each axis of the grid, through its best point
    grid_acc = {(c['learning_rate'], c['reg']): acc for acc, c in run['grid']['trials']}
    best_lr, best_reg = values['grid_best_lr'], values['grid_best_reg']
    along_lr = [acc for (lr, reg), acc in grid_acc.items() if reg == best_reg]
    along_reg = [acc for (lr, reg), acc in grid_acc.items() if lr == best_lr]
    values.update(grid_acc_range_along_lr=max(along_lr) - min(along_lr),
                  grid_acc_range_along_reg=max(along_reg) - min(along_reg),
                  grid_acc_points_along_lr=100 * (max(along_lr) - min(along_lr)),
                  grid_acc_points_along_reg=100 * (max(along_reg) - min(along_reg)),
                  grid_acc_at_largest_reg=grid_acc[(best_lr, max(r for _, r in grid_acc))],
                  grid_largest_reg=max(r for _, r in grid_acc))
    # the second round: how many of its trials lie outside the first round's ranges
    (lr_lo, lr_hi), (reg_lo, reg_hi) = COARSE_RANGES['learning_rate'], COARSE_RANGES['reg']
    values['fine_trials_outside'] = sum(
        not (lr_lo <= math.log10(c['learning_rate']) <= lr_hi and reg_lo <= math.log10(c['reg']) <= reg_hi)
        for _, c in run['fine']['trials'])
    values['coarse_lr_high'] = 10.0 ** lr_hi
    values['coarse_reg_low'] = 10.0 ** reg_lo
    return values


# report -------------------------------------------------------------------------------------

def report(outdir):
    """
    Run the page's experiments (fixed seeds), write fig1.svg, hit_rate.svg and digits_search.svg
    into outdir (created if missing), and return the page's numbers: a dict of JSON numbers and
    strings keyed by the placeholders {{ hyperparameter_search.<key> }}.
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    values = {'repeats': REPEATS, 'band': BAND}

    table = monte_carlo_table()
    curve = hit_rate_curve()
    values.update(monte_carlo_values(table, curve))

    data = digits_split()
    run = digits_experiment(data)
    values.update(digits_values(data, run))

    stages = [('grid_search', run['grid']['trials'], 's'),
              ('random_search', run['random']['trials'], 'o'),
              ('refine_ranges + random_search', run['fine']['trials'], 'D')]
    save_svg(digits_search_figure(stages), outdir / 'digits_search.svg')
    save_svg(fig1_figure(), outdir / 'fig1.svg')
    save_svg(hit_rate_figure(curve), outdir / 'hit_rate.svg')
    return values
