"""
snippets.ensembles: how an ensemble combines predictions, why averaging the weights of
independent nets fails, and one claim test per number of report() that the pages state.
"""
import itertools

import numpy as np
import pytest

from snippets.data import digits_split
from snippets.ensembles import (accuracy, align_hidden, ambiguity_decomposition, average_weights,
                                ensemble_predict, linear_sum_assignment, make_model, mean_nll,
                                permute_hidden, softmax, vote_ties)
from snippets.experiments.ensembles import (K_MAX, SPLIT, diverse_nets, independent_nets,
                                            loss_barrier, one_run_averages, report, subset_curves,
                                            train_net, vote_counterexample, weight_distance)
from snippets.layers import two_layer_net_init, two_layer_net_loss


@pytest.fixture(scope='module')
def result(tmp_path_factory):
    outdir = tmp_path_factory.mktemp('ensembles')
    return report(outdir), outdir


@pytest.fixture(scope='module')
def values(result):
    return result[0]


@pytest.fixture(scope='module')
def nets():
    data = digits_split(**SPLIT)
    params, pre = independent_nets(data)
    return data, params, pre


def fixed(scores):
    """A model that ignores its input and returns these scores."""
    scores = np.asarray(scores, dtype=float)
    return lambda X: scores


# ensemble_predict --------------------------------------------------------------------------

def test_probability_average_is_the_mean_of_each_models_softmax():
    rng = np.random.default_rng(0)
    s = [rng.standard_normal((5, 3)) for _ in range(3)]
    pred, probs = ensemble_predict([fixed(x) for x in s], None)
    manual = np.mean([np.exp(x) / np.exp(x).sum(axis=1, keepdims=True) for x in s], axis=0)
    np.testing.assert_allclose(probs, manual, rtol=1e-12)
    np.testing.assert_array_equal(pred, manual.argmax(axis=1))
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)


def test_logit_average_can_differ_from_probability_average():
    # B puts probability 0.001 on class 0: the mean of the logits (a geometric mean of the
    # probabilities) punishes that far more than the mean of the probabilities does
    a, b = np.log([[0.9, 0.05, 0.05]]), np.log([[0.001, 0.5, 0.499]])
    models = [fixed(a), fixed(b)]
    assert ensemble_predict(models, None, 'probabilities')[0][0] == 0    # (0.4505, 0.275, 0.2745)
    assert ensemble_predict(models, None, 'logits')[0][0] == 1           # sqrt: 0.030, 0.158, 0.158


def test_vote_ties_go_to_the_smallest_label():
    pred, votes = ensemble_predict([fixed([[0, 0, 1.0]]), fixed([[0, 1.0, 0]])], None, 'vote')
    np.testing.assert_array_equal(votes, [[0, 1, 1]])
    assert pred[0] == 1
    assert vote_ties([fixed([[0, 0, 1.0]]), fixed([[0, 1.0, 0]])], None) == 1


def test_adding_a_model_can_lower_accuracy(values):
    assert vote_counterexample() == (1.0, 0.0)
    assert values['counter_single'] == 1.0 and values['counter_pair'] == 0.0


def test_ensemble_log_loss_is_at_most_the_mean_member_log_loss(values):
    # -log is convex, so -log(mean p) <= mean(-log p) (Jensen), example by example
    rng = np.random.default_rng(1)
    s = [3 * rng.standard_normal((50, 4)) for _ in range(5)]
    y = rng.integers(0, 4, 50)
    models = [fixed(x) for x in s]
    assert mean_nll(models, None, y) <= np.mean([mean_nll([m], None, y) for m in models])
    assert values['nll_ens_10'] <= values['nll_single_mean']


@pytest.mark.parametrize('models, name', [
    ([], 'models'),
    ([fixed(np.zeros((2, 3))), fixed(np.zeros((2, 4)))], 'models'),
    ([fixed(np.zeros(3))], 'models'),
])
def test_ensemble_predict_rejects_bad_models(models, name):
    with pytest.raises(ValueError, match=name):
        ensemble_predict(models, None)


def test_ensemble_predict_rejects_an_unknown_combine():
    with pytest.raises(ValueError, match='combine'):
        ensemble_predict([fixed(np.zeros((2, 3)))], None, 'median')


def test_average_weights_rejects_mismatched_nets():
    with pytest.raises(ValueError, match='param_list'):
        average_weights([two_layer_net_init(4, 5, 3, 0.1, 0), two_layer_net_init(4, 6, 3, 0.1, 0)])
    with pytest.raises(ValueError, match='param_list'):
        average_weights([])


def test_permute_hidden_rejects_a_non_permutation():
    with pytest.raises(ValueError, match='perm'):
        permute_hidden(two_layer_net_init(4, 3, 2, 0.1, 0), [0, 0, 1])


# Weight averaging ------------------------------------------------------------------------------

def test_renumbered_hidden_units_compute_the_same_function(values, nets):
    data, params, pre = nets
    perm = np.random.default_rng(0).permutation(64)
    X = pre(data['X_test'])
    same = permute_hidden(params[0], perm)
    # only the order of a sum of 64 terms changes: differences are rounding, ~1e-14
    assert values['perm_max_score_diff'] < 1e-12
    assert np.max(np.abs(two_layer_net_loss(params[0], X) - two_layer_net_loss(same, X))) < 1e-12
    assert not np.allclose(params[0]['W1'], same['W1'])


def test_averaging_a_net_with_its_renumbered_self_changes_the_function(values, nets):
    data, params, pre = nets
    same = permute_hidden(params[0], np.random.default_rng(0).permutation(64))
    X = pre(data['X_test'])
    averaged = two_layer_net_loss(average_weights([params[0], same]), X)
    assert np.max(np.abs(averaged - two_layer_net_loss(params[0], X))) > 1.0
    single = accuracy([make_model(params[0], pre)], data['X_test'], data['y_test'])
    assert values['perm_avg_acc'] < single


def test_averaging_weights_of_independent_nets_fails_and_averaging_predictions_does_not(values, nets):
    data, params, pre = nets
    X, y = data['X_test'], data['y_test']
    manual = {k: sum(p[k] for p in params) / len(params) for k in params[0]}     # by hand
    acc = np.mean(two_layer_net_loss(manual, pre(X)).argmax(axis=1) == y)
    assert values['wavg_10'] == pytest.approx(acc, abs=1e-12)
    assert values['wavg_10'] < values['single_min'] - 0.2        # the collapse
    assert values['wavg_2'] < values['single_min']
    assert values['ens_10'] > values['wavg_10'] + 0.2


def test_aligning_hidden_units_before_averaging_recovers_the_accuracy(values, nets):
    data, params, pre = nets
    aligned = align_hidden(params[0], params[1])
    X = pre(data['X_test'])
    np.testing.assert_allclose(two_layer_net_loss(aligned, X), two_layer_net_loss(params[1], X),
                               atol=1e-12)
    # one held-out example is 1/797 = 0.00125
    assert values['aligned_avg_2'] > values['wavg_2'] + 0.01
    assert values['aligned_avg_2'] >= values['single_min'] - 0.005


@pytest.mark.parametrize('shape', [(1, 1), (2, 2), (6, 6), (5, 9), (9, 5), (64, 64)])
def test_linear_sum_assignment_finds_scipys_assignment(shape):
    # the package's numpy Hungarian method against scipy's (a test dependency only): with
    # continuous random costs the optimal assignment is unique, so the indices must agree
    scipy_optimize = pytest.importorskip('scipy.optimize', reason='scipy is a test dependency')
    rng = np.random.default_rng(sum(shape))
    for _ in range(10):
        cost = rng.standard_normal(shape)
        rows, cols = linear_sum_assignment(cost)
        expected_rows, expected_cols = scipy_optimize.linear_sum_assignment(cost)
        np.testing.assert_array_equal(rows, expected_rows)
        np.testing.assert_array_equal(cols, expected_cols)


def test_linear_sum_assignment_with_ties_reaches_the_optimal_total():
    # small integer costs have many optimal assignments: the totals agree, and brute force over
    # every permutation confirms the optimum
    scipy_optimize = pytest.importorskip('scipy.optimize', reason='scipy is a test dependency')
    rng = np.random.default_rng(3)
    for _ in range(20):
        cost = rng.integers(0, 3, (6, 6)).astype(float)
        rows, cols = linear_sum_assignment(cost)
        assert sorted(cols) == list(range(6))                      # a permutation
        best = min(cost[range(6), list(p)].sum() for p in itertools.permutations(range(6)))
        assert cost[rows, cols].sum() == best
        assert cost[scipy_optimize.linear_sum_assignment(cost)].sum() == best


def test_linear_sum_assignment_rejects_a_cost_that_is_not_a_finite_matrix():
    with pytest.raises(ValueError, match='cost'):
        linear_sum_assignment(np.ones(3))
    with pytest.raises(ValueError, match='cost'):
        linear_sum_assignment(np.array([[0.0, np.nan], [1.0, 2.0]]))


def test_weight_averages_along_one_run_and_across_fine_tunes_work(values):
    # "work": within 1 percentage point (8 of 797 examples) of the nets they average
    for key in ('run_ema', 'run_checkpoints', 'run_polyak'):
        assert abs(values[key] - values['run_final']) < 0.01, key
    assert abs(values['soup_acc'] - values['soup_single_mean']) < 0.01
    assert values['soup_acc'] > values['wavg_10'] + 0.2
    assert values['soup_k'] == 5


# The ensemble of independent nets ----------------------------------------------------------------

def test_ensemble_accuracy_is_recomputed_independently(values, nets):
    data, params, pre = nets
    X, y = pre(data['X_test']), data['y_test']
    probs = [softmax(two_layer_net_loss(p, X)) for p in params]
    for K, key in ((2, 'ens_2'), (5, 'ens_5'), (10, 'ens_10')):
        assert values[key] == np.mean(np.mean(probs[:K], axis=0).argmax(axis=1) == y)
    single = [np.mean(p.argmax(axis=1) == y) for p in probs]
    assert values['single_mean'] == pytest.approx(np.mean(single))
    assert values['subset_1'] == pytest.approx(np.mean(single))      # every single net once
    assert values['subset_10'] == values['ens_10']                   # the only 10-subset
    wrong = np.array([p.argmax(axis=1) != y for p in probs])
    assert values['errors_all'] == wrong.all(axis=0).sum()
    assert values['errors_any'] == wrong.any(axis=0).sum()
    assert values['errors_mean'] == pytest.approx(wrong.sum(axis=1).mean())


def test_the_gain_of_ten_nets_is_within_one_percentage_point_here(values):
    # the page: on the digits, ten seeds gain almost nothing, because their errors overlap
    assert abs(values['ens_10'] - values['single_mean']) < 0.01
    assert values['errors_all'] > values['errors_mean'] / 2


def test_curve_drops_counts_the_decreases_of_the_first_K_curve(values, nets):
    data, params, pre = nets
    models = [make_model(p, pre) for p in params]
    curve = [accuracy(models[:K], data['X_test'], data['y_test']) for K in range(1, K_MAX + 1)]
    assert values['curve_drops'] == sum(b < a for a, b in zip(curve, curve[1:]))
    assert values['curve_drops'] >= 1          # the page: not monotonic in this run


def test_majority_vote_has_ties_with_two_models(values):
    assert values['vote_ties_2'] > 0
    assert values['vote_ties_10'] <= values['vote_ties_2']


def test_a_member_fed_the_wrong_preprocessing_loses_accuracy(values):
    assert values['odd_wrong_acc'] < values['odd_own_acc'] - 0.01
    assert values['mixed_wrong'] < values['mixed_right']


def test_report_writes_a_small_svg(result):
    _, outdir = result
    assert 1000 < (outdir / 'ensemble.svg').stat().st_size < 150_000


def test_vote_and_probability_average_differ_by_a_few_images_at_ten_nets(values):
    # the page: a few images, i.e. noise; 0.005 is 4 of the 797 held-out images
    assert abs(values['vote_10'] - values['ens_10']) < 0.005


def test_ema_brings_no_gain_in_this_toy(values):
    assert values['run_ema'] <= values['run_final']
    assert max(values['run_polyak'], values['run_checkpoints']) <= values['run_final']


def test_curve_rows_hold_the_measured_curves(values):
    rows = [[c.strip() for c in line.strip('|').split('|')] for line in values['curve_rows'].splitlines()]
    assert [int(r[0]) for r in rows] == list(range(1, K_MAX + 1))
    assert rows[-1][2] == f"{values['ens_10']:.2%}" and rows[-1][6] == f"{values['wavg_10']:.2%}"
    assert rows[1][2] == f"{values['ens_2']:.2%}" and rows[-1][4] == f"{values['vote_10']:.2%}"


# The log loss as models are added (issue #13: "only the log loss never gets worse" is false) ---

@pytest.fixture(scope='module')
def member_probs(nets):
    data, params, pre = nets
    return [softmax(make_model(p, pre)(data['X_test'])) for p in params], data['y_test']


def test_jensen_bounds_every_first_k_ensemble_by_its_members_mean_log_loss(values, nets):
    data, params, pre = nets
    models = [make_model(p, pre) for p in params]
    X, y = data['X_test'], data['y_test']
    single = [mean_nll([m], X, y) for m in models]                      # through snippets
    first_k = [mean_nll(models[:K], X, y) for K in range(1, K_MAX + 1)]
    np.testing.assert_allclose(values['nll_single'], single, rtol=1e-12)
    np.testing.assert_allclose(values['nll_first_k'], first_k, rtol=1e-12)
    for K in range(1, K_MAX + 1):                                       # Jensen: a theorem
        assert first_k[K - 1] <= np.mean(single[:K]) + 1e-15
    assert values['nll_ens_10'] == pytest.approx(first_k[-1], rel=1e-12)


def test_the_log_loss_of_the_first_k_nets_is_not_monotonic_here(values, nets):
    """The old page said the log loss alone never gets worse; these nets refute it."""
    data, params, pre = nets
    models = [make_model(p, pre) for p in params]
    X, y = data['X_test'], data['y_test']
    nll_4, nll_8 = mean_nll(models[:4], X, y), mean_nll(models[:8], X, y)
    assert nll_8 > nll_4                                  # rises from K = 4 to K = 8
    assert values['nll_first_8'] == pytest.approx(nll_8, rel=1e-12)
    best = min(mean_nll([m], X, y) for m in models)
    assert mean_nll(models, X, y) > best                  # 10 nets worse than the best one
    assert values['nll_best_single'] == pytest.approx(best, rel=1e-12)


def test_adding_one_net_to_another_raises_the_log_loss_in_many_pairs(values, nets):
    data, params, pre = nets
    models = [make_model(p, pre) for p in params]
    X, y = data['X_test'], data['y_test']
    rises = sum(mean_nll([models[i], models[j]], X, y) > mean_nll([models[i]], X, y)
                for i in range(K_MAX) for j in range(K_MAX) if i != j)
    assert values['pair_nll_rises'] == rises and values['pairs'] == 90
    assert values['pair_nll_rise_frac'] == pytest.approx(rises / 90)
    assert rises > 0


def test_expected_log_loss_of_a_random_k_subset_never_increases(values, member_probs):
    # the true statement (a theorem: convexity + symmetry), recomputed by brute force over all
    # 2^10 - 1 subsets, independently of subset_curves
    probs, y = member_probs
    expected = []
    for K in range(1, K_MAX + 1):
        losses = [-np.mean(np.log(np.mean([probs[i] for i in s], axis=0)[np.arange(len(y)), y]))
                  for s in itertools.combinations(range(K_MAX), K)]
        expected.append(np.mean(losses))
    np.testing.assert_allclose(values['nll_subsets'], expected, rtol=1e-12)
    assert all(b <= a for a, b in zip(expected, expected[1:]))
    assert expected[0] == pytest.approx(values['nll_single_mean'], rel=1e-12)
    assert expected[-1] == pytest.approx(values['nll_ens_10'], rel=1e-12)


def test_expected_log_loss_is_monotonic_for_any_members_but_a_fixed_order_is_not():
    # theory, on synthetic members: confident ones that disagree (seed fixed before looking)
    rng = np.random.default_rng(7)
    probs = [softmax(4 * rng.standard_normal((200, 5))) for _ in range(6)]
    y = rng.integers(0, 5, 200)
    expected = subset_curves(probs, y)['nll']
    assert all(b <= a + 1e-12 for a, b in zip(expected, expected[1:]))
    assert len(list(itertools.combinations(range(6), 3))) == 20


def test_expected_accuracy_of_a_random_k_subset_is_not_monotonic_here(values):
    # no theorem for accuracy: the exact mean over all K-subsets peaks before K = 10
    acc = values['acc_subsets']
    assert values['acc_subsets_max'] == max(acc) > acc[-1] == values['ens_10']
    assert values['acc_subsets_best_K'] == int(np.argmax(acc)) + 1 < K_MAX


# Why gains diminish and diversity helps -----------------------------------------------------------

def test_ambiguity_decomposition_is_an_identity():
    rng = np.random.default_rng(3)
    probs = [softmax(rng.standard_normal((40, 4))) for _ in range(5)]
    y = rng.integers(0, 4, 40)
    d = ambiguity_decomposition(probs, y)
    t = np.eye(4)[y]
    f = np.mean(probs, axis=0)
    manual_ens = np.mean(((f - t) ** 2).sum(axis=1))                     # independent loops
    manual_members = np.mean([np.mean(((p - t) ** 2).sum(axis=1)) for p in probs])
    manual_amb = np.mean([np.mean(((p - f) ** 2).sum(axis=1)) for p in probs])
    assert d['ensemble'] == pytest.approx(manual_ens, rel=1e-12)
    assert d['members'] == pytest.approx(manual_members, rel=1e-12)
    assert d['ambiguity'] == pytest.approx(manual_amb, rel=1e-12)
    assert d['ensemble'] == pytest.approx(d['members'] - d['ambiguity'], rel=1e-12)


def test_expected_brier_of_a_random_k_subset_follows_the_finite_population_law(values, member_probs):
    # E = Brier(all n) + A (n - K) / (K (n - 1)): sampling without replacement, exact
    probs, y = member_probs
    n = len(probs)
    d = ambiguity_decomposition(probs, y)
    law = [d['ensemble'] + d['ambiguity'] * (n - K) / (K * (n - 1)) for K in range(1, n + 1)]
    np.testing.assert_allclose(subset_curves(probs, y)['brier'], law, rtol=1e-10)
    np.testing.assert_allclose(values['brier_subsets'], law, rtol=1e-10)
    assert values['brier_ensemble'] == pytest.approx(d['ensemble'], rel=1e-12)
    assert 1 - 8 / 18 == pytest.approx(0.556, abs=5e-4)                  # typed on the page


def test_ambiguity_decomposition_rejects_bad_input():
    p = softmax(np.zeros((3, 2)))
    with pytest.raises(ValueError, match='probs'):
        ambiguity_decomposition([], np.array([0, 1, 0]))
    with pytest.raises(ValueError, match='probs'):
        ambiguity_decomposition([p, softmax(np.zeros((3, 4)))], np.array([0, 1, 0]))
    with pytest.raises(ValueError, match='y'):
        ambiguity_decomposition([p], np.array([0, 2, 0]))


def test_the_diverse_ensemble_disagrees_more_and_gains_more_over_its_members(values):
    assert values['diverse_brier_ambiguity'] > 3 * values['brier_ambiguity']
    assert values['diverse_brier_ensemble'] == pytest.approx(
        values['diverse_brier_members'] - values['diverse_brier_ambiguity'], rel=1e-9)
    gain_diverse = values['diverse_ens'] - values['diverse_single_mean']
    gain_seeds = values['ens_10'] - values['single_mean']
    assert gain_diverse > gain_seeds
    assert values['diverse_errors_any'] > values['errors_any']


def test_the_diverse_ensemble_is_no_better_in_the_end_here(values):
    # what the data say: weaker members (the larger L2 strength), so no better final accuracy
    assert values['diverse_single_mean'] < values['single_mean']
    assert values['diverse_ens'] <= values['ens_10']
    assert values['diverse_ens'] < values['diverse_single_max']
    assert values['diverse_nll_best_single'] < values['diverse_nll_ens'] < values['diverse_nll_single_mean']


def test_the_diverse_nets_are_one_per_width_and_strength_and_recomputed(values, nets):
    data, _, pre = nets
    nets_ = diverse_nets(data, pre)
    settings = [(H, reg) for H, reg, _ in nets_]
    assert len(set(settings)) == len(settings) == 10
    assert [p['W1'].shape[1] for _, _, p in nets_] == [H for H, _ in settings]
    X, y = data['X_test'], data['y_test']
    models = [make_model(p, pre) for _, _, p in nets_]
    assert values['diverse_ens'] == accuracy(models, X, y)
    assert values['diverse_single'] == [accuracy([m], X, y) for m in models]


# Averages of weights that work --------------------------------------------------------------

def test_polyak_average_is_the_uniform_mean_of_the_last_steps_and_differs_from_the_ema(nets):
    data, _, pre = nets
    run = one_run_averages(data, pre)
    X = pre(data['X_train'])
    initial = two_layer_net_init(X.shape[1], 64, 10, 0.1, 0)
    again = train_net(X, data['y_train'], 0, params=initial, keep_steps=True)
    last = again['steps'][-5 * 10:]                     # 5 epochs of 1000 / 100 steps
    for k in initial:
        np.testing.assert_allclose(run['polyak'][k], sum(s[k] for s in last) / len(last), rtol=1e-12)
    assert not np.allclose(run['polyak']['W1'], run['ema']['W1'])


def test_weight_distance_separates_spawned_copies_from_independent_nets(values, nets):
    _, params, _ = nets
    a, b = params[0], params[1]
    flat = lambda p: np.concatenate([p[k].ravel() for k in sorted(p)])
    manual = np.linalg.norm(flat(a) - flat(b)) / ((np.linalg.norm(flat(a)) + np.linalg.norm(flat(b))) / 2)
    assert weight_distance(a, b) == pytest.approx(manual, rel=1e-12)
    assert values['dist_independent'] == pytest.approx(manual, rel=1e-12)
    assert values['dist_spawned'] < values['dist_aligned'] / 10 < values['dist_independent'] / 10
    # renumbering keeps the function but moves the weights: closeness is not the criterion
    assert weight_distance(a, permute_hidden(a, np.arange(64)[::-1])) > 0.5


def test_spawned_copies_average_like_their_ensemble(values):
    # within 2 of 797 images (the page: "an image or two")
    assert abs(values['soup_acc'] - values['soup_single_mean']) * values['n_test'] < 2.5
    assert abs(values['soup_acc'] - values['soup_ensemble']) * values['n_test'] < 2.5


def test_a_wrongly_fed_member_costs_the_ensemble_few_images(values):
    assert values['mixed_diff_images'] == round((values['mixed_right'] - values['mixed_wrong']) * 797)
    assert 2 * values['mixed_diff_images'] < (values['odd_own_acc'] - values['odd_wrong_acc']) * 797


def test_report_writes_the_log_loss_figure(result):
    _, outdir = result
    assert 1000 < (outdir / 'log_loss.svg').stat().st_size < 150_000


def test_matching_hidden_units_shrinks_the_loss_barrier_and_spawned_copies_have_none(values, nets):
    data, params, pre = nets
    X, y = data['X_test'], data['y_test']
    a, b = params[0], params[1]
    mid = {k: (a[k] + b[k]) / 2 for k in a}                       # t = 1/2 is on the grid
    nll = lambda p: mean_nll([make_model(p, pre)], X, y)
    rise_mid = nll(mid) - (nll(a) + nll(b)) / 2
    assert loss_barrier(a, b, pre, X, y) >= rise_mid - 1e-15
    assert values['barrier_independent'] == pytest.approx(loss_barrier(a, b, pre, X, y), rel=1e-12)
    assert 0.05 < values["barrier_aligned"] / values["barrier_independent"] < 0.2   # "about a tenth"
    assert values['barrier_aligned'] > 10 * abs(values['barrier_spawned'])
    assert abs(values['barrier_spawned']) < 1e-3
    # a net and itself: the line is a point, no barrier at all
    assert loss_barrier(a, a, pre, X, y) == pytest.approx(0.0, abs=1e-12)
