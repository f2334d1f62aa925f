"""
snippets.ensembles: how an ensemble combines predictions, why averaging the weights of
independent nets fails, and one claim test per number of report() that the pages state.
"""
import numpy as np
import pytest

from snippets.data import digits_split
from snippets.ensembles import (accuracy, align_hidden, average_weights, ensemble_predict,
                                make_model, mean_nll, permute_hidden, softmax, vote_ties)
from snippets.experiments.ensembles import (K_MAX, SPLIT, independent_nets, report,
                                            vote_counterexample)
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


def test_weight_averages_along_one_run_and_across_fine_tunes_work(values):
    # "work": within 1 percentage point (8 of 797 examples) of the nets they average
    for key in ('run_ema', 'run_checkpoints'):
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


def test_curve_rows_hold_the_measured_curves(values):
    rows = [[c.strip() for c in line.strip('|').split('|')] for line in values['curve_rows'].splitlines()]
    assert [int(r[0]) for r in rows] == list(range(1, K_MAX + 1))
    assert rows[-1][2] == f"{values['ens_10']:.2%}" and rows[-1][6] == f"{values['wavg_10']:.2%}"
    assert rows[1][2] == f"{values['ens_2']:.2%}" and rows[-1][4] == f"{values['vote_10']:.2%}"
