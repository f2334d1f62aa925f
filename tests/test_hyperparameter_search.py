"""
snippets.hyperparameter_search and snippets.experiments.hyperparameter_search: the two searches,
the Monte Carlo of Bergstra & Bengio's Fig. 1 against exact probabilities, and one claim test per
number of report() that the pages state.
"""
import math

import numpy as np
import pytest

from snippets.data import digits_split
from snippets.experiments.hyperparameter_search import (BAND, DISC_RADIUS, FIG1_OPTIMUM,
                                                        disc_hit_theory, fig1_figure, fig1_points,
                                                        grid_hit_theory, grid_values, monte_carlo,
                                                        random_hit_theory, random_optimum, report,
                                                        top_region_hit, trial_points,
                                                        trials_for_probability)
from snippets.hyperparameter_search import (COARSE_RANGES, digits_train_and_score, grid_search,
                                            log_uniform, random_search, refine_ranges,
                                            synthetic_score, tune_like_assignment1)
from snippets.layers import two_layer_net_accuracy, two_layer_net_init
from snippets.optim import sgd_train
from snippets.reporting import save_svg


@pytest.fixture(scope='module')
def result(tmp_path_factory):
    outdir = tmp_path_factory.mktemp('hyperparam_search')
    return report(outdir), outdir


@pytest.fixture(scope='module')
def values(result):
    return result[0]


def binomial_se(p, n):
    return math.sqrt(p * (1 - p) / n)


# The two searches ---------------------------------------------------------------------------

def test_grid_search_tries_the_cartesian_product_and_keeps_the_best():
    seen = []
    score = lambda c: seen.append(c) or -(c['a'] - 2) ** 2 - c['b']
    best, trials = grid_search(score, {'a': [1, 2, 3], 'b': [0, 1]})
    assert len(trials) == 6 and len(seen) == 6
    assert [(c['a'], c['b']) for _, c in trials] == [(1, 0), (1, 1), (2, 0), (2, 1), (3, 0), (3, 1)]
    assert best == (0, {'a': 2, 'b': 0})


def test_assignment1_nested_loops_are_grid_search_with_two_hyperparameters():
    # the same runs in the same order, the same best (both keep the first of equal scores)
    score = lambda c: round(-(np.log10(c['learning_rate']) + 2) ** 2 - c['reg'], 6)
    lrs, regs = [1e-3, 1e-2, 1e-1], [0.0, 0.5, 1.0]
    results, best_val, best_config = tune_like_assignment1(score, lrs, regs)
    best, trials = grid_search(score, {'learning_rate': lrs, 'reg': regs})
    assert list(results) == [(c['learning_rate'], c['reg']) for _, c in trials]
    assert list(results.values()) == [acc for acc, _ in trials]
    assert (best_val, best_config) == (best[0], (best[1]['learning_rate'], best[1]['reg']))
    assert best_config == (1e-2, 0.0)


def test_random_search_draws_budget_configs_and_keeps_the_best():
    best, trials = random_search(lambda c: c['x'], {'x': lambda rng: rng.uniform()}, 7, seed=3)
    assert len(trials) == 7 and best[0] == max(s for s, _ in trials)
    # same seed, same draws
    assert trials == random_search(lambda c: c['x'], {'x': lambda rng: rng.uniform()}, 7, seed=3)[1]


def test_log_uniform_is_uniform_in_the_exponent():
    rng = np.random.default_rng(0)
    draw = log_uniform(-6, 1)
    exponents = np.log10([draw(rng) for _ in range(20000)])
    assert exponents.min() >= -6 and exponents.max() <= 1
    # each of the 7 decades holds 1/7 of the draws: s.e. sqrt(p (1 - p) / n) = 0.0025, 5 s.e.
    counts = np.histogram(exponents, bins=7, range=(-6, 1))[0] / 20000
    assert np.all(np.abs(counts - 1 / 7) < 5 * binomial_se(1 / 7, 20000))
    # a uniform draw of the value itself would put ~90% of the draws in the top decade
    assert np.mean(np.random.default_rng(0).uniform(1e-6, 10, 20000) > 1) > 0.85


def test_grid_values_at_cell_centres_and_at_endpoints():
    np.testing.assert_allclose(grid_values(3, 'centres'), [1 / 6, 1 / 2, 5 / 6])
    np.testing.assert_allclose(grid_values(3, 'endpoints'), [0, 0.5, 1])


def test_nine_trials_try_three_distinct_x_on_a_grid_and_nine_at_random(values):
    rng = np.random.default_rng(0)
    assert np.unique(trial_points('grid-centres', 9, rng)[:, 0]).size == 3
    assert np.unique(trial_points('random', 9, rng)[:, 0]).size == 9
    assert values['grid_ends_distinct_x'] == values['grid_centres_distinct_x'] == 3
    assert values['random_distinct_x'] == 9


def test_h_is_nearly_flat_and_g_is_not():
    s = np.linspace(0, 1, 101)
    opt = np.array([0.5, 0.5])
    along_y = synthetic_score(np.stack([np.full_like(s, 0.5), s], axis=1), opt)
    along_x = synthetic_score(np.stack([s, np.full_like(s, 0.5)], axis=1), opt)
    assert np.ptp(along_y) < 0.1 and np.ptp(along_x) > 0.99


# Monte Carlo against exact probabilities ------------------------------------------------------
# Tolerances: a hit rate over R repeats has binomial s.e. sqrt(p (1 - p) / R); we allow 4 s.e.

def test_exact_grid_probabilities_match_the_closed_forms():
    # x* uniform on [0.025, 0.975] (length 0.95); each interior grid value covers 0.05 of it
    assert grid_hit_theory(grid_values(3, 'centres')) == pytest.approx(3 * 0.05 / 0.95)
    # the endpoints 0 and 1 can never be within 0.025 of such an x*: only 1/2 counts
    assert grid_hit_theory(grid_values(3, 'endpoints')) == pytest.approx(0.05 / 0.95)
    assert grid_hit_theory(grid_values(8, 'centres')) == pytest.approx(8 * 0.05 / 0.95)
    assert grid_hit_theory(np.linspace(0, 1, 1000)) == pytest.approx(1.0)    # overlaps merged


def test_nine_trials_hit_rates_match_theory(values):
    R = values['repeats']
    for key, theory in (('grid_ends_x_hit', 0.05 / 0.95), ('grid_centres_x_hit', 0.15 / 0.95),
                        ('random_x_hit', 1 - 0.95 ** 9)):
        assert abs(values[key] - theory) < 4 * binomial_se(theory, R), key
    assert values['theory_random_9'] == pytest.approx(1 - 0.95 ** 9)
    assert values['theory_grid_centres_9'] == pytest.approx(0.15 / 0.95)
    assert values['theory_grid_ends_9'] == pytest.approx(0.05 / 0.95)


def test_random_search_beats_both_grids_when_one_parameter_matters(values):
    R = values['repeats']
    se = 2 * binomial_se(0.5, R)
    assert values['random_x_hit'] > values['grid_centres_x_hit'] + 4 * se
    assert values['grid_centres_x_hit'] > values['grid_ends_x_hit'] + 4 * se
    # mean best f: f lies in [0, 1.1], so its s.e. over R repeats is below 0.55 / sqrt(R) = 0.004
    assert values['random_x_best'] > values['grid_centres_x_best'] + 0.05
    assert values['grid_centres_x_best'] > values['grid_ends_x_best'] + 0.05


def test_a_centred_grid_beats_random_search_when_both_parameters_matter(values):
    R = values['repeats']
    # the top 5% region is a disc of area 0.05 inside the square: random search still hits it
    # with probability 1 - 0.95**9
    assert abs(values['random_both_hit'] - (1 - 0.95 ** 9)) < 4 * binomial_se(0.37, R)
    assert values['grid_centres_both_hit'] > values['random_both_hit'] + 8 * binomial_se(0.5, R)
    assert values['grid_ends_both_hit'] < values['random_both_hit'] - 8 * binomial_se(0.5, R)
    # not "slightly": the gap is more than a third of random search's rate, and the same grid
    # at the endpoints hits less than a quarter as often as random search
    assert values['grid_centres_both_hit'] - values['random_both_hit'] > values['random_both_hit'] / 3
    assert values['grid_ends_both_hit'] < values['random_both_hit'] / 4
    # and the measured rates agree with the exact ones within 4 binomial standard errors
    for method in ('grid_centres', 'grid_ends', 'random'):
        theory = values[f'theory_{method}_both_9']
        assert abs(values[f'{method}_both_hit'] - theory) < 4 * binomial_se(theory, R), method


def test_disc_probabilities_match_closed_form_and_a_large_monte_carlo():
    r = DISC_RADIUS
    assert math.pi * r ** 2 == pytest.approx(BAND)
    # endpoints: only (1/2, 1/2) can be within r of an optimum in [r, 1 - r]^2; the edge
    # midpoints touch that square in a single point
    ends = trial_points('grid-endpoints', 9, None)
    assert disc_hit_theory(ends) == pytest.approx(BAND / (1 - 2 * r) ** 2, rel=1e-6)
    # a single disc well inside: its whole area counts
    assert disc_hit_theory(np.array([[0.5, 0.5]])) == pytest.approx(BAND / (1 - 2 * r) ** 2, rel=1e-6)
    # cell centres: discs cut by the square's border; against 10**6 optima (s.e. 5e-4, 4 s.e.)
    centres = trial_points('grid-centres', 9, None)
    rng = np.random.default_rng(7)
    optimum = random_optimum(10 ** 6, rng, 'both')
    hit = top_region_hit(np.broadcast_to(centres, (10 ** 6, 9, 2)), optimum, 'both').mean()
    theory = disc_hit_theory(centres)
    assert abs(hit - theory) < 4 * binomial_se(theory, 10 ** 6)
    with pytest.raises(ValueError, match='points'):
        disc_hit_theory(np.array([[0.5, 0.5], [0.55, 0.5]]))


def test_the_hit_rate_curves(values):
    # the figure: random search on 1 - 0.95**n at every budget (4 s.e.), crossing 0.95 between
    # n = 49 and n = 64, and both grids below it at every budget
    R, budgets = values['repeats'], values['curve_budgets']
    for n, measured in zip(budgets, values['curve_random']):
        theory = 1 - 0.95 ** n
        assert abs(measured - theory) < 4 * binomial_se(theory, R), n
    assert values['curve_theory_random'] == pytest.approx([1 - 0.95 ** n for n in budgets])
    assert values['curve_random_z'] == pytest.approx(
        [abs(m - (1 - 0.95 ** n)) / binomial_se(1 - 0.95 ** n, R)
         for n, m in zip(budgets, values['curve_random'])])
    assert values['curve_random'][budgets.index(49)] < 0.95 < values['curve_random'][budgets.index(64)]
    for method in ('centres', 'endpoints'):
        key = 'curve_grid_' + {'centres': 'centres', 'endpoints': 'ends'}[method]
        for n, measured, rand in zip(budgets, values[key], values['curve_random']):
            theory = grid_hit_theory(grid_values(math.isqrt(n), method))
            assert abs(measured - theory) < 4 * binomial_se(max(theory, 1e-3), R), (method, n)
            assert measured < rand


def test_fig1_random_points_fall_in_the_band_and_the_grids_do_not(values):
    points = fig1_points()
    for method, key in (('random', 'fig1_random_in_band'), ('grid-centres', 'fig1_grid_centres_in_band'),
                        ('grid-endpoints', 'fig1_grid_ends_in_band')):
        count = int(np.sum(np.abs(points[method][:, 0] - FIG1_OPTIMUM[0]) <= BAND / 2))
        assert values[key] == count
    assert values['fig1_random_in_band'] >= 1
    assert values['fig1_grid_centres_in_band'] == values['fig1_grid_ends_in_band'] == 0


def test_the_curve_at_64_trials_matches_theory(values):
    R = values['repeats']
    assert abs(values['curve_random_64'] - (1 - 0.95 ** 64)) < 4 * binomial_se(0.96, R)
    theory = 8 * 0.05 / 0.95
    assert values['theory_grid_centres_64'] == pytest.approx(theory)
    assert abs(values['curve_grid_centres_64'] - theory) < 4 * binomial_se(theory, R)


def test_monte_carlo_places_the_optimum_anew_in_each_repeat():
    # with the optimum fixed, a fixed grid would either always or never hit: rate 0 or 1
    rate = monte_carlo('grid-centres', 9, 4000, seed=5)['hit_rate']
    assert 0.1 < rate < 0.2


def test_the_60_trials_rule_is_one_minus_0_95_to_the_60():
    # 1 - 0.95**60 = 0.9539...: the "60 trials give 95%" rule of thumb
    assert random_hit_theory(60) == pytest.approx(0.954, abs=5e-4)
    assert random_hit_theory(59) >= 0.95 > random_hit_theory(58)
    assert trials_for_probability(0.95) == 59          # ln 0.05 / ln 0.95 = 58.4
    assert math.log(0.05) / math.log(0.95) == pytest.approx(58.4, abs=0.05)


def test_the_rule_does_not_depend_on_the_number_of_hyperparameters():
    # a region of volume 5% in the 5-D unit cube: a box of side 0.05**(1/5) in the corner
    rng = np.random.default_rng(0)
    side = 0.05 ** (1 / 5)
    points = rng.uniform(size=(20000, 60, 5))
    hit = np.all(points < side, axis=2).any(axis=1).mean()
    assert abs(hit - (1 - 0.95 ** 60)) < 4 * binomial_se(0.954, 20000)


# The digits run ------------------------------------------------------------------------------

def test_digits_split_sizes_and_centring(values):
    data = digits_split()
    assert (len(data['y_train']), len(data['y_val']), len(data['y_test'])) == (1000, 400, 397)
    assert values['n_train'] == 1000 and values['n_val'] == 400
    np.testing.assert_allclose(data['X_train'].mean(axis=0), 0, atol=1e-12)
    raw = digits_split(centre=False)
    np.testing.assert_allclose(raw['X_val'] / 16 - data['mean'], data['X_val'], atol=1e-12)


def test_grid_best_is_recomputed_by_a_direct_training_run(values):
    data = digits_split()
    params = two_layer_net_init(64, 64, 10, 0.1, 0)
    trained = sgd_train(params, data['X_train'], data['y_train'], values['grid_best_lr'],
                        values['grid_best_reg'], epochs=10, batch_size=100, seed=0)['params']
    assert two_layer_net_accuracy(trained, data['X_val'], data['y_val']) == values['grid_best_acc']


def test_assignment1_loops_on_the_digits_give_the_grid_search(values):
    assert values['assignment1_same_as_grid'] is True
    assert values['assignment1_runs'] == values['digits_trials'] == 16
    assert values['assignment1_best_val'] == values['grid_best_acc']


def test_both_hyperparameters_matter_on_the_digits(values):
    # through the grid's best point, changing either hyperparameter alone moves the validation
    # accuracy by far more than its standard error (the page says both matter)
    data = digits_split()
    score = digits_train_and_score(data)
    lr, reg = values['grid_best_lr'], values['grid_best_reg']
    along_reg = [score({'learning_rate': lr, 'reg': r}) for r in np.logspace(-6, 0, 4)]
    assert max(along_reg) - min(along_reg) == pytest.approx(values['grid_acc_range_along_reg'])
    assert values['grid_acc_range_along_reg'] > 10 * values['val_acc_se']
    assert values['grid_acc_range_along_lr'] > 10 * values['val_acc_se']
    # with the largest reg the net stays at chance: 10 classes, 400 images, 4 binomial s.e.
    assert values['grid_acc_at_largest_reg'] == along_reg[-1] == min(along_reg)
    assert abs(along_reg[-1] - 0.1) < 4 * binomial_se(0.1, 400)


def test_the_second_round_reaches_past_the_old_border(values):
    assert 0 < values['fine_trials_outside'] <= values['digits_trials']
    assert values['fine_lr_high'] > values['coarse_lr_high'] == 1.0
    assert values['fine_reg_low'] < values['coarse_reg_low'] == 1e-6


def test_grid_best_sits_on_the_corner_of_the_grid(values):
    # the page: the grid's best learning rate is its largest value and its best reg the
    # smallest, so CS231n's advice applies: widen the range past that border
    assert values['grid_best_lr'] == pytest.approx(10.0 ** COARSE_RANGES['learning_rate'][1])
    assert values['grid_best_reg'] == pytest.approx(10.0 ** COARSE_RANGES['reg'][0])
    assert values['grid_distinct_lr'] == 4 and values['random_distinct_lr'] == 16
    assert values['digits_trials'] == 16


def test_the_best_val_accuracies_differ_by_less_than_two_standard_errors(values):
    # val_acc_se = sqrt(p (1 - p) / 400): the page says the ranking of the top configs is noise
    se = values['val_acc_se']
    assert se == pytest.approx(binomial_se(values['grid_best_acc'], 400))
    assert abs(values['grid_best_acc'] - values['random_best_acc']) < 2 * se
    assert abs(values['fine_best_acc'] - values['grid_best_acc']) < 2 * se
    assert values['fine_best_test_acc'] > 0.9


def test_refine_ranges_reaches_past_a_border_best(values):
    new = refine_ranges({'learning_rate': 1.0, 'reg': 1e-6}, COARSE_RANGES)
    assert new['learning_rate'] == pytest.approx((-0.5, 0.5))        # old range (-4, 0)
    assert new['reg'] == pytest.approx((-6.75, -5.25))                 # old range (-6, 0)
    assert values['fine_lr_high'] > 1.0 and values['fine_reg_low'] < 1e-6


# Bad input -----------------------------------------------------------------------------------

@pytest.mark.parametrize('call, name', [
    (lambda: grid_search(lambda c: 0, {'lr': []}), 'lr'),
    (lambda: grid_search(lambda c: 0, {}), 'grid'),
    (lambda: random_search(lambda c: 0, {'x': lambda r: 0}, 0), 'budget'),
    (lambda: random_search(lambda c: 0, {'x': lambda r: 0}, 2.5), 'budget'),
    (lambda: random_search(lambda c: 0, {}, 3), 'distributions'),
    (lambda: trial_points('grid-centres', 10, None), 'budget'),
    (lambda: trial_points('spiral', 9, None), 'method'),
    (lambda: grid_values(3, 'corners'), 'placement'),
    (lambda: grid_values(1, 'endpoints'), 'k'),
    (lambda: log_uniform(1, -6), 'low_exponent'),
    (lambda: refine_ranges({'lr': 0.0}, {'lr': (-4, 0)}), 'best_config'),
    (lambda: tune_like_assignment1(lambda c: 0, [], [1.0]), 'learning_rates'),
    (lambda: tune_like_assignment1(lambda c: 0, [1.0], []), 'regularization_strengths'),
    (lambda: digits_split(n_train=1500, n_val=400), 'n_train'),
])
def test_bad_input_raises_value_error_naming_the_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# Figures -------------------------------------------------------------------------------------

def test_report_writes_small_svg_figures(result):
    _, outdir = result
    for name in ('fig1.svg', 'hit_rate.svg', 'digits_search.svg'):
        size = (outdir / name).stat().st_size
        assert 1000 < size < 150_000, name


def test_figures_are_deterministic(tmp_path):
    save_svg(fig1_figure(), tmp_path / 'a.svg')
    save_svg(fig1_figure(), tmp_path / 'b.svg')
    assert (tmp_path / 'a.svg').read_bytes() == (tmp_path / 'b.svg').read_bytes()


def test_band_is_five_percent():
    assert BAND == 0.05


# Typed mathematical facts and remaining claims of the pages ---------------------------------

def test_the_short_answer_probabilities_rounded_as_typed():
    assert round(1 - 0.95 ** 9, 3) == 0.370
    assert round(grid_hit_theory(grid_values(3, 'centres')), 3) == 0.158
    assert round(grid_hit_theory(grid_values(3, 'endpoints')), 3) == 0.053


def test_a_good_region_of_one_percent_is_hit_by_60_trials_with_probability_0_45():
    assert 1 - 0.99 ** 60 == pytest.approx(0.45, abs=0.005)


def test_the_synthetic_score_is_at_most_1_1():
    assert synthetic_score(np.array([0.3, 0.7]), np.array([0.3, 0.7])) == pytest.approx(1.1)
    assert synthetic_score(np.array([0.3, 0.7]), np.array([0.3, 0.7]), 'both') == pytest.approx(2.0)


def test_two_of_the_three_endpoint_values_sit_on_the_border():
    values = grid_values(3, 'endpoints')
    assert np.sum((values == 0) | (values == 1)) == 2


def test_in_this_run_the_grid_is_slightly_ahead_within_the_noise(values):
    assert values['grid_best_acc'] > values['random_best_acc']
    assert abs(values['fine_best_acc'] - values['random_best_acc']) < 2 * values['val_acc_se']
